#!/usr/bin/env node
// Benchmark of custom policies: the native CLI linting the shared corpus with every
// Gatekeeper library template of library/general (../shared/conformance/gatekeeper) and all
// their sample Constraints, against the same lint without policies. Each template is compiled
// once per lint; every corpus object is reviewed against every Constraint that matches it.
//
// Usage: node scripts/bench-policies.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cli, corpusFiles, root, shared } from '../tests/node/helpers.mjs';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 3;
if (!existsSync(cli)) {
  console.error('build first: cargo build --profile release-cli -p kubeharden-cli');
  process.exit(2);
}

const library = join(shared, 'conformance/gatekeeper/library/general');
const templates = [];
const constraints = [];
for (const name of readdirSync(library).sort()) {
  const dir = join(library, name);
  if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'template.yaml'))) continue;
  templates.push(join(dir, 'template.yaml'));
  const samples = join(dir, 'samples');
  for (const sample of existsSync(samples) ? readdirSync(samples).sort() : []) {
    const c = join(samples, sample, 'constraint.yaml');
    if (existsSync(c)) constraints.push(c);
  }
}

const files = corpusFiles();
const policyArgs = [...templates, ...constraints].flatMap((p) => ['--policy', relative(root, p)]);

function lint(extra) {
  const times = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cli, ['lint', '--no-config', '--format', 'json', ...extra, ...files], {
      cwd: root,
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    });
    times.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1) throw new Error(`lint failed: ${r.stderr}`);
    report = JSON.parse(r.stdout);
  }
  return { ms: [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)], report };
}

const plain = lint([]);
const withPolicies = lint(policyArgs);
const policyFindings = withPolicies.report.findings.filter((f) => f.policy);
const errors = policyFindings.filter((f) => f.rule === 'policy-error' || f.rule === 'policy-not-evaluated');
const byRule = new Map();
for (const f of policyFindings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
console.log(
  `corpus: ${files.length} files, ${plain.report.summary.resources} objects; ` +
    `${templates.length} templates, ${constraints.length} Constraints; median of ${runs} runs`,
);
console.table([
  { lint: 'built-in rules only', ms: plain.ms.toFixed(0), findings: plain.report.findings.length },
  {
    lint: 'with the Gatekeeper library',
    ms: withPolicies.ms.toFixed(0),
    findings: withPolicies.report.findings.length,
    policy: policyFindings.length,
  },
]);
console.log(
  `policy evaluation adds ${(withPolicies.ms - plain.ms).toFixed(0)} ms (${(withPolicies.ms / plain.ms).toFixed(2)}× the lint)`,
);
console.log(`policy errors: ${errors.length}`);
for (const e of errors.slice(0, 10)) console.log(`  ${e.resource.source}: ${e.message}`);
console.log('violations by Constraint:');
for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`  ${String(n).padStart(5)}  ${rule}`);
