// Code actions and hover over stdio: a quick fix per fixable finding, "fix all" (as a quick fix
// and as the source action editors run on save), "exempt this object", and rule docs on hover.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LspClient } from './client.mjs';
import { applyEdits, cliFindings, workspaceCopy } from './helpers.mjs';

/** The edits of a one-document workspace edit (`changes` or versioned `documentChanges`). */
const editsOf = (edit, uri) =>
  edit.documentChanges?.find((c) => c.textDocument.uri === uri)?.edits ?? edit.changes?.[uri] ?? [];

/** The rules the CLI reports for deploy.yaml with this text, in a copy of the workspace. */
const cliRules = (text) => {
  const copy = workspaceCopy();
  try {
    writeFileSync(join(copy, 'deploy.yaml'), text);
    return cliFindings(copy)
      .filter((f) => f.resource.source === 'deploy.yaml')
      .map((f) => f.rule);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
};

describe('code actions and hover', () => {
  let dir;
  let client;
  let uri;
  let text;
  let version = 1;
  let diagnostics;

  /** Replaces the document's text and waits for its new diagnostics. */
  async function change(next) {
    version += 1;
    text = next;
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    ({ diagnostics } = await client.diagnostics(uri, { version }));
  }

  const actionsAt = async (diagnostic, only) =>
    (
      await client.request('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], ...(only ? { only } : {}) },
      })
    ).result;

  before(async () => {
    dir = workspaceCopy();
    client = new LspClient();
    await client.initialize({
      rootDir: dir,
      capabilities: { workspace: { workspaceEdit: { documentChanges: true } } },
    });
    const path = join(dir, 'deploy.yaml');
    text = readFileSync(path, 'utf8');
    uri = client.open(path, text);
    ({ diagnostics } = await client.diagnostics(uri));
  });
  after(async () => {
    await client.stop();
    client.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a fixable finding offers its fix, fix all, and an exemption', async () => {
    const privileged = diagnostics.find((d) => d.code === 'pss-privileged');
    const actions = await actionsAt(privileged);
    const titles = actions.map((a) => a.title);
    // The applicability is in the title when the fix is not safe.
    assert.ok(titles.includes('Fix: set privileged: false (unsafe)'), titles.join('\n'));
    assert.ok(titles.includes('Fix all safe and hardening problems in this file'), titles.join('\n'));
    assert.ok(titles.includes('Exempt Deployment web from pss-privileged (kubeharden.io/ignore)'), titles.join('\n'));
    for (const a of actions) {
      assert.equal(a.kind, 'quickfix');
      assert.equal(
        a.edit.documentChanges[0].textDocument.version,
        version,
        'edits name the version they were made for',
      );
    }
    // The quick fix carries the diagnostic it fixes.
    const fix = actions.find((a) => a.title === 'Fix: set privileged: false (unsafe)');
    assert.equal(fix.diagnostics[0].code, 'pss-privileged');
    await change(applyEdits(text, editsOf(fix.edit, uri)));
    assert.ok(!diagnostics.some((d) => d.code === 'pss-privileged'), text);
    assert.deepEqual([...new Set(cliRules(text))].sort(), [...new Set(diagnostics.map((d) => d.code))].sort());
  });

  test('an unsafe fix says so in its title', async () => {
    const runAsNonRoot = diagnostics.find((d) => d.code === 'pss-run-as-non-root');
    const actions = await actionsAt(runAsNonRoot);
    assert.ok(
      actions.some((a) => /^Fix: .+ \(unsafe\)$/.test(a.title)),
      actions.map((a) => a.title).join('\n'),
    );
  });

  test('exempting the object adds the annotation with a reason placeholder', async () => {
    const image = diagnostics.find((d) => d.code === 'image-tag-latest');
    const exempt = (await actionsAt(image)).find((a) => a.title.startsWith('Exempt '));
    assert.equal(exempt.title, 'Exempt Deployment web from image-tag-latest (kubeharden.io/ignore)');
    await change(applyEdits(text, editsOf(exempt.edit, uri)));
    assert.match(
      text,
      /\n {2}namespace: shop\n {2}annotations:\n {4}kubeharden\.io\/ignore: "image-tag-latest"\n {4}kubeharden\.io\/ignore-reason: "TODO: [^"\n]+"\n/,
    );
    assert.ok(!diagnostics.some((d) => d.code === 'image-tag-latest' || d.code === 'unused-exemption'));
    // A second rule joins the same annotation.
    const writable = diagnostics.find((d) => d.code === 'writable-root-filesystem');
    const second = (await actionsAt(writable)).find(
      (a) => a.title === 'Exempt Deployment web from writable-root-filesystem (kubeharden.io/ignore)',
    );
    await change(applyEdits(text, editsOf(second.edit, uri)));
    assert.match(text, /kubeharden\.io\/ignore: "image-tag-latest, writable-root-filesystem"\n/);
    assert.equal(text.match(/ignore-reason/g).length, 1);
  });

  test('fix all applies every safe and hardening fix in one edit, in a few hunks', async () => {
    const before = diagnostics.length;
    const source = await actionsAt(diagnostics[0], ['source.fixAll']);
    assert.equal(source.length, 1);
    assert.equal(source[0].kind, 'source.fixAll.kubeharden');
    const edits = editsOf(source[0].edit, uri);
    assert.ok(edits.length >= 1);
    assert.ok(
      edits.every((e) => e.range.end.line - e.range.start.line < 5),
      'small edits, not the whole file',
    );
    await change(applyEdits(text, edits));
    assert.ok(diagnostics.length < before);
    // What remains fixable is unsafe only.
    for (const d of diagnostics) {
      const titles = (await actionsAt(d)).map((a) => a.title).filter((t) => t.startsWith('Fix: '));
      for (const t of titles) assert.match(t, /\(unsafe\)$/, `${d.code}: ${t}`);
    }
    assert.deepEqual((await actionsAt(diagnostics[0], ['source.fixAll'])).length, 0, 'nothing left for fix all');
  });

  test('hover on a finding shows the rule docs; on another key, its field docs', async () => {
    await change(readFileSync(join(dir, 'deploy.yaml'), 'utf8'));
    const privileged = diagnostics.find((d) => d.code === 'pss-privileged');
    const hover = (
      await client.request('textDocument/hover', { textDocument: { uri }, position: privileged.range.start })
    ).result;
    assert.equal(hover.contents.kind, 'markdown');
    for (const part of [
      '**pss-privileged** · error',
      '### Why it matters',
      '### How to fix',
      '### References',
      'docs/rules.md#pss-privileged',
    ]) {
      assert.ok(hover.contents.value.includes(part), `${part} in ${hover.contents.value}`);
    }
    assert.deepEqual(hover.range, privileged.range);
    // After the emoji on the image line: UTF-16 positions.
    const image = diagnostics.find((d) => d.code === 'image-tag-latest');
    const onImage = (
      await client.request('textDocument/hover', {
        textDocument: { uri },
        position: { line: image.range.start.line, character: image.range.start.character + 3 },
      })
    ).result;
    assert.match(onImage.contents.value, /^\*\*image-tag-latest\*\*/);
    const replicas = text.split('\n').findIndex((l) => l.includes('replicas'));
    const field = await client.request('textDocument/hover', {
      textDocument: { uri },
      position: { line: replicas, character: 4 },
    });
    assert.match(field.result.contents.value, /^\*\*spec\.replicas\*\* `integer \(int32\)` · Deployment apps\/v1/);
  });
});
