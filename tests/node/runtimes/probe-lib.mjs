// The same checks in every runtime (Node ESM and CJS, Deno, workerd, Chromium): the package's
// API surface, its typed errors and the report of the probe. Runtime-neutral: no I/O here.

function outcome(kh, fn) {
  try {
    fn();
    return 'ok';
  } catch (e) {
    const typed = e instanceof kh.KubehardenError && e instanceof Error && e.name === 'KubehardenError';
    return `${typed ? 'KubehardenError' : `untyped ${e?.name}`}:${e?.code}`;
  }
}

/**
 * `kh` is the package's module namespace (or its CommonJS exports); `source`, if given, is
 * what the first `ready()` gets.
 */
export async function probe(kh, text, { name = 'probe.yaml', source } = {}) {
  // Before ready(): synchronous where the module can be instantiated synchronously, NOT_READY
  // where it is fetched.
  const beforeReady = outcome(kh, () => kh.lint('a: 1\n'));
  await (source === undefined ? kh.ready() : kh.ready(source));
  await kh.ready();
  const report = kh.lint({ files: [{ name, text }] });
  const sarif = kh.toSarif(report);
  return {
    beforeReady,
    version: kh.version,
    api: Object.keys(kh)
      .filter((k) => k !== '__esModule')
      .sort(),
    defaultExport: Object.keys(kh.default).sort(),
    rules: kh.rules().map((r) => r.id),
    explain: String(kh.explain('pss-privileged')).split('\n')[0],
    explainUnknown: kh.explain('no-such-rule') === undefined,
    latestIsDefault: kh.defaultConfig().kubernetesVersion === report.config.kubernetesVersion,
    sarif: { version: sarif.version, columnKind: sarif.runs[0].columnKind, results: sarif.runs[0].results.length },
    errors: {
      input: outcome(kh, () => kh.lint(42)),
      file: outcome(kh, () => kh.lint({ files: [{ name: 'x.yaml' }] })),
      config: outcome(kh, () => kh.lint('a: 1\n', { profile: 'paranoid' })),
      rule: outcome(kh, () => kh.lint('a: 1\n', { rules: { 'no-such-rule': 'off' } })),
      sarif: outcome(kh, () => kh.toSarif({ findings: 'no' })),
    },
    sameThroughDefault: JSON.stringify(kh.default.lint({ files: [{ name, text }] })) === JSON.stringify(report),
    report,
  };
}
