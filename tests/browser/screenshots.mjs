#!/usr/bin/env node
// Regenerates the screenshots shown in the README (docs/screenshots/): the page in light and
// dark themes, on a narrow screen, and the web component embedded in the mock portal.
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
