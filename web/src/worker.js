// The Web Worker that runs kubeharden off the main thread, so the page never freezes however
// large the input. The package (pkg/, imported by its name) is bundled in; its .wasm is fetched
// from the URL the page sends.
import * as kubeharden from 'kubeharden';
import { createHandler } from './lint-handler.js';

/** The worker's global scope (the DOM library types `self` as a window). */
const scope =
  /** @type {{postMessage(message: unknown, transfer: Transferable[]): void, onmessage: ((event: MessageEvent) => void) | null}} */ (
    /** @type {unknown} */ (self)
  );
const handle = createHandler(kubeharden, (msg, transfer) => scope.postMessage(msg, transfer || []));
scope.onmessage = (event) => handle(event.data);
