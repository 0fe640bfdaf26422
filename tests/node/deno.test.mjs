// The package under Deno (the `deno` condition: the .wasm fetched by URL): the CLI's report for
// every corpus file, hostile input, a trap that restarts the instance.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { celCliReport, celInput, celSample } from './cel-helpers.mjs';
import { root } from './helpers.mjs';
import { bin, cliCorpus, corpusSources, denoEnv, run } from './package-helpers.mjs';
import { caseInput, cliReport, gatekeeperCases } from './policy-helpers.mjs';

const cache = mkdtempSync(join(tmpdir(), 'kubeharden-deno-'));
after(() => rmSync(cache, { recursive: true, force: true }));

const entry = pathToFileURL(join(root, 'pkg/browser.js')).href;

function deno(mode, input) {
  const script = join(root, 'tests/node/runtimes/deno-run.mjs');
  const args = ['run', '--allow-read', '--no-lock', '--no-prompt', script, entry, mode];
  return JSON.parse(run(bin('deno'), args, { cwd: root, input, env: denoEnv(cache) }));
}

test('Deno gives the CLI report for every corpus file, alone and together', () => {
  const expected = cliCorpus();
  const files = corpusSources(expected.files);
  const out = deno('corpus', JSON.stringify(files));
  let findings = 0;
  for (const [i, file] of files.entries()) {
    assert.deepEqual(out.each[i], expected.each[i], file.name);
    findings += out.each[i].findings.length;
  }
  assert.deepEqual(out.together, expected.together);
  console.log(`Deno parity: ${files.length} files, ${findings} findings identical to the CLI`);
});

test('Deno: hostile input returns findings and the instance keeps working', () => {
  const { results, stillWorks } = deno('hostile');
  for (const r of results) assert.ok(r.ok, JSON.stringify(r));
  assert.ok(stillWorks, 'the same instance still lints correctly');
});

test('Deno: a trap surfaces as KubehardenError and restarts the instance', () => {
  assert.deepEqual(deno('trap'), { error: 'KubehardenError:TRAP', recovered: true });
});

test('Deno gives the CLI report for every Gatekeeper library case (policy module fetched by readyPolicies)', () => {
  const cases = gatekeeperCases();
  const out = deno('policies', JSON.stringify(cases.map(caseInput)));
  assert.equal(out.beforeReady, 'NOT_READY');
  for (const [i, c] of cases.entries())
    assert.deepEqual(out.reports[i], cliReport(c), `${c.suite} ${c.test}/${c.case}`);
  console.log(`Deno policy parity: ${cases.length} cases identical to the CLI`);
});

test('Deno gives the CLI report for every CEL policy (a kubescape case per VAP, every Kyverno suite; CEL module alone first)', () => {
  const cases = celSample();
  const out = deno('cel-policies', JSON.stringify(cases.map(celInput)));
  assert.deepEqual(out.first, celCliReport(cases[0]));
  assert.equal(out.regoBeforeReady, 'NOT_READY');
  for (const [i, c] of cases.entries()) assert.deepEqual(out.reports[i], celCliReport(c), c.name);
  console.log(`Deno CEL parity: ${cases.length} cases identical to the CLI`);
});
