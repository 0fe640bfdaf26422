// Custom policies in the npm package: the Rego module (kubeharden_policy_bg.wasm) is loaded only
// by a lint whose policies need it (the CEL module: cel-policies.test.mjs); under Node it gives the CLI's report for
// every case of the Gatekeeper library suites; its size stays within budget.
//
//   kubeharden_policy_bg.wasm: ≤ 600 KB gzip (600,000 bytes, gzip -9, the target),
//   measured 534,858 (741,636 while it linked the core's rules through the config check; see
//   docs/policies.md, "Size").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as policyGlue from '../../pkg/kubeharden_policy.js';
import { lint } from '../../pkg/node.mjs';
import { root } from './helpers.mjs';
import { caseInput, cliReport, gatekeeperCases } from './policy-helpers.mjs';

const POLICY_WASM_GZIP_BUDGET = 600_000;
// Before any lint with policies (node:test runs the tests of a file in order).
test('a lint without policies does not load the policy module', () => {
  lint({ files: [{ name: 'pod.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n' }] });
  assert.throws(() => policyGlue.applyPolicies('{}', [], [], [], [], '', ''), TypeError);
});

test('Node gives the CLI report for every Gatekeeper library case', () => {
  const cases = gatekeeperCases();
  assert.ok(cases.length >= 130, `${cases.length} cases`);
  let policyFindings = 0;
  for (const c of cases) {
    const { files, policies } = caseInput(c);
    const fromWasm = lint({ files }, { policies });
    assert.deepEqual(fromWasm, cliReport(c), `${c.suite} ${c.test}/${c.case}`);
    policyFindings += fromWasm.findings.filter((f) => f.policy).length;
  }
  console.log(`policy parity: ${cases.length} cases, ${policyFindings} policy findings identical (CLI vs wasm/Node)`);
});

test('policy findings carry the policy, and bad policies are typed errors or findings', () => {
  const [c] = gatekeeperCases().filter((x) => /disallowed/.test(x.case) && x.suite.startsWith('requiredlabels'));
  const { files, policies } = caseInput(c);
  const report = lint({ files }, { policies });
  // The template has Rego and CEL code: auto runs the CEL code (Gatekeeper's order), 'rego' the Rego.
  const f = report.findings.find((x) => x.policy);
  assert.equal(f.policy.engine, 'cel');
  assert.equal(f.policy.kind, 'K8sRequiredLabels');
  const rego = lint({ files }, { policies, policyEngine: 'rego' }).findings.find((x) => x.policy);
  assert.equal(rego.policy.engine, 'rego');
  assert.throws(() => lint({ files }, { policies: [{ name: 'x' }] }), { code: 'INVALID_CONFIG' });
  const broken = lint({ files }, { policies: [{ name: 'p.rego', text: 'package main\ndeny contains msg if {\n' }] });
  assert.ok(broken.findings.some((x) => x.rule === 'policy-error' && x.resource.source === 'p.rego'));
});

test('the policy module is within 600 KB gzip', () => {
  const wasm = readFileSync(join(root, 'pkg/kubeharden_policy_bg.wasm'));
  const gz = gzipSync(wasm, { level: 9 }).length;
  console.log(
    `kubeharden_policy_bg.wasm: ${(wasm.length / 1000).toFixed(1)} KB raw, ${(gz / 1000).toFixed(1)} KB gzip`,
  );
  assert.ok(gz <= POLICY_WASM_GZIP_BUDGET, `${gz} bytes gzip, budget ${POLICY_WASM_GZIP_BUDGET}`);
});
