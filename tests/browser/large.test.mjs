// A 5 MB input: findings appear, and the page's main thread is never blocked for more than
// 100 ms on the way (measured with a long-task observer, from the paste to the findings, then
// while scrolling to the last finding and selecting it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusFiles, root } from '../node/helpers.mjs';
import { inLinter, linterReady, openPage, TIMEOUT, usePageServer, watchMainThread } from './helpers.mjs';

const TARGET = 5 * 1024 * 1024;
const LIMIT_MS = 100;

// Real manifests (the shared corpus), then insecure Deployments (about 25 findings per KB) up
// to 5 MiB: both what people paste and the worst case for the number of findings.
function bigInput() {
  const parts = [];
  let size = 0; // bytes, separators included
  for (const file of corpusFiles()) {
    const text = readFileSync(join(root, file), 'utf8');
    const bytes = Buffer.byteLength(text) + 5;
    if (size + bytes > TARGET * 0.6) break;
    parts.push(text.endsWith('\n') ? text : `${text}\n`);
    size += bytes;
  }
  const corpusBytes = size;
  for (let i = 0; size < TARGET; i++) {
    const doc = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\n  namespace: shop\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          privileged: true\n`;
    parts.push(doc);
    size += doc.length + 4;
  }
  return { text: parts.join('---\n'), corpusBytes };
}

const site = usePageServer();

test('a 5 MB paste: findings appear and the main thread never blocks for more than 100 ms', {
  timeout: TIMEOUT * 5,
}, async () => {
  const { text, corpusBytes } = bigInput();
  assert.ok(Buffer.byteLength(text) >= TARGET);
  const { page, context, log } = await openPage(site.browser, site.server.url);
  await linterReady(page);
  // Set-up outside the measurement: the clipboard data, the focus, the result promise.
  await page.evaluate((t) => {
    window.__clipboard = new DataTransfer();
    window.__clipboard.setData('text/plain', t);
    const el = document.querySelector('kubeharden-linter');
    el.shadowRoot.querySelector('.cm-content').focus();
    window.__result = new Promise((resolve) =>
      el.addEventListener('result', (e) => resolve({ summary: e.detail.summary, at: performance.now() }), {
        once: true,
      }),
    );
  }, text);
  let result;
  let start;
  const watch = await watchMainThread(site.browser, page, async () => {
    start = await page.evaluate(() => {
      const content = document.querySelector('kubeharden-linter').shadowRoot.querySelector('.cm-content');
      const t = performance.now();
      content.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: window.__clipboard, bubbles: true, cancelable: true }),
      );
      return t;
    });
    result = await page.evaluate(() => window.__result);
    // The list and the editor show the findings.
    await inLinter(page, '.kh-finding').first().waitFor();
    // Jump to the end of the list and pick the last finding: the editor goes there.
    await inLinter(page, '.kh-list').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('kubeharden-linter').selection.line > 100_000);
    await inLinter(page, '.cm-content .kh-mark').first().waitFor();
  });
  const { summary } = result;
  const total = summary.error + summary.warning + summary.info;
  assert.ok(total > 10_000, `findings: ${total}`);
  assert.ok(summary.documents > 10_000);
  assert.match(
    await inLinter(page, '.kh-summary').textContent(),
    new RegExp(`${total.toLocaleString('en-US')} findings`),
  );
  const selection = await page.evaluate(() => document.querySelector('kubeharden-linter').selection);
  assert.ok(selection.to > selection.from, 'the last finding is selected in the editor');

  const load = loadavg()[0];
  console.log(
    `# ${(Buffer.byteLength(text) / 1048576).toFixed(2)} MiB (${(corpusBytes / 1048576).toFixed(2)} MiB of real manifests), ${summary.documents} documents, ` +
      `${total} findings in ${((result.at - start) / 1000).toFixed(1)} s; long tasks: ${watch.long.length}, longest ${watch.worst} ms ` +
      `(longest main-thread CPU time of a task: ${watch.worstCpu} ms; load average ${load.toFixed(1)} on ${cpus().length} cores)`,
  );
  if (watch.worst > LIMIT_MS) {
    // Over the limit by the observer's clock: acceptable only if no task of the page needed that
    // long on the CPU, i.e. the time went to other processes of a busy machine.
    assert.ok(
      watch.worstCpu <= LIMIT_MS && load > cpus().length,
      `main thread blocked for ${watch.worst} ms (${watch.worstCpu} ms of CPU): ${JSON.stringify(watch.long)}`,
    );
    console.log(`# over ${LIMIT_MS} ms by the wall clock only, on a busy machine: ${JSON.stringify(watch.tasks)}`);
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});
