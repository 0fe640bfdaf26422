// Accessibility: axe-core's WCAG 2.1 A and AA rules find nothing on the page and on the embed,
// in every state below, in the light and the dark theme, wide and narrow.
//
// Adding a surface (a panel, a dialog, a tooltip)? Cover it here: add an entry to PAGE_STATES
// (`name`, `enter(page)` bringing the page from the previous state to the new one, and
// `leave(page)` if the next state needs it undone); every variant (theme, width) is checked for
// it. From another test file, call `expectAccessible(page, 'what the page shows')` from
// ./axe.mjs once the page is in the state to check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './axe.mjs';
import { inLinter, linterReady, nextResult, openPage, paste, TIMEOUT, usePageServer } from './helpers.mjs';

const WIDE = { width: 1400, height: 900 };
const NARROW = { width: 390, height: 844 };
/** Each state is checked in each of these: the theme follows the system's (emulated) scheme. */
const VARIANTS = [
  { name: 'light', colorScheme: 'light', viewport: WIDE },
  { name: 'dark', colorScheme: 'dark', viewport: WIDE },
  { name: 'light, narrow', colorScheme: 'light', viewport: NARROW },
  { name: 'dark, narrow', colorScheme: 'dark', viewport: NARROW },
];

// Findings of every severity, with marks nested four deep (a warning's span holding three
// errors', on `securityContext`): their tints must not add up to a background the text loses
// its contrast on.
const NESTED = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  hostNetwork: true
  hostPID: yes # the host's processes
  containers:
  - {name: app, image: "nginx:latest", securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN, NET_RAW]}}}
  - name: side
    image: busybox
    securityContext: {allowPrivilegeEscalation: true, runAsUser: 0}
