#!/usr/bin/env node
// Builds the wasm package into pkg/ and the web page into web/dist/.
//
//   cargo build (wasm32, release) → wasm-bindgen --target web → wasm-opt (npm binaryen)
//   → pkg/: the .wasm, the glue, the hand-written entries, index.d.ts, package.json, and the
//     rules' docs (rule-docs.json, generated from the registry; the .wasm is built without them)
//
// Usage: node scripts/build.mjs [--pkg-only] [--web-only] [--js-only] [--wasm-profile]
//   --js-only:      only regenerate pkg/'s JS entries, types and package.json from pkg/entries
//                   (keeps the built .wasm and glue; for work on the entries)
//   --wasm-profile: also print what takes the bytes of the .wasm (by crate, module and
//                   function, after the same wasm-opt pass, names kept in a side copy)

import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const args = new Set(process.argv.slice(2));

function run(cmd, argv, opts = {}) {
  const started = Date.now();
  execFileSync(cmd, argv, { stdio: 'inherit', cwd: root, ...opts });
  return Date.now() - started;
}

function version() {
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const m = cargo.match(/\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/);
  if (!m) throw new Error('no [workspace.package] version in Cargo.toml');
  return m[1];
}

function wasmBindgenVersion() {
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const m = cargo.match(/wasm-bindgen\s*=\s*"=([0-9.]+)"/);
  if (!m) throw new Error('wasm-bindgen must be pinned exactly in Cargo.toml');
  return m[1];
}

export function buildPkg({ jsOnly = false, wasmProfile = false } = {}) {
  if (!jsOnly) buildWasm({ wasmProfile });
  buildEntries();
}

function buildWasm({ wasmProfile }) {
  run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '-p', 'kubeharden-wasm']);
  const wasmIn = join(root, 'target/wasm32-unknown-unknown/release/kubeharden_wasm.wasm');
  const wb = execFileSync('wasm-bindgen', ['--version'], { encoding: 'utf8' }).trim();
  if (!wb.endsWith(wasmBindgenVersion())) {
    throw new Error(`${wb} does not match the pinned wasm-bindgen ${wasmBindgenVersion()}: run npm run setup`);
  }
  // Keep the hand-written files, regenerate the rest.
  for (const entry of readdirSync(pkg)) {
    if (!['README.md', 'package.template.json', 'entries'].includes(entry))
      rmSync(join(pkg, entry), { recursive: true, force: true });
  }
  run('wasm-bindgen', [
    '--target',
    'web',
    '--out-name',
    'kubeharden',
    '--out-dir',
    pkg,
    '--no-typescript',
    '--experimental-reset-state-function',
    wasmIn,
  ]);
  // binaryen from npm (>= 117); Debian's wasm-opt 108 produces modules that crash at load.
  const wasmOpt = join(root, 'node_modules/.bin/wasm-opt');
  if (!existsSync(wasmOpt)) throw new Error('node_modules/.bin/wasm-opt missing: run npm run setup');
  const wasmOut = join(pkg, 'kubeharden_bg.wasm');
  const optFlags = ['-O3'];
  if (wasmProfile) {
    const named = join(root, 'target/kubeharden_bg.named.wasm');
    run(wasmOpt, [...optFlags, '--debuginfo', wasmOut, '-o', named]);
    printWasmProfile(readFileSync(named));
  }
  run(wasmOpt, [...optFlags, '--strip-debug', '--strip-producers', wasmOut, '-o', wasmOut]);
  buildPolicyWasm(wasmOpt, wasmProfile);
}

