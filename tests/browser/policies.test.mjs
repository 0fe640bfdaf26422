// Custom policies on the page and in the component: the Policies dialog (paste, open, drop,
// edit, remove, kept across a reload), policy findings in the list at their line, a policy's
// errors listed under it, the component's `policies` property; and the policy module fetched
// only once a policy exists.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  inLinter,
  linterReady,
  nextResult,
  openPage,
  paste,
  TIMEOUT,
  usePageServer,
  visibleFindings,
} from './helpers.mjs';

const site = usePageServer();

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
`;
export const TEAM_REGO = `package main

deny contains msg if {
  input.kind == "Deployment"
  not input.metadata.labels.team
  msg := sprintf("Deployment %s has no team label", [input.metadata.name])
}
`;
export const OWNER_TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package k8srequiredlabels
      violation[{"msg": msg}] {
        not input.review.object.metadata.labels.owner
        msg := "you must provide an owner label"
      }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: must-have-owner
spec:
  match:
    kinds:
    - apiGroups: ["apps"]
      kinds: ["Deployment"]
`;
const BROKEN = 'package broken\n\ndeny contains msg if {\n';

const policyWasm = (log) => log.requests.filter((u) => u.endsWith('/kubeharden_policy_bg.wasm'));

describe('the Policies dialog', { timeout: TIMEOUT * 4 }, () => {
  let page;
  let context;
  let log;
  before(async () => {
    ({ page, context, log } = await openPage(site.browser, site.server.url));
    await linterReady(page);
  });
  after(() => context?.close());

  test('a lint without policies never fetches the policy module', async () => {
    const report = await nextResult(page, () => paste(page, DEPLOYMENT));
    assert.ok(report.findings.length);
    assert.ok(!report.findings.some((f) => f.policy));
    assert.deepEqual(policyWasm(log), []);
  });

  test('a pasted conftest policy applies: its finding is listed at its line, with the policy', async () => {
    await inLinter(page, 'button.kh-policies-button').click();
    const dialog = inLinter(page, 'dialog.kh-policies-dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /never uploaded/);
    await dialog.getByRole('button', { name: 'Paste a policy' }).click();
    await dialog.locator('.kh-policy-name').fill('team.rego');
    await dialog.locator('.kh-policy-text').fill(TEAM_REGO);
    const report = await nextResult(page, () => dialog.locator('.kh-policy-save').click());
    const f = report.findings.find((x) => x.rule === 'conftest/main/deny');
    assert.ok(f, JSON.stringify(report.findings.map((x) => x.rule)));
    assert.equal(f.policy.kind, 'conftest');
    assert.equal(f.policy.file, 'team.rego');
    assert.equal(policyWasm(log).length, 1, 'the policy module is fetched once a policy exists');
    assert.equal(await dialog.locator('.kh-policy-filename').textContent(), 'team.rego');
    assert.match(await inLinter(page, '.kh-policies-label').textContent(), /Policies \(1\)/);
    // Escape closes the dialog; the focus is back on the Policies button.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(
      await page.evaluate(() =>
        document.querySelector('kubeharden-linter').shadowRoot.activeElement?.classList.contains('kh-policies-button'),
      ),
      true,
    );
    // In the list: at the Deployment's name (line 4), marked as a policy's.
    const rows = await visibleFindings(page);
    const row = rows.find((r) => r.rule === 'conftest/main/deny');
    assert.deepEqual(
      { line: row.line, column: row.column, source: row.source },
      { line: 4, column: 9, source: 'manifest.yaml' },
    );
    const badge = inLinter(page, '.kh-finding[data-rule="conftest/main/deny"] .kh-policy-badge');
    assert.match(await badge.textContent(), /policy/);
    await inLinter(page, '.kh-finding[data-rule="conftest/main/deny"]').click();
    assert.match(
      await inLinter(page, '.kh-details .kh-policy-ref').textContent(),
      /conftest main\.deny in team\.rego: rego, deny/,
    );
    // The family filter has the custom policies.
    await inLinter(page, '.kh-family-filter').selectOption('policy');
    const only = await visibleFindings(page);
    assert.ok(only.length && only.every((r) => r.rule.startsWith('conftest/')), JSON.stringify(only));
    await inLinter(page, '.kh-family-filter').selectOption('');
  });

  test('opened and dropped files are added; a policy error is listed under its policy and shown in its text', async () => {
    await inLinter(page, 'button.kh-policies-button').click();
    const dialog = inLinter(page, 'dialog.kh-policies-dialog');
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      dialog.getByRole('button', { name: 'Open policy files' }).click(),
    ]);
    let report = await nextResult(page, () =>
      chooser.setFiles([{ name: 'owner.yaml', mimeType: 'application/yaml', buffer: Buffer.from(OWNER_TEMPLATE) }]),
    );
    assert.ok(report.findings.some((f) => f.rule === 'gatekeeper/K8sRequiredLabels/must-have-owner'));
    assert.match(
      await dialog.locator('[data-policy="owner.yaml"] .kh-policy-kinds').textContent(),
      /ConstraintTemplate, K8sRequiredLabels/,
    );
    // A file dropped on the dialog is a policy, not a manifest tab.
    report = await nextResult(page, () =>
      page.evaluate((text) => {
        const target = document
          .querySelector('kubeharden-linter')
          .shadowRoot.querySelector('dialog.kh-policies-dialog');
        const data = new DataTransfer();
        data.items.add(new File([text], 'broken.rego', { type: 'text/plain' }));
        for (const type of ['dragenter', 'dragover', 'drop'])
          target.dispatchEvent(
            new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, composed: true }),
          );
      }, BROKEN),
    );
    assert.equal(await inLinter(page, '.kh-tab').count(), 1, 'no tab for the policy');
    const error = report.findings.find((f) => f.rule === 'policy-error' && f.resource.source === 'broken.rego');
    assert.ok(error, JSON.stringify(report.findings.map((f) => `${f.rule}@${f.resource.source}`)));
    const problem = dialog.locator('[data-policy="broken.rego"] .kh-policy-problem');
    await problem.waitFor();
    assert.equal(await problem.textContent(), `${error.span.start.line}:${error.span.start.column}`);
    // Its place, in the policy's text.
    await problem.click();
    const caret = await page.evaluate(() => {
      const area = document.querySelector('kubeharden-linter').shadowRoot.querySelector('textarea.kh-policy-text');
      return { start: area.selectionStart, focused: area.matches(':focus') };
    });
    assert.deepEqual(caret, { start: error.span.start.offset, focused: true });
    // In the findings list too: its place opens the policy in the dialog, at the error.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await inLinter(page, '.kh-filter-text').fill('expecting');
    // The row of this error (by its file: the list may still show other rows while the filter
    // applies), and its details once they are shown.
    await inLinter(page, '.kh-finding[data-source="broken.rego"][data-rule="policy-error"]').click();
    const where = inLinter(page, '.kh-details .kh-where-list .kh-link-button');
    const place = `broken.rego:${error.span.start.line}:${error.span.start.column}`;
    await page.waitForFunction(
      (want) =>
        document
          .querySelector('kubeharden-linter')
          .shadowRoot.querySelector('.kh-details .kh-where-list .kh-link-button')?.textContent === want,
      place,
    );
    assert.equal(await where.textContent(), place);
    await where.click();
    await dialog.waitFor();
    await page.waitForFunction((offset) => {
      const area = document.querySelector('kubeharden-linter').shadowRoot.querySelector('textarea.kh-policy-text');
      return area?.matches(':focus') && area.selectionStart === offset;
    }, error.span.start.offset);
    await inLinter(page, '.kh-filter-text').fill('');
    // Edited: the error goes.
    report = await nextResult(page, async () => {
      await dialog.locator('.kh-policy-text').fill(`${BROKEN}  true\n}\n`);
      await dialog.locator('.kh-policy-save').click();
    });
    assert.ok(!report.findings.some((f) => f.resource.source === 'broken.rego'));
    await page.keyboard.press('Escape');
  });

  test('the policies stay after a reload; Remove takes one away (Undo brings it back)', async () => {
    await page.reload();
    await linterReady(page);
    const names = await page.evaluate(() => document.querySelector('kubeharden-linter').policies.map((p) => p.name));
    assert.deepEqual(names, ['team.rego', 'owner.yaml', 'broken.rego']);
    await inLinter(page, 'button.kh-policies-button').click();
    const dialog = inLinter(page, 'dialog.kh-policies-dialog');
    const report = await nextResult(page, async () => {
      await paste(page, DEPLOYMENT);
    });
    assert.ok(report.findings.some((f) => f.rule === 'conftest/main/deny'));
    const removed = await nextResult(page, () => dialog.getByRole('button', { name: 'Remove team.rego' }).click());
    assert.ok(!removed.findings.some((f) => f.rule === 'conftest/main/deny'));
    assert.equal(await dialog.locator('[data-policy="team.rego"]').count(), 0);
    const stored = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('kubeharden.settings.policies')).map((p) => p.name),
    );
    assert.deepEqual(stored, ['owner.yaml', 'broken.rego']);
    await page.keyboard.press('Escape');
    const back = await nextResult(page, () => inLinter(page, '.kh-toast button').filter({ hasText: 'Undo' }).click());
    assert.ok(back.findings.some((f) => f.rule === 'conftest/main/deny'));
    await page.evaluate(() => localStorage.clear());
  });

  test('nothing went wrong on the way', async () => {
    assert.deepEqual(log.errors, []);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
  });
});

test('the component: the policies property lints with them', { timeout: TIMEOUT * 2 }, async () => {
  const { page, context, log } = await openPage(site.browser, `${site.server.url}embed.html`);
  await linterReady(page, '#scratch');
  await nextResult(page, () => paste(page, DEPLOYMENT, '#scratch'), '#scratch');
  assert.deepEqual(policyWasm(log), []);
  const report = await nextResult(
    page,
    () =>
      page.evaluate((text) => {
        document.querySelector('#scratch').policies = [{ name: 'team.rego', text }];
      }, TEAM_REGO),
    '#scratch',
  );
  assert.ok(report.findings.some((f) => f.rule === 'conftest/main/deny' && f.span.start.line === 4));
  assert.deepEqual(await page.evaluate(() => document.querySelector('#scratch').policies.map((p) => p.name)), [
    'team.rego',
  ]);
  const cleared = await nextResult(
    page,
    () =>
      page.evaluate(() => {
        document.querySelector('#scratch').policies = [];
      }),
    '#scratch',
  );
  assert.ok(!cleared.findings.some((f) => f.policy));
  assert.deepEqual(log.errors, []);
  await context.close();
});
