// The packed npm package in headless Chromium: a Vite bundle, an esbuild bundle, a plain
// <script type="module"> page with no bundler, and a page under a strict CSP that hands ready()
// the module in each supported form. Each lints the probe exactly as the CLI does; the whole
// corpus gives the CLI's reports, and so does every case of the policy suites (Gatekeeper
// library, kubescape VAPs, Kyverno ValidatingPolicies) with its policies (the engine modules
// fetched only by readyPolicies()); hostile input leaves the instance working.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { celCliReport, celInput, kyvernoCases, vapCases } from '../node/cel-helpers.mjs';
import { root } from '../node/helpers.mjs';
import {
  addRuntimeFiles,
  cargoVersion,
  checkProbePositions,
  cliCorpus,
  cliProbe,
  corpusSources,
  expectedProbe,
  PROBE,
  packAndInstall,
} from '../node/package-helpers.mjs';
import { caseInput, cliReport, gatekeeperCases } from '../node/policy-helpers.mjs';
import { launch, serveDir } from './helpers.mjs';

let env;
let server;
let browser;
let cli;

before(async () => {
  env = packAndInstall();
  addRuntimeFiles(env.dir);
  cpSync(join(root, 'tests/browser/package-app'), join(env.dir, 'app'), { recursive: true });
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: false,
    root: join(env.dir, 'app/vite'),
    base: './',
    logLevel: 'error',
    build: { outDir: join(env.dir, 'vite-dist'), emptyOutDir: true, target: 'es2022' },
  });
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    entryPoints: [join(env.dir, 'app/esbuild/main.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    loader: { '.wasm': 'file' },
    outdir: join(env.dir, 'esbuild-dist'),
    logLevel: 'error',
  });
  cpSync(join(env.dir, 'app/esbuild/index.html'), join(env.dir, 'esbuild-dist/index.html'));
  server = await serveDir(env.dir);
  browser = await launch();
  cli = cliProbe();
});

after(async () => {
  await browser?.close();
  await server?.close();
  env?.cleanup();
});

/** Opens a page and waits for its probe; returns { page, result, failure, errors, violations }. */
async function open(path, base = server.url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // Failed requests are reported below with their URL.
    if (m.type() === 'error' && m.text().startsWith('Failed to load resource')) return;
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(base + path);
  await page.waitForFunction(() => window.result || window.failure, null, { timeout: 60000 });
  const { result, failure, violations } = await page.evaluate(() => ({
    result: window.result,
    failure: window.failure,
    violations: window.violations,
  }));
  return { page, result, failure, errors, violations };
}

function checkProbe(result, where) {
  assert.equal(result.beforeReady, 'KubehardenError:NOT_READY', `${where}: a call before ready()`);
  assert.deepEqual(result.report, cli, `${where}: the probe's report equals the CLI's`);
  checkProbePositions(assert, result.report, PROBE);
  const { report, beforeReady: _b, rules, ...rest } = result;
  assert.deepEqual(rest, expectedProbe(report, cargoVersion()), where);
  assert.ok(rules.includes('pss-privileged'));
}

