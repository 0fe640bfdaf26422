// The examples of the page's menu, linted with the npm package: each is a valid manifest,
// each insecure one shows the rules it is written for (those that exist in this build), and
// the hardened Deployment stays clean under the strictest profile as rules are added.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, rules } from '../../pkg/node.mjs';
import { EXAMPLES } from '../../web/src/examples.js';

const known = new Set(rules().map((r) => r.id));

for (const example of EXAMPLES) {
  test(`example: ${example.title}`, () => {
    const report = lint({ files: example.files }, { profile: 'hardened', today: '2026-01-01' });
    const found = new Set(report.findings.filter((f) => !f.suppressed).map((f) => f.rule));
    for (const broken of ['invalid-yaml', 'invalid-resource', 'duplicate-key'])
      assert.ok(!found.has(broken), `${example.id} is a valid manifest (${broken})`);
    if (!example.expect.length) {
      assert.deepEqual(
        report.findings.map((f) => `${f.rule} ${f.span.start.line}:${f.span.start.column} ${f.message}`),
        [],
        `${example.id} must stay clean under the hardened profile`,
      );
      return;
    }
    const missing = example.expect.filter((id) => known.has(id) && !found.has(id));
    assert.deepEqual(missing, [], `${example.id} should show these rules`);
  });
}
