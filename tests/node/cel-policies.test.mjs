// CEL policies in the npm package: the CEL engine module (kubeharden_cel_bg.wasm) is loaded only
// by a lint whose policies need it, and gives the CLI's report (`--format json`, both engines)
// for every case of the CEL suites: the kubescape ValidatingAdmissionPolicy library (60 policies,
// 628 cases), Kyverno's ValidatingPolicies (31 `kyverno test` files) and the Gatekeeper
// library's CEL template under `auto`; a hostile policy is a finding, never a hang or a trap.
//
//   kubeharden_cel_bg.wasm: ≤ 385 KB gzip (385,000 bytes, gzip -9), measured 379,520 (Node's
//   gzip: 383,184) with the CRD validation rules (applyCrdRules, about 28 KB of it), under the
//   400 KB target since the cel crate's Pratt parser replaced its ANTLR one; docs/cel.md lists the
//   ten largest contributors (kubeharden-cel's interpreter first, then core, alloc, the YAML reader).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as celGlue from '../../pkg/kubeharden_cel.js';
import * as policyGlue from '../../pkg/kubeharden_policy.js';
import { lint } from '../../pkg/node.mjs';
import { celCliReport, celInput, kyvernoCases, vapCases } from './cel-helpers.mjs';
import { cliJson, root } from './helpers.mjs';
import { caseInput, cliReport, gatekeeperCases } from './policy-helpers.mjs';

