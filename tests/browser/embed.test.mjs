// <kubeharden-linter> embedded in a mock portal (web/embed.html): attributes, readonly, the
// `result` event, and the properties a host page uses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inLinter, linterReady, nextResult, openPage, TIMEOUT, usePageServer } from './helpers.mjs';

const site = usePageServer();

test('the embed in a mock portal emits `result` and honours its attributes', { timeout: TIMEOUT * 3 }, async () => {
  const { page, context, log } = await openPage(site.browser, `${site.server.url}embed.html`);
  await linterReady(page, '#review');
  await linterReady(page, '#scratch');

  // The portal's gate is driven by the review instance's `result` event.
  await page.waitForFunction(() => document.getElementById('gate').dataset.state !== 'pending');
  assert.equal(await page.getAttribute('#gate', 'data-state'), 'blocked');
  assert.match(await page.textContent('#gate-text'), /^Blocked: \d+ errors? /);
  const review = await page.evaluate(() => {
    const { report } = document.getElementById('review');
    return {
      config: report.config,
      rules: report.findings.map((f) => f.rule),
      source: report.findings[0].resource.source,
    };
  });
  assert.deepEqual(review.config, { profile: 'restricted', kubernetesVersion: 'v1.30' });
  assert.ok(review.rules.includes('pss-host-namespaces'), review.rules.join());
  assert.equal(review.source, 'payments-api.yaml');

  // readonly: no typing, no file controls, fixes can be copied but not applied.
  const before = await page.evaluate(() => document.getElementById('review').value);
  await inLinter(page, '.cm-content', '#review').click();
  await page.keyboard.type('oops');
  assert.equal(await page.evaluate(() => document.getElementById('review').value), before);
  assert.equal(await inLinter(page, 'button', '#review').filter({ hasText: 'Open files' }).isVisible(), false);
  const withFix = inLinter(page, '.kh-finding', '#review')
    .filter({ has: page.locator('.kh-fix-badge') })
    .first();
  if (await withFix.count()) {
    await withFix.click();
    const apply = inLinter(page, '.kh-details button', '#review').filter({ hasText: 'Apply fix' });
    assert.equal(await apply.isDisabled(), true);
  }

  // The editable instance: value, profile and kubernetes-version attributes, each a new result
  // that bubbles out of the shadow root.
  await page.evaluate(() => {
    window.__bubbled = [];
    document.addEventListener('result', (e) => window.__bubbled.push(e.target.id));
  });
  const manifest =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: nginx:1.27\n';
  let report = await nextResult(
    page,
    () => page.evaluate((v) => document.getElementById('scratch').setAttribute('value', v), manifest),
    '#scratch',
  );
  assert.ok(
    report.findings.some(
      (f) => f.rule === 'pss-host-namespaces' && f.span.start.line === 6 && f.resource.source === 'proposal.yaml',
    ),
  );
  assert.equal(report.config.profile, 'restricted');
  report = await nextResult(
    page,
    () => page.evaluate(() => document.getElementById('scratch').setAttribute('profile', 'baseline')),
    '#scratch',
  );
  assert.equal(report.config.profile, 'baseline');
  report = await nextResult(
    page,
    () => page.evaluate(() => document.getElementById('scratch').setAttribute('kubernetes-version', 'v1.29')),
    '#scratch',
  );
  assert.equal(report.config.kubernetesVersion, 'v1.29');
  assert.ok((await page.evaluate(() => window.__bubbled)).includes('scratch'));
  assert.equal(await page.evaluate(() => document.getElementById('scratch').value), manifest);

  // Requests: the page's own files only. No errors, no CSP violation.
  for (const url of log.requests) assert.ok(url.startsWith(site.server.url), url);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await context.close();
});

test('an element created by script: properties before it is attached, lint(), files', {
  timeout: TIMEOUT * 2,
}, async () => {
  const { page, context, log } = await openPage(site.browser, `${site.server.url}embed.html`);
  await linterReady(page, '#review');
  const summary = await page.evaluate(async () => {
    const el = document.createElement('kubeharden-linter');
    el.id = 'dynamic';
    el.setAttribute('profile', 'baseline');
    el.files = [
      {
        name: 'one.yaml',
        text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - {name: c, image: nginx, securityContext: {privileged: true}}\n',
      },
      {
        name: 'two.yaml',
        text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  hostPID: true\n  containers:\n  - {name: c, image: nginx}\n',
      },
    ];
    document.querySelector('main').append(el);
    const report = await el.lint();
    return {
      sources: [...new Set(report.findings.map((f) => f.resource.source))].sort(),
      profile: report.config.profile,
      files: el.files.map((f) => f.name),
    };
  });
  assert.deepEqual(summary, {
    sources: ['one.yaml', 'two.yaml'],
    profile: 'baseline',
    files: ['one.yaml', 'two.yaml'],
  });
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a host page whose CSP forbids workers still gets findings (linting on the main thread)', {
  timeout: TIMEOUT * 2,
}, async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/no-workers.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'none'; style-src 'self'">
<script type="module" src="./kubeharden-linter.js"></script>
<kubeharden-linter value="apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: c, image: nginx:1.27, securityContext: {privileged: true}}
"></kubeharden-linter>`,
    }),
  );
  await page.goto(`${site.server.url}no-workers.html`);
  await linterReady(page);
  const report = await page.evaluate(() => document.querySelector('kubeharden-linter').report);
  assert.ok(report.findings.some((f) => f.rule === 'pss-privileged'));
  assert.equal(await page.evaluate(() => document.querySelector('kubeharden-linter').client.inline), true);
  assert.deepEqual(errors, []);
  await context.close();
});
