// Entry for browsers (ESM, with or without a bundler), Deno and any other ESM runtime: the
// module is fetched by URL, relative to this file, when `ready()` is awaited. Bundlers (Vite,
// webpack, Parcel) see `new URL('./kubeharden_bg.wasm', import.meta.url)` and emit the file.
// To self-host the .wasm (for example under a strict CSP), pass `ready()` its URL, its bytes
// or a compiled WebAssembly.Module. The rules' docs are a JSON module next to it.

import { createApi } from './api.js';
import * as glue from './kubeharden.js';
import * as celGlue from './kubeharden_cel.js';
import * as policyGlue from './kubeharden_policy.js';

const api = createApi(glue, {
  defaultLocation: () => new URL('./kubeharden_bg.wasm', import.meta.url),
  // The rules' docs, loaded by ready() alongside the .wasm (rules(), explain() and toSarif()
  // are synchronous). A JSON module: bundlers emit or inline it, browsers and Deno import it.
  docsAsync: () => import('./data/rule-docs.json', { with: { type: 'json' } }),
  // The schema table, which every lint needs: loaded by ready() likewise.
  schemaAsync: () => import('./data/schema-table.json', { with: { type: 'json' } }),
  // Fetched by readyPolicies(), never by a lint without policies; each engine only when the
  // policies need it.
  policy: { glue: policyGlue, defaultLocation: () => new URL('./kubeharden_policy_bg.wasm', import.meta.url) },
  cel: { glue: celGlue, defaultLocation: () => new URL('./kubeharden_cel_bg.wasm', import.meta.url) },
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
