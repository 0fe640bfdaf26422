#!/usr/bin/env node
// Builds the VS Code extension: type-checks it (tsc), bundles src/ with vscode-languageclient
// into dist/extension.js (esbuild; `vscode` stays external, VS Code provides it) and packages
// dist/kubeharden-VERSION.vsix with @vscode/vsce. Everything comes from the installed npm
// packages; nothing is downloaded.
//
// Usage: node editors/vscode/build.mjs [--check-only]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const bin = (dir, name) => join(dir, 'node_modules/.bin', name);
const run = (cmd, args, cwd = here) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

// tsc and esbuild are the workspace's (pinned in the root package.json), vsce the extension's.
run(bin(repo, 'tsc'), ['-p', join(here, 'tsconfig.json')]);
if (process.argv.includes('--check-only')) process.exit(0);

const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
rmSync(join(here, 'dist'), { recursive: true, force: true });
mkdirSync(join(here, 'dist'));
run(bin(repo, 'esbuild'), [
  'src/extension.ts',
  '--bundle',
  '--platform=node',
  '--format=cjs',
  '--target=node20',
  '--external:vscode',
  '--minify',
  '--legal-comments=eof',
  '--outfile=dist/extension.js',
  '--log-level=warning',
]);
copyFileSync(join(repo, 'LICENSE'), join(here, 'LICENSE'));
const vsix = join(here, 'dist', `kubeharden-${version}.vsix`);
run(bin(here, 'vsce'), ['package', '--no-dependencies', '--out', vsix]);
console.log(`vsix: ${vsix} (${statSync(vsix).size} bytes)`);
