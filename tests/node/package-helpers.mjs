// Helpers for the tests of the npm package as users get it: `npm pack`, an offline install into
// a fresh project, the probe manifest every runtime lints, the CLI's results to compare with.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { cli, cliJson, corpusFiles, root } from './helpers.mjs';

export const bin = (name) => join(root, 'node_modules/.bin', name);
export const pkgDir = join(root, 'pkg');

/**
 * The probe: three objects and a broken document, with emoji (surrogate pairs) and CJK before
 * every finding, so a byte or code-point column would differ from the UTF-16 one. Its findings
 * include fixes, Pod Security checks, a suppression with reason and expiry, a defaulted
 * namespace, a duplicate key and a parse error: the whole report shape.
 */
export const PROBE = `# Probe: emoji 😀 and CJK 漢字 (UTF-16 surrogate pairs and BMP) before every finding.
apiVersion: v1
kind: Pod
metadata:
  name: "probe-😀-漢字"
  annotations:
    kubeharden.io/ignore: "image-tag-latest"
    kubeharden.io/ignore-reason: "pinned by digest at deploy — 漢字"
    kubeharden.io/ignore-until: "2999-01-01"
spec:
  hostNetwork: yes
  containers:
  - {name: "app-🚀", image: nginx, securityContext: {privileged: true, readOnlyRootFilesystem: false}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: "web-漢字", namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27
        image: nginx:latest
---
apiVersion: v1
kind: Service
metadata: {name: "😀😀"}
spec: {ports: [{port: 80}]}
---
kind: [unclosed
`;
export const PROBE_NAME = 'probe.yaml';

/**
 * Checks a report of the probe against positions computed here from the JS string, whatever
 * runtime produced it: `privileged: true` sits after a surrogate pair on its line.
 */
export function checkProbePositions(assert, report, text = PROBE) {
  const f = report.findings.find((x) => x.rule === 'pss-privileged');
  assert.ok(f, 'the probe has a pss-privileged finding');
  const offset = text.indexOf('privileged: true') + 'privileged: '.length;
  const lineStart = text.lastIndexOf('\n', offset) + 1;
  assert.equal(f.span.start.offset, offset, 'offset in UTF-16 code units');
  assert.equal(f.span.start.column, offset - lineStart + 1, 'column in UTF-16 code units');
  assert.equal(f.span.start.line, text.slice(0, offset).split('\n').length);
  assert.equal(text.slice(f.span.start.offset, f.span.end.offset), 'true');
  for (const g of report.findings) {
    for (const edit of g.fix?.edits ?? []) assert.ok(edit.start <= edit.end && edit.end <= text.length);
  }
}

/** The CLI's JSON report for the probe, linted under the name `probe.yaml`. */
export function cliProbe() {
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-probe-'));
  try {
    writeFileSync(join(dir, PROBE_NAME), PROBE);
    try {
      return JSON.parse(execFileSync(cli, ['lint', '--format', 'json', PROBE_NAME], { cwd: dir }));
    } catch (e) {
      if (e.status === 1 && e.stdout) return JSON.parse(e.stdout);
      throw e;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The CLI's report for each corpus file alone, and for all of them together, computed once per
 * CLI binary and corpus (cached under tests/.tmp, keyed by their hash) since several runtimes
 * compare against it.
 */
export function cliCorpus() {
  const files = corpusFiles();
  const hash = createHash('sha256');
  hash.update(readFileSync(cli));
  hash.update(new Date().toISOString().slice(0, 10)); // exemptions expire by date
  for (const f of files)
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0');
  const key = hash.digest('hex').slice(0, 16);
  const cacheDir = join(root, 'tests/.tmp');
  const cache = join(cacheDir, `cli-corpus-${key}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8'));
  const result = {
    files,
    each: files.map((f) => cliJson([f])),
    together: cliJson(files),
  };
  mkdirSync(cacheDir, { recursive: true });
  for (const old of readdirSync(cacheDir).filter((f) => /^cli-corpus-[0-9a-f]+\.json$/.test(f))) {
    rmSync(join(cacheDir, old), { force: true });
  }
  const partial = `${cache}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(result));
  renameSync(partial, cache);
  return result;
}

/** The corpus as `{ name, text }` files (names relative to the repository root, as the CLI sees them). */
export function corpusSources(files = corpusFiles()) {
  return files.map((name) => ({ name, text: readFileSync(join(root, name), 'utf8') }));
}

/**
 * `npm pack` of pkg/ and an offline `npm install` of the tarball into a fresh project (the
 * package has no dependencies, so no registry is needed). Returns the project directory, the
 * tarball's file list and a cleanup function.
 */
export function packAndInstall() {
  if (!existsSync(join(pkgDir, 'package.json')))
    throw new Error('pkg/ is not built: run node scripts/build.mjs --pkg-only');
  const work = mkdtempSync(join(tmpdir(), 'kubeharden-pack-'));
  const npmEnv = { ...process.env, npm_config_cache: join(work, '.npm'), npm_config_update_notifier: 'false' };
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: pkgDir, env: npmEnv, encoding: 'utf8' }),
  )[0];
  const tarball = join(work, packed.filename);
  const dir = join(work, 'project');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'probe', private: true, type: 'module' }, null, 2));
  execFileSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball],
    { cwd: dir, env: npmEnv, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    dir,
    tarball,
    packed,
    installed: join(dir, 'node_modules/kubeharden'),
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** Runs a command and returns its stdout; on failure the error carries stdout and stderr. */
export function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  } catch (e) {
    e.message = `${cmd} ${args.join(' ')} failed (${e.status}):\n${e.stderr || ''}\n${String(e.stdout || '').slice(0, 2000)}`;
    throw e;
  }
}

