// The npm package as users get it: `npm pack`, an offline install into a fresh project, then
// the same probe from Node ESM, Node CJS, Deno, Cloudflare Workers (workerd) and the Vercel
// Edge entry, each giving the CLI's report; the export map; TypeScript consumers.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root } from './helpers.mjs';
import {
  addRuntimeFiles,
  bin,
  bundleWorker,
  cargoVersion,
  checkProbePositions,
  cliProbe,
  denoEnv,
  expectedProbe,
  PROBE,
  packAndInstall,
  run,
  startWorker,
} from './package-helpers.mjs';

let env;
let cli;
let rulesFromNode;

before(() => {
  env = packAndInstall();
  addRuntimeFiles(env.dir);
  cli = cliProbe();
});

after(() => env?.cleanup());

/** The probe's result from one runtime must match the CLI and the expectations. */
function checkProbe(result, runtime, { entry, beforeReady }) {
  assert.ok(result.entry.endsWith(`node_modules/kubeharden/${entry}`), `${runtime} resolved ${result.entry}`);
  assert.equal(result.beforeReady, beforeReady, `${runtime}: a call before ready()`);
  assert.deepEqual(result.report, cli, `${runtime}: the probe's report equals the CLI's`);
  checkProbePositions(assert, result.report, PROBE);
  const { report, entry: _entry, beforeReady: _before, rules, ...rest } = result;
  assert.deepEqual(rest, expectedProbe(report, cargoVersion()), runtime);
  rulesFromNode ??= rules;
  assert.deepEqual(rules, rulesFromNode, `${runtime}: rules()`);
}

