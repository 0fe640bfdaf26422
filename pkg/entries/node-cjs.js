// Source of `node.cjs` (bundled to CommonJS at build time): Node.js `require()`. The module is
// read from disk and instantiated synchronously.
import * as glue from './kubeharden.js';
import { createApi } from './api.js';

// eslint-disable-next-line no-undef
const { readFileSync } = require('node:fs');
// eslint-disable-next-line no-undef
glue.initSync({ module: readFileSync(require('node:path').join(__dirname, 'kubeharden_bg.wasm')) });
const state = { glue };

const api = createApi(state, () => {});
export const { version, KubehardenError, ready, lint, rules, explain, toSarif } = api;
export default api;
