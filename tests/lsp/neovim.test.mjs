// Neovim's built-in LSP client against `kubeharden lsp`: the diagnostics Neovim shows (byte
// columns in the buffer) are the CLI's findings, a typed edit is re-linted, code actions and
// hover answer, and the server exits cleanly when Neovim stops it. Needs `nvim` (Debian's
// neovim package, installed by scripts/setup.sh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from './client.mjs';
import { cliFindings, workspaceCopy } from './helpers.mjs';

const script = fileURLToPath(new URL('./neovim.lua', import.meta.url));

test('Neovim shows the CLI findings, re-lints an edit, and stops the server cleanly', () => {
  const dir = workspaceCopy();
  try {
    const file = join(dir, 'deploy.yaml');
    const out = join(dir, 'neovim.json');
    const run = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${script}`], {
      env: { ...process.env, KH_BIN: cli, KH_WORKSPACE: dir, KH_FILE: file, KH_OUT: out },
      encoding: 'utf8',
      timeout: 60000,
    });
    assert.equal(run.error, undefined, String(run.error));
    const result = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(result.errors, [], run.stderr);

    // Neovim counts columns in bytes of the buffer's line; the CLI in UTF-16 units.
    const lines = readFileSync(file, 'utf8').split('\n');
    const bytes = (line, utf16) => Buffer.byteLength(lines[line].slice(0, utf16));
    const expected = cliFindings(dir)
      .filter((f) => f.resource.source === 'deploy.yaml')
      .map((f) => {
        const [l1, l2] = [f.span.start.line - 1, f.span.end.line - 1];
        return `${f.rule} ${l1}:${bytes(l1, f.span.start.column - 1)}-${l2}:${bytes(l2, f.span.end.column - 1)}`;
      })
      .sort();
    const shown = result.opened.map((d) => `${d.code} ${d.lnum}:${d.col}-${d.end_lnum}:${d.end_col}`).sort();
    assert.deepEqual(shown, expected);
    assert.ok(result.opened.every((d) => d.source === 'kubeharden'));
    const image = result.opened.find((d) => d.code === 'image-tag-latest');
    assert.equal(Buffer.from(lines[image.lnum]).subarray(image.col, image.end_col).toString(), 'nginx:latest');

    assert.ok(!result.edited.some((d) => d.code === 'pss-privileged'));
    assert.equal(result.edited.length, result.opened.length - 2, 'pss-privileged and ambiguous-yaml-value are gone');
    assert.ok(
      result.actions.some((t) => t.startsWith('Exempt Deployment web from ')),
      result.actions.join('\n'),
    );
    assert.match(result.hover, /### Why it matters/);
    assert.equal(result.exit_code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