test('the tarball holds the package, and nothing else', () => {
  const files = env.packed.files.map((f) => f.path).sort();
  const manifest = JSON.parse(readFileSync(join(env.installed, 'package.json'), 'utf8'));
  assert.deepEqual(files, [...manifest.files, 'package.json'].sort());
  assert.equal(manifest.name, 'kubeharden');
  assert.equal(manifest.version, cargoVersion());
  assert.equal(manifest.license, 'Apache-2.0');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'scripts']) {
    assert.equal(manifest[field], undefined, `package.json has no ${field}`);
  }
  // Every target of the export map, and every relative import of every entry, is shipped.
  const targets = new Set();
  const walk = (v) => (typeof v === 'string' ? targets.add(v.replace(/^\.\//, '')) : Object.values(v).forEach(walk));
  walk(manifest.exports);
  for (const t of [manifest.main, manifest.module, manifest.browser, manifest.types])
    targets.add(t.replace(/^\.\//, ''));
  for (const t of targets) assert.ok(files.includes(t), `${t} is in the tarball`);
  for (const file of files.filter((f) => /\.(c|m)?js$/.test(f))) {
    const code = readFileSync(join(env.installed, file), 'utf8');
    for (const [, spec] of code.matchAll(/(?:from|import)\s*\(?\s*['"](\.\.?\/[^'"]+)['"]/g)) {
      assert.ok(files.includes(spec.replace(/^\.\//, '').replace(/\?module$/, '')), `${file} imports ${spec}`);
    }
    assert.ok(!code.includes('__KUBEHARDEN_VERSION__'), `${file}: version stamped`);
    assert.ok(!/AGFzbQ|data:application\/wasm/.test(code), `${file}: no inline wasm`);
  }
});

test('entries have no top-level await (they load in every bundler and runtime)', async () => {
  const { transform } = await import('esbuild');
  for (const file of [
    'browser.js',
    'node.mjs',
    'workerd.js',
    'edge-light.js',
    'api.js',
    'kubeharden.js',
    'node-local.js',
  ]) {
    const code = readFileSync(join(env.installed, file), 'utf8');
    // CommonJS output cannot express top-level await: esbuild refuses it.
    await assert.doesNotReject(transform(code, { format: 'cjs', logLevel: 'silent' }), file);
  }
});

test('export conditions pick the entry each platform needs', async () => {
  const { build } = await import('esbuild');
  const resolveWith = async (conditions, kind = 'import') => {
    const result = await build({
      stdin: { contents: kind === 'import' ? "import 'kubeharden';" : "require('kubeharden');", resolveDir: env.dir },
      bundle: true,
      write: false,
      platform: 'neutral',
      conditions,
      mainFields: ['module', 'main'],
      external: ['*.wasm', '*.wasm?module', 'node:*'],
      metafile: true,
      logLevel: 'silent',
    });
    const entry = Object.keys(result.metafile.inputs).find(
      (p) =>
        /node_modules\/kubeharden\/[^/]+$/.test(p) &&
        !/(api|data-files|kubeharden|kubeharden_policy|kubeharden_cel|node-local)\.js$/.test(p),
    );
    return entry.split('/').pop();
  };
  // Conditions as each tool passes them (esbuild adds import/require and default itself).
  assert.equal(await resolveWith(['workerd', 'worker', 'browser']), 'workerd.js', 'Wrangler / Cloudflare');
  assert.equal(
    await resolveWith(['edge-light', 'worker', 'browser']),
    'edge-light.js',
    'Vercel Edge / Next.js middleware',
  );
  assert.equal(await resolveWith(['deno', 'node']), 'browser.js', 'Deno');
  assert.equal(await resolveWith(['browser', 'module']), 'browser.js', 'Vite, webpack, esbuild for browsers');
  assert.equal(await resolveWith(['node']), 'node.mjs', 'bundlers targeting Node (import)');
  assert.equal(await resolveWith(['node'], 'require'), 'node.cjs', 'bundlers targeting Node (require)');
  assert.equal(await resolveWith([]), 'browser.js', 'any other ESM platform');
  assert.equal(await resolveWith([], 'require'), 'node.cjs', 'any other CommonJS platform');
});

test('Node ESM: import from the installed package', () => {
  const result = JSON.parse(run(process.execPath, ['probe.mjs'], { cwd: env.dir }));
  checkProbe(result, 'Node ESM', { entry: 'node.mjs', beforeReady: 'ok' });
});

test('Node CommonJS: require from the installed package', () => {
  const result = JSON.parse(run(process.execPath, ['probe.cjs'], { cwd: env.dir }));
  checkProbe(result, 'Node CJS', { entry: 'node.cjs', beforeReady: 'ok' });
});

test('Deno: import through node_modules, the .wasm fetched by URL', () => {
  const args = ['run', '--allow-read', '--no-lock', '--no-prompt', 'probe.mjs'];
  const result = JSON.parse(run(bin('deno'), args, { cwd: env.dir, env: denoEnv(join(env.dir, '.deno')) }));
  checkProbe(result, 'Deno', { entry: 'browser.js', beforeReady: 'KubehardenError:NOT_READY' });
});

test('Cloudflare Workers and Vercel Edge entries in workerd: POST YAML, get JSON', async () => {
  for (const [conditions, entry] of [
    [['workerd', 'worker', 'browser'], 'workerd.js'],
    [['edge-light', 'worker', 'browser'], 'edge-light.js'],
  ]) {
    const bundle = await bundleWorker(env.dir, conditions, `dist-${entry.replace('.js', '')}`);
    assert.ok(bundle.inputs.includes(entry), `${entry} bundled: ${bundle.inputs}`);
    const worker = await startWorker(bundle.outdir);
    try {
      const res = await worker.fetch('/lint', { method: 'POST', body: PROBE, headers: { 'x-name': 'probe.yaml' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /application\/json/);
      assert.deepEqual(await res.json(), cli, `${entry}: the report equals the CLI's`);
      const result = await (await worker.fetch('/probe', { method: 'POST', body: PROBE })).json();
      checkProbe({ ...result, entry: `node_modules/kubeharden/${entry}` }, `workerd (${entry})`, {
        entry,
        beforeReady: 'ok',
      });
      const bad = await worker.fetch('/lint', {
        method: 'POST',
        body: JSON.stringify({ files: [{ name: 'a.yaml', text: 'a: 1' }], config: { profile: 'nope' } }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(bad.status, 400);
      assert.equal((await bad.json()).error.code, 'INVALID_CONFIG');
    } finally {
      await worker.dispose();
    }
  }
});

test('TypeScript consumers type-check: ESM and CJS (nodenext), bundler and node10 resolution', () => {
  const consumer = readFileSync(join(root, 'tests/node/runtimes/consumer.ts'), 'utf8');
  for (const name of ['consumer.mts', 'consumer.cts', 'consumer-bundler.ts', 'consumer-node10.ts']) {
    writeFileSync(join(env.dir, name), consumer);
  }
  const strict = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', types: [] };
  const configs = {
    // Node without the DOM lib or @types/node: the package's types must stand on their own.
    'tsconfig.nodenext.json': {
      ...strict,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022'],
      files: ['consumer.mts', 'consumer.cts'],
    },
    'tsconfig.bundler.json': {
      ...strict,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      files: ['consumer-bundler.ts'],
    },
    'tsconfig.node10.json': {
      ...strict,
      module: 'commonjs',
      moduleResolution: 'node10',
      esModuleInterop: true,
      lib: ['es2022', 'dom'],
      files: ['consumer-node10.ts'],
    },
  };
  for (const [file, { files, ...compilerOptions }] of Object.entries(configs)) {
    writeFileSync(join(env.dir, file), JSON.stringify({ compilerOptions, files }, null, 2));
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', file], { cwd: env.dir });
  }
  // The resolved declaration files are the ones the export map names.
  const traced = run(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.nodenext.json', '--traceResolution'],
    { cwd: env.dir },
  );
  assert.match(traced, /'kubeharden' was successfully resolved to '[^']*node_modules\/kubeharden\/index\.d\.ts'/);
  assert.match(traced, /'kubeharden' was successfully resolved to '[^']*node_modules\/kubeharden\/index\.d\.cts'/);
});
