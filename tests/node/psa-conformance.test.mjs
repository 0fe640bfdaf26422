// Pod Security Admission conformance of the npm package under Node: every fixture of
// ../shared/conformance/psa linted by the wasm build at its own level and policy version, with
// the expectations of crates/kubeharden/tests/psa_conformance.rs (only pss-* findings count):
// pass fixtures give none; fail fixtures give at least one, including the check named in
// fixtures.csv (psa_reporting_checks, read from finding.pss.check), and their messages contain
// the fixture's expect_error_substring, as the upstream runner asserts on the API server's reply.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../../pkg/node.mjs';
import { shared } from './helpers.mjs';

const psa = join(shared, 'conformance/psa');

function fixtures() {
  const [header, ...lines] = readFileSync(join(psa, 'fixtures.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
  const cols = header.split(',');
  const col = (name) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`fixtures.csv has no column ${name}`);
    return i;
  };
  const [path, level, version, expect, reporting, substring, sha] = [
    'path',
    'level',
    'version',
    'expect',
    'psa_reporting_checks',
    'expect_error_substring',
    'sha256',
  ].map(col);
  return lines.map((line) => {
    const f = line.split(',');
    return {
      path: f[path],
      level: f[level],
      version: f[version],
      allow: f[expect] === 'allow',
      reporting: f[reporting],
      substring: f[substring],
      sha: f[sha],
    };
  });
}

test('every PSA conformance fixture agrees in the wasm build, at every version', () => {
  const started = Date.now();
  const rows = fixtures();
  assert.equal(rows.length, 4537);
  const texts = new Map();
  const failures = [];
  let pass = 0;
  let fail = 0;
  let agree = 0;
  let checkAgree = 0;
  let messageAgree = 0;
  for (const row of rows) {
    if (!texts.has(row.sha)) texts.set(row.sha, readFileSync(join(psa, row.path), 'utf8'));
    const report = lint(
      { files: [{ name: row.path, text: texts.get(row.sha) }] },
      { profile: row.level, kubernetesVersion: row.version },
    );
    const pss = report.findings.filter((f) => f.rule.startsWith('pss-'));
    if (row.allow) {
      pass += 1;
      if (pss.length === 0) agree += 1;
      else
        failures.push(`${row.path} (allow at ${row.level}:${row.version}): ${pss.map((f) => f.message).join(' | ')}`);
      continue;
    }
    fail += 1;
    const checks = new Set(pss.map((f) => f.pss?.check));
    const messages = pss.map((f) => f.message).join('\n');
    const denied = pss.length > 0;
    const checked = checks.has(row.reporting);
    const worded = messages.includes(row.substring);
    agree += denied ? 1 : 0;
    checkAgree += checked ? 1 : 0;
    messageAgree += worded ? 1 : 0;
    if (!(denied && checked && worded)) {
      failures.push(
        `${row.path} (deny at ${row.level}:${row.version} by ${row.reporting}): got ${[...checks].join(', ')}`,
      );
    }
  }
  const total = rows.length;
  console.log(
    `psa conformance (wasm/Node): ${total} files (${pass} pass, ${fail} fail), ${texts.size} distinct documents; ` +
      `allow/deny agreement ${agree}/${total} (${((100 * agree) / total).toFixed(2)}%); ` +
      `reporting check ${checkAgree}/${fail}; message substring ${messageAgree}/${fail}; ${Date.now() - started} ms`,
  );
  assert.deepEqual(failures, []);
  assert.deepEqual([pass, fail], [1051, 3486]);
  assert.deepEqual([agree, checkAgree, messageAgree], [total, fail, fail]);
});