`;

// A conftest policy that finds the Pod, and one that does not compile (an error under it).
const POLICIES = [
  {
    name: 'team.rego',
    text: 'package main\n\ndeny contains msg if {\n  input.kind == "Pod"\n  not input.metadata.labels.team\n  msg := "no team label"\n}\n',
  },
  { name: 'broken.rego', text: 'package broken\n\ndeny contains msg if {\n' },
];

/** The states of the page, each entered from the one before, in one page. */
const PAGE_STATES = [
  { name: 'the empty page', enter: async () => {} },
  {
    name: 'findings in the list and the editor',
    enter: async (page) => {
      await nextResult(page, () => paste(page, NESTED));
      await inLinter(page, '.cm-content .kh-mark-error').first().waitFor();
      assert.ok(
        (await inLinter(page, '.kh-mark-warning .kh-mark-error .kh-mark-error .kh-mark-error').count()) > 0,
        'marks nest',
      );
      // Rows are named by what they show, in its order, completed where an icon or `18:23`
      // says it: the severity, the message, the rule, the fix, the place.
      const name =
        /^error: privileged: container "app" .*\.\s*Rule\s*pss-privileged\s*,\s*fix available\s*,\s*line 8\s*,\s*column \d+$/;
      await page.getByRole('treeitem', { name }).waitFor();
    },
  },
  {
    name: 'the rules dialog open',
    enter: async (page) => {
      await inLinter(page, '.kh-toolbar button').filter({ hasText: 'Rules' }).click();
      await inLinter(page, 'dialog.kh-rules-dialog .kh-rule-row').first().waitFor();
    },
    leave: async (page) => {
      await page.keyboard.press('Escape');
      await inLinter(page, 'dialog.kh-rules-dialog').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'the keyboard help open',
    enter: async (page) => {
      await inLinter(page, 'button.kh-keys-button').click();
      await inLinter(page, 'dialog.kh-keys-dialog dl').first().waitFor();
    },
    leave: async (page) => {
      await page.keyboard.press('Escape');
      await inLinter(page, 'dialog.kh-keys-dialog').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'a finding selected, with its fix and docs',
    enter: async (page) => {
      await inLinter(page, '.kh-finding[data-rule="pss-privileged"]').click();
      await inLinter(page, '.kh-details .kh-docs').waitFor();
      await inLinter(page, '.kh-details .kh-diff').waitFor();
    },
  },
  {
    name: 'a finding’s tooltip in the editor',
    enter: async (page) => {
      await inLinter(page, '.cm-content .kh-mark-warning').first().hover();
      // A mark on a key also shows the field's documentation beside the finding: axe checks both.
      await inLinter(page, '.kh-tooltip:not(.kh-field-doc)').waitFor();
    },
    leave: async (page) => {
      await page.mouse.move(1, 1);
      await inLinter(page, '.kh-tooltip:not(.kh-field-doc)').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'a field’s documentation tooltip on a key',
    bothThemes: true,
    enter: async (page) => {
      await inLinter(page, '.cm-line span')
        .filter({ hasText: /^kind$/ })
        .first()
        .hover();
      await inLinter(page, '.kh-field-doc').waitFor();
    },
    leave: async (page) => {
      await page.mouse.move(1, 1);
      await inLinter(page, '.kh-field-doc').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'the fix-all dialog with its diff',
    enter: async (page) => {
      await inLinter(page, 'button.kh-fix-all-button').click();
      await inLinter(page, 'dialog.kh-fix-all-dialog .kh-diff').waitFor();
    },
    leave: async (page) => {
      await page.keyboard.press('Escape');
      await inLinter(page, 'dialog.kh-fix-all-dialog').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'the policies dialog with a policy, its error and its text being edited',
    enter: async (page) => {
      await nextResult(page, () =>
        page.evaluate((policies) => {
          document.querySelector('kubeharden-linter').policies = policies;
        }, POLICIES),
      );
      await inLinter(page, 'button.kh-policies-button').click();
      await inLinter(page, 'dialog.kh-policies-dialog .kh-policy-problem').waitFor();
      await inLinter(page, 'dialog.kh-policies-dialog .kh-policy-edit').first().click();
      await inLinter(page, 'dialog.kh-policies-dialog textarea.kh-policy-text').waitFor();
    },
    leave: async (page) => {
      await page.keyboard.press('Escape');
      await inLinter(page, 'dialog.kh-policies-dialog').waitFor({ state: 'hidden' });
      await nextResult(page, () =>
        page.evaluate(() => {
          document.querySelector('kubeharden-linter').policies = [];
        }),
      );
    },
  },
  {
    name: 'a policy’s finding selected',
    enter: async (page) => {
      await nextResult(page, () =>
        page.evaluate(
          (policies) => {
            document.querySelector('kubeharden-linter').policies = policies;
          },
          POLICIES.slice(0, 1),
        ),
      );
      await inLinter(page, '.kh-filter-text').fill('conftest');
      await inLinter(page, '.kh-finding[data-rule="conftest/main/deny"]').click();
      await inLinter(page, '.kh-details .kh-policy-ref').waitFor();
    },
    leave: async (page) => {
      await inLinter(page, '.kh-filter-text').fill('');
      await nextResult(page, () =>
        page.evaluate(() => {
          document.querySelector('kubeharden-linter').policies = [];
        }),
      );
    },
  },
];

const site = usePageServer();

/** Checks `page` in each variant, then goes back to the first. */
async function checkVariants(page, state) {
  for (const v of VARIANTS) {
    await page.emulateMedia({ colorScheme: v.colorScheme });
    await page.setViewportSize(v.viewport);
    await expectAccessible(page, `${state} (${v.name})`);
  }
  await page.emulateMedia({ colorScheme: VARIANTS[0].colorScheme });
  await page.setViewportSize(VARIANTS[0].viewport);
}

describe('the page passes axe (WCAG 2.1 AA)', { timeout: TIMEOUT * 4 }, () => {
  let opened;
  before(async () => {
    opened = await openPage(site.browser, site.server.url, { viewport: WIDE });
    await linterReady(opened.page);
  });
  after(() => opened?.context.close());

  for (const state of PAGE_STATES) {
    test(state.name, async () => {
      await state.enter(opened.page);
      // The tooltip only lives where the pointer is: it is checked in the variant it opened in.
      if (state.leave && state.name.includes('tooltip')) {
        await expectAccessible(opened.page, state.name);
        if (state.bothThemes) {
          // Opened again in the dark theme.
          await state.leave(opened.page);
          await opened.page.emulateMedia({ colorScheme: 'dark' });
          await state.enter(opened.page);
          await expectAccessible(opened.page, `${state.name} (dark)`);
          await opened.page.emulateMedia({ colorScheme: VARIANTS[0].colorScheme });
        }
      } else await checkVariants(opened.page, state.name);
      await state.leave?.(opened.page);
    });
  }
});

test('the embed passes axe (WCAG 2.1 AA)', { timeout: TIMEOUT * 2 }, async () => {
  const { page, context } = await openPage(site.browser, `${site.server.url}embed.html`, { viewport: WIDE });
  await linterReady(page, '#review');
  await linterReady(page, '#scratch');
  await page.waitForFunction(() => document.getElementById('gate').dataset.state !== 'pending');
  await checkVariants(page, 'the embed: a readonly review and an empty editable instance');
  await context.close();
});
