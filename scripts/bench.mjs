#!/usr/bin/env node
// Benchmarks: lint throughput of the native CLI and of the wasm package under Node, on the
// shared corpus of real manifests and on a 50 MB stream made of them, plus the package's cold
// start, and the language server's re-lint time after an edit (scripts/bench-lsp.mjs).
// Wall-clock times on a shared machine are noisy: compare ratios measured in one run, and use
// `--callgrind` for reproducible instruction counts of the CLI.
//
// Usage: node scripts/bench.mjs [--runs N] [--callgrind] [--peers]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cli, corpusFiles, root, shared } from '../tests/node/helpers.mjs';
import { benchLsp } from './bench-lsp.mjs';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 5;
const withCallgrind = argv.includes('--callgrind');
const withPeers = argv.includes('--peers');

if (!existsSync(cli) || !existsSync(join(root, 'pkg/node.mjs'))) {
  console.error('build first: npm run build && cargo build --profile release-cli -p kubeharden-cli');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => bytes / (1024 * 1024);

function timeCommand(cmd, args, options = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30, ...options });
    times.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`);
  }
  return median(times);
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
const rows = [];
const row = (what, bytes, ms, extra = '') =>
  rows.push({ what, MB: mb(bytes).toFixed(1), ms: ms.toFixed(0), 'MB/s': (mb(bytes) / (ms / 1000)).toFixed(1), extra });

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
  return [median(times), findings];
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

if (withPeers) {
  const t = performance.now();
  const r = spawnSync(
    'checkov',
    ['-d', join(shared, 'corpus/real'), '--framework', 'kubernetes', '--quiet', '--compact'],
    { stdio: 'ignore' },
  );
  const ms = performance.now() - t;
  console.log(
    r.error
      ? 'checkov: not installed (pip install checkov)'
      : `checkov -d corpus --framework kubernetes: ${(ms / 1000).toFixed(1)} s (one run)`,
  );
}
