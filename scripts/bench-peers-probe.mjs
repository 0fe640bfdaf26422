// One in-process lint of the shared corpus in a fresh Node process, for scripts/bench-peers.mjs:
// a library's peak memory is only its own in a process that loaded nothing else.
//
// Usage: node scripts/bench-peers-probe.mjs kubeharden|monokle MONOKLE_DIR WARM_RUNS
// Prints one JSON line: the findings of the first lint, the median of WARM_RUNS further lints
// (ms, 0 runs: null) and the process's peak resident set (KB), or the error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { corpusFiles, root } from '../tests/node/helpers.mjs';

const [tool, monokleDir, warmArg] = process.argv.slice(2);
const warmRuns = Number(warmArg) || 0;
const texts = corpusFiles().map((name) => ({ name, text: readFileSync(join(root, name), 'utf8') }));

/** @returns {Promise<() => Promise<number>>} a function that lints the corpus once and returns the finding count */
async function kubeharden() {
  const { lint } = await import('../pkg/node.mjs');
  return async () => lint({ files: texts }).findings.length;
}

// Monokle's own offline plugins. Its other core plugins download what they run on:
// kubernetes-schema the Kubernetes JSON schemas, open-policy-agent its policy (trivy.wasm) and
// admission-policy its CEL engine (cel.wasm.gz), all from plugins.monokle.com or GitHub;
// metadata only asks for the recommended app.kubernetes.io labels, which is not hardening.
const monoklePlugins = {
  'yaml-syntax': true,
  'pod-security-standards': true,
  practices: true,
  'resource-links': true,
};

async function monokle() {
  const m = await import(pathToFileURL(join(monokleDir, 'node_modules/@monokle/validation/lib/node.js')).href);
  const { parseAllDocuments } = await import(pathToFileURL(join(monokleDir, 'node_modules/yaml/dist/index.js')).href);
  const parser = new m.ResourceParser();
  const validator = new m.MonokleValidator({
    loader: new m.RemotePluginLoader(),
    parser,
    schemaLoader: new m.SchemaLoader(),
    suppressors: [new m.AnnotationSuppressor(), new m.FingerprintSuppressor()],
    fixer: new m.DisabledFixer(),
  });
  await validator.preload({ plugins: monoklePlugins });
  const failed = validator.getFailedPlugins();
  if (failed.length) throw new Error(`monokle: plugins failed to load: ${failed.join(', ')}`);
  // A plugin whose run throws is left out of the report without a word (Promise.allSettled):
  // record it, so a broken run is reported instead of timed.
  const errors = [];
  for (const plugin of validator.getPlugins()) {
    const validate = plugin.validate.bind(plugin);
    plugin.validate = (...args) =>
      validate(...args).catch((e) => {
        errors.push(`${plugin.metadata.name}: ${e?.stack ?? e}`);
        throw e;
      });
  }
  let pass = 0;
  return async () => {
    pass++;
    // Monokle takes resources, not files: split them as its parser package does
    // (@monokle/parser extractK8sResources: one resource per document with apiVersion and kind),
    // the .json files too (JSON is YAML), so that it reads what the other tools read.
    const resources = [];
    for (const [f, { name, text }] of texts.entries()) {
      for (const [d, doc] of parseAllDocuments(text).entries()) {
        const content = doc.toJS();
        if (doc.errors.length || !content?.apiVersion || !content.kind) continue;
        resources.push({
          id: `${pass}-${f}-${d}`,
          fileId: name,
          filePath: name,
          fileOffset: 0,
          name: content.metadata?.name ?? name,
          apiVersion: content.apiVersion,
          kind: content.kind,
          namespace: content.metadata?.namespace,
          content,
          text: doc.toString({ directives: false }),
        });
      }
    }
    m.processRefs(resources, parser);
    const response = await validator.validate({ resources });
    parser.clear();
    if (errors.length) throw new Error(`monokle: ${errors.join('\n')}`);
    return response.runs[0].results.length;
  };
}

try {
  const run = await (tool === 'monokle' ? monokle() : kubeharden());
  const findings = await run();
  const times = [];
  for (let i = 0; i < warmRuns; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      findings,
      warmMs: warmRuns ? times[Math.floor(warmRuns / 2)] : null,
      peakKb: process.resourceUsage().maxRSS,
    }),
  );
} catch (e) {
  // The message, not the end of a stack trace, is what the benchmark prints.
  console.log(JSON.stringify({ error: String(e?.message ?? e) }));
  process.exitCode = 1;
}
