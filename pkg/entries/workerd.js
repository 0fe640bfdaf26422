// Entry for Cloudflare Workers (workerd; Wrangler and the Cloudflare Vite plugin pick it by
// the `workerd` condition). Workers may not compile WebAssembly from bytes at run time: the
// platform compiles the .wasm at upload and the import below yields a WebAssembly.Module.
// Instantiation is synchronous, on the first call.

import { createApi } from './api.js';
import * as glue from './kubeharden.js';
import wasmModule from './kubeharden_bg.wasm';
// The rules' docs: bundled with the worker (a worker reads no files), handed to the .wasm on
// the first call that needs them.
import ruleDocs from './data/rule-docs.json' with { type: 'json' };

const api = createApi(glue, { syncSource: () => wasmModule, docs: () => ruleDocs });

export const { version, KubehardenError, ready, lint, rules, explain, toSarif, defaultConfig } = api;
export default api;
