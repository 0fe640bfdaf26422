// Entry for Vercel Edge Functions and Next.js middleware (the `edge-light` condition). As in
// Cloudflare Workers, WebAssembly cannot be compiled from bytes at run time; Vercel's bundler
// turns a `.wasm?module` import into a WebAssembly.Module. Instantiation is synchronous, on
// the first call.

import { createApi } from './api.js';
import * as glue from './kubeharden.js';
import wasmModule from './kubeharden_bg.wasm?module';

const api = createApi(glue, { syncSource: () => wasmModule });

export const { version, KubehardenError, ready, lint, fix, rules, explain, toSarif, defaultConfig } = api;
export default api;
