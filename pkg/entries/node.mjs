// Entry for Node.js (ESM `import`): the module is read from disk and instantiated
// synchronously on the first call, so `ready()` is optional and resolves at once.
import { readFileSync } from 'node:fs';
import { createApi } from './api.js';
import * as glue from './kubeharden.js';
import * as celGlue from './kubeharden_cel.js';
import * as policyGlue from './kubeharden_policy.js';
import { readLocal } from './node-local.js';

const api = createApi(glue, {
  syncSource: () => readFileSync(new URL('./kubeharden_bg.wasm', import.meta.url)),
  readLocal,
  // The rules' docs, read on the first call that needs them.
  docs: () => readFileSync(new URL('./data/rule-docs.json', import.meta.url)),
  // The schema table, read on the first call.
  schema: () => readFileSync(new URL('./data/schema-table.json', import.meta.url)),
  policy: {
    glue: policyGlue,
    syncSource: () => readFileSync(new URL('./kubeharden_policy_bg.wasm', import.meta.url)),
    readLocal,
  },
  cel: {
    glue: celGlue,
    syncSource: () => readFileSync(new URL('./kubeharden_cel_bg.wasm', import.meta.url)),
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
