// Shared by the language server tests: the fixture workspace and the CLI's view of it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './client.mjs';

const fixtures = fileURLToPath(new URL('./fixtures/workspace', import.meta.url));

/** A fresh copy of the fixture workspace (tests edit files in it). */
export function workspaceCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-lsp-'));
  cpSync(fixtures, dir, { recursive: true });
  return dir;
}

/** The CLI's report for a folder, run inside it (so names match the server's). */
export function cliFindings(dir, args = []) {
  let out;
  try {
    out = execFileSync(cli, ['lint', '--format', 'json', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    out = e.stdout;
  }
  return JSON.parse(out).findings.filter((f) => !f.suppressed);
}

/** Findings and diagnostics in one comparable shape: rule and 0-based range. */
const fromFinding = (f) =>
  `${f.rule} ${f.span.start.line - 1}:${f.span.start.column - 1}-${f.span.end.line - 1}:${f.span.end.column - 1}`;
const fromDiagnostic = (d) =>
  `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
export const sameAsCli = (diagnostics, findings) =>
  assert.deepEqual(diagnostics.map(fromDiagnostic).sort(), findings.map(fromFinding).sort());

/** Applies LSP text edits (UTF-16 positions, as JS strings count) to a text. */
export function applyEdits(text, edits) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
