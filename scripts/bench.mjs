#!/usr/bin/env node
// Benchmarks: lint throughput of the native CLI and of the wasm package under Node, on the
// shared corpus of real manifests and on a 50 MB stream made of them, the package's cold
// start, peak memory against input size (the CLI's peak resident set, the wasm module's memory)
// on the corpus and on one key repeated 100,000 and 200,000 times, and the language server's
// re-lint time after an edit (scripts/bench-lsp.mjs); `--peers` adds Checkov and Monokle on the
// corpus, measured in the same run (scripts/bench-peers.mjs), `--peers-only` runs only that.
// Wall-clock times on a shared machine are noisy: compare ratios measured in one run, and use
// `--callgrind` for reproducible instruction counts of the CLI.
//
// Usage: node scripts/bench.mjs [--runs N] [--callgrind] [--peers | --peers-only]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cli, corpusFiles, root, shared } from '../tests/node/helpers.mjs';
import { hostileCases, repeatedKey } from '../tests/node/runtimes/hostile-lib.mjs';
import { benchLsp } from './bench-lsp.mjs';
import { benchPeers } from './bench-peers.mjs';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 5;
const withCallgrind = argv.includes('--callgrind');
const withPeers = argv.includes('--peers');

if (!existsSync(cli) || !existsSync(join(root, 'pkg/node.mjs'))) {
  console.error('build first: npm run build && cargo build --profile release-cli -p kubeharden-cli');
  process.exit(2);
}
if (argv.includes('--peers-only')) {
  await benchPeers(runs);
  process.exit(0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MiB = 1024 * 1024;
const mb = (bytes) => bytes / MiB;

const timeTool = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));

/** Median wall time of `runs` runs, and the peak resident set of one more run under GNU time. */
function timeCommand(cmd, args, options = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30, ...options });
    times.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`);
  }
  let peak = Number.NaN;
  if (timeTool) {
    const r = spawnSync(timeTool, ['-f', '%M', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    peak = Number(String(r.stderr).trim().split('\n').pop()) * 1024;
  }
  return { ms: median(times), peak };
}

const files = corpusFiles();
const texts = files.map((name) => ({ name, text: readFileSync(join(root, name), 'utf8') }));
const corpusBytes = texts.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

// A 50 MB stream of real manifests: every corpus document, repeated.
const docs = texts.filter((f) => /\.ya?ml$/.test(f.name)).map((f) => f.text.replace(/\n?$/, '\n'));
let stream = '';
while (Buffer.byteLength(stream) < 50 * 1024 * 1024) stream += docs.map((d) => `---\n${d}`).join('');
const dir = mkdtempSync(join(tmpdir(), 'kubeharden-bench-'));
const streamPath = join(dir, 'stream.yaml');
writeFileSync(streamPath, stream);
const streamBytes = Buffer.byteLength(stream);

const { lint } = await import('../pkg/node.mjs');
const glue = await import('../pkg/kubeharden.js');
const rows = [];
// Peak memory beside each time: the CLI's peak resident set, and the wasm instance's memory
// after the runs (it never shrinks, so it is the instance's peak so far).
const row = (what, bytes, { ms, peak }, extra = '') =>
  rows.push({
    what,
    MB: mb(bytes).toFixed(1),
    ms: ms.toFixed(0),
    'MB/s': (mb(bytes) / (ms / 1000)).toFixed(1),
    'peak MB': Number.isNaN(peak) ? 'n/a' : mb(peak).toFixed(0),
    extra,
  });

// Native CLI (whole process: read, parse in parallel, lint, JSON out).
row(
  'CLI, corpus (352 files, one run)',
  corpusBytes,
  timeCommand(cli, ['lint', '--format', 'json', ...files], { cwd: root }),
);
// As a new user runs it: a directory, the text report (findings with source lines and carets).
row('CLI, lint <corpus dir> (text)', corpusBytes, timeCommand(cli, ['lint', join(shared, 'corpus/real')]));
row('CLI, 50 MB stream', streamBytes, timeCommand(cli, ['lint', '--format', 'json', streamPath]));

// wasm under Node (lint + JSON.parse of the report, instance already warm).
function timeWasm(input) {
  lint(input);
  const times = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    findings = lint(input).findings.length;
    times.push(performance.now() - t);
  }
  const peak = glue.initSync({ module: new Uint8Array() }).memory.buffer.byteLength;
  return [{ ms: median(times), peak }, findings];
}
const [wCorpus, fCorpus] = timeWasm({ files: texts });
row('wasm/Node, corpus', corpusBytes, wCorpus, `${fCorpus} findings`);
const [wStream, fStream] = timeWasm({ files: [{ name: 'stream.yaml', text: stream }] });
row('wasm/Node, 50 MB stream', streamBytes, wStream, `${fStream} findings`);

// Cold start: a new Node process imports the package and lints one document.
const probe = join(dir, 'cold.mjs');
writeFileSync(
  probe,
  `const t0 = performance.now();
