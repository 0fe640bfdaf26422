// Shared helpers for browser tests: Debian's Chromium driven by playwright-core, and a local
// static server (the same one `npm start` uses). Tests wait for conditions, never for fixed
// times: the machine running them may be busy.

import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { root } from '../node/helpers.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Generous: a loaded 2-core machine can be ten times slower than a laptop. */
export const TIMEOUT = Number(process.env.KUBEHARDEN_BROWSER_TIMEOUT || 120_000);

/** Launches headless Chromium (fresh profile) with flags that keep it off the (closed) network. */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Serves `dir` on a free port; returns { url, close }. */
export async function serveDir(dir) {
  const server = await serve({ dir, listenPort: 0, listenHost: '127.0.0.1' });
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Opens a page and records what a test usually asserts on afterwards: page errors, console
 * errors, CSP violations and every request.
 */
export async function openPage(
  browser,
  url,
  { viewport = { width: 1400, height: 900 }, colorScheme = 'light', acceptDownloads = false } = {},
) {
  const context = await browser.newContext({ viewport, colorScheme, acceptDownloads });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const log = { errors: [], requests: [], violations: [] };
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(`console: ${m.text()}`);
  });
  context.on('request', (r) => log.requests.push(r.url()));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      true,
    );
  });
  await page.goto(url);
  return { page, context, log };
}

/**
 * Waits until the linter on the page (first <kubeharden-linter>, or `selector`) is ready and has
 * finished its first lint, so that the next `result` event belongs to what the test does next.
 */
export async function linterReady(page, selector = 'kubeharden-linter') {
  await page.waitForFunction((sel) => {
    const root = document.querySelector(sel)?.shadowRoot;
    return (
      root?.querySelector('.kh-version')?.textContent?.startsWith('kubeharden') &&
      root.querySelector('.kh-app')?.dataset.state === 'done'
    );
  }, selector);
}

/**
 * Runs `action` and resolves with the next `result` event's report (as plain data).
 * `action` runs in Node; the listener is installed in the page first.
 */
export async function nextResult(page, action, selector = 'kubeharden-linter') {
  await page.evaluate((sel) => {
    const el = document.querySelector(sel);
    window.__nextResult = new Promise((resolve) =>
      el.addEventListener('result', (e) => resolve(e.detail), { once: true }),
    );
  }, selector);
  await action();
  return page.evaluate(() => window.__nextResult.then((r) => JSON.parse(JSON.stringify(r))));
}

/** Pastes text into the editor the way a browser does (a paste event with clipboard data). */
export async function paste(page, text, selector = 'kubeharden-linter') {
  await page.evaluate(
    ({ sel, text: t }) => {
      const content = document.querySelector(sel).shadowRoot.querySelector('.cm-content');
      content.focus();
      const data = new DataTransfer();
      data.setData('text/plain', t);
      content.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { sel: selector, text },
  );
}

/** Selects everything in the editor and pastes `text` over it. */
export async function replaceText(page, text, selector = 'kubeharden-linter') {
  await page.evaluate((sel) => {
    const view = document.querySelector(sel).editorView;
    view.dispatch({ selection: { anchor: 0, head: view.state.doc.length } });
  }, selector);
  await paste(page, text, selector);
}

/** Drops files ([{name, text}]) on the linter, as dragging them from a file manager does. */
export async function dropFiles(page, files, selector = 'kubeharden-linter') {
  await page.evaluate(
    ({ sel, files: list }) => {
      const target = document.querySelector(sel).shadowRoot.querySelector('.kh-editor');
      const data = new DataTransfer();
      for (const f of list) data.items.add(new File([f.text], f.name, { type: 'application/yaml' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, composed: true }),
        );
      }
    },
    { sel: selector, files },
  );
}

/** The finding rows on screen: [{rule, message, line, column, source, severity}]. */
export async function visibleFindings(page, selector = 'kubeharden-linter') {
  return page.evaluate((sel) => {
    const rows = document.querySelector(sel).shadowRoot.querySelectorAll('.kh-finding');
    return [...rows]
      .sort(
        (a, b) => new DOMMatrix(getComputedStyle(a).transform).m42 - new DOMMatrix(getComputedStyle(b).transform).m42,
      )
      .map((r) => ({
        rule: r.dataset.rule,
        message: r.querySelector('.kh-finding-message').textContent,
        line: Number(r.dataset.line),
        column: Number(r.dataset.column),
        source: r.dataset.source,
        severity: [...r.classList].find((c) => c.startsWith('kh-sev-')).slice(7),
      }));
  }, selector);
}

/** A locator inside the linter's shadow root (Playwright's CSS engine pierces open shadow roots). */
export function inLinter(page, css, selector = 'kubeharden-linter') {
  return page.locator(`${selector} ${css}`);
}

/**
 * Watches the page's main thread while `action` runs: a long-task observer in the page (the
 * measure), and a Chromium trace of the renderer's tasks with the CPU time each used. On a
 * loaded machine a task's wall time includes time the OS gave to other processes; the CPU time
 * says how long the page's own work held the thread. Returns { long: [{ms, at}], worst,
 * worstCpu, tasks } where worstCpu is the longest CPU time of a main-thread task.
 */
export async function watchMainThread(browser, page, action) {
  await page.evaluate(() => {
    window.__long = [];
    window.__longObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__long.push({ ms: Math.round(e.duration), at: Math.round(e.startTime) });
    });
    window.__longObserver.observe({ type: 'longtask' });
  });
  await browser.startTracing(page, { categories: ['toplevel', '__metadata'] });
  await action();
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const long = await page.evaluate(() => {
    window.__longObserver.disconnect();
    return window.__long;
  });
  const events = trace.traceEvents || trace;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasks = main
    ? events
        .filter(
          (e) =>
            e.pid === main.pid &&
            e.tid === main.tid &&
            e.ph === 'X' &&
            (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask'),
        )
        .map((e) => ({ wall: Math.round(e.dur / 1000), cpu: Math.round((e.tdur ?? e.dur) / 1000) }))
    : [];
  return {
    long,
    worst: long.reduce((m, t) => Math.max(m, t.ms), 0),
    worstCpu: tasks.reduce((m, t) => Math.max(m, t.cpu), 0),
    tasks: tasks.filter((t) => t.wall > 100),
  };
}

/**
 * Chromium and a server for the built page (web/dist), started before a test file's tests and
 * stopped after them. The returned object holds `browser` and `server` once they are up.
 */
export function usePageServer() {
  const site = {};
  before(async () => {
    site.browser = await launch();
    site.server = await serveDir(join(root, 'web/dist'));
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}