test('Vite bundle: a bare import, the .wasm emitted by Vite', async () => {
  const { page, result, failure, errors } = await open('vite-dist/');
  assert.equal(failure, undefined);
  checkProbe(result, 'Vite');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Vite dev server: the same app, with dependency pre-bundling', async () => {
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: false,
    root: env.dir,
    cacheDir: join(env.dir, '.vite'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await vite.listen();
  try {
    const { page, result, failure, errors } = await open('app/vite/index.html', vite.resolvedUrls.local[0]);
    assert.equal(failure, undefined);
    checkProbe(result, 'Vite dev server');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await vite.close();
  }
});

test('esbuild bundle: the .wasm URL imported with the file loader', async () => {
  const { page, result, failure, errors } = await open('esbuild-dist/');
  assert.equal(failure, undefined);
  checkProbe(result, 'esbuild');
  assert.deepEqual(errors, []);
  await page.close();
});

test('no bundler: <script type="module"> and an import map', async () => {
  const { page, result, failure, errors } = await open('app/plain.html');
  assert.equal(failure, undefined);
  checkProbe(result, 'plain page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('strict CSP: ready() takes nothing, a URL, a Request, a Response, bytes or a module', async () => {
  for (const source of ['default', 'string', 'url', 'request', 'response', 'bytes', 'arraybuffer', 'module']) {
    const { page, result, failure, errors, violations } = await open(`app/csp.html?source=${source}`);
    assert.equal(failure, undefined, source);
    checkProbe(result, `CSP, ready(${source})`);
    assert.deepEqual(violations, [], `${source}: no CSP violation`);
    assert.deepEqual(errors, [], source);
    await page.close();
  }
  // A .wasm that is not there: a typed error, not a hang or an untyped failure.
  const { page, failure, errors } = await open('app/csp.html?source=missing');
  assert.match(failure, /^KubehardenError:LOAD_FAILED: .*404/);
  assert.match(errors.join(), /HTTP 404 .*no-such\.wasm/);
  await page.close();
});

test('Chromium gives the CLI report for every corpus file, alone and together', async () => {
  const expected = cliCorpus();
  const files = corpusSources(expected.files);
  const { page } = await open('app/plain.html');
  const out = await page.evaluate((sources) => {
    const each = sources.map((file) => window.kh.lint({ files: [file] }));
    return { each, together: window.kh.lint({ files: sources }) };
  }, files);
  let findings = 0;
  for (const [i, file] of files.entries()) {
    assert.deepEqual(out.each[i], expected.each[i], file.name);
    findings += out.each[i].findings.length;
  }
  assert.deepEqual(out.together, expected.together);
  console.log(`Chromium parity: ${files.length} files, ${findings} findings identical to the CLI`);
  await page.close();
});

test('Chromium gives the CLI report for every Gatekeeper library case, and loads the policy module only then', async () => {
  const cases = gatekeeperCases();
  assert.ok(cases.length >= 130, `${cases.length} cases`);
  const inputs = cases.map(caseInput);
  const { page, errors } = await open('app/plain.html');
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname.split('/').pop()));
  const out = await page.evaluate(async (all) => {
    const kh = window.kh;
    const plain = kh.lint({ files: all[0].files });
    const before = performance.getEntriesByType('resource').map((e) => e.name.split('/').pop());
    await kh.readyPolicies();
    return { plain, before, reports: all.map(({ files, policies }) => kh.lint({ files }, { policies })) };
  }, inputs);
  assert.ok(!out.before.includes('kubeharden_policy_bg.wasm'), 'no policy module before the first lint with policies');
  assert.ok(requested.includes('kubeharden_policy_bg.wasm'), 'readyPolicies() fetched the policy module');
  assert.ok(
    out.plain.findings.every((f) => !f.policy),
    'a lint without policies has no policy findings',
  );
  let policyFindings = 0;
  for (const [i, c] of cases.entries()) {
    assert.deepEqual(out.reports[i], cliReport(c), `${c.suite} ${c.test}/${c.case}`);
    policyFindings += out.reports[i].findings.filter((f) => f.policy).length;
  }
  assert.deepEqual(errors, []);
  console.log(`Chromium policy parity: ${cases.length} cases, ${policyFindings} policy findings identical to the CLI`);
  await page.close();
});

test('Chromium gives the CLI report for every kubescape VAP case and every Kyverno ValidatingPolicy suite', async () => {
  const cases = [...vapCases(), ...kyvernoCases()];
  assert.ok(cases.length >= 628 + 31, `${cases.length} cases`);
  const { page, errors } = await open('app/plain.html');
  const reports = await page.evaluate(async (all) => {
    const kh = window.kh;
    await kh.readyPolicies();
    return all.map(({ files, policies }) => kh.lint({ files }, { policies }));
  }, cases.map(celInput));
  let celFindings = 0;
  for (const [i, c] of cases.entries()) {
    assert.deepEqual(reports[i], celCliReport(c), c.name);
    celFindings += reports[i].findings.filter((f) => f.policy?.engine === 'cel').length;
  }
  assert.deepEqual(errors, []);
  console.log(`Chromium CEL parity: ${cases.length} cases, ${celFindings} CEL findings identical to the CLI`);
  await page.close();
});

test('Chromium: hostile input returns findings, a trap restarts the instance', async () => {
  const { page } = await open('app/plain.html');
  const { results, stillWorks } = await page.evaluate(() => window.runHostile());
  for (const r of results) assert.ok(r.ok, JSON.stringify(r));
  assert.ok(stillWorks, 'the same instance still lints correctly');
  assert.deepEqual(await page.evaluate(() => window.trapAndRecover()), {
    error: 'KubehardenError:TRAP',
    recovered: true,
  });
  await page.close();
});