const { lint } = await import(${JSON.stringify(join(root, 'pkg/node.mjs'))});
const t1 = performance.now();
lint('apiVersion: v1\\nkind: Pod\\nmetadata: {name: p}\\nspec:\\n  containers: [{name: a, image: nginx:1.27}]\\n');
const t2 = performance.now();
console.log(JSON.stringify({ instantiate: t1 - t0, firstLint: t2 - t1 }));`,
);
const cold = [];
for (let i = 0; i < runs; i++) cold.push(JSON.parse(execFileSync(process.execPath, [probe], { encoding: 'utf8' })));
const coldImport = median(cold.map((c) => c.instantiate));
const coldLint = median(cold.map((c) => c.firstLint));

console.log(
  `\nkubeharden benchmark (median of ${runs} runs; corpus ${files.length} files, ${mb(corpusBytes).toFixed(2)} MB)\n`,
);
console.table(rows);
console.log(
  `cold start (Node): import + instantiate ${coldImport.toFixed(1)} ms, first lint ${coldLint.toFixed(1)} ms`,
);

// Peak memory: the CLI's peak resident set (GNU time), less the same process on a tiny input,
// and the wasm module's memory after one lint in a fresh Node process (wasm memory never
// shrinks, so that is the lint's peak). Deterministic for wasm; the CLI's varies by a page.
// Every benchmark input and every hostile input of the runtime tests (with the config each is
// linted with there); the report's size is shown beside, since a report can outweigh its input
// (3,000 Deployments with a dozen findings each).
const memoryInputs = [
  ['corpus (one stream)', docs.map((d) => `---\n${d}`).join('')],
  ['50 MB stream', stream],
  ['one key repeated 100,000 times', repeatedKey(100000)],
  ['one key repeated 200,000 times', repeatedKey(200000)],
  ...hostileCases().map((c) => [`hostile: ${c.name}`, c.text, c.config]),
];
const tiny = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
function cliPeakKb(file) {
  const r = spawnSync(timeTool, ['-f', '%M', cli, 'lint', '--no-config', '--format', 'json', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  return Number(r.stderr.trim().split('\n').pop());
}
const wasmProbe = join(dir, 'memory.mjs');
writeFileSync(
  wasmProbe,
  `import { readFileSync } from 'node:fs';
const { lint } = await import(${JSON.stringify(join(root, 'pkg/node.mjs'))});
const glue = await import(${JSON.stringify(join(root, 'pkg/kubeharden.js'))});
lint(${JSON.stringify(tiny)});
const memory = glue.initSync({ module: new Uint8Array() }).memory;
const before = memory.buffer.byteLength;
const config = process.argv[3] ? JSON.parse(process.argv[3]) : undefined;
const report = lint(readFileSync(process.argv[2], 'utf8'), config);
console.log(JSON.stringify({ growth: memory.buffer.byteLength - before, report: JSON.stringify(report).length }));`,
);
const memoryRows = [];
const tinyPath = join(dir, 'tiny.yaml');
writeFileSync(tinyPath, tiny);
const cliBase = timeTool ? cliPeakKb(tinyPath) : 0;
for (const [what, text, config] of memoryInputs) {
  const file = join(dir, 'memory.yaml');
  writeFileSync(file, text);
  const bytes = Buffer.byteLength(text);
  const probeArgs = [wasmProbe, file, config ? JSON.stringify(config) : ''];
  const { growth: wasmGrowth, report } = JSON.parse(execFileSync(process.execPath, probeArgs, { encoding: 'utf8' }));
  const cliGrowth = timeTool ? (cliPeakKb(file) - cliBase) * 1024 : NaN;
  memoryRows.push({
    input: what,
    'input MB': mb(bytes).toFixed(2),
    'report MB': mb(report).toFixed(2),
    'CLI peak RSS +MB': timeTool ? mb(cliGrowth).toFixed(1) : 'n/a (no GNU time)',
    'CLI ×input': timeTool ? (cliGrowth / bytes).toFixed(1) : '',
    'wasm memory +MB': mb(wasmGrowth).toFixed(1),
    'wasm ×input': (wasmGrowth / bytes).toFixed(1),
    // Issue 18's bound: 10 times the input plus a small constant (1 MiB here), for both.
    '≤ 10×input + 1 MiB': [cliGrowth, wasmGrowth].every((g) => !(g > 10 * bytes + MiB)) ? 'yes' : 'no',
  });
}
console.log('\npeak memory (growth over a tiny input):');
console.table(memoryRows);
const lsp = await benchLsp();
console.log(
  `language server, edit to diagnostics of a ${lsp.lines}-line manifest (debounce off): ` +
    `alone ${lsp.single.median.toFixed(1)} ms median, ${lsp.single.p95.toFixed(1)} ms p95; ` +
    `inside the corpus folder (352 files) ${lsp.corpus.median.toFixed(1)} ms median, ${lsp.corpus.p95.toFixed(1)} ms p95`,
);

if (withCallgrind) {
  const r = spawnSync(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', cli, 'lint', '--format', 'json', ...files],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const m = r.stderr.match(/Collected : (\d+)/);
  console.log(`callgrind: CLI on the corpus = ${m ? Number(m[1]).toLocaleString('en') : '?'} instructions`);
}

if (withPeers) await benchPeers(runs);
