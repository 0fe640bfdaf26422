// Entry for Cloudflare Workers (workerd; Wrangler and the Cloudflare Vite plugin pick it by
// the `workerd` condition). Workers may not compile WebAssembly from bytes at run time: the
// platform compiles the .wasm at upload and the import below yields a WebAssembly.Module.
// Instantiation is synchronous, on the first call.

import { createApi } from './api.js';
import * as glue from './kubeharden.js';
import wasmModule from './kubeharden_bg.wasm';

const api = createApi(glue, { syncSource: () => wasmModule });

export const { version, KubehardenError, ready, lint, fix, rules, explain, toSarif, defaultConfig } = api;
export default api;
