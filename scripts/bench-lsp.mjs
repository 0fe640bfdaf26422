// Language server benchmark: how long after an edit the diagnostics of a 1,000-line manifest
// come back (debounce off, so the time is the server's: apply the change, parse, lint the
// folder, convert, send), alone in its folder and inside the whole shared corpus as the
// workspace (cross-file rules over 352 files).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient, uriOf } from '../tests/lsp/client.mjs';
import { shared } from '../tests/node/helpers.mjs';

/** A 1,000-line file of real manifests: the microservices demo, completed from the corpus. */
export function thousandLines() {
  const demo = readFileSync(
    join(shared, 'corpus/real/GoogleCloudPlatform_microservices-demo/release/kubernetes-manifests.yaml'),
    'utf8',
  );
  const more = readFileSync(
    join(shared, 'corpus/real/GoogleCloudPlatform_microservices-demo/release/istio-manifests.yaml'),
    'utf8',
  );
  const lines = `${demo.trimEnd()}\n---\n${more}`.split('\n');
  return `${lines.slice(0, 1000).join('\n')}\n`;
}

/** Median and 95th percentile of the edit-to-diagnostics time, in ms. */
async function measure(rootDir, path, text, runs) {
  const client = new LspClient();
  try {
    await client.initialize({ rootDir, initializationOptions: { debounceMs: 0 } });
    const uri = uriOf(path);
    client.open(path, text);
    await client.diagnostics(uri, { since: 0, timeout: 60000 });
    // Typing on the first image line: its tag toggles between `latest` and a version, so
    // every change changes the diagnostics (a finding comes and goes).
    const lines = text.split('\n');
    const line = lines.findIndex((l) => /image: \S+:v?[0-9.]+$/.test(l));
    const tagAt = lines[line].lastIndexOf(':') + 1;
    const tag = lines[line].slice(tagAt);
    const times = [];
    for (let version = 2; version < runs + 2; version++) {
      const [from, to] = version % 2 === 0 ? [tag, 'latest'] : ['latest', tag];
      const since = client.notifications.length;
      const t = performance.now();
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          { range: { start: { line, character: tagAt }, end: { line, character: tagAt + from.length } }, text: to },
        ],
      });
      await client.diagnostics(uri, { since, version, timeout: 60000 });
      times.push(performance.now() - t);
    }
    await client.stop();
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)] };
  } finally {
    client.kill();
  }
}

export async function benchLsp(runs = 40) {
  const text = thousandLines();
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-bench-lsp-'));
  try {
    const alone = join(dir, 'manifests.yaml');
    writeFileSync(alone, text);
    const single = await measure(dir, alone, text, runs);
    // The same file opened inside the corpus folder (as if saved there): 352 other files count.
    const inCorpus = join(shared, 'corpus/real/GoogleCloudPlatform_microservices-demo/release/bench-1000-lines.yaml');
    const corpus = await measure(join(shared, 'corpus/real'), inCorpus, text, Math.max(10, runs / 4));
    return { lines: text.split('\n').length - 1, single, corpus };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