const CEL_WASM_GZIP_BUDGET = 385_000;
const unloaded = (glue) => {
  assert.throws(() => glue.applyPolicies('{}', [], [], [], [], '', ''), TypeError);
  return true;
};
const pod = { name: 'pod.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  replicas: 9\n' };
const vapPolicy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: named}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - expression: "EXPR"
    message: bad
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: named}
spec: {policyName: named, validationActions: [Deny]}
`;

// node:test runs a file's tests in order: these first, before any module is loaded.
test('a lint with only Rego policies loads the Rego module, not the CEL one', () => {
  lint({ files: [pod] });
  unloaded(policyGlue);
  unloaded(celGlue);
  const report = lint(
    { files: [pod] },
    { policies: [{ name: 'p.rego', text: 'package main\ndeny contains "no" if { input.kind == "Pod" }\n' }] },
  );
  assert.ok(report.findings.some((f) => f.policy?.engine === 'rego'));
  unloaded(celGlue);
});

test('a lint with only CEL policies loads the CEL module, not the Rego one (a fresh process)', () => {
  const script = `
    import * as policyGlue from './pkg/kubeharden_policy.js';
    import * as celGlue from './pkg/kubeharden_cel.js';
    import { lint } from './pkg/node.mjs';
    const loaded = (g) => { try { g.applyPolicies('{}', [], [], [], [], '', ''); return true } catch (e) { return !(e instanceof TypeError) } };
    const report = lint({ files: [${JSON.stringify(pod)}] }, { policies: [{ name: 'vap.yaml', text: ${JSON.stringify(vapPolicy.replace('EXPR', 'false'))} }] });
    console.log(JSON.stringify({ cel: loaded(celGlue), rego: loaded(policyGlue), findings: report.findings.filter((f) => f.policy).length }));
  `;
  const out = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }),
  );
  assert.deepEqual(out, { cel: true, rego: false, findings: 1 });
});

test('a lint with only CEL policies gives CEL findings; a policy error is reported once', () => {
  const text = vapPolicy.replace('EXPR', "object.metadata.name != 'p'");
  const report = lint({ files: [pod] }, { policies: [{ name: 'vap.yaml', text }] });
  const found = report.findings.filter((f) => f.policy?.engine === 'cel');
  assert.equal(found.length, 1);
  assert.equal(found[0].message, 'bad');
  const broken = lint(
    { files: [pod] },
    {
      policies: [
        { name: 'vap.yaml', text: vapPolicy.replace('EXPR', 'object.metadata.name !=') },
        { name: 'c.yaml', text: 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sNone\nmetadata: {name: x}\n' },
        { name: 'p.rego', text: 'package main\ndeny contains "no" if { input.kind == "Pod" }\n' },
      ],
    },
  );
  // Each once: the Constraint without a template (no engine's), the syntax error and the binding
  // left without its policy (CEL's); the conftest file runs in the Rego module.
  const errors = broken.findings
    .filter((f) => f.rule === 'policy-error')
    .map((f) => `${f.resource.source} ${f.message}`);
  assert.equal(errors.filter((e) => e.startsWith('c.yaml')).length, 1, errors.join('\n'));
  assert.equal(errors.filter((e) => /Syntax error/.test(e)).length, 1, errors.join('\n'));
  assert.equal(new Set(errors).size, errors.length, errors.join('\n'));
  assert.ok(broken.findings.some((f) => f.policy?.engine === 'rego'));
});

test('a hostile CEL policy is a cost-limit finding, not a hang or a trap', () => {
  const expr =
    "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, 'x'.size() > 0))))))";
  const report = lint({ files: [pod] }, { policies: [{ name: 'vap.yaml', text: vapPolicy.replace('EXPR', expr) }] });
  const f = report.findings.find((x) => /cost/i.test(x.message));
  assert.ok(f, JSON.stringify(report.findings.filter((x) => x.policy || x.rule.startsWith('policy'))));
  // Evaluation exceeded its budget: under failurePolicy Fail a denial of the object, as the API server's.
  assert.equal(f.policy?.engine, 'cel');
  // Nesting deeper than the parser allows: a positioned error.
  const deep = `${'('.repeat(400)}true${')'.repeat(400)}`;
  const nested = lint({ files: [pod] }, { policies: [{ name: 'vap.yaml', text: vapPolicy.replace('EXPR', deep) }] });
  assert.ok(nested.findings.some((x) => x.rule === 'policy-error' && x.resource.source === 'vap.yaml'));
  // The module still works.
  assert.ok(lint({ files: [pod] }, { policies: [{ name: 'vap.yaml', text: vapPolicy.replace('EXPR', 'true') }] }));
});

test('a trap in the CEL module is a TRAP error, and the module is restarted', async () => {
  const { createApi } = await import('../../pkg/api.js');
  const glue = await import('../../pkg/kubeharden.js');
  let trap = true;
  const cel = {
    ...celGlue,
    applyPolicies: (...a) => (trap ? celGlue.__trapForTesting() : celGlue.applyPolicies(...a)),
  };
  const api = createApi(glue, {
    syncSource: () => readFileSync(join(root, 'pkg/kubeharden_bg.wasm')),
    schema: () => readFileSync(join(root, 'pkg/data/schema-table.json')),
    cel: { glue: cel, syncSource: () => readFileSync(join(root, 'pkg/kubeharden_cel_bg.wasm')) },
  });
  const policies = [{ name: 'vap.yaml', text: vapPolicy.replace('EXPR', 'false') }];
  assert.throws(() => api.lint({ files: [pod] }, { policies }), { code: 'TRAP', message: /CEL policy engine/ });
  trap = false;
  assert.equal(api.lint({ files: [pod] }, { policies }).findings.filter((f) => f.policy).length, 1);
});

test('policies among the linted files apply as in a cluster, without the policies option', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-inline-policy-'));
  try {
    const name = join(dir, 'gitops.yaml');
    const text = `${vapPolicy.replace('EXPR', 'object.spec.replicas < 5')}---\n${pod.text}`;
    writeFileSync(name, text);
    const report = lint({ files: [{ name, text }] });
    assert.deepEqual(report, cliJson(['--no-config', name]));
    const denial = report.findings.find((f) => f.policy);
    assert.equal(denial?.policy.kind, 'ValidatingAdmissionPolicy');
    assert.equal(denial?.resource.kind, 'Pod');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Node gives the CLI report for every kubescape VAP case', () => {
  const cases = vapCases();
  assert.equal(cases.length, 628);
  let policyFindings = 0;
  for (const c of cases) {
    const fromWasm = lint(...args(c));
    assert.deepEqual(fromWasm, celCliReport(c), c.name);
    policyFindings += fromWasm.findings.filter((f) => f.policy).length;
  }
  assert.ok(policyFindings > 300, `${policyFindings} policy findings`);
  console.log(`vap-kubescape parity: ${cases.length} cases, ${policyFindings} policy findings identical`);
});

test('Node gives the CLI report for every Kyverno ValidatingPolicy suite', () => {
  const cases = kyvernoCases();
  assert.equal(cases.length, 31);
  let policyFindings = 0;
  for (const c of cases) {
    const fromWasm = lint(...args(c));
    assert.deepEqual(fromWasm, celCliReport(c), c.name);
    policyFindings += fromWasm.findings.filter((f) => f.policy?.engine === 'cel').length;
  }
  assert.ok(policyFindings > 100, `${policyFindings} policy findings`);
  console.log(`kyverno parity: ${cases.length} suites, ${policyFindings} CEL findings identical`);
});

test('the Gatekeeper CEL template gives the CLI report under auto (its CEL code)', () => {
  const cases = gatekeeperCases().filter((c) => c.suite.startsWith('requiredlabels'));
  assert.ok(cases.length >= 5);
  for (const c of cases) {
    const { files, policies } = caseInput(c);
    const report = lint({ files }, { policies });
    assert.deepEqual(report, cliReport(c), `${c.suite} ${c.case}`);
    // auto is Gatekeeper's order: the template's CEL code.
    for (const f of report.findings.filter((x) => x.policy)) assert.equal(f.policy.engine, 'cel');
  }
});

test('the CEL module is within 385 KB gzip', () => {
  const wasm = readFileSync(join(root, 'pkg/kubeharden_cel_bg.wasm'));
  const gz = gzipSync(wasm, { level: 9 }).length;
  console.log(`kubeharden_cel_bg.wasm: ${(wasm.length / 1000).toFixed(1)} KB raw, ${(gz / 1000).toFixed(1)} KB gzip`);
  assert.ok(gz <= CEL_WASM_GZIP_BUDGET, `${gz} bytes gzip, budget ${CEL_WASM_GZIP_BUDGET}`);
});

function args(c) {
  const { files, policies } = celInput(c);
  return [{ files }, { policies }];
}
