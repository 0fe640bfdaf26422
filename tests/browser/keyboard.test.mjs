// The page with the keyboard only: from a fresh load, Tab and Shift+Tab reach every control,
// the editor, the findings list, a finding's details and Apply fix; the documented keys work
// on the way (Escape then Tab leaves the editor, arrows walk the list, Enter applies); each
// focused element shows a visible focus indicator (its computed outline or box shadow), and
// focus is never trapped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inLinter, linterReady, nextResult, openPage, TIMEOUT, usePageServer } from './helpers.mjs';

const site = usePageServer();

/**
 * The focused element, through shadow roots: a short description (`name`: its label or text),
 * and whether the focus shows (an outline or a box shadow on it, or, for the editor's content,
 * on the editor around it).
 */
function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { name: '(page)', indicator: false };
    const ring = el.classList.contains('cm-content') ? el.closest('.cm-editor') : el;
    const style = getComputedStyle(ring);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 1;
    const shadow = style.boxShadow !== 'none';
    const text = el.tagName === 'SELECT' ? '' : el.textContent.trim().replace(/\s+/g, ' ');
    const label = el.getAttribute('aria-label') || text || el.getAttribute('title') || '';
    return {
      name: el.classList.contains('cm-content') ? 'editor' : `${el.tagName.toLowerCase()} ${label.slice(0, 40)}`,
      indicator: outline || shadow,
      visible: el.getClientRects().length > 0,
    };
  });
}

/**
 * Presses `key` until `done(name)` holds for the focused element (at most `max` presses);
 * every element on the way must show its focus. Returns the names of the elements visited.
 */
async function walk(page, key, done, max = 60) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    seen.push(f.name);
    if (f.name !== '(page)') {
      assert.ok(f.visible, `${f.name} is on screen`);
      assert.ok(f.indicator, `${f.name} shows that it has focus (after ${seen.join(' → ')})`);
    }
    if (done(f.name)) return seen;
  }
  assert.fail(`${key} never reached the target: ${seen.join(' → ')}`);
}

/** Asserts that `names` holds each of `expected` (matched by regex), in that order. */
function inOrder(names, expected) {
  let at = 0;
  for (const want of expected) {
    const i = names.findIndex((n, k) => k >= at && want.test(n));
    assert.ok(i >= 0, `${want} after ${names[at - 1] ?? 'the start'} in ${names.join(' → ')}`);
    at = i + 1;
  }
}

