// Several files: dropped or opened, linted together, each finding naming its file; the report
// exported as JSON and as SARIF 2.1.0 (checked by the SARIF multitool when it is installed).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { root } from '../node/helpers.mjs';
import {
  dropFiles,
  inLinter,
  linterReady,
  nextResult,
  openPage,
  TIMEOUT,
  usePageServer,
  visibleFindings,
} from './helpers.mjs';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
spec:
  hostPID: true
  containers:
  - name: shell
    image: busybox:1.36
    securityContext:
      privileged: true
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: example.com/api
`;

const site = usePageServer();
const tmp = join(root, 'tests/.tmp/browser');

before(() => {
  mkdirSync(tmp, { recursive: true });
});

test('two dropped files are linted together and each finding names its file; SARIF and JSON export', {
  timeout: TIMEOUT * 3,
}, async () => {
  const { page, context, log } = await openPage(site.browser, site.server.url, { acceptDownloads: true });
  await linterReady(page);
  const report = await nextResult(page, () =>
    dropFiles(page, [
      { name: 'debug-pod.yaml', text: POD },
      { name: 'api.yaml', text: DEPLOYMENT },
    ]),
  );
  assert.equal(report.summary.sources, 2);
  const sources = new Set(report.findings.map((f) => f.resource.source));
  assert.deepEqual([...sources].sort(), ['api.yaml', 'debug-pod.yaml']);
  const privileged = report.findings.find((f) => f.rule === 'pss-privileged');
  assert.equal(privileged.resource.source, 'debug-pod.yaml');
  assert.equal(privileged.span.start.line, 12);
  assert.ok(
    report.findings.some(
      (f) => f.rule === 'image-tag-latest' && f.resource.source === 'api.yaml' && f.span.start.line === 15,
    ),
  );

  // Tabs for both, the untouched empty buffer gone; the list names both files.
  assert.deepEqual(await inLinter(page, '.kh-tab').evaluateAll((tabs) => tabs.map((t) => t.dataset.file)), [
    'debug-pod.yaml',
    'api.yaml',
  ]);
  const rows = await visibleFindings(page);
  assert.deepEqual([...new Set(rows.map((r) => r.source))].sort(), ['api.yaml', 'debug-pod.yaml']);
  assert.ok((await inLinter(page, '.kh-group-source').allTextContents()).some((t) => t.startsWith('api.yaml')));

  // A finding in the other file switches the editor to that file. The list only renders the
  // rows in view, so the text filter brings this one up first.
  await inLinter(page, '.kh-filter-text').fill('image-tag-latest api.yaml');
  await inLinter(page, '.kh-finding[data-source="api.yaml"][data-rule="image-tag-latest"]').click();
  await inLinter(page, '.kh-filter-text').fill('');
  await page.waitForFunction(
    () =>
      document.querySelector('kubeharden-linter').selection.file === 'api.yaml' &&
      document.querySelector('kubeharden-linter').selection.line === 15,
  );
  assert.equal(await inLinter(page, '.kh-tab[aria-selected="true"]').getAttribute('data-file'), 'api.yaml');

  // SARIF download.
  const [sarifDownload] = await Promise.all([
    page.waitForEvent('download'),
    inLinter(page, 'button', 'kubeharden-linter').filter({ hasText: 'SARIF' }).click(),
  ]);
  assert.equal(sarifDownload.suggestedFilename(), 'kubeharden.sarif');
  const sarifPath = join(tmp, 'kubeharden.sarif');
  await sarifDownload.saveAs(sarifPath);
  const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.match(sarif.$schema, /sarif-2\.1\.0/);
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'kubeharden');
  assert.equal(run.results.length, report.findings.length);
  const uris = new Set(run.results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri));
  assert.deepEqual([...uris].sort(), ['api.yaml', 'debug-pod.yaml']);
  const sarifPrivileged = run.results.find((r) => r.ruleId === 'pss-privileged');
  assert.equal(sarifPrivileged.locations[0].physicalLocation.region.startLine, 12);
  const multitool = join(root, 'node_modules/.bin/sarif-multitool');
  if (existsSync(multitool)) {
    const out = join(tmp, 'validation.sarif');
    rmSync(out, { force: true });
    execFileSync(multitool, ['validate', sarifPath, '--output', out], { stdio: 'pipe', timeout: TIMEOUT });
    const errors = JSON.parse(readFileSync(out, 'utf8'))
      .runs.flatMap((r) => r.results)
      .filter((r) => r.level === 'error');
    assert.deepEqual(
      errors.map((e) => e.message?.text),
      [],
      'the SARIF multitool finds no error',
    );
  }

  // JSON download: the report the npm package returns.
  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    inLinter(page, 'button', 'kubeharden-linter').filter({ hasText: 'JSON' }).click(),
  ]);
  assert.equal(jsonDownload.suggestedFilename(), 'kubeharden-report.json');
  const jsonPath = join(tmp, 'report.json');
  await jsonDownload.saveAs(jsonPath);
  const exported = JSON.parse(readFileSync(jsonPath, 'utf8'));
  assert.equal(exported.schemaVersion, 1);
  assert.deepEqual(
    exported.findings,
    report.findings.map((f) => ({ ...f })),
  );
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the file picker opens several files; a file dropped again replaces its tab', {
  timeout: TIMEOUT * 2,
}, async () => {
  const { page, context, log } = await openPage(site.browser, site.server.url);
  await linterReady(page);
  const a = join(tmp, 'a.yaml');
  const b = join(tmp, 'b.json');
  writeFileSync(a, POD);
  writeFileSync(
    b,
    JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'json-pod' },
        spec: { hostNetwork: true, containers: [{ name: 'c', image: 'nginx:1.27' }] },
      },
      null,
      2,
    ),
  );
  const report = await nextResult(page, () => inLinter(page, 'input[type=file]').setInputFiles([a, b]));
  assert.deepEqual([...new Set(report.findings.map((f) => f.resource.source))].sort(), ['a.yaml', 'b.json']);
  const json = report.findings.find((f) => f.rule === 'pss-host-namespaces' && f.resource.source === 'b.json');
  assert.ok(json, 'JSON manifests are linted');
  assert.equal(json.span.start.line, 8);

  const again = await nextResult(page, () =>
    dropFiles(page, [{ name: 'a.yaml', text: POD.replace('privileged: true', 'privileged: false') }]),
  );
  assert.equal(await inLinter(page, '.kh-tab').count(), 2);
  assert.ok(!again.findings.some((f) => f.rule === 'pss-privileged'));
  // Closing a tab lints what is left.
  const left = await nextResult(page, () => inLinter(page, '.kh-tab-close').first().click());
  assert.equal(left.summary.sources, 1);
  assert.deepEqual(log.errors, []);
  await context.close();
});
