// "Fix all" on the page: per file and per resource, at each applicability; the diff shown is
// the package's and is exactly what gets applied; one undo (Ctrl+Z, or the toast's Undo)
// restores the original text exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fix } from '../../pkg/node.mjs';
import { inLinter, linterReady, nextResult, openPage, paste, TIMEOUT, usePageServer } from './helpers.mjs';

const site = usePageServer();

const deployment = (name) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      serviceAccount: builder
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          privileged: true
`;
const ORIGINAL = `${deployment('a')}---\n${deployment('b')}`;
const LEVELS = ['safe', 'hardening', 'unsafe'];

/** Applies a unified diff to `text` line by line (independently of the page's code). */
function patch(text, diff) {
  const old = text.split('\n');
  const out = [];
  let at = 0; // next old line (0-based)
  const lines = diff.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/);
    if (!m) continue;
    const start = Number(m[1]) - (m[2] === '0' ? 0 : 1);
    while (at < start) out.push(old[at++]);
    for (i++; i < lines.length && !lines[i].startsWith('@@'); i++) {
      const l = lines[i];
      if (l[0] === ' ') {
        assert.equal(old[at], l.slice(1));
        out.push(old[at++]);
      } else if (l[0] === '-') {
        assert.equal(old[at], l.slice(1));
        at++;
      } else if (l[0] === '+') out.push(l.slice(1));
    }
    i--;
  }
  while (at < old.length) out.push(old[at++]);
  return out.join('\n');
}

const value = (page) => page.evaluate(() => document.querySelector('kubeharden-linter').value);
const docs = (text) => text.split(/^---\n/m);

describe('Fix all', { timeout: TIMEOUT * 6 }, () => {
  let page;
  let context;
  let log;
  before(async () => {
    ({ page, context, log } = await openPage(site.browser, site.server.url));
    await linterReady(page);
    await nextResult(page, () => paste(page, ORIGINAL));
  });
  after(() => context?.close());

  const dialog = () => inLinter(page, 'dialog.kh-fix-all-dialog');

  /** Chooses a level in the open dialog; resolves to the diff it shows. */
  async function choose(level) {
    const d = dialog();
    await d.locator(`input[type=radio][value="${level}"]`).check();
    await d.locator('.kh-diff, .kh-fix-none').first().waitFor();
    return (await d.locator('.kh-diff').textContent()) ?? '';
  }

  test('per file: the diff at each level is the package’s fix(), applied exactly, undone exactly', async () => {
    for (const [k, level] of LEVELS.entries()) {
      await inLinter(page, 'button.kh-fix-all-button').click();
      await dialog().waitFor();
      if (k === 0) {
        // Safe and hardening is the default.
        assert.equal(await dialog().locator('input[type=radio]:checked').getAttribute('value'), 'hardening');
        assert.equal(await dialog().locator('select.kh-fix-scope').inputValue(), '-1');
      }
      const shown = await choose(level);
      // What the dialog says: how many fixes, each with its applicability, then the diff.
      const count = await dialog().locator('.kh-fix-count').textContent();
      assert.match(count, /^\d+ fix(es)? to apply/);
      assert.ok(!(await dialog().locator('.kh-fix-result').textContent()).startsWith('null'));
      const fixedByPackage = fix({ files: [{ name: 'manifest.yaml', text: ORIGINAL }] }, { applicability: level });
      const expected = fixedByPackage.files[0];
      assert.equal(shown, expected.diff, level);
      assert.equal(Number(count.match(/^\d+/)[0]), fixedByPackage.applied.length, level);
      const fixed = await nextResult(page, () => dialog().locator('button.kh-fix-apply').click());
      assert.ok(fixed.findings.length < 40);
      const after = await value(page);
      assert.equal(after, expected.text, level);
      assert.equal(after, patch(ORIGINAL, shown), `${level}: what is applied is the diff shown`);
      // One undo step restores the original text exactly: Ctrl+Z, or the toast's Undo.
      await nextResult(page, async () => {
        if (k % 2 === 0) {
          await inLinter(page, '.cm-content').focus();
          await page.keyboard.press('Control+z');
        } else await inLinter(page, '.kh-toast button').filter({ hasText: 'Undo' }).last().click();
      });
      assert.equal(await value(page), ORIGINAL, `${level}: undone`);
    }
  });

  test('per resource: only that resource changes, at each level', async () => {
    // Its finding on screen (the list renders the rows in view).
    await inLinter(page, '.kh-filter-text').fill('pss-privileged');
    for (const level of LEVELS) {
      await inLinter(page, '.kh-finding[data-rule="pss-privileged"][data-line="37"]').click();
      await inLinter(page, '.kh-details button.kh-fix-resource').click();
      await dialog().waitFor();
      assert.match(
        await dialog().locator('select.kh-fix-scope option:checked').textContent(),
        /Deployment shop\/b \(document 2\)/,
      );
      const shown = await choose(level);
      assert.ok(shown.includes('+++ b/manifest.yaml'), level);
      await nextResult(page, () => dialog().locator('button.kh-fix-apply').click());
      const after = await value(page);
      assert.equal(after, patch(ORIGINAL, shown), `${level}: what is applied is the diff shown`);
      const [a, b] = docs(after);
      assert.equal(a, docs(ORIGINAL)[0], `${level}: the other resource is untouched`);
      assert.notEqual(b, docs(ORIGINAL)[1], `${level}: the resource is fixed`);
      if (level !== 'safe') assert.match(b, /allowPrivilegeEscalation: false/);
      else assert.match(b, /serviceAccountName: builder/);
      await nextResult(page, async () => {
        await inLinter(page, '.cm-content').focus();
        await page.keyboard.press('Control+z');
      });
      assert.equal(await value(page), ORIGINAL, `${level}: undone`);
    }
    await inLinter(page, '.kh-filter-text').fill('');
  });

  test('Escape closes the dialog and gives the focus back; nothing went wrong', async () => {
    await inLinter(page, 'button.kh-fix-all-button').click();
    await dialog().locator('.kh-diff').waitFor();
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    assert.equal(
      await page.evaluate(() =>
        document.querySelector('kubeharden-linter').shadowRoot.activeElement?.classList.contains('kh-fix-all-button'),
      ),
      true,
    );
    assert.deepEqual(log.errors, []);
  });
});
