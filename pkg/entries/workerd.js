// Entry for Cloudflare Workers (workerd; Wrangler and the Cloudflare Vite plugin pick it by
// the `workerd` condition). Workers may not compile WebAssembly from bytes at run time: the
// platform compiles the .wasm at upload and the import below yields a WebAssembly.Module.
// Instantiation is synchronous, on the first call.
// The rules' docs are bundled with the worker (a worker reads no files) and handed to the
// .wasm on the first call that needs them.

import { createApi } from './api.js';
import ruleDocs from './data/rule-docs.json' with { type: 'json' };
import * as glue from './kubeharden.js';
import wasmModule from './kubeharden_bg.wasm';
import * as policyGlue from './kubeharden_policy.js';
import policyModule from './kubeharden_policy_bg.wasm';

// The platform compiles both modules at upload; the policy one is instantiated on the first
// lint with policies.
const api = createApi(glue, {
  syncSource: () => wasmModule,
  docs: () => ruleDocs,
  policy: { glue: policyGlue, syncSource: () => policyModule },
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
