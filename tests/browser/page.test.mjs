// The web page in Chromium: paste manifests, read the findings, jump to them, filter them,
// change the profile, fix them; and the page's promises: no request leaves it, manifest text is
// never HTML, a strict CSP holds, the linter survives its worker dying.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { explain } from '../../pkg/node.mjs';
import {
  inLinter,
  linterReady,
  nextResult,
  openPage,
  paste,
  replaceText,
  TIMEOUT,
  usePageServer,
  visibleFindings,
} from './helpers.mjs';

// An insecure Deployment; the comments give the line and column each finding must point at.
const INSECURE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: true
      containers:
      - name: app
        image: nginx:latest
        securityContext:
          privileged: true
`;
const EXPECTED = [
  { rule: 'pss-host-namespaces', line: 13, column: 20, severity: 'error' }, // hostNetwork: >true<
  { rule: 'image-tag-latest', line: 16, column: 16, severity: 'warning' }, // image: >nginx:latest<
  { rule: 'writable-root-filesystem', line: 17, column: 9, severity: 'warning' }, // >securityContext<
  { rule: 'pss-privileged', line: 18, column: 23, severity: 'error' }, // privileged: >true<
];

const site = usePageServer();

async function freshPage(options) {
  const opened = await openPage(site.browser, site.server.url, options);
  await linterReady(opened.page);
  return opened;
}

function pick(findings, rule) {
  return findings.filter((f) => f.rule === rule);
}

describe('pasting an insecure Deployment', { timeout: TIMEOUT * 4 }, () => {
  let page;
  let context;
  let log;

  before(async () => {
    ({ page, context, log } = await freshPage());
  });

  after(() => context?.close());

  test('shows the expected findings at the right lines', async () => {
    const report = await nextResult(page, () => paste(page, INSECURE));
    assert.equal(report.config.profile, 'hardened');
    const rows = await visibleFindings(page);
    for (const e of EXPECTED) {
      const row = rows.find((r) => r.rule === e.rule && r.line === e.line);
      assert.ok(row, `${e.rule} at line ${e.line} in ${JSON.stringify(rows.map((r) => `${r.rule}@${r.line}`))}`);
      assert.equal(row.column, e.column, e.rule);
      assert.equal(row.severity, e.severity, e.rule);
      assert.equal(row.source, 'manifest.yaml');
      // The report says the same as the list.
      assert.ok(
        report.findings.some(
          (f) => f.rule === e.rule && f.span.start.line === e.line && f.span.start.column === e.column,
        ),
      );
    }
    // The editor marks the spans, with a marker in the gutter of each line.
    assert.ok((await inLinter(page, '.cm-content .kh-mark-error').count()) >= 2);
    assert.ok((await inLinter(page, '.kh-findings-gutter .kh-gutter-marker').count()) >= 3);
    // The tab counts the findings; the status line too.
    assert.equal(
      Number(await inLinter(page, '.kh-tab-count').textContent()),
      report.summary.error + report.summary.warning + report.summary.info,
    );
    assert.match(await inLinter(page, '.kh-status-text').textContent(), new RegExp(`${report.summary.error} errors`));
  });

  test('clicking a finding selects its text in the editor and shows its documentation', async () => {
    await inLinter(page, '.kh-finding[data-rule="pss-privileged"]').click();
    await page.waitForFunction(() => document.querySelector('kubeharden-linter').selection.line === 18);
    const selection = await page.evaluate(() => document.querySelector('kubeharden-linter').selection);
    assert.deepEqual(
      { text: selection.text, line: selection.line, column: selection.column },
      { text: 'true', line: 18, column: 23 },
    );
    const details = inLinter(page, '.kh-details');
    await details.waitFor();
    assert.equal(await details.locator('.kh-details-rule').textContent(), 'pss-privileged');
    assert.match(await details.textContent(), /Why it matters/);
    assert.match(await details.textContent(), /How to fix/);
    // The rule's docs have the sections of `kubeharden explain`, in its order.
    const sections = (await details.locator('.kh-docs h3').allTextContents()).map((t) => t.trim());
    const explained = [...explain('pss-privileged').matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(sections, explained);
    // References are links that open elsewhere, without a referrer.
    const link = details.locator('.kh-refs a').first();
    assert.match(await link.getAttribute('href'), /^https:\/\//);
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    // The fix, as a diff.
    assert.match(await details.locator('.kh-diff').textContent(), /-\s+privileged: true\n\+\s+privileged: false/);
  });

  test('hovering a marked span shows its message', async () => {
    await inLinter(page, '.cm-content .kh-mark-warning', 'kubeharden-linter')
      .filter({ hasText: 'nginx:latest' })
      .hover();
    const tooltip = inLinter(page, '.kh-tooltip');
    await tooltip.waitFor();
    assert.match(await tooltip.textContent(), /image-tag-latest/);
    await page.mouse.move(5, 5);
  });

  test('the keyboard walks the findings; Enter goes to the editor', async () => {
    await inLinter(page, '.kh-list').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const active = await page.evaluate(() => {
      const root = document.querySelector('kubeharden-linter').shadowRoot;
      const list = root.querySelector('.kh-list');
      return root.getElementById(list.getAttribute('aria-activedescendant'))?.dataset.rule;
    });
    assert.ok(active, 'a finding is active');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.querySelector('kubeharden-linter').shadowRoot.activeElement?.classList.contains('cm-content'),
    );
    const state = await page.evaluate(() => {
      const el = document.querySelector('kubeharden-linter');
      return { focused: el.shadowRoot.activeElement?.classList.contains('cm-content'), selection: el.selection };
    });
    assert.equal(state.focused, true);
    assert.ok(state.selection.to > state.selection.from);
  });

  test('severity, family and text filters change the list', async () => {
    const all = await visibleFindings(page);
    await inLinter(page, '.kh-chip[data-severity="error"]').click();
    let rows = await visibleFindings(page);
    assert.equal(rows.filter((r) => r.severity === 'error').length, 0);
    assert.ok(pick(rows, 'image-tag-latest').length);
    await inLinter(page, '.kh-chip[data-severity="error"]').click();

    await inLinter(page, '.kh-family-filter').selectOption('workload');
    rows = await visibleFindings(page);
    assert.ok(rows.length && rows.every((r) => !r.rule.startsWith('pss-')), JSON.stringify(rows));
    assert.ok(pick(rows, 'writable-root-filesystem').length);
    await inLinter(page, '.kh-family-filter').selectOption('');

    await inLinter(page, '.kh-filter-text').fill('privileged');
    await page.waitForFunction(
      () =>
        ![...document.querySelector('kubeharden-linter').shadowRoot.querySelectorAll('.kh-finding')].some(
          (r) => r.dataset.rule === 'image-tag-latest',
        ),
    );
    rows = await visibleFindings(page);
    assert.ok(pick(rows, 'pss-privileged').length);
    await inLinter(page, '.kh-filter-text').fill('no such finding anywhere');
    await inLinter(page, '.kh-empty').getByText('No finding matches the filters').waitFor();
    await inLinter(page, '.kh-empty button').click();
    await page.waitForFunction(
      (n) => document.querySelector('kubeharden-linter').shadowRoot.querySelectorAll('.kh-finding').length === n,
      all.length,
    );
  });

  test('the profile and the Kubernetes version change the findings', async () => {
    let report = await nextResult(page, () => inLinter(page, 'select.kh-profile').selectOption('baseline'));
    assert.equal(report.config.profile, 'baseline');
    let rows = await visibleFindings(page);
    assert.ok(pick(rows, 'pss-privileged').length, 'baseline keeps privileged');
    assert.equal(pick(rows, 'writable-root-filesystem').length, 0, 'baseline drops hardened-only rules');
    assert.equal(pick(rows, 'image-tag-latest').length, 0);

    report = await nextResult(page, () => inLinter(page, 'select.kh-k8s-version').selectOption('v1.25'));
    assert.equal(report.config.kubernetesVersion, 'v1.25');

    report = await nextResult(page, () => inLinter(page, 'select.kh-profile').selectOption('hardened'));
    rows = await visibleFindings(page);
    assert.ok(pick(rows, 'writable-root-filesystem').length);
    await nextResult(page, () => inLinter(page, 'select.kh-k8s-version').selectOption('latest'));
  });

  test('a rule turned off stays off after a reload, as do the profile and version', async () => {
    await inLinter(page, 'button', 'kubeharden-linter').filter({ hasText: 'Rules' }).click();
    const dialog = inLinter(page, 'dialog.kh-dialog');
    await dialog.waitFor();
    const box = dialog.locator('label.kh-rule-row').filter({ hasText: 'image-tag-latest' }).locator('input');
    assert.equal(await box.isChecked(), true);
    const report = await nextResult(page, () => box.uncheck());
    assert.equal(report.findings.filter((f) => f.rule === 'image-tag-latest').length, 0);
    await dialog.locator('button[type=submit]').click();
    await inLinter(page, 'select.kh-profile').selectOption('restricted');

    await page.reload();
    await linterReady(page);
    assert.equal(await inLinter(page, 'select.kh-profile').inputValue(), 'restricted');
    const again = await nextResult(page, () => paste(page, INSECURE));
    assert.equal(again.config.profile, 'restricted');
    assert.match(await inLinter(page, '.kh-rules-label').textContent(), /1 changed/);
    // Back to the defaults for the next tests.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await linterReady(page);
    await nextResult(page, () => paste(page, INSECURE));
  });

  test('Apply fix edits the text, the finding goes away, and Copy fix copies a patch', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.server.url });
    await inLinter(page, '.kh-finding[data-rule="pss-privileged"]').click();
    await inLinter(page, '.kh-details button', 'kubeharden-linter').filter({ hasText: 'Copy fix' }).click();
    await page.waitForFunction(async () => (await navigator.clipboard.readText()).includes('+++ b/manifest.yaml'));
    const patch = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(patch, /^--- a\/manifest\.yaml\n\+\+\+ b\/manifest\.yaml\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    assert.match(patch, /\n-\s+privileged: true\n\+\s+privileged: false\n/);

    const report = await nextResult(page, () =>
      inLinter(page, '.kh-details button', 'kubeharden-linter').filter({ hasText: 'Apply fix' }).click(),
    );
    assert.equal(report.findings.filter((f) => f.rule === 'pss-privileged').length, 0);
    assert.match(await page.evaluate(() => document.querySelector('kubeharden-linter').value), /privileged: false/);
    // Undo brings it back.
    const undone = await nextResult(page, async () => {
      await inLinter(page, '.cm-content').focus();
      await page.keyboard.press('Control+z');
    });
    assert.ok(undone.findings.some((f) => f.rule === 'pss-privileged'));
  });

  test('nothing went wrong on the way', async () => {
    assert.deepEqual(log.errors, []);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
  });
});

test('privacy: no request leaves the page, manifest text stays text, the CSP holds', {
  timeout: TIMEOUT * 2,
}, async () => {
  const { page, context, log } = await freshPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  const probe = '<img src=x onerror=alert(1)>';
  const report = await nextResult(page, () =>
    paste(
      page,
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "${probe}"\n  namespace: "<script>alert(2)</script>"\nspec:\n  containers:\n  - name: "<b onmouseover=alert(3)>x</b>"\n    image: "javascript:alert(4)"\n    securityContext: {privileged: true}\n`,
    ),
  );
  assert.ok(report.findings.length);
  // The probe shows as text in the list (group header), in the details and in the tooltip.
  const header = inLinter(page, '.kh-group-name').first();
  assert.equal(await header.textContent(), `<script>alert(2)</script>/${probe}`);
  await inLinter(page, '.kh-finding').first().click();
  await inLinter(page, '.kh-details').waitFor();
  assert.ok((await inLinter(page, '.kh-details').textContent()).includes(probe));
  const injected = await page.evaluate(() => {
    const root = document.querySelector('kubeharden-linter').shadowRoot;
    return {
      img: root.querySelectorAll('img, script, b').length,
      pageImg: document.querySelectorAll('img:not([src="./favicon.svg"]), script:not([src])').length,
    };
  });
  assert.deepEqual(injected, { img: 0, pageImg: 0 });
  assert.deepEqual(dialogs, []);

  // Every request went to the page's own origin, for its own files.
  const own = new Set([
    '',
    'index.html',
    'page.css',
    'page.js',
    'kubeharden-linter.js',
    'worker.js',
    'kubeharden_bg.wasm',
    'favicon.svg',
  ]);
  for (const url of log.requests) {
    assert.ok(url.startsWith(site.server.url), `request to another origin: ${url}`);
    assert.ok(own.has(url.slice(site.server.url.length)), `unexpected request: ${url}`);
  }
  assert.ok(
    log.requests.some((u) => u.endsWith('/kubeharden_bg.wasm')),
    'the wasm module is fetched from the page origin',
  );

  // The CSP is there, strict, and enforced.
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  for (const directive of [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "connect-src 'self'",
    "style-src 'self'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
  ]) {
    assert.ok(csp.includes(directive), directive);
  }
  assert.ok(!/https?:/.test(csp), 'no remote origin in the CSP');
  const blocked = await page.evaluate(async () => {
    const out = {};
    try {
      await fetch('https://example.com/collect', { method: 'POST', body: 'x' });
      out.fetch = 'sent';
    } catch {
      out.fetch = 'blocked';
    }
    try {
      document.body.insertAdjacentHTML('beforeend', '<img src=x>');
      out.html = 'parsed';
    } catch {
      out.html = 'blocked';
    }
    return out;
  });
  assert.deepEqual(blocked, { fetch: 'blocked', html: 'blocked' });
  assert.ok((await page.evaluate(() => window.__violations)).some((v) => v.startsWith('connect-src')));
  // The privacy line is on the page.
  assert.match(await page.textContent('#privacy'), /never uploaded/);
  assert.deepEqual(
    log.errors.filter((e) => !/Content Security Policy|Trusted Type|TrustedHTML/i.test(e)),
    [],
  );
  await context.close();
});