// The engine modules, each the policy layer with one engine, loaded by the package only on the
// first lint whose policies need that engine (the core module's `policyPlan` says which):
// kubeharden_policy_bg.wasm (Rego) and kubeharden_cel_bg.wasm (CEL).
function buildPolicyWasm(wasmOpt, wasmProfile) {
  for (const [crate, outName] of [
    ['kubeharden-policy-wasm', 'kubeharden_policy'],
    ['kubeharden-cel-wasm', 'kubeharden_cel'],
  ]) {
    run('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '-p', crate]);
    const wasmIn = join(root, `target/wasm32-unknown-unknown/release/${crate.replaceAll('-', '_')}.wasm`);
    run('wasm-bindgen', [
      '--target',
      'web',
      '--out-name',
      outName,
      '--out-dir',
      pkg,
      '--no-typescript',
      '--experimental-reset-state-function',
      wasmIn,
    ]);
    const wasmOut = join(pkg, `${outName}_bg.wasm`);
    if (wasmProfile) {
      const named = join(root, `target/${outName}_bg.named.wasm`);
      run(wasmOpt, ['-Oz', '--debuginfo', wasmOut, '-o', named]);
      console.log(`${outName}_bg.wasm:`);
      printWasmProfile(readFileSync(named));
    }
    run(wasmOpt, ['-Oz', '--strip-debug', '--strip-producers', wasmOut, '-o', wasmOut]);
  }
}

const SECTION_NAMES = {
  0: 'custom',
  1: 'type',
  2: 'import',
  3: 'function',
  4: 'table',
  5: 'memory',
  6: 'global',
  7: 'export',
  8: 'start',
  9: 'element',
  10: 'code',
  11: 'data',
  12: 'datacount',
};

/**
 * The bytes of each section of a wasm module, and each function's body size with its name
 * when the module has a name section.
 */
export function readWasm(bytes) {
  let p = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const str = () => {
    const n = leb();
    const s = Buffer.from(bytes.subarray(p, p + n)).toString();
    p += n;
    return s;
  };
  const sections = {};
  let imported = 0;
  const bodies = [];
  const names = new Map();
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    const section = SECTION_NAMES[id] ?? `section ${id}`;
    sections[section] = (sections[section] || 0) + size;
    if (id === 2) {
      for (let i = leb(); i > 0; i--) {
        str();
        str();
        const kind = bytes[p++];
        if (kind === 0) {
          leb();
          imported++;
        } else if (kind === 1 || kind === 2) {
          if (kind === 1) p++; // reference type
          if (leb() & 1) leb(); // limits: flags, minimum, maximum if flagged
          leb();
        } else {
          p += 2;
        }
      }
    } else if (id === 10) {
      for (let i = leb(), index = imported; i > 0; i--, index++) {
        const bodySize = leb();
        bodies.push([index, bodySize]);
        p += bodySize;
      }
    } else if (id === 0 && str() === 'name') {
      while (p < end) {
        const sub = bytes[p++];
        const subEnd = leb() + p;
        if (sub === 1) for (let i = leb(); i > 0; i--) names.set(leb(), str());
        p = subEnd;
      }
    }
    p = end;
  }
  return { sections, functions: bodies.map(([index, size]) => ({ name: names.get(index) || '?', size })) };
}

