// The CLI's SARIF output passes the official SARIF validator (Microsoft's SARIF Multitool):
// over every file of the shared corpus, and over a small input with suppressed findings and
// fixes. Any validator error or warning fails the test.
//
// The validator says nothing about a file it cannot load (an unknown enum value, for example),
// so a canary proves each log was read in full: a copy of the corpus log with one deliberate
// SARIF1001 warning must get exactly that warning.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliJson, corpusFiles, root } from './helpers.mjs';

const multitool = join(root, 'node_modules/.bin/sarif-multitool');

/** Runs the CLI with `--format sarif` into `file` (exit code 1 only means "findings"). */
function sarifTo(file, args, cwd = root) {
  try {
    execFileSync(cli, ['lint', '--no-config', '--format', 'sarif', '--output', file, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (e) {
    if (e.status !== 1) throw e;
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Validates SARIF logs with the Multitool; returns `file: ruleId` for every error and warning. */
function validate(dir, logs) {
  const log = join(dir, 'validation.sarif');
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
  return { problems, output };
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

    const logs = ['corpus.sarif', 'exemptions.sarif', 'canary.sarif'].map((f) => join(dir, f));
    const { problems, output } = validate(dir, logs);
    assert.deepEqual(problems, ['canary.sarif: SARIF1001'], `the SARIF validator reported problems:\n${output}`);
    console.log(`sarif: ${expected} results from ${files.length} corpus files validated with no errors or warnings`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SARIF URIs are valid for absolute paths, ../ paths, spaces, non-ASCII names and files outside the work tree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-sarif-uris-'));
  try {
    // A work tree with a space in its name, run from a subfolder.
    const repo = join(dir, 'my repo');
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostIPC: true\n  containers: [{name: a, image: "nginx:1.27"}]\n';
    for (const folder of ['.git', 'deploy', 'base', 'base/sub']) mkdirSync(join(repo, folder), { recursive: true });
    writeFileSync(join(repo, 'deploy/web app.yaml'), pod);
    writeFileSync(join(repo, 'base/ünïcode 漢字.yaml'), pod);
    writeFileSync(join(dir, 'outside.yaml'), pod);
    const args = [
      '--profile',
      'baseline',
      join(repo, 'deploy/web app.yaml'),
      '../ünïcode 漢字.yaml',
      '../../../outside.yaml',
    ];
    const sarif = sarifTo(join(dir, 'uris.sarif'), args, join(repo, 'base/sub'));
    const run = sarif.runs[0];
    const rootUri = run.originalUriBaseIds['%SRCROOT%'].uri;
    assert.equal(rootUri, `${new URL(`file://${repo}/`).href}`);
    const locations = [
      ...new Set(run.results.map((r) => JSON.stringify(r.locations[0].physicalLocation.artifactLocation))),
    ];
    assert.deepEqual(
      locations.map((l) => JSON.parse(l)),
      [
        { uri: 'deploy/web%20app.yaml', uriBaseId: '%SRCROOT%' },
        { uri: 'base/%C3%BCn%C3%AFcode%20%E6%BC%A2%E5%AD%97.yaml', uriBaseId: '%SRCROOT%' },
        { uri: new URL(`file://${join(dir, 'outside.yaml')}`).href },
      ],
    );
    // Each resolves to the file it names.
    for (const loc of locations.map((l) => JSON.parse(l))) {
      const url = new URL(loc.uri, loc.uriBaseId ? rootUri : undefined);
      assert.ok(readFileSync(url, 'utf8').includes('hostIPC'), url.href);
    }
    const { problems, output } = validate(dir, [join(dir, 'uris.sarif')]);
    assert.deepEqual(problems, [], `the SARIF validator reported problems:\n${output}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
