// The package's TypeScript declarations against what the engine really returns: real reports,
// rule metadata, SARIF and the default configuration are written out as TypeScript literals
// of the declared types and checked by tsc. Object literals get excess-property checks, so a
// field the Rust serde types emit but index.d.ts does not declare fails; `Exactly<T>` on the
// union of every field seen fails when index.d.ts declares a field that never comes back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as kh from '../../pkg/node.mjs';
import { root } from './helpers.mjs';
import { corpusSources, PROBE, run } from './package-helpers.mjs';

/** Every key seen anywhere in `values`, merged into one object (arrays merge their items). */
function union(values) {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length === 0) return null;
  if (present.every(Array.isArray)) {
    const items = present.flat();
    return items.length ? [union(items)] : [];
  }
  if (present.every((v) => typeof v === 'object' && !Array.isArray(v))) {
    const keys = [...new Set(present.flatMap(Object.keys))];
    return Object.fromEntries(keys.map((k) => [k, union(present.map((v) => v[k]))]));
  }
  return present[0];
}

/** The shape of a value: its keys at every depth, without the values. */
function shape(value) {
  if (Array.isArray(value)) return `[${[...new Set(value.map(shape))].sort().join('|')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${k}:${shape(value[k])}`)
      .join(',')}}`;
  return typeof value;
}

/**
 * The report with one finding per rule and shape. tsc gives up on an array literal of a few
 * thousand distinct object types (TS2590, "union type that is too complex"), and what the check
 * needs is every field every rule emits, not every finding.
 */
function representative(report) {
  const seen = new Set();
  const findings = report.findings.filter((f) => {
    const key = `${f.rule} ${shape(f)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  assert.ok(findings.length > 50, `the corpus should give many kinds of finding, got ${findings.length}`);
  return { ...report, findings };
}

/** A custom resource with a typo, and its CRD passed as `crds`. */
const CRD_INPUT = {
  files: [
    { name: 'widget.yaml', text: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {sise: 3}\n' },
  ],
  crds: [
    {
      name: 'crd.yaml',
      text: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec: {type: object, properties: {size: {type: integer}}}\n',
    },
  ],
};

test('lint() takes CRDs: their schemas validate the custom resources, and they are not linted', () => {
  const rules = (report) => report.findings.map((f) => `${f.resource.source} ${f.rule}`);
  assert.deepEqual(rules(kh.lint(CRD_INPUT)), ['widget.yaml unknown-field']);
  assert.deepEqual(rules(kh.lint({ files: CRD_INPUT.files })), ['widget.yaml unvalidated-custom-resource']);
  assert.throws(() => kh.lint({ files: CRD_INPUT.files, crds: 'crd.yaml' }), { code: 'INVALID_INPUT' });
  assert.throws(() => kh.lint({ files: CRD_INPUT.files, crds: [{ name: 'x' }] }), { code: 'INVALID_INPUT' });
});

test('reports, rule metadata, SARIF and the config match index.d.ts', () => {
  kh.lint('a: 1\n');
  const exemption = {
    rules: ['image-tag-latest'],
    kind: 'Pod',
    namespace: 'default',
    name: 'probe-😀-漢字',
    source: 'probe.yaml',
    reason: 'reviewed',
  };
  // Every field of Exemption is one the engine accepts (it rejects unknown fields).
  const exempted = kh.lint(
    { files: [{ name: 'probe.yaml', text: PROBE }] },
    { exemptions: [exemption, { rules: ['*'], kind: 'NoSuchKind' }] },
  );
  // A lint with a custom policy, for the `policy` object of findings.
  const template =
    'apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata:\n  name: k8sowner\n  annotations: {description: Objects need an owner.}\nspec:\n  crd: {spec: {names: {kind: K8sOwner}}}\n  targets:\n  - target: admission.k8s.gatekeeper.sh\n    rego: |\n      package k8sowner\n      violation[{"msg": "no owner"}] { not input.review.object.metadata.labels.owner }\n';
  const constraint = 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sOwner\nmetadata: {name: owner}\n';
  const withPolicy = kh.lint(
    { files: [{ name: 'probe.yaml', text: PROBE }] },
    {
      policies: [
        { name: 'template.yaml', text: template },
        { name: 'constraint.yaml', text: constraint },
      ],
    },
  );
  assert.ok(withPolicy.findings.some((f) => f.policy?.template === 'k8sowner'));
  const reports = [
    kh.lint({ files: [{ name: 'probe.yaml', text: PROBE }] }),
    exempted,
    withPolicy,
    representative(kh.lint({ files: corpusSources() })),
    kh.lint('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n', { profile: 'baseline', kubernetesVersion: '1.20' }),
    kh.lint(CRD_INPUT),
  ];
  const findings = reports.flatMap((r) => r.findings);
  assert.ok(
    findings.some((f) => f.suppressed?.kind === 'config') && findings.some((f) => f.suppressed?.kind === 'annotation'),
  );
  const rules = kh.rules();
  const defaults = kh.defaultConfig();
  const full = (value) => JSON.stringify(value, null, 1);
  const source = `
import type { Config, Exemption, Finding, Input, Report, RuleMeta, SarifLog } from ${JSON.stringify(join(root, 'pkg/index.js'))};

/** Every field required, at every depth: what a value holding every declared field satisfies. */
type Exactly<T> = T extends readonly (infer U)[] ? Exactly<U>[] : T extends object ? { [K in keyof T]-?: Exactly<NonNullable<T[K]>> } : T;

export const reports: Report[] = ${full(reports)};
export const crdInput: Input = ${full(CRD_INPUT)};
export const rules: RuleMeta[] = ${full(rules)};
export const sarif: SarifLog[] = ${full(reports.map((r) => kh.toSarif(r)))};
export const defaults: Exactly<Config> = ${full({ ...defaults, today: '2026-01-31' })};
export const exemption: Exactly<Exemption> = ${full(exemption)};
export const everyFindingField: Exactly<Finding> = ${full(union(findings))};
export const everyRuleField: Exactly<RuleMeta> = ${full(union(rules))};
`;
  const dir = mkdtempSync(join(tmpdir(), 'kubeharden-types-'));
  try {
    writeFileSync(join(dir, 'check.ts'), source);
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2022'],
        types: [],
      },
      files: ['check.ts'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir });
  } finally {
    if (!process.env.KEEP_TYPES) rmSync(dir, { recursive: true, force: true });
  }
});
