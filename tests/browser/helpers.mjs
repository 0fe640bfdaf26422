// Shared helpers for browser tests: Debian's Chromium driven by playwright-core, and a local
// static server (the same one `npm start` uses).
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

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
