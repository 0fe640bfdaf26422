// Entry for Cloudflare Workers (workerd) and Vercel Edge: the platform compiles the .wasm
// when the worker is uploaded and hands it over as a WebAssembly.Module import (workers refuse
// to compile wasm from bytes at run time). Instantiation is synchronous.
import wasmModule from './kubeharden_bg.wasm';
import * as glue from './kubeharden.js';
import { createApi } from './api.js';

glue.initSync({ module: wasmModule });
const state = { glue };

const api = createApi(state, () => {});
export const { version, KubehardenError, ready, lint, rules, explain, toSarif } = api;
export default api;
