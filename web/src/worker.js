// The Web Worker that runs kubeharden off the main thread, so the page never freezes however
// large the input. The package (pkg/, imported by its name) is bundled in; its .wasm is fetched
// from the URL the page sends.
import * as kubeharden from 'kubeharden';
import { createHandler } from './lint-handler.js';

const handle = createHandler(kubeharden, (msg, transfer) => self.postMessage(msg, transfer || []));
self.onmessage = (event) => handle(event.data);
