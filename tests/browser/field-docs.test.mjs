// Field documentation on hover: a key of a built-in kind shows its schema description, type and
// release; field-docs.json is fetched on the first hover on a key, never with the first paint
// nor with a lint, and once only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inLinter, linterReady, nextResult, openPage, paste, TIMEOUT, usePageServer } from './helpers.mjs';

const site = usePageServer();

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          appArmorProfile: {type: RuntimeDefault}
`;

/** The span of a key in the editor (CodeMirror highlights each key as its own span). */
const key = (page, name) =>
  inLinter(page, '.cm-line span')
    .filter({ hasText: new RegExp(`^${name}$`) })
    .first();

test('hovering a key shows its field documentation, loaded on demand', { timeout: TIMEOUT * 2 }, async () => {
  const { page, context, log } = await openPage(site.browser, site.server.url);
  const docsRequests = () => log.requests.filter((u) => u.endsWith('/field-docs.json'));
  await linterReady(page);
  await nextResult(page, () => paste(page, DEPLOYMENT));
  assert.deepEqual(docsRequests(), [], 'not with the first paint, nor with a lint');

  await key(page, 'replicas').hover();
  const tooltip = inLinter(page, '.kh-field-doc');
  await tooltip.waitFor();
  const text = await tooltip.textContent();
  assert.match(text, /spec\.replicas/);
  assert.match(text, /integer/);
  assert.match(text, /Number of desired pods/);
  assert.match(text, /Deployment apps\/v1/);
  assert.equal(docsRequests().length, 1);

  // A field added in a later release names it.
  await page.mouse.move(1, 1);
  await tooltip.waitFor({ state: 'hidden' });
  await key(page, 'appArmorProfile').hover();
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /since Kubernetes v1\.30/);
  assert.equal(docsRequests().length, 1, 'fetched once');
  assert.deepEqual(log.errors, []);
  await context.close();
});
