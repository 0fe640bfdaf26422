// ready() given the module in each supported form (?source=…), under a strict CSP.
import * as kh from '../node_modules/kubeharden/browser.js';
import { start } from './app.mjs';

const wasmUrl = new URL('../node_modules/kubeharden/kubeharden_bg.wasm', import.meta.url);
const sources = {
  default: () => undefined,
  string: () => wasmUrl.href,
  url: () => wasmUrl,
  request: () => new Request(wasmUrl),
  response: () => fetch(wasmUrl),
  bytes: async () => new Uint8Array(await (await fetch(wasmUrl)).arrayBuffer()),
  arraybuffer: async () => (await fetch(wasmUrl)).arrayBuffer(),
  module: () => WebAssembly.compileStreaming(fetch(wasmUrl)),
  missing: () => new URL('./no-such.wasm', import.meta.url),
};
const how = new URLSearchParams(location.search).get('source') || 'default';
start(kh, { source: sources[how]() });
