// The npm package under Node: API shape, errors, hostile input, one instance for many calls.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esm from '../../pkg/node.mjs';
import { root } from './helpers.mjs';
import { runHostile, trapAndRecover } from './runtimes/hostile-lib.mjs';

const require = createRequire(import.meta.url);
const cjs = require(`${root}/pkg/node.cjs`);

const insecure = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: yes
  containers:
  - name: app
    image: nginx
    securityContext:
      privileged: on
`;

test('ESM and CJS entries expose the same API and the same results', async () => {
  for (const api of [esm, cjs]) {
    await api.ready();
    assert.equal(typeof api.version, 'string');
    const report = api.lint(insecure);
    assert.equal(report.schemaVersion, 1);
    const privileged = report.findings.find((f) => f.rule === 'pss-privileged');
    assert.equal(privileged.span.start.line, 11);
    assert.equal(privileged.pss.check, 'privileged');
  }
  assert.deepEqual(esm.lint(insecure), cjs.lint(insecure));
});

test('files are linted together and keep their names', () => {
  const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default}\nautomountServiceAccountToken: false\n';
  const report = esm.lint({
    files: [
      { name: 'pod.yaml', text: insecure },
      { name: 'sa.yaml', text: sa },
    ],
  });
  assert.ok(report.findings.every((f) => ['pod.yaml', 'sa.yaml'].includes(f.resource.source)));
  assert.ok(
    !report.findings.some((f) => f.rule === 'service-account-token-automount'),
    'the ServiceAccount in sa.yaml disables the token',
  );
});

test('config: profile, version and per-rule settings', () => {
  const baseline = esm.lint(insecure, { profile: 'baseline' });
  const inBaseline = new Set(
    esm
      .rules()
      .filter((r) => r.profiles.includes('baseline'))
      .map((r) => r.id),
  );
  assert.ok(baseline.findings.length > 0);
  assert.ok(
    baseline.findings.every((f) => inBaseline.has(f.rule)),
    baseline.findings.map((f) => f.rule).join(),
  );
  assert.ok(!baseline.findings.some((f) => f.rule === 'writable-root-filesystem'));
  const off = esm.lint(insecure, { rules: { 'pss-privileged': 'off' } });
  assert.ok(!off.findings.some((f) => f.rule === 'pss-privileged'));
  const info = esm.lint(insecure, { rules: { 'pss-privileged': 'info' } });
  assert.equal(info.findings.find((f) => f.rule === 'pss-privileged').severity, 'info');
});

test('defaultConfig(): what lint() uses for what a config leaves out', () => {
  const defaults = esm.defaultConfig();
  assert.equal(defaults.profile, 'hardened');
  assert.match(defaults.kubernetesVersion, /^v1\.\d+$/);
  // 'latest' is the default's version, and the default config lints as no config does.
  assert.equal(
    esm.lint(insecure, { kubernetesVersion: 'latest' }).config.kubernetesVersion,
    defaults.kubernetesVersion,
  );
  const today = '2026-01-31';
  assert.deepEqual(esm.lint(insecure, { ...defaults, today }), esm.lint(insecure, { today }));
  // A fresh object each call: changing one changes nothing else.
  defaults.rules['pss-privileged'] = 'off';
  assert.deepEqual(esm.defaultConfig().rules, {});
  assert.deepEqual(cjs.defaultConfig(), esm.defaultConfig());
});

test('errors are typed', () => {
  assert.throws(
    () => esm.lint(insecure, { profile: 'paranoid' }),
    (e) => e instanceof esm.KubehardenError && e.code === 'INVALID_CONFIG',
  );
  assert.throws(
    () => esm.lint(insecure, { rules: { 'no-such-rule': 'off' } }),
    (e) => e.code === 'INVALID_CONFIG' && /no-such-rule/.test(e.message),
  );
  assert.throws(
    () => esm.lint(42),
    (e) => e.code === 'INVALID_INPUT',
  );
  assert.throws(
    () => esm.toSarif({ nope: true }),
    (e) => e.code === 'INVALID_INPUT',
  );
});

test('rules, explain and SARIF', () => {
  const rules = esm.rules();
  assert.ok(rules.length >= 10);
  for (const r of rules) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(r.docs.why.length > 20);
  }
  assert.match(esm.explain('pss-privileged'), /## pss-privileged/);
  assert.equal(esm.explain('nope'), undefined);
  const sarif = esm.toSarif(esm.lint(insecure));
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.some((r) => r.ruleId === 'pss-privileged'));
});

test('UTF-16 columns with emoji and CJK before the finding', () => {
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: "😀漢字"}\nspec:\n  containers: [{name: "🚀", image: "nginx:1.27", securityContext: {privileged: true}}]\n';
  const f = esm.lint(text).findings.find((x) => x.rule === 'pss-privileged');
  const offset = text.lastIndexOf('true');
  assert.equal(f.span.start.offset, offset);
  assert.equal(text.slice(f.span.start.offset, f.span.end.offset), 'true');
  const lineStart = text.lastIndexOf('\n', offset) + 1;
  assert.equal(f.span.start.column, offset - lineStart + 1);
});

test('hostile input returns findings, and the same instance keeps working', () => {
  // The suite every runtime runs (billion laughs, deep nesting, oversized input, junk…).
  const { results, stillWorks } = runHostile(esm);
  for (const r of results) assert.ok(r.ok, JSON.stringify(r));
  assert.ok(stillWorks, 'the same instance still lints correctly');
  // And 10,000 levels of indented mappings: 50 MB of mostly spaces, too big to repeat everywhere.
  let deepBlock = '';
  for (let i = 0; i < 10000; i++) deepBlock += `${' '.repeat(i)}a:\n`;
  assert.ok(esm.lint(deepBlock).findings.some((f) => f.rule === 'input-limit-exceeded'));
  assert.equal(esm.lint(insecure).findings.filter((f) => f.rule === 'pss-privileged').length, 1);
});

test('a trap resets the instance and surfaces as KubehardenError', async () => {
  const glue = await import('../../pkg/kubeharden.js');
  const { createApi } = await import('../../pkg/api.js');
  // The same wrapper the entries use, around the real module, with a lint that traps.
  assert.deepEqual(trapAndRecover(esm, glue, createApi), { error: 'KubehardenError:TRAP', recovered: true });
});

test('Node loads on the first call; ready() accepts a path, a file URL, bytes or a module', () => {
  const wasm = join(root, 'pkg/kubeharden_bg.wasm');
  const cases = {
    'no ready()': '',
    'ready()': 'await kh.ready();',
    'a path': `await kh.ready(${JSON.stringify(wasm)});`,
    'a file URL': `await kh.ready(new URL(${JSON.stringify(pathToFileURL(wasm).href)}));`,
    'a file URL string': `await kh.ready(${JSON.stringify(pathToFileURL(wasm).href)});`,
    bytes: `await kh.ready(readFileSync(${JSON.stringify(wasm)}));`,
    'a module': `await kh.ready(new WebAssembly.Module(readFileSync(${JSON.stringify(wasm)})));`,
    'a promise': `await kh.ready(Promise.resolve(readFileSync(${JSON.stringify(wasm)}).buffer));`,
  };
  for (const [name, setup] of Object.entries(cases)) {
    const script = `import { readFileSync } from 'node:fs'; import * as kh from ${JSON.stringify(pathToFileURL(join(root, 'pkg/node.mjs')).href)};
      ${setup} console.log(kh.lint(${JSON.stringify(insecure)}).findings.filter((f) => f.rule === 'pss-privileged').length);`;
    assert.equal(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim(),
      '1',
      name,
    );
  }
  const missing = `import * as kh from ${JSON.stringify(pathToFileURL(join(root, 'pkg/node.mjs')).href)};
    try { await kh.ready('/no/such/kubeharden.wasm'); } catch (e) { console.log(e.name, e.code); }
    try { await kh.ready(42); } catch (e) { console.log(e.name, e.code); }
    console.log(kh.lint('a: 1').schemaVersion);`;
  assert.deepEqual(
    execFileSync(process.execPath, ['--input-type=module', '-e', missing], { encoding: 'utf8' }).trim().split('\n'),
    ['KubehardenError LOAD_FAILED', 'KubehardenError INVALID_INPUT', '1'],
  );
});

test('arguments are checked before they reach the engine', () => {
  const code = (fn) => {
    try {
      fn();
      return 'ok';
    } catch (e) {
      return `${e instanceof esm.KubehardenError}:${e.code}`;
    }
  };
  assert.equal(
    code(() => esm.lint({ files: [{ name: 7, text: '' }] })),
    'true:INVALID_INPUT',
  );
  assert.equal(
    code(() => esm.lint({ files: 'a' })),
    'true:INVALID_INPUT',
  );
  assert.equal(
    code(() => esm.lint(null)),
    'true:INVALID_INPUT',
  );
  assert.equal(
    code(() => esm.lint('', 'baseline')),
    'true:INVALID_CONFIG',
  );
  assert.equal(
    code(() => esm.lint('', [])),
    'true:INVALID_CONFIG',
  );
  const circular = {};
  circular.self = circular;
  assert.equal(
    code(() => esm.lint('', circular)),
    'true:INVALID_CONFIG',
  );
  assert.equal(
    code(() => esm.lint('', { kubernetesVersion: 'v2.0' })),
    'true:INVALID_CONFIG',
  );
  assert.equal(
    code(() => esm.lint('', { today: 'tomorrow' })),
    'true:INVALID_CONFIG',
  );
  assert.equal(
    code(() => esm.explain(42)),
    'true:INVALID_INPUT',
  );
  assert.equal(
    code(() => esm.toSarif(null)),
    'true:INVALID_INPUT',
  );
  assert.equal(
    code(() => esm.lint({ files: [] })),
    'ok',
  );
  assert.equal(esm.lint({ files: [{ text: 'a: 1' }, { text: 'b: 2' }] }).summary.sources, 2);
});

test('today is filled in from the clock (UTC) unless the config gives it', () => {
  const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {kubeharden.io/ignore: image-tag-latest, kubeharden.io/ignore-until: "2001-01-01"}\nspec:\n  containers: [{name: a, image: nginx}]\n`;
  const rules = (config) => esm.lint(text, config).findings.map((f) => f.rule);
  assert.ok(rules().includes('expired-exemption'), 'expired by the clock');
  assert.ok(!rules({ today: '2000-06-01' }).includes('expired-exemption'));
  assert.ok(!rules({ today: null }).includes('expired-exemption'), 'null: exemptions never expire');
});

test('rules() returns a fresh copy each time', () => {
  const first = esm.rules();
  first[0].id = 'changed';
  first.length = 0;
  assert.notEqual(esm.rules()[0].id, 'changed');
});

test('an exhausted stack or a failed restart surfaces as TRAP; the next call restarts', async () => {
  const { createApi } = await import('../../pkg/api.js');
  let resets = 0;
  let failReset = false;
  const fake = {
    initSync() {},
    __wbg_reset_state() {
      resets += 1;
      if (failReset) throw new Error('no memory');
    },
    lintFiles() {
      throw new RangeError('Maximum call stack size exceeded');
    },
    rules: () => '[]',
  };
  const api = createApi(fake, { syncSource: () => null });
  assert.throws(
    () => api.lint('a: 1'),
    (e) => e.code === 'TRAP' && e.cause instanceof RangeError,
  );
  assert.equal(resets, 1);
  failReset = true;
  assert.throws(
    () => api.lint('a: 1'),
    (e) => e.code === 'TRAP' && /could not be restarted/.test(e.message),
  );
  failReset = false;
  assert.deepEqual(api.rules(), [], 'restarted before the next call');
  assert.equal(resets, 3);
});
