// The web page in Chromium: linting happens in the page, findings appear with their lines.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { launch, serveDir } from './helpers.mjs';
import { root } from '../node/helpers.mjs';

let browser;
let server;

before(async () => {
  browser = await launch();
  server = await serveDir(join(root, 'web/dist'));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('pasting a privileged pod shows its findings', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.fill('#input', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n    securityContext: {privileged: yes}\n');
  await page.waitForFunction(() => document.body.textContent.includes('pss-privileged'));
  const text = await page.textContent('body');
  assert.match(text, /8:\d+ error \[pss-privileged\]/);
  assert.deepEqual(errors, []);
  await page.close();
});