/** Code bytes per crate, per kubeharden module and per function, from the name section. */
function printWasmProfile(bytes) {
  const { sections, functions } = readWasm(bytes);
  const data = sections.data || 0;
  const code = functions.reduce((sum, f) => sum + f.size, 0);
  const tally = (keyOf) => {
    const totals = new Map();
    for (const { name, size } of functions) {
      const key = keyOf(name);
      if (key) totals.set(key, (totals.get(key) || 0) + size);
    }
    return [...totals].sort((a, b) => b[1] - a[1]);
  };
  // Generic code is named after the type it runs on (`<core::marker::PhantomData<T> as
  // serde_core::de::DeserializeSeed>`): credit the most specific crate named anywhere.
  const known = [
    'kubeharden_wasm',
    'kubeharden_policy_wasm',
    'kubeharden_policy',
    'kubeharden_cel',
    'kubeharden_rego',
    'regorus',
    'cel',
    'kubeharden',
    'saphyr_parser',
    'serde_json',
    'serde',
    'zmij',
    'dlmalloc',
    'hashbrown',
    'js_sys',
    'wasm_bindgen',
  ];
  const crateOf = (name) => {
    if (/multivalue shim|^__wbg|^__wbindgen|^__externref/.test(name))
      return 'wasm-bindgen exports (with inlined callees)';
    const crates = [...name.matchAll(/([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/g)].map((m) => m[1]);
    return known.find((k) => crates.some((c) => c === k || c.startsWith(`${k}_`))) ?? crates[0] ?? name.slice(0, 40);
  };
  const moduleOf = (name) => name.match(/^(?:<+)?kubeharden::((?:[a-z_]+::){1,3})/)?.[1].replace(/::$/, '');
  const row = ([key, size]) =>
    `  ${String(size).padStart(8)}  ${((100 * size) / code).toFixed(1).padStart(5)}%  ${key}`;
  console.log(`wasm profile: code ${code} bytes, data ${data} bytes (strings, tables)`);
  console.log('by crate:');
  for (const r of tally(crateOf).slice(0, 15)) console.log(row(r));
  console.log('kubeharden by module:');
  for (const r of tally(moduleOf).slice(0, 25)) console.log(row(r));
  console.log('largest functions:');
  for (const r of tally((name) => name.slice(0, 110)).slice(0, 25)) console.log(row(r));
}

function buildEntries() {
  const v = version();
  const wasmOut = join(pkg, 'kubeharden_bg.wasm');
  if (!existsSync(wasmOut)) throw new Error('pkg/kubeharden_bg.wasm is not built: run without --js-only');
  const stamp = (text) => text.replaceAll('__KUBEHARDEN_VERSION__', v);
  for (const file of [
    'api.js',
    'data-files.js',
    'browser.js',
    'node.mjs',
    'node-local.js',
    'workerd.js',
    'edge-light.js',
    'index.d.ts',
  ]) {
    writeFileSync(join(pkg, file), stamp(readFileSync(join(pkg, 'entries', file), 'utf8')));
  }
  // The rules' docs, generated from the registry (crates/kubeharden/tests/rule_docs.rs): the
  // .wasm is built without them and the entries load this file when a call first needs it.
  mkdirSync(join(pkg, 'data'), { recursive: true });
  copyFileSync(join(root, 'crates/kubeharden-wasm/rule-docs.json'), join(pkg, 'data/rule-docs.json'));
  // The built-in schema table (crates/kubeharden/src/schema/builtin.bin, from
  // scripts/schema/generate.mjs), which every lint needs: the .wasm is built without it
  // (feature `external-schema`) and the entries hand it over before the first call. Base64
  // in JSON, so that every runtime and bundler imports it as a JSON module.
  const table = readFileSync(join(root, 'crates/kubeharden/src/schema/builtin.bin'));
  writeFileSync(
    join(pkg, 'data/schema-table.json'),
    `${JSON.stringify({ format: 'KHS 2', table: table.toString('base64') })}\n`,
  );
  // The same declarations for `require()` under TypeScript's node16/nodenext resolution, which
  // reads a .d.ts next to a "type": "module" package.json as ESM.
  copyFileSync(join(pkg, 'index.d.ts'), join(pkg, 'index.d.cts'));
  // CommonJS entry: the ESM glue and API bundled into one file for require().
  const cjsSource = join(pkg, 'node-cjs.src.js');
  copyFileSync(join(pkg, 'entries/node-cjs.js'), cjsSource);
  run(join(root, 'node_modules/.bin/esbuild'), [
    cjsSource,
    '--bundle',
    '--format=cjs',
    '--platform=node',
    '--target=node18',
    '--log-level=error',
    `--outfile=${join(pkg, 'node.cjs')}`,
  ]);
  rmSync(cjsSource);
  writeFileSync(join(pkg, 'node.cjs'), stamp(readFileSync(join(pkg, 'node.cjs'), 'utf8')));
  const template = JSON.parse(stamp(readFileSync(join(pkg, 'package.template.json'), 'utf8')));
  writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(template, null, 2)}\n`);
  copyFileSync(join(root, 'LICENSE'), join(pkg, 'LICENSE'));
  const missing = template.files.filter((f) => !existsSync(join(pkg, f)));
  if (missing.length) throw new Error(`pkg/ lacks files listed in package.json: ${missing.join(', ')}`);
  const size = statSync(wasmOut).size;
  const policySize = statSync(join(pkg, 'kubeharden_policy_bg.wasm')).size;
  const celSize = statSync(join(pkg, 'kubeharden_cel_bg.wasm')).size;
  console.log(
    `pkg/: kubeharden ${v}, kubeharden_bg.wasm ${size} bytes, kubeharden_policy_bg.wasm ${policySize} bytes, kubeharden_cel_bg.wasm ${celSize} bytes`,
  );
}

export function buildWeb() {
  const script = join(root, 'web/build.mjs');
  if (existsSync(script)) {
    run(process.execPath, [script]);
    return;
  }
  // A plain static page: copy web/ and the package into web/dist.
  const dist = join(root, 'web/dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'pkg'), { recursive: true });
  for (const f of readdirSync(join(root, 'web'))) {
    const p = join(root, 'web', f);
    if (statSync(p).isFile()) copyFileSync(p, join(dist, f));
  }
  for (const f of readdirSync(pkg)) {
    const p = join(pkg, f);
    if (statSync(p).isFile()) copyFileSync(p, join(dist, 'pkg', f));
  }
  console.log('web/dist/: built');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!args.has('--web-only')) buildPkg({ jsOnly: args.has('--js-only'), wasmProfile: args.has('--wasm-profile') });
  if (!args.has('--pkg-only')) buildWeb();
}