test('a dead worker is replaced and a stale run is cancelled', { timeout: TIMEOUT * 2 }, async () => {
  const { page, context, log } = await freshPage();
  await nextResult(page, () => paste(page, INSECURE));
  // The worker stops answering (as if the browser had killed it).
  const [worker] = page.workers();
  assert.ok(worker, 'linting runs in a Web Worker');
  await Promise.race([worker.evaluate(() => self.close()).catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
  const report = await nextResult(page, () => replaceText(page, INSECURE.replace('name: web', 'name: web2')));
  assert.ok(report.findings.some((f) => f.resource.name === 'web2'));
  const restarts = await page.evaluate(() => document.querySelector('kubeharden-linter').client.restarts);
  assert.equal(restarts, 1, 'the silent worker was replaced');

  // A long run overtaken by new input: the page gets the result of the new input only.
  const big = Array.from({ length: 8000 }, (_, i) => INSECURE.replace('name: web', `name: big-${i}`)).join('---\n');
  const results = [];
  await page.exposeFunction('__onResult', (r) => results.push(r));
  await page.evaluate(() =>
    document
      .querySelector('kubeharden-linter')
      .addEventListener('result', (e) => window.__onResult({ documents: e.detail.summary.documents })),
  );
  const last = await nextResult(page, async () => {
    await replaceText(page, big);
    // Busy for a while (the client cancels runs older than 250 ms).
    await page.waitForFunction(() => {
      const { busy } = document.querySelector('kubeharden-linter').client;
      return busy?.acked && performance.now() - busy.sentAt > 400;
    });
    await replaceText(page, INSECURE);
  });
  assert.equal(last.summary.documents, 1);
  assert.deepEqual(results, [{ documents: 1 }]);
  assert.equal(
    await page.evaluate(() => document.querySelector('kubeharden-linter').client.restarts),
    2,
    'the busy worker was stopped',
  );
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('narrow screens and the dark theme', { timeout: TIMEOUT }, async () => {
  const { page, context, log } = await freshPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await nextResult(page, () => paste(page, INSECURE));
  const layout = await page.evaluate(() => {
    const el = document.querySelector('kubeharden-linter');
    const editor = el.shadowRoot.querySelector('.kh-editor').getBoundingClientRect();
    const list = el.shadowRoot.querySelector('.kh-findings').getBoundingClientRect();
    const app = el.shadowRoot.querySelector('.kh-app').getBoundingClientRect();
    const widest = Math.max(
      ...[...el.shadowRoot.querySelectorAll('.kh-main, .kh-toolbar, .kh-filters, .kh-status')].map(
        (e) => e.getBoundingClientRect().right,
      ),
    );
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      inner: Math.round(widest - app.right),
      stacked: list.top >= editor.bottom - 1,
      width: Math.round(list.width),
      bg: getComputedStyle(el.shadowRoot.querySelector('.kh-app')).backgroundColor,
    };
  });
  assert.ok(layout.overflow <= 0, `no horizontal scrolling (${layout.overflow}px)`);
  assert.ok(layout.inner <= 0, `nothing wider than the component (${layout.inner}px)`);
  assert.ok(layout.stacked, 'findings below the editor');
  assert.ok(layout.width >= 340, `${layout.width}`);
  assert.equal(layout.bg, 'rgb(13, 17, 23)', 'system dark theme');
  // The theme switch cycles system → light → dark.
  await page.click('#theme');
  assert.equal(await page.getAttribute('kubeharden-linter', 'theme'), 'light');
  await page.click('#theme');
  assert.equal(await page.getAttribute('kubeharden-linter', 'theme'), 'dark');
  assert.deepEqual(log.errors, []);
  await context.close();
});
