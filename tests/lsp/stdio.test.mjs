// `kubeharden lsp` spoken to over stdio, as an editor does: the handshake, diagnostics where the
// CLI puts its findings, which files get none, full and incremental changes, position
// encodings, and a clean shutdown.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LspClient, uriOf } from './client.mjs';
import { cliFindings, sameAsCli, workspaceCopy } from './helpers.mjs';

describe('kubeharden lsp over stdio', () => {
  let dir;
  let client;
  before(async () => {
    dir = workspaceCopy();
    client = new LspClient();
  });
  after(() => {
    client.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('initialize announces the capabilities and the negotiated encoding', async () => {
    const result = await client.initialize({
      rootDir: dir,
      capabilities: { general: { positionEncodings: ['utf-16'] } },
    });
    assert.equal(result.serverInfo.name, 'kubeharden');
    assert.equal(result.capabilities.positionEncoding, 'utf-16');
    assert.equal(result.capabilities.textDocumentSync.change, 2, 'incremental sync');
    assert.equal(result.capabilities.textDocumentSync.openClose, true);
  });

  test('diagnostics on open are the CLI findings, at its lines and columns', async () => {
    const path = join(dir, 'deploy.yaml');
    const uri = client.open(path, readFileSync(path, 'utf8'));
    const { diagnostics, version } = await client.diagnostics(uri);
    assert.equal(version, 1);
    const expected = cliFindings(dir).filter((f) => f.resource.source === 'deploy.yaml');
    assert.ok(expected.length > 10);
    sameAsCli(diagnostics, expected);
    const privileged = diagnostics.find((d) => d.code === 'pss-privileged');
    assert.equal(privileged.severity, 1);
    assert.equal(privileged.source, 'kubeharden');
    assert.match(privileged.codeDescription.href, /docs\/rules\.md#pss-privileged$/);
    const finding = expected.find((f) => f.rule === 'pss-privileged');
    assert.equal(privileged.message, `${finding.message}\nhelp: ${finding.help}`);
    // The image finding sits after an emoji: UTF-16 columns, as the CLI counts them.
    const image = diagnostics.find((d) => d.code === 'image-tag-latest');
    const line = readFileSync(path, 'utf8').split('\n')[image.range.start.line];
    assert.equal(line.slice(image.range.start.character, image.range.end.character), 'nginx:latest');
  });

  test('other YAML, Helm templates and Go templates get nothing', async () => {
    const since = client.notifications.length;
    const skipped = ['ci.yml', 'chart/templates/deployment.yaml', 'template.yaml'].map((name) => {
      const path = join(dir, name);
      return client.open(path, readFileSync(path, 'utf8'));
    });
    // The CLI does report the broken CI file and the template when it walks the folder.
    assert.ok(cliFindings(dir).some((f) => f.resource.source === 'ci.yml'));
    // A barrier: a manifest opened after them is linted in the same pass or later.
    const pod = join(dir, 'pod.yaml');
    await client.diagnostics(
      client.open(
        pod,
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  hostPID: true\n  containers: [{name: a, image: nginx:1.27}]\n',
      ),
      { since },
    );
    for (const uri of skipped) assert.deepEqual(client.published(uri, since), [], uri);
  });

  test('hover on a key shows the field documentation of the schema', async () => {
    const path = join(dir, 'deploy.yaml');
    const text = readFileSync(path, 'utf8');
    const uri = uriOf(path);
    const lines = text.split('\n');
    const at = (key) => {
      const line = lines.findIndex((l) => l.trimStart().startsWith(`${key}:`) || l.trimStart().startsWith(`- ${key}:`));
      assert.ok(line >= 0, `${key} in deploy.yaml`);
      return { line, character: lines[line].indexOf(key) + 1 };
    };
    const hover = async (position) =>
      (await client.request('textDocument/hover', { textDocument: { uri }, position })).result;
    const replicas = await hover(at('replicas'));
    assert.match(
      replicas.contents.value,
      /^\*\*spec\.replicas\*\* `integer \(int32\)` · Deployment apps\/v1\n\nNumber of desired pods/,
    );
    const containers = await hover(at('containers'));
    assert.match(containers.contents.value, /\*\*spec\.template\.spec\.containers\*\* `\[\]Container`/);
    assert.match(containers.contents.value, /List of containers belonging to the pod/);
  });

  test('incremental changes are applied and re-linted', async () => {
    const uri = uriOf(join(dir, 'deploy.yaml'));
    // `privileged: yes` -> `privileged: false` on line 20 (0-based 19), columns 24..27.
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 19, character: 24 }, end: { line: 19, character: 27 } }, text: 'false' },
      ],
    });
    const { diagnostics, version } = await client.diagnostics(uri, { version: 2 });
    assert.equal(version, 2);
    assert.ok(!diagnostics.some((d) => d.code === 'pss-privileged' || d.code === 'ambiguous-yaml-value'));
    assert.ok(diagnostics.some((d) => d.code === 'image-tag-latest'));
  });

  test('a full-text change replaces the document', async () => {
    const uri = uriOf(join(dir, 'deploy.yaml'));
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: "nginx:1.27"}]\n';
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
    const { diagnostics } = await client.diagnostics(uri, { version: 3 });
    const hostNetwork = diagnostics.find((d) => d.code === 'pss-host-namespaces');
    assert.deepEqual(hostNetwork.range.start, { line: 4, character: 15 });
    assert.ok(!diagnostics.some((d) => d.code === 'image-tag-latest'));
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = uriOf(join(dir, 'deploy.yaml'));
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const { diagnostics } = await client.diagnostics(uri);
    assert.deepEqual(diagnostics, []);
  });

  test('shutdown then exit ends the process with status 0, and stdout held only messages', async () => {
    const { response, code } = await client.stop();
    assert.equal(response.result, null);
    assert.equal(code, 0);
    assert.deepEqual(client.protocolErrors, []);
    // Built to unwind: a panic in a lint is caught rather than ending the process.
    assert.doesNotMatch(client.stderr, /panic=abort/);
  });
});

