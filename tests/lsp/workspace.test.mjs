// The workspace as the server sees it: cross-file rules over the folder, a change in one file
// re-linting the files it affects, files changing on disk, .kubeharden.yaml reloaded (and
// reported when it is broken), the editor's settings, and diagnostics for the whole folder.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LspClient, uriOf } from './client.mjs';
import { cliFindings, sameAsCli, workspaceCopy } from './helpers.mjs';

const watching = {
  workspace: {
    didChangeWatchedFiles: { dynamicRegistration: true },
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
  },
};
const codes = (diagnostics) => diagnostics.map((d) => d.code);

describe('workspace folders', () => {
  let dir;
  let client;
  let deploy;
  let settings = { debounceMs: 20 };
  before(async () => {
    dir = workspaceCopy();
    client = new LspClient({ handlers: { 'workspace/configuration': (p) => p.items.map(() => settings) } });
    await client.initialize({ rootDir: dir, capabilities: watching, initializationOptions: { debounceMs: 20 } });
    deploy = uriOf(join(dir, 'deploy.yaml'));
  });
  after(async () => {
    await client.stop();
    client.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the server registers its file watchers and configuration changes', async () => {
    // The server asks for its settings after registering: wait for both, they race the test.
    await client.until(
      () =>
        client.serverRequests.filter((r) => r.method === 'client/registerCapability').length >= 2 &&
        client.serverRequests.some((r) => r.method === 'workspace/configuration'),
    );
    const registrations = client.serverRequests
      .filter((r) => r.method === 'client/registerCapability')
      .flatMap((r) => r.params.registrations);
    const watch = registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    const globs = watch.registerOptions.watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.{yaml,yml,json}') && globs.includes('**/.kubeharden.{yaml,yml}'), globs.join(' '));
    assert.ok(registrations.some((r) => r.method === 'workspace/didChangeConfiguration'));
    assert.ok(client.serverRequests.some((r) => r.method === 'workspace/configuration'));
  });

  test('NetworkPolicies in other files count, and editing one re-lints the files it affects', async () => {
    const { diagnostics } = await client.diagnostics(
      client.open(join(dir, 'deploy.yaml'), readFileSync(join(dir, 'deploy.yaml'), 'utf8')),
    );
    assert.ok(!codes(diagnostics).includes('pod-not-isolated'), 'network.yaml selects the pods');
    sameAsCli(
      diagnostics,
      cliFindings(dir).filter((f) => f.resource.source === 'deploy.yaml'),
    );
    // Open network.yaml and make its selector miss: deploy.yaml (not edited) gets the finding.
    const network = join(dir, 'network.yaml');
    const uri = client.open(network, readFileSync(network, 'utf8'));
    const since = client.notifications.length;
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 8, character: 11 }, end: { line: 8, character: 14 } }, text: 'api' }],
    });
    const isolated = await client.diagnostics(deploy, { since });
    assert.ok(codes(isolated.diagnostics).includes('pod-not-isolated'), codes(isolated.diagnostics).join(' '));
    // Closing it unsaved: the file on disk counts again.
    const closed = client.notifications.length;
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const back = await client.diagnostics(deploy, { since: closed });
    assert.ok(!codes(back.diagnostics).includes('pod-not-isolated'));
  });

  test('files changed or deleted on disk are read again', async () => {
    const network = join(dir, 'network.yaml');
    writeFileSync(network, readFileSync(network, 'utf8').replace('app: web', 'app: db'));
    let since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(network), type: 2 }] });
    const changed = (await client.diagnostics(deploy, { since })).diagnostics;
    assert.ok(codes(changed).includes('pod-not-isolated'));
    sameAsCli(
      changed,
      cliFindings(dir).filter((f) => f.resource.source === 'deploy.yaml'),
    );
    writeFileSync(network, readFileSync(network, 'utf8').replace('app: db', 'app: web'));
    since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(network), type: 2 }] });
    assert.ok(!codes((await client.diagnostics(deploy, { since })).diagnostics).includes('pod-not-isolated'));
    unlinkSync(network);
    since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(network), type: 3 }] });
    assert.ok(codes((await client.diagnostics(deploy, { since })).diagnostics).includes('pod-not-isolated'));
    // A new file is found.
    writeFileSync(
      join(dir, 'deny.yaml'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n',
    );
    since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(dir, 'deny.yaml')), type: 1 }] });
    const found = codes((await client.diagnostics(deploy, { since })).diagnostics);
    assert.ok(!found.includes('pod-not-isolated') && !found.includes('missing-default-deny-ingress'), found.join(' '));
  });

  test('a new Chart.yaml turns the files below it into chart templates', async () => {
    const folder = join(dir, 'app');
    mkdirSync(folder);
    const path = join(folder, 'pod.yaml');
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  hostPID: true\n  containers: [{name: a, image: nginx:1.27}]\n';
    writeFileSync(path, text);
    const uri = client.open(path, text);
    assert.ok(codes((await client.diagnostics(uri)).diagnostics).includes('pss-host-namespaces'));
    writeFileSync(join(folder, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
    const since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(join(folder, 'Chart.yaml')), type: 1 }],
    });
    assert.deepEqual((await client.diagnostics(uri, { since })).diagnostics, []);
    client.notify('textDocument/didClose', { textDocument: { uri } });
  });

  test('.kubeharden.yaml applies, is reloaded when it changes, and is reported when broken', async () => {
    const config = join(dir, '.kubeharden.yaml');
    writeFileSync(config, 'rules:\n  image-tag-latest: off\n  pss-privileged: warning\n');
    let since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 1 }] });
    let { diagnostics } = await client.diagnostics(deploy, { since });
    assert.ok(!codes(diagnostics).includes('image-tag-latest'));
    assert.equal(diagnostics.find((d) => d.code === 'pss-privileged').severity, 2);
    sameAsCli(
      diagnostics,
      cliFindings(dir).filter((f) => f.resource.source === 'deploy.yaml'),
    );
    // Broken: the file gets an error at its position, linting keeps the last good configuration.
    writeFileSync(config, 'rules:\n  image-tag-latest: off\n  no-such-rule: on\n');
    since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 2 }] });
    const problem = await client.diagnostics(uriOf(config), { since });
    assert.equal(problem.diagnostics[0].code, 'invalid-config');
    assert.match(problem.diagnostics[0].message, /no-such-rule/);
    // Fixed: the error goes away.
    writeFileSync(config, 'profile: baseline\n');
    since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 2 }] });
    assert.deepEqual((await client.diagnostics(uriOf(config), { since })).diagnostics, []);
    ({ diagnostics } = await client.diagnostics(deploy, { since }));
    assert.ok(!codes(diagnostics).includes('pss-run-as-non-root'), 'baseline has no restricted checks');
    unlinkSync(config);
    since = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 3 }] });
    ({ diagnostics } = await client.diagnostics(deploy, { since }));
    assert.ok(codes(diagnostics).includes('pss-run-as-non-root'));
  });

  test('the editor settings override the configuration file', async () => {
    settings = { profile: 'baseline', rules: { 'pss-privileged': 'info' } };
    const since = client.notifications.length;
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const { diagnostics } = await client.diagnostics(deploy, { since });
    assert.ok(!codes(diagnostics).includes('pss-run-as-non-root'));
    assert.equal(diagnostics.find((d) => d.code === 'pss-privileged').severity, 3);
    sameAsCli(
      diagnostics,
      cliFindings(dir, ['--profile', 'baseline']).filter((f) => f.resource.source === 'deploy.yaml'),
    );
    // A bad value is named to the user and the rest applies.
    settings = { profile: 'paranoid', kubernetesVersion: 'v1.24' };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const shown = await client.waitFor((n) => n.method === 'window/showMessage', { since });
    assert.match(shown.params.message, /profile.*paranoid/);
  });
});

describe('diagnostics for the whole workspace', () => {
  test('every manifest of the folder, as `kubeharden lint` reports it, and nothing else', async () => {
    const dir = workspaceCopy();
    const client = new LspClient();
    try {
      await client.initialize({ rootDir: dir, initializationOptions: { diagnostics: 'workspace' } });
      const expected = cliFindings(dir);
      const files = [...new Set(expected.map((f) => f.resource.source))].filter(
        (f) => f !== 'ci.yml' && f !== 'template.yaml',
      );
      assert.ok(files.includes('deploy.yaml'));
      for (const name of files) {
        const { diagnostics } = await client.diagnostics(uriOf(join(dir, name)), { since: 0 });
        sameAsCli(
          diagnostics,
          expected.filter((f) => f.resource.source === name),
        );
      }
      // The CLI reports the broken CI file and the Go template; the server, which knows they
      // are not manifests, does not.
      for (const name of ['ci.yml', 'template.yaml', 'chart/templates/deployment.yaml']) {
        assert.deepEqual(client.published(uriOf(join(dir, name))), [], name);
      }
      assert.equal((await client.stop()).code, 0);
    } finally {
      client.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
