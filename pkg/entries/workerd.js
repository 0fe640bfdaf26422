// Entry for Cloudflare Workers (workerd; Wrangler and the Cloudflare Vite plugin pick it by
// the `workerd` condition). Workers may not compile WebAssembly from bytes at run time: the
// platform compiles the .wasm at upload and the import below yields a WebAssembly.Module.
// Instantiation is synchronous, on the first call.
// The rules' docs and the schema table are bundled with the worker (a worker reads no files)
// and handed to the .wasm on the first call that needs them.

import { createApi } from './api.js';
import ruleDocs from './data/rule-docs.json' with { type: 'json' };
import schemaTable from './data/schema-table.json' with { type: 'json' };
import * as glue from './kubeharden.js';
import wasmModule from './kubeharden_bg.wasm';
import * as celGlue from './kubeharden_cel.js';
import celModule from './kubeharden_cel_bg.wasm';
import * as policyGlue from './kubeharden_policy.js';
import policyModule from './kubeharden_policy_bg.wasm';

// The platform compiles the modules at upload; an engine module is instantiated on the first
// lint whose policies need it.
const api = createApi(glue, {
  syncSource: () => wasmModule,
  docs: () => ruleDocs,
  schema: () => schemaTable,
  policy: { glue: policyGlue, syncSource: () => policyModule },
  cel: { glue: celGlue, syncSource: () => celModule },
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
