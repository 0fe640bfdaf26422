// The schema table in the core and the page's field docs are generated from the shared OpenAPI
// files (scripts/schema/generate.mjs): this test fails when a committed file is stale, like the
// docs/rules.md test does for the rule registry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DOCS_PATH, generate, TABLE_PATH } from '../../scripts/schema/generate.mjs';

const REGENERATE = 'node scripts/schema/generate.mjs';

test('the committed schema table and field docs are what the generator writes', () => {
  const { table, docs } = generate();
  assert.ok(
    readFileSync(TABLE_PATH).equals(table),
    `crates/kubeharden/src/schema/builtin.bin is stale: run ${REGENERATE}`,
  );
  assert.ok(readFileSync(DOCS_PATH, 'utf8') === docs, `web/field-docs.json is stale: run ${REGENERATE}`);
});

test('field docs give each field its type, first release and description', () => {
  const docs = JSON.parse(readFileSync(DOCS_PATH, 'utf8'));
  const container = docs.definitions.find((d) => d.name === 'core.v1.Container');
  const [type, since, description] = container.fields.image;
  assert.equal(type, 'string');
  assert.equal(since, 25);
  assert.match(description, /Container image name/);
  const context = docs.definitions.find((d) => d.name === 'core.v1.SecurityContext');
  assert.equal(context.fields.appArmorProfile[1], 30, 'appArmorProfile arrived in v1.30');
  assert.equal(context.fields.appArmorProfile[0], 'AppArmorProfile');
});
