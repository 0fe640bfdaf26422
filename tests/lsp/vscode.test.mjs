// The VS Code extension as built by `node editors/vscode/build.mjs`: the .vsix holds the
// bundle, manifest, README and license and nothing else; its settings are the server's; the
// settings module turns VS Code's values into what the server reads and finds the binary.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { root } from '../node/helpers.mjs';

const ext = join(root, 'editors/vscode');
const manifest = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8'));
const vsix = join(ext, 'dist', `kubeharden-${manifest.version}.vsix`);

/** The entries of a zip file: name -> contents (stored or deflated). */
function unzip(path) {
  const zip = readFileSync(path);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString();
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + size);
    files.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + nameLength + extra;
  }
  return files;
}

describe('VS Code extension', () => {
  test('the .vsix holds the bundle, the manifest, the README and the license, nothing else', () => {
    const { size } = statSync(vsix);
    console.log(`# ${vsix.slice(root.length + 1)}: ${size} bytes`);
    assert.ok(size < 300_000, `${size} bytes`);
    const files = unzip(vsix);
    const names = [...files.keys()].filter((n) => n.startsWith('extension/')).sort();
    assert.deepEqual(names, [
      'extension/LICENSE.txt',
      'extension/dist/extension.js',
      'extension/package.json',
      'extension/readme.md',
    ]);
    const packed = JSON.parse(files.get('extension/package.json'));
    assert.equal(packed.main, './dist/extension.js');
    const bundle = files.get('extension/dist/extension.js').toString();
    assert.match(bundle, /require\("vscode"\)/, 'vscode stays external');
    assert.doesNotMatch(bundle, /require\("vscode-languageclient/, 'the client is bundled');
    assert.match(files.get('extension/readme.md').toString(), /Neovim/);
  });

  test('its version is the workspace version, and every setting is one the server reads', () => {
    const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
    assert.equal(manifest.version, /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/.exec(cargo)[1]);
    const settings = Object.keys(manifest.contributes.configuration.properties);
    const server = readFileSync(join(root, 'crates/kubeharden-cli/src/lsp/client_settings.rs'), 'utf8');
    for (const key of settings.map((s) => s.replace(/^kubeharden\./, ''))) {
      if (key === 'path' || key === 'trace.server') continue; // the extension's own
      assert.ok(server.includes(`"${key}"`), `the server reads kubeharden.${key}`);
    }
    // Profiles and rule settings offered are those the server accepts.
    assert.deepEqual(manifest.contributes.configuration.properties['kubeharden.profile'].enum, [
      'config',
      'baseline',
      'restricted',
      'hardened',
    ]);
  });

  test('settings become the server settings, and the binary is found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeharden-vscode-'));
    try {
      const out = join(dir, 'settings.mjs');
      execFileSync(join(root, 'node_modules/.bin/esbuild'), [
        join(ext, 'src/settings.ts'),
        '--bundle',
        '--platform=node',
        '--format=esm',
        `--outfile=${out}`,
        '--log-level=warning',
      ]);
      const { serverSettings, resolveBinary } = await import(out);
      const values = {
        profile: 'config',
        kubernetesVersion: ' v1.30 ',
        rules: { 'image-tag-latest': 'error', 'pss-privileged': false, bad: 3 },
        diagnostics: 'workspace',
      };
      assert.deepEqual(
        serverSettings((k) => values[k]),
        {
          kubernetesVersion: 'v1.30',
          rules: { 'image-tag-latest': 'error', 'pss-privileged': 'off' },
          diagnostics: 'workspace',
        },
      );
      assert.deepEqual(
        serverSettings(() => undefined),
        { rules: {}, diagnostics: 'openFiles' },
      );
      // On PATH, in ~/.cargo/bin, or configured (with ~).
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'kubeharden'), '#!/bin/sh\n');
      chmodSync(join(bin, 'kubeharden'), 0o755);
      assert.equal(resolveBinary('', { PATH: `/nonexistent:${bin}` }, 'linux'), join(bin, 'kubeharden'));
      assert.equal(resolveBinary(undefined, { PATH: '/nonexistent', HOME: '/nowhere' }, 'linux'), undefined);
      mkdirSync(join(dir, '.cargo/bin'), { recursive: true });
      writeFileSync(join(dir, '.cargo/bin/kubeharden'), '#!/bin/sh\n');
      chmodSync(join(dir, '.cargo/bin/kubeharden'), 0o755);
      assert.equal(resolveBinary('', { PATH: '', HOME: dir }, 'linux'), join(dir, '.cargo/bin/kubeharden'));
      assert.equal(resolveBinary('~/bin/kubeharden', { HOME: dir }, 'linux'), join(dir, 'bin/kubeharden'));
      assert.equal(resolveBinary('/no/such/kubeharden', {}, 'linux'), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
