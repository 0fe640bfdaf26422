// Small modules with one job each: no hand-written JS file over 600 lines (the house rule; a
// file that grows past it is split along its seams, not squeezed).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './helpers.mjs';

const LIMIT = 600;

test(`no JS file in the repository is over ${LIMIT} lines`, () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(js|mjs|cjs|ts)$/.test(f) && existsSync(join(root, f)));
  assert.ok(files.length > 40, `found the sources (${files.length})`);
  const long = files
    .map((f) => ({ file: f, lines: readFileSync(join(root, f), 'utf8').split('\n').length - 1 }))
    .filter((f) => f.lines > LIMIT);
  assert.deepEqual(long, []);
});
