#!/usr/bin/env node
// Regenerates the screenshots shown in the README (docs/screenshots/): the page in light and
// dark themes, on a narrow screen, its Fix-all and Policies dialogs, and the web component
// embedded in the mock portal.
//
// Usage: node scripts/build.mjs --web-only && node tests/browser/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../node/helpers.mjs';
import { inLinter, launch, linterReady, nextResult, openPage, serveDir } from './helpers.mjs';

const out = join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const browser = await launch();
const server = await serveDir(join(root, 'web/dist'));

async function pageShot(name, { theme, viewport, rule }) {
  const { page, context } = await openPage(browser, server.url, { viewport, colorScheme: theme });
  await linterReady(page);
  await nextResult(page, () => inLinter(page, '.kh-example-button').first().click());
  if (rule) {
    await inLinter(page, `.kh-finding[data-rule="${rule}"]`).first().click();
    await inLinter(page, '.kh-details .kh-diff').waitFor();
  }
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, name) });
  await context.close();
  console.log(`docs/screenshots/${name}`);
}

await pageShot('page-light.png', { theme: 'light', viewport: { width: 1440, height: 900 }, rule: 'pss-privileged' });
await pageShot('page-dark.png', { theme: 'dark', viewport: { width: 1440, height: 900 }, rule: 'pss-host-namespaces' });
await pageShot('page-narrow.png', { theme: 'light', viewport: { width: 390, height: 844 } });

// The dialogs: Fix all on the example, and Policies with a conftest policy and a broken one.
{
  const { page, context } = await openPage(browser, server.url, { viewport: { width: 1440, height: 900 } });
  await linterReady(page);
  await nextResult(page, () => inLinter(page, '.kh-example-button').first().click());
  await inLinter(page, 'button.kh-fix-all-button').click();
  await inLinter(page, 'dialog.kh-fix-all-dialog .kh-diff').waitFor();
  await page.screenshot({ path: join(out, 'fix-all.png') });
  console.log('docs/screenshots/fix-all.png');
  await page.keyboard.press('Escape');
  await nextResult(page, () =>
    page.evaluate(() => {
      document.querySelector('kubeharden-linter').policies = [
        {
          name: 'team.rego',
          text: 'package main\n\ndeny contains msg if {\n  input.kind == "Deployment"\n  not input.metadata.labels.team\n  msg := sprintf("Deployment %s has no team label", [input.metadata.name])\n}\n',
        },
        { name: 'broken.rego', text: 'package broken\n\ndeny contains msg if {\n' },
      ];
    }),
  );
  await inLinter(page, 'button.kh-policies-button').click();
  await inLinter(page, 'dialog.kh-policies-dialog .kh-policy-problem').waitFor();
  await page.screenshot({ path: join(out, 'policies.png') });
  console.log('docs/screenshots/policies.png');
  await context.close();
}

const { page, context } = await openPage(browser, `${server.url}embed.html`, {
  viewport: { width: 1440, height: 1000 },
});
await linterReady(page, '#review');
await page.waitForFunction(() => document.getElementById('gate').dataset.state !== 'pending');
await page.screenshot({ path: join(out, 'embed.png') });
console.log('docs/screenshots/embed.png');
await context.close();

await browser.close();
await server.close();
