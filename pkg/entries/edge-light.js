// Entry for Vercel Edge Functions and Next.js middleware (the `edge-light` condition). As in
// Cloudflare Workers, WebAssembly cannot be compiled from bytes at run time; Vercel's bundler
// turns a `.wasm?module` import into a WebAssembly.Module. Instantiation is synchronous, on
// the first call.
import wasmModule from './kubeharden_bg.wasm?module';
import * as glue from './kubeharden.js';
import { createApi } from './api.js';

const api = createApi(glue, { syncSource: () => wasmModule });

export const { version, KubehardenError, ready, lint, rules, explain, toSarif, defaultConfig } = api;
export default api;
