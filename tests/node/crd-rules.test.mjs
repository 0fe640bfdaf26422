// CRD validation rules (x-kubernetes-validations, CEL) in the npm package: lint() evaluates
// them with the CEL module (kubeharden_cel_bg.wasm; the core module has no CEL engine) and
// gives the CLI's report, byte for byte, for a CRD and its custom resources in the input and
// for CRDs given apart (`crds` / `--crds`). Without the CEL module the report keeps the core's
// `unevaluated-validation-rule` note, which says how to enable evaluation.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../../pkg/node.mjs';
import { cliJson, root } from './helpers.mjs';

const fixtures = 'crates/kubeharden/tests/fixtures/violated-validation-rule';
const files = readdirSync(join(root, fixtures))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => `${fixtures}/${f}`);

test('the npm package and the CLI give the same findings for CRDs with rules and their objects', () => {
  assert.ok(files.length >= 8, `${files.length} fixtures`);
  let violations = 0;
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const fromCli = cliJson([file]);
    const fromWasm = lint({ files: [{ name: file, text }] });
    assert.deepEqual(fromWasm, fromCli, file);
    assert.ok(!fromWasm.findings.some((f) => f.rule === 'unevaluated-validation-rule'), file);
    violations += fromWasm.findings.filter((f) => f.rule === 'violated-validation-rule').length;
  }
  assert.ok(violations >= 8, `${violations} violated-validation-rule findings`);
  // One of them, as the API server words it, at the field it is about.
  const file = `${fixtures}/fail-reason-field-path.yaml`;
  const report = lint({ files: [{ name: file, text: readFileSync(join(root, file), 'utf8') }] });
  const forbidden = report.findings.find((f) => f.message === 'spec.replicas: Forbidden: at most 5 replicas');
  assert.ok(forbidden, JSON.stringify(report.findings.map((f) => f.message)));
  assert.equal(forbidden.severity, 'error');
  assert.equal(forbidden.path, 'spec.replicas');
  assert.deepEqual([forbidden.span.start.line, forbidden.span.start.column], [45, 13]);
});

test('CRDs given apart (crds / --crds) are evaluated the same way', () => {
  const dir = join(root, 'target', `crd-rules-test-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const text = readFileSync(join(root, fixtures, 'fail-per-element.yaml'), 'utf8');
    const at = text.indexOf('\n---\n');
    const crd = text.slice(0, at + 1);
    const objects = text.slice(at + 5);
    const rel = `target/crd-rules-test-${process.pid}`;
    writeFileSync(join(dir, 'crd.yaml'), crd);
    writeFileSync(join(dir, 'objects.yaml'), objects);
    const fromCli = cliJson(['--crds', `${rel}/crd.yaml`, `${rel}/objects.yaml`]);
    const fromWasm = lint({
      files: [{ name: `${rel}/objects.yaml`, text: objects }],
      crds: [{ name: `${rel}/crd.yaml`, text: crd }],
    });
    assert.deepEqual(fromWasm, fromCli);
    assert.deepEqual(
      fromWasm.findings.filter((f) => f.rule === 'violated-validation-rule').map((f) => f.message),
      [
        'spec.ports[1]: Invalid value: "integer": ports must be above 1024',
        'spec.limits[memory]: Invalid value: "string": failed rule: self.endsWith(\'Mi\')',
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without the CEL module the rules are reported as not evaluated, with how to evaluate them', async () => {
  const { createApi } = await import('../../pkg/api.js');
  const glue = await import('../../pkg/kubeharden.js');
  const api = createApi(glue, {
    syncSource: () => readFileSync(join(root, 'pkg/kubeharden_bg.wasm')),
    schema: () => readFileSync(join(root, 'pkg/data/schema-table.json')),
  });
  const file = `${fixtures}/fail-message.yaml`;
  const report = api.lint({ files: [{ name: file, text: readFileSync(join(root, file), 'utf8') }] });
  assert.ok(!report.findings.some((f) => f.rule === 'violated-validation-rule'));
  const notes = report.findings.filter((f) => f.rule === 'unevaluated-validation-rule');
  assert.equal(notes.length, 1);
  assert.equal(notes[0].severity, 'info');
  assert.match(notes[0].help, /readyPolicies\(\)/);
});
