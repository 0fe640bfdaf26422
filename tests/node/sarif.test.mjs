// The CLI's SARIF output passes the official SARIF validator (Microsoft's SARIF Multitool):
// over every file of the shared corpus, and over a small input with suppressed findings and
// fixes. Any validator error or warning fails the test.
//
// The validator says nothing about a file it cannot load (an unknown enum value, for example),
// so a canary proves each log was read in full: a copy of the corpus log with one deliberate
// SARIF1001 warning must get exactly that warning.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliJson, corpusFiles, root } from './helpers.mjs';

const multitool = join(root, 'node_modules/.bin/sarif-multitool');

/** Runs the CLI with `--format sarif` into `file` (exit code 1 only means "findings"). */
function sarifTo(file, args) {
  try {
    execFileSync(cli, ['lint', '--no-config', '--format', 'sarif', '--output', file, ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (e) {
    if (e.status !== 1) throw e;
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

test('SARIF from the whole corpus and from exemptions and fixes passes the SARIF validator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-sarif-'));
  try {
    const files = corpusFiles();
    const corpus = sarifTo(join(dir, 'corpus.sarif'), files);
    const expected = cliJson(['--no-config', ...files]).findings.length;
    assert.equal(corpus.runs[0].results.length, expected);
    assert.ok(expected > 100, `${expected} results`);

    const inputs = 'crates/kubeharden-cli/tests/inputs';
    const small = sarifTo(join(dir, 'exemptions.sarif'), [`${inputs}/deploy.yaml`, `${inputs}/exempt.json`]);
    const results = small.runs[0].results;
    assert.ok(
      results.some((r) => r.suppressions?.length === 1),
      'a suppressed result',
    );
    assert.ok(
      results.some((r) => r.fixes?.length === 1),
      'a result with a fix',
    );

    const canary = structuredClone(corpus);
    canary.runs[0].tool.driver.rules[0].name = canary.runs[0].tool.driver.rules[0].id;
    writeFileSync(join(dir, 'canary.sarif'), JSON.stringify(canary, null, 2));

    const log = join(dir, 'validation.sarif');
    const logs = ['corpus.sarif', 'exemptions.sarif', 'canary.sarif'].map((f) => join(dir, f));
    let output = '';
    try {
      output = execFileSync(multitool, ['validate', ...logs, '--output', log], { encoding: 'utf8' });
    } catch (e) {
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    const validation = JSON.parse(readFileSync(log, 'utf8'));
    // SARIF's default level is "warning".
    const problems = validation.runs
      .flatMap((run) => run.results ?? [])
      .filter((r) => (r.level ?? 'warning') !== 'note' && r.level !== 'none')
      .map((r) => `${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.split('/').pop()}: ${r.ruleId}`);
    assert.deepEqual(problems, ['canary.sarif: SARIF1001'], `the SARIF validator reported problems:\n${output}`);
    console.log(`sarif: ${expected} results from ${files.length} corpus files validated with no errors or warnings`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
