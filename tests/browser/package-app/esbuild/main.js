// esbuild does not follow `new URL(…, import.meta.url)`: import the .wasm's URL with the
// `file` loader and hand it to ready().
import * as kh from 'kubeharden';
import wasmUrl from 'kubeharden/kubeharden_bg.wasm';
import { start } from '../app.mjs';

start(kh, { source: wasmUrl });