describe('keyboard only', { timeout: TIMEOUT * 4 }, () => {
  let page;
  let context;
  before(async () => {
    ({ page, context } = await openPage(site.browser, site.server.url));
    await linterReady(page);
  });
  after(() => context?.close());

  test('Tab reaches every control of the empty page, enters the editor and leaves it with Escape, Tab', async () => {
    const toEditor = await walk(page, 'Tab', (n) => n === 'editor');
    inOrder(toEditor, [
      /^a Skip to the linter/,
      /^a Embed/,
      /^button Theme/,
      /^select Load an example/,
      /^button .*Open/,
      /^select Profile/,
      /^select Kubernetes version/,
      /^button .*Rules/,
      /^button .*JSON/,
      /^button .*SARIF/,
      /^button .*manifest\.yaml/,
      /^button New file/,
      /^button Download this file/,
      /^editor$/,
    ]);
    // Tab in the editor indents; Escape, then Tab, moves on.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'editor', 'Tab indents in the editor');
    await page.keyboard.press('Escape');
    const rest = await walk(page, 'Tab', (n) => n === '(page)');
    inOrder(rest, [
      /^button .*Errors/,
      /^button .*Warnings/,
      /^button .*Info/,
      /^button .*Suppressed/,
      /^select Rule family/,
      /^input Filter findings/,
      /^button .*Insecure Deployment/,
      /^button .*Keyboard/,
      /^\(page\)$/,
    ]);
    // And back: Shift+Tab from the end of the page walks the same way up to the editor.
    const back = await walk(page, 'Shift+Tab', (n) => n === 'editor');
    inOrder(back, [
      /^button .*Keyboard/,
      /^button .*Insecure Deployment/,
      /^input Filter findings/,
      /^button .*Errors/,
      /^editor$/,
    ]);
    await page.keyboard.press('Escape');
    const up = await walk(page, 'Shift+Tab', (n) => /^a Skip to the linter/.test(n));
    inOrder(up, [/^button Download this file/, /^button .*Rules/, /^select Load an example/, /^a Skip/]);
  });

  test('the keyboard help lists the keys and gives focus back', async () => {
    const help = inLinter(page, 'button.kh-keys-button');
    await help.focus();
    await page.keyboard.press('Enter');
    const dialog = inLinter(page, 'dialog.kh-dialog[open]');
    await dialog.waitFor();
    const text = await dialog.textContent();
    for (const key of ['Escape', 'Tab', 'F8', 'Ctrl+M']) assert.ok(text.includes(key), `${key} in ${text}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const f = await focused(page);
    assert.match(f.name, /Keyboard/);
    assert.ok(f.indicator);
  });

  test('an example, the list, a finding’s details and Apply fix, all from the keyboard', async () => {
    // The first example, chosen with Enter.
    await walk(page, 'Shift+Tab', (n) => /Insecure Deployment/.test(n));
    const report = await nextResult(page, () => page.keyboard.press('Enter'));
    assert.ok(report.findings.some((f) => f.rule === 'pss-privileged' && f.fix));
    // From the top again: the text filter narrows the list to one finding.
    await page.locator('a.skip').focus();
    await walk(page, 'Tab', (n) => n === 'editor');
    await page.keyboard.press('Escape');
    await walk(page, 'Tab', (n) => /^input Filter findings/.test(n));
    await page.keyboard.type('pss-privileged');
    await page.waitForFunction(
      () => document.querySelector('kubeharden-linter').shadowRoot.querySelectorAll('.kh-finding').length === 1,
    );
    // Into the list: the first row is the resource, the arrow goes to its finding, whose
    // details open under the list.
    await walk(page, 'Tab', (n) => /^div Findings/.test(n));
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await inLinter(page, '.kh-details .kh-docs').waitFor();
    const active = await page.evaluate(() => {
      const root = document.querySelector('kubeharden-linter').shadowRoot;
      return root.getElementById(root.querySelector('.kh-list').getAttribute('aria-activedescendant'))?.dataset.rule;
    });
    assert.equal(active, 'pss-privileged');
    // On to the details: their controls, then Apply fix.
    const toFix = await walk(page, 'Tab', (n) => /^button .*Apply fix/.test(n));
    inOrder(toFix, [
      /^div Resize the finding details/,
      /^button Close details/,
      /^button .*manifest|insecure/,
      /^button .*Apply fix/,
    ]);
    const fixed = await nextResult(page, () => page.keyboard.press('Enter'));
    assert.equal(fixed.findings.filter((f) => f.rule === 'pss-privileged').length, 0);
    // The list is empty under the filter now: the focus went to what replaced it (never to the
    // page), visibly.
    const f = await focused(page);
    assert.match(f.name, /^button Clear filters/);
    assert.ok(f.indicator);
  });

  test('the rules dialog: opened with Enter, Tab stays inside while it is open, Escape gives focus back', async () => {
    await inLinter(page, '.kh-toolbar button').filter({ hasText: 'Rules' }).focus();
    await page.keyboard.press('Enter');
    await inLinter(page, 'dialog.kh-dialog[open] .kh-rule-row').first().waitFor();
    assert.match((await focused(page)).name, /^input Find a rule/);
    const inside = await walk(page, 'Tab', (n) => /^input type=checkbox|^input /.test(n) && !/Find a rule/.test(n));
    assert.ok(inside.every((n) => n !== '(page)'));
    await page.keyboard.press('Escape');
    const f = await focused(page);
    assert.match(f.name, /Rules/);
    assert.ok(f.indicator);
  });

  test('the policies dialog: a policy pasted and added from the keyboard, Escape gives focus back', async () => {
    await inLinter(page, 'button.kh-policies-button').focus();
    await page.keyboard.press('Enter');
    await inLinter(page, 'dialog.kh-policies-dialog[open]').waitFor();
    assert.match((await focused(page)).name, /^button .*Open policy files/);
    await walk(page, 'Tab', (n) => /^button .*Paste a policy/.test(n));
    await page.keyboard.press('Enter');
    assert.match((await focused(page)).name, /^input /);
    await page.keyboard.type('team.rego');
    await page.keyboard.press('Tab');
    await page.keyboard.type(
      'package main\n\ndeny contains msg if {\n  input.kind == "Deployment"\n  msg := "no"\n}\n',
    );
    await walk(page, 'Tab', (n) => /^button Add policy/.test(n));
    const report = await nextResult(page, () => page.keyboard.press('Enter'));
    assert.ok(report.findings.some((f) => f.rule === 'conftest/main/deny'));
    // The focus is on the new policy's Edit button, then on through Remove, inside the dialog.
    assert.match((await focused(page)).name, /^button Edit team\.rego/);
    const inside = await walk(page, 'Tab', (n) => /^button Remove team\.rego/.test(n));
    assert.ok(inside.every((n) => n !== '(page)'));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await inLinter(page, 'dialog.kh-policies-dialog').waitFor({ state: 'hidden' });
    const f = await focused(page);
    assert.match(f.name, /Policies/);
    assert.ok(f.indicator);
  });

  test('Fix all from the keyboard: a level chosen with the arrows, to the diff and Apply, focus back', async () => {
    await inLinter(page, '.kh-filter-text').fill('');
    await inLinter(page, 'button.kh-fix-all-button').focus();
    await page.keyboard.press('Enter');
    await inLinter(page, 'dialog.kh-fix-all-dialog[open] .kh-diff').waitFor();
    assert.match((await focused(page)).name, /^input /);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(
      () =>
        document
          .querySelector('kubeharden-linter')
          .shadowRoot.querySelector('dialog.kh-fix-all-dialog input[value="unsafe"]').checked,
    );
    await inLinter(page, 'dialog.kh-fix-all-dialog .kh-diff').getByText('NetworkPolicy').first().waitFor();
    const steps = await walk(page, 'Tab', (n) => /^button Apply/.test(n));
    inOrder(steps, [/^pre The changes as a unified diff/, /^button Apply/]);
    const before = await page.evaluate(() => document.querySelector('kubeharden-linter').value);
    const fixed = await nextResult(page, () => page.keyboard.press('Enter'));
    assert.ok(fixed.findings.every((x) => !x.rule.startsWith('missing-default-deny')));
    const f = await focused(page);
    assert.match(f.name, /Fix all/);
    assert.ok(f.indicator);
    // Ctrl+Z in the editor undoes it in one step.
    await inLinter(page, '.cm-content').focus();
    await nextResult(page, () => page.keyboard.press('Control+z'));
    assert.equal(await page.evaluate(() => document.querySelector('kubeharden-linter').value), before);
  });
});
