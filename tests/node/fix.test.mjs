// fix(): the CLI's `lint --fix` as an API. The fixed text keeps comments and CRLF, a second
// call changes nothing, the applicability option chooses what is applied, and the results
// equal the CLI's (`--fix` on standard input, `--diff`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fix, rules } from '../../pkg/node.mjs';
import { cli, root } from './helpers.mjs';

const pod =
  '# a pod\r\napiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web  # the name\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx:1.27\r\n';
const restricted = { profile: 'restricted' };

function cliRun(args, input) {
  try {
    return execFileSync(cli, ['lint', '--no-config', '--profile', 'restricted', ...args], {
      cwd: root,
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    }).toString();
  } catch (e) {
    if (e.status === 1) return e.stdout.toString();
    throw e;
  }
}

test('fix() applies safe and hardening fixes, keeping comments and CRLF', () => {
  const result = fix(pod, { config: restricted });
  const [file] = result.files;
  assert.equal(file.changed, true);
  assert.ok(file.text.startsWith('# a pod\r\n'), file.text);
  assert.ok(file.text.includes('  name: web  # the name\r\n'));
  assert.ok(file.text.includes('    securityContext:\r\n      capabilities:\r\n        drop: [ALL]\r\n'), file.text);
  assert.ok(!file.text.includes('runAsNonRoot'), 'unsafe fixes wait for applicability: unsafe');
  assert.ok(file.diff.startsWith('--- a/manifest.yaml\n+++ b/manifest.yaml\n@@ '), file.diff);
  assert.ok(result.applied.every((a) => a.applicability !== 'unsafe'));
  assert.ok(result.report.findings.some((f) => f.rule === 'pss-run-as-non-root' && f.fix.applicability === 'unsafe'));
  // Idempotent.
  const again = fix(file.text, { config: restricted });
  assert.equal(again.files[0].changed, false);
  assert.equal(again.applied.length, 0);
  // Unsafe too: nothing of the restricted level remains.
  const all = fix(pod, { config: restricted, applicability: 'unsafe' });
  assert.ok(all.files[0].text.includes('runAsNonRoot: true'));
  assert.equal(all.report.findings.filter((f) => f.rule.startsWith('pss-')).length, 0);
  // Safe only: nothing here is safe.
  assert.equal(fix(pod, { config: restricted, applicability: 'safe' }).applied.length, 0);
  assert.throws(() => fix(pod, { applicability: 'risky' }), { code: 'INVALID_INPUT' });
});

test('fix() gives the same text and diff as the CLI', () => {
  for (const [flags, applicability] of [
    [[], 'hardening'],
    [['--unsafe-fixes'], 'unsafe'],
  ]) {
    const files = [{ name: '<stdin>', text: pod }];
    const ours = fix({ files }, { config: restricted, applicability }).files[0];
    assert.equal(cliRun(['--fix', ...flags, '-'], pod), ours.text);
    assert.equal(cliRun(['--diff', ...flags, '-'], pod), ours.diff);
  }
});

test('rules() says which rules fix and how safely', () => {
  const all = rules();
  const fixable = all.filter((r) => r.fixable);
  assert.ok(fixable.length >= 60, `${fixable.length} rules with fixes`);
  for (const r of all) {
    assert.equal(r.fixable, r.fix !== undefined, r.id);
    if (r.fix) assert.ok(['safe', 'hardening', 'unsafe'].includes(r.fix.applicability), r.id);
  }
});
