// Hostile inputs, generated where they run, for every runtime. Each must come back as a report
// (findings, never an exception or a crash), and the same instance must keep working.

const MiB = 1024 * 1024;

/** `maxInputBytes`: the limit the oversized input exceeds (lower it where memory is tight). */
export function hostileCases({ maxInputBytes = 64 * MiB } = {}) {
  let laughs = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 12; i++)
    laughs += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  let deepMap = '';
  for (let i = 0; i < 2000; i++) deepMap += `${' '.repeat(i)}k:\n`;
  let junk = '';
  let seed = 42;
  for (let i = 0; i < 65536; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    junk += String.fromCharCode(seed % 256);
  }
  const deployment = (i) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: "nginx:1.27"}]\n---\n`;
  return [
    { name: 'billion laughs', text: laughs, expect: 'input-limit-exceeded' },
    // The YAML scanner refuses such nesting itself (invalid-yaml) before our depth limit.
    {
      name: '10,000-deep flow sequences',
      text: `a: ${'['.repeat(10000)}${']'.repeat(10000)}\n`,
      expect: 'input-limit-exceeded|invalid-yaml',
    },
    {
      name: '10,000-deep flow mappings',
      text: `${'{a: '.repeat(10000)}b${'}'.repeat(10000)}\n`,
      expect: 'input-limit-exceeded|invalid-yaml',
    },
    { name: '10,000-deep block sequences', text: `${'- '.repeat(10000)}x\n`, expect: 'input-limit-exceeded' },
    { name: '2,000-deep block mappings', text: deepMap, expect: 'input-limit-exceeded' },
    { name: 'recursive alias', text: 'a: &a [*a]\n', expect: null },
    {
      name: 'oversized input',
      text: 'a'.repeat(maxInputBytes + 1),
      config: { limits: { maxInputBytes } },
      expect: 'input-limit-exceeded',
    },
    {
      name: '3,000 deployments',
      text: Array.from({ length: 3000 }, (_, i) => deployment(i)).join(''),
      expect: 'writable-root-filesystem',
    },
    { name: '100,000 empty documents', text: '---\n'.repeat(100000), expect: null },
    { name: '1 MiB key', text: `${'k'.repeat(MiB)}: v\n`, expect: null },
    { name: 'binary junk', text: junk, expect: null },
    { name: 'NUL and control bytes', text: '\u0000\u0001\u0002\u001b[31m\u007f', expect: 'invalid-yaml' },
    { name: 'lone surrogates', text: 'a: "\ud800"\nb: \udc00\n', expect: null },
    { name: 'unterminated things', text: '"\\u', expect: 'invalid-yaml' },
    { name: 'unclosed flow collections', text: '{{{{', expect: 'invalid-yaml' },
    { name: 'alias to its own anchor', text: '&a *a', expect: null },
    { name: 'unknown directive', text: '%YAML 9.9\n---\na: 1\n', expect: null },
    { name: 'complex keys', text: '? [a, {b: c}]\n: d\n? - x\n', expect: null },
    { name: 'tabs and colons', text: '\t\t:\n- - - -\n  - : :', expect: 'invalid-yaml' },
    { name: 'CR-only line ends', text: 'apiVersion: v1\rkind: Pod\rmetadata: {name: p}\r', expect: null },
  ];
}

/**
 * Lints every case with `kh` and returns what came back (rules found, or the error), then
 * checks that the same instance still lints a small manifest correctly.
 */
export function runHostile(kh, options = {}) {
  const results = [];
  for (const c of hostileCases(options)) {
    const started = Date.now();
    let result;
    try {
      const report = kh.lint(c.text, c.config);
      const rules = [...new Set(report.findings.map((f) => f.rule))].sort();
      result = {
        name: c.name,
        ok: report.schemaVersion === 1 && (c.expect === null || c.expect.split('|').some((r) => rules.includes(r))),
        rules,
        findings: report.findings.length,
      };
    } catch (e) {
      result = { name: c.name, ok: false, error: `${e?.name}:${e?.code}: ${e?.message}` };
    }
    result.ms = Date.now() - started;
    results.push(result);
  }
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "nginx:1.27", securityContext: {privileged: true}}]\n';
  const at = pod.indexOf('true');
  const expected = `5:${at - pod.lastIndexOf('\n', at)}`;
  const still = kh
    .lint(pod)
    .findings.filter((f) => f.rule === 'pss-privileged')
    .map((f) => `${f.span.start.line}:${f.span.start.column}`);
  return { results, stillWorks: still.join() === expected };
}

/**
 * A wrapper around the real module whose lint traps (wasm `unreachable`), built the way the
 * entries build theirs. The trap must surface as KubehardenError('TRAP') and the instance
 * must be reset so `kh` keeps working.
 */
export function trapAndRecover(kh, glue, createApi) {
  const before = JSON.stringify(kh.lint('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n'));
  const trapping = createApi({ ...glue, lintFiles: () => glue.__trapForTesting() }, { syncSource: () => null });
  let error = 'no error';
  try {
    trapping.lint('a: 1\n');
  } catch (e) {
    error = `${e.name}:${e.code}`;
  }
  const after = JSON.stringify(kh.lint('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n'));
  return { error, recovered: before === after };
}
