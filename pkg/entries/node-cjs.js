// Source of `node.cjs`, bundled to CommonJS at build time (glue and API included): Node.js
// `require()`. The module is read from disk and instantiated synchronously on the first call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApi } from './api.js';
import * as glue from './kubeharden.js';
import * as celGlue from './kubeharden_cel.js';
import * as policyGlue from './kubeharden_policy.js';
import { readLocal } from './node-local.js';

const api = createApi(glue, {
  // eslint-disable-next-line no-undef
  syncSource: () => readFileSync(join(__dirname, 'kubeharden_bg.wasm')),
  readLocal,
  // The rules' docs, read on the first call that needs them.
  // eslint-disable-next-line no-undef
  docs: () => readFileSync(join(__dirname, 'data', 'rule-docs.json')),
  // The schema table, read on the first call.
  schema: () => readFileSync(join(__dirname, 'data', 'schema-table.json')),
  policy: {
    glue: policyGlue,
    // eslint-disable-next-line no-undef
    syncSource: () => readFileSync(join(__dirname, 'kubeharden_policy_bg.wasm')),
    readLocal,
  },
  cel: {
    glue: celGlue,
    // eslint-disable-next-line no-undef
    syncSource: () => readFileSync(join(__dirname, 'kubeharden_cel_bg.wasm')),
    readLocal,
  },
});

export const {
  version,
  KubehardenError,
  ready,
  readyPolicies,
  lint,
  fix,
  rules,
  explain,
  fieldAt,
  toSarif,
  defaultConfig,
} = api;
export default api;
