// The package in a Cloudflare Worker (workerd through miniflare, bundled as Wrangler does):
// the CLI's report for every corpus file POSTed as YAML, hostile input, a trap.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { celCliReport, celInput, celSample } from './cel-helpers.mjs';
import {
  addRuntimeFiles,
  bundleWorker,
  cliCorpus,
  corpusSources,
  packAndInstall,
  startWorker,
} from './package-helpers.mjs';
import { caseInput, cliReport, gatekeeperCases } from './policy-helpers.mjs';

let env;
let worker;

before(async () => {
  env = packAndInstall();
  addRuntimeFiles(env.dir);
  const { outdir } = await bundleWorker(env.dir, ['workerd', 'worker', 'browser'], 'dist');
  worker = await startWorker(outdir);
});

after(async () => {
  await worker?.dispose();
  env?.cleanup();
});

test('workerd gives the CLI report for every corpus file, alone and together', async () => {
  const expected = cliCorpus();
  const files = corpusSources(expected.files);
  let findings = 0;
  for (const [i, file] of files.entries()) {
    const res = await worker.fetch('/lint', { method: 'POST', body: file.text, headers: { 'x-name': file.name } });
    assert.equal(res.status, 200, file.name);
    const report = await res.json();
    assert.deepEqual(report, expected.each[i], file.name);
    findings += report.findings.length;
  }
  const res = await worker.fetch('/lint', {
    method: 'POST',
    body: JSON.stringify({ files }),
    headers: { 'content-type': 'application/json' },
  });
  assert.deepEqual(await res.json(), expected.together);
  console.log(`workerd parity: ${files.length} files, ${findings} findings identical to the CLI`);
});

test('workerd: hostile input returns findings and the instance keeps working', async () => {
  const { results, stillWorks } = await (await worker.fetch('/hostile')).json();
  for (const r of results) assert.ok(r.ok, JSON.stringify(r));
  assert.ok(stillWorks, 'the same instance still lints correctly');
});

test('workerd: a trap surfaces as KubehardenError and restarts the instance', async () => {
  assert.deepEqual(await (await worker.fetch('/trap')).json(), { error: 'KubehardenError:TRAP', recovered: true });
});

test('workerd gives the CLI report for every Gatekeeper library case', async () => {
  const cases = gatekeeperCases();
  for (const c of cases) {
    const { files, policies } = caseInput(c);
    const res = await worker.fetch('/lint', {
      method: 'POST',
      body: JSON.stringify({ files, config: { policies } }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 200, c.object);
    assert.deepEqual(await res.json(), cliReport(c), `${c.suite} ${c.test}/${c.case}`);
  }
  console.log(`workerd policy parity: ${cases.length} cases identical to the CLI`);
});

test('workerd gives the CLI report for every CEL policy (a kubescape case per VAP, every Kyverno suite)', async () => {
  const cases = celSample();
  for (const c of cases) {
    const { files, policies } = celInput(c);
    const res = await worker.fetch('/lint', {
      method: 'POST',
      body: JSON.stringify({ files, config: { policies } }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 200, c.name);
    assert.deepEqual(await res.json(), celCliReport(c), c.name);
  }
  console.log(`workerd CEL parity: ${cases.length} cases identical to the CLI`);
});
