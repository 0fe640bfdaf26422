// Entry for browsers (ESM, with or without a bundler) and Deno: the module is fetched by URL,
// relative to this file, when `ready()` is awaited. Pass a URL, bytes or a compiled
// WebAssembly.Module to `ready()` to self-host the .wasm (for example under a strict CSP).
import init, * as glue from './kubeharden.js';
import { createApi } from './api.js';

const state = { glue: null };

async function load(source) {
  if (source instanceof WebAssembly.Module || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    glue.initSync({ module: source });
  } else {
    await init({ module_or_path: source ?? new URL('./kubeharden_bg.wasm', import.meta.url) });
  }
  state.glue = glue;
}

const api = createApi(state, load);
export const { version, KubehardenError, ready, lint, rules, explain, toSarif } = api;
export default api;