/** Environment for Deno: no update check, no colours, a private cache. */
export function denoEnv(cacheDir) {
  return { ...process.env, DENO_DIR: cacheDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
}

/** The files of tests/node/runtimes (and the probe) copied into an installed project. */
export function addRuntimeFiles(dir) {
  for (const f of ['probe-lib.mjs', 'hostile-lib.mjs', 'probe.mjs', 'probe.cjs', 'worker.js', 'deno-run.mjs']) {
    cpSync(join(root, 'tests/node/runtimes', f), join(dir, f));
  }
  writeFileSync(join(dir, PROBE_NAME), PROBE);
}

/**
 * Bundles `worker.js` of an installed project for a worker platform, as Wrangler does:
 * esbuild with the platform's export conditions, and `.wasm` (or Vercel's `.wasm?module`)
 * imports kept as separate modules that the platform compiles at upload. Returns the output
 * directory and the package files that went into the bundle.
 */
export async function bundleWorker(dir, conditions, outName) {
  const { build } = await import('esbuild');
  const outdir = join(dir, outName);
  const wasmModules = {
    name: 'wasm-modules',
    setup(b) {
      b.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
        const file = join(args.resolveDir, args.path.replace(/\?module$/, ''));
        mkdirSync(outdir, { recursive: true });
        cpSync(file, join(outdir, basename(file)));
        return { path: `./${basename(file)}`, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [join(dir, 'worker.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions,
    mainFields: ['module', 'main'],
    outdir,
    metafile: true,
    logLevel: 'error',
    plugins: [wasmModules],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((p) => p.includes('node_modules/kubeharden/'));
  return {
    outdir,
    inputs: inputs
      .map((p) => p.slice(p.indexOf('node_modules/kubeharden/') + 'node_modules/kubeharden/'.length))
      .sort(),
  };
}

/** Starts a bundled worker in workerd (through miniflare); returns { fetch, dispose }. */
export async function startWorker(outdir) {
  const { Miniflare } = await import('miniflare');
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(outdir, 'worker.js'),
    modulesRoot: outdir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2025-09-01',
  });
  await mf.ready;
  return {
    fetch: (path, init) => mf.dispatchFetch(`http://worker.test${path}`, init),
    dispose: () => mf.dispose(),
  };
}

/** The expected results of the probe in every runtime, except the report and the entry file. */
export function expectedProbe(report, version) {
  return {
    version,
    api: [
      'KubehardenError',
      'default',
      'defaultConfig',
      'explain',
      'fieldAt',
      'fix',
      'lint',
      'ready',
      'readyPolicies',
      'rules',
      'toSarif',
      'version',
    ],
    defaultExport: [
      'KubehardenError',
      'defaultConfig',
      'explain',
      'fieldAt',
      'fix',
      'lint',
      'ready',
      'readyPolicies',
      'rules',
      'toSarif',
      'version',
    ],
    explain: '## pss-privileged',
    explainUnknown: true,
    latestIsDefault: true,
    sarif: { version: '2.1.0', columnKind: 'utf16CodeUnits', results: report.findings.length },
    errors: {
      input: 'KubehardenError:INVALID_INPUT',
      file: 'KubehardenError:INVALID_INPUT',
      config: 'KubehardenError:INVALID_CONFIG',
      rule: 'KubehardenError:INVALID_CONFIG',
      sarif: 'KubehardenError:INVALID_INPUT',
    },
    sameThroughDefault: true,
  };
}

/** The version in Cargo.toml's [workspace.package] (the package's version). */
export function cargoVersion() {
  const m = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/);
  return m?.[1];
}
