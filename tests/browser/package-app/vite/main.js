// As in a Vite app: a bare import; Vite emits the .wasm from `new URL(…, import.meta.url)`.
import * as kh from 'kubeharden';
import { start } from '../app.mjs';

start(kh);