describe('position encodings and exits', () => {
  test('a client that prefers UTF-8 gets byte columns', async () => {
    const dir = workspaceCopy();
    const client = new LspClient();
    try {
      const result = await client.initialize({
        rootDir: dir,
        capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] } },
      });
      assert.equal(result.capabilities.positionEncoding, 'utf-8');
      const path = join(dir, 'deploy.yaml');
      const text = readFileSync(path, 'utf8');
      const { diagnostics } = await client.diagnostics(client.open(path, text));
      const image = diagnostics.find((d) => d.code === 'image-tag-latest');
      const line = Buffer.from(text.split('\n')[image.range.start.line], 'utf8');
      assert.equal(line.subarray(image.range.start.character, image.range.end.character).toString(), 'nginx:latest');
      // A UTF-8 change: the same value, replaced by byte columns.
      const start = line.indexOf('nginx:latest');
      client.notify('textDocument/didChange', {
        textDocument: { uri: uriOf(path), version: 2 },
        contentChanges: [
          {
            range: {
              start: { line: image.range.start.line, character: start },
              end: { line: image.range.start.line, character: start + 12 },
            },
            text: 'nginx:1.27',
          },
        ],
      });
      const changed = await client.diagnostics(uriOf(path), { version: 2 });
      assert.ok(!changed.diagnostics.some((d) => d.code === 'image-tag-latest'));
      assert.equal((await client.stop()).code, 0);
    } finally {
      client.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('exit without shutdown is status 1; requests before initialize are refused', async () => {
    const client = new LspClient();
    const early = await client.request('textDocument/hover', {
      textDocument: { uri: 'file:///x.yaml' },
      position: { line: 0, character: 0 },
    });
    assert.equal(early.error.code, -32002, 'ServerNotInitialized');
    await client.initialize({});
    const unknown = await client.request('kubeharden/nothing', {});
    assert.equal(unknown.error.code, -32601);
    client.notify('exit', null);
    assert.equal((await client.exited).code, 1);
    assert.deepEqual(client.protocolErrors, []);
  });
});
