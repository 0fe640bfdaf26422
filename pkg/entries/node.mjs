// Entry for Node.js (ESM): the module is read from disk and instantiated synchronously at
// import, so `ready()` resolves at once and calls can start immediately.
import { readFileSync } from 'node:fs';
import * as glue from './kubeharden.js';
import { createApi } from './api.js';

glue.initSync({ module: readFileSync(new URL('./kubeharden_bg.wasm', import.meta.url)) });
const state = { glue };

const api = createApi(state, () => {});
export const { version, KubehardenError, ready, lint, rules, explain, toSarif } = api;
export default api;
