// Parity: the CLI's JSON equals the wasm package's JSON under Node for every file of the
// shared corpus (same names, same config, same bytes of input).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../../pkg/node.mjs';
import { cliJson, corpusFiles, root } from './helpers.mjs';

test('CLI and wasm agree on every corpus file', () => {
  const files = corpusFiles();
  assert.ok(files.length > 300, `corpus has ${files.length} files`);
  let findings = 0;
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const fromCli = cliJson([file]);
    const fromWasm = lint({ files: [{ name: file, text }] });
    assert.deepEqual(fromWasm, fromCli, file);
    findings += fromWasm.findings.length;
  }
  // The whole corpus at once (cross-resource rules see every object).
  const all = corpusFiles();
  const together = lint({ files: all.map((name) => ({ name, text: readFileSync(join(root, name), 'utf8') })) });
  assert.deepEqual(together, cliJson(all));
  console.log(`parity: ${files.length} files, ${findings} findings identical (CLI vs wasm/Node)`);
});
