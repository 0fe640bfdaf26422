// Runs lint requests in a Web Worker and keeps the page responsive and correct:
// - only the newest request matters: while a run is busy, newer requests replace each other in
//   a one-slot queue; results of a run overtaken by newer input are dropped;
// - a run that is still busy after CANCEL_AFTER_MS when newer input arrives is cancelled by
//   terminating the worker (a synchronous wasm call cannot be interrupted otherwise) and a fresh
//   worker takes the newest request;
// - a worker that dies (uncaught error, closed, killed by the browser) or hangs is replaced;
//   a request it never acknowledged is sent again to the new worker;
// - if no worker can be created at all (a host page's CSP forbids them), linting falls back to
//   the main thread through the same handler.

import { MSG } from './protocol.js';

const ACK_TIMEOUT_MS = 8000;
const CANCEL_AFTER_MS = 250;
const HANG_BASE_MS = 120_000;
const HANG_PER_MB_MS = 60_000;
const MAX_RESENDS = 2;

/** @type {any} the Trusted Types policy (a type the DOM library does not have yet) */
let trustedTypesPolicy;

/**
 * What the client needs of a worker: a Web Worker, or the handler on the main thread.
 * @typedef {object} WorkerLike
 * @property {((event: MessageEvent) => void) | null} onmessage
 * @property {((event?: any) => void) | null} onerror
 * @property {((event?: any) => void) | null} onmessageerror
 * @property {(data: any) => void} postMessage
 * @property {() => void} terminate
 */

/** The worker URL, as a TrustedScriptURL when the page enforces Trusted Types. */
function scriptUrl(url) {
  const tt = globalThis.trustedTypes;
  if (!tt?.createPolicy) return url;
  try {
    trustedTypesPolicy ??= tt.createPolicy('kubeharden', {
      createScriptURL(input) {
        if (new URL(input).pathname.endsWith('/worker.js')) return input;
        throw new TypeError(`kubeharden: unexpected script URL ${input}`);
      },
    });
    return trustedTypesPolicy.createScriptURL(url);
  } catch {
    return url;
  }
}

export class LintClient {
  /**
   * @param {object} options
   * @param {string} options.workerUrl  absolute URL of worker.js
   * @param {string} options.wasmUrl    absolute URL of kubeharden_bg.wasm
   * @param {(info: {version: string, rules: object[], latest: string}) => void} options.onReady
   * @param {(status: object) => void} options.onStatus   progress of the current run
   * @param {(msg: object) => void} options.onChunk    a `findings` message of the current run
   * @param {(msg: object) => void} options.onResult   the `done` message of the current run
   * @param {(id: number|null, error: {code: string, message: string}) => void} options.onError
   */
  constructor(options) {
    this.options = options;
    this.seq = 0;
    this.exportSeq = 0;
    this.worker = null;
    this.ready = false;
    this.inline = false;
    this.busy = null;
    this.pending = null;
    this.exports = new Map();
    /** Pending fieldAt requests: id → resolve. */
    this.fields = new Map();
    this.fieldSeq = 0;
    /** Pending fix requests: id → {resolve, reject, files, options}. */
    this.fixes = new Map();
    this.fixSeq = 0;
    this.restarts = 0;
    this.info = null;
    this.start();
  }

  start() {
    this.ready = false;
    /** @type {WorkerLike | null} */
    let worker = null;
    if (!this.inline) {
      try {
        worker = new Worker(scriptUrl(this.options.workerUrl), { type: 'module', name: 'kubeharden' });
      } catch {
        this.inline = true;
      }
    }
    if (!worker) worker = new InlineWorker();
    this.worker = worker;
    worker.onmessage = (event) => this.receive(worker, event.data);
    worker.onerror = (event) => {
      event?.preventDefault?.();
      this.died(worker, event?.message || 'the linter stopped unexpectedly');
    };
    worker.onmessageerror = () => this.died(worker, 'a message from the linter could not be read');
    worker.postMessage({ type: MSG.INIT, wasm: this.options.wasmUrl });
  }

  /** Queues a lint of `files` ([{name, text} or {name, pieces}]) with `config`; returns the request id. */
  lint(files, config) {
    const size = (f) =>
      typeof f.text === 'string' ? f.text.length : f.pieces.reduce((n, p) => n + (p.length ?? p.byteLength), 0);
    const request = { id: ++this.seq, files, config, bytes: files.reduce((n, f) => n + size(f), 0), resends: 0 };
    if (!this.ready || this.busy) {
      this.pending = request;
      if (this.busy && performance.now() - this.busy.sentAt > CANCEL_AFTER_MS) this.restart('cancelled');
      return request.id;
    }
    this.send(request);
    return request.id;
  }

  /** Stops the current run (terminating the worker) and forgets queued input. */
  cancel() {
    this.pending = null;
    if (this.busy) {
      const id = this.busy.id;
      this.restart('cancelled');
      this.options.onStatus({ state: 'cancelled', id });
    }
  }

  /** Exports the report of run `run` as `json` or `sarif`; resolves to the text. */
  exportReport(run, format, report) {
    const id = ++this.exportSeq;
    return new Promise((resolve, reject) => {
      this.exports.set(id, { resolve, reject, run, format, report });
      if (this.ready) this.worker?.postMessage({ type: MSG.EXPORT, id, run, format });
    });
  }

  /** The schema field under `offset` of `text` (see the package's fieldAt), or undefined. */
  fieldAt(text, offset) {
    if (!this.ready || !this.worker) return Promise.resolve(undefined);
    const id = ++this.fieldSeq;
    return new Promise((resolve) => {
      this.fields.set(id, resolve);
      this.worker?.postMessage({ type: MSG.FIELD, id, text, offset });
    });
  }

  /** Runs the package's fix() on `files` with `options`; resolves to its result (FixReply). */
  fix(files, options) {
    const id = ++this.fixSeq;
    return new Promise((resolve, reject) => {
      this.fixes.set(id, { resolve, reject, files, options });
      if (this.ready) this.worker?.postMessage({ type: MSG.FIX, id, files, options });
    });
  }

  dispose() {
    this.disposed = true;
    this.clearTimers();
    this.worker?.terminate();
    this.worker = null;
  }

  send(request) {
    this.busy = { ...request, sentAt: performance.now(), received: 0, total: 0, acked: false };
    this.worker?.postMessage({ type: MSG.LINT, id: request.id, files: request.files, config: request.config });
    this.clearTimers();
    // An export in progress delays the answer: only a worker with nothing else to do is late.
    this.ackTimer = setTimeout(() => this.unresponsive(), this.exports.size ? HANG_BASE_MS : ACK_TIMEOUT_MS);
    this.options.onStatus({ state: 'queued', id: request.id, bytes: request.bytes });
  }

  clearTimers() {
    clearTimeout(this.ackTimer);
    clearTimeout(this.hangTimer);
  }

  receive(worker, msg) {
    if (worker !== this.worker || this.disposed) return;
    switch (msg.type) {
      case MSG.READY:
        this.ready = true;
        this.everReady = true;
        this.info = msg;
        this.options.onReady(msg);
        for (const [id, job] of this.exports)
          this.worker?.postMessage({ type: MSG.EXPORT, id, run: job.run, format: job.format, report: job.report });
        for (const [id, job] of this.fixes)
          this.worker?.postMessage({ type: MSG.FIX, id, files: job.files, options: job.options });
        if (this.pending) {
          const next = this.pending;
          this.pending = null;
          this.send(next);
        }
        break;
      case MSG.FATAL:
        this.options.onError(null, { code: 'FATAL', message: msg.message });
        break;
      case MSG.STARTED: {
        if (!this.busy || msg.id !== this.busy.id) return;
        this.busy.acked = true;
        clearTimeout(this.ackTimer);
        const budget = HANG_BASE_MS + (HANG_PER_MB_MS * msg.bytes) / (1024 * 1024);
        this.hangTimer = setTimeout(() => this.hung(), budget);
        this.options.onStatus({ state: 'linting', id: msg.id, bytes: msg.bytes, since: this.busy.sentAt });
        break;
      }
      case MSG.FINDINGS:
        if (!this.busy || msg.id !== this.busy.id || this.pending) return;
        this.busy.received = msg.received;
        this.busy.total = msg.total;
        this.options.onChunk(msg);
        this.options.onStatus({
          state: 'receiving',
          id: msg.id,
          received: msg.received,
          total: msg.total,
          since: this.busy.sentAt,
        });
        break;
      case MSG.DONE:
      case MSG.ERROR: {
        if (msg.type === MSG.ERROR && this.exports.has(msg.id) && (!this.busy || msg.id !== this.busy.id)) {
          this.finishExport(msg.id, null, msg);
          return;
        }
        if (!this.busy || msg.id !== this.busy.id) return;
        const run = this.busy;
        this.busy = null;
        this.clearTimers();
        if (this.pending) {
          // Overtaken by newer input: drop this result, run the newer one.
          const next = this.pending;
          this.pending = null;
          this.send(next);
          return;
        }
        if (msg.type === MSG.ERROR) {
          this.options.onError(run.id, { code: msg.code, message: msg.message });
        } else {
          this.options.onResult(msg);
        }
        break;
      }
      case MSG.EXPORTED:
        this.finishExport(msg.id, msg.text);
        break;
      case MSG.FIXED: {
        const job = this.fixes.get(msg.id);
        this.fixes.delete(msg.id);
        if (msg.error) job?.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
        else job?.resolve(msg.result);
        break;
      }
      case MSG.FIELD_AT:
        this.fields.get(msg.id)?.(msg.location);
        this.fields.delete(msg.id);
        break;
      default:
    }
  }

  finishExport(id, text, error) {
    const job = this.exports.get(id);
    if (!job) return;
    this.exports.delete(id);
    if (error) {
      job.reject(Object.assign(new Error(error.message), { code: error.code }));
    } else job.resolve(text);
  }

  /** The worker took no notice of a request: it is gone. Replace it and send the request again. */
  unresponsive() {
    if (!this.busy || this.busy.acked) return;
    const run = this.busy;
    this.busy = null;
    if (!this.pending && run.resends < MAX_RESENDS) this.pending = { ...run, resends: run.resends + 1 };
    this.restart('unresponsive');
    if (!this.pending)
      this.options.onError(run.id, {
        code: 'UNRESPONSIVE',
        message: 'the linter stopped responding and was restarted',
      });
  }

  hung() {
    if (!this.busy) return;
    const run = this.busy;
    this.busy = null;
    this.restart('hung');
    this.options.onError(run.id, {
      code: 'TIMEOUT',
      message: 'linting took too long and was stopped; the linter was restarted',
    });
  }

  died(worker, message) {
    if (worker !== this.worker || this.disposed) return;
    const run = this.busy;
    this.busy = null;
    if (!this.everReady && !this.inline) {
      // The worker script could not even start (blocked or missing): lint on the main thread.
      this.inline = true;
      this.restart('fallback');
      return;
    }
    this.restart('crashed');
    // The input that crashed the linter is not sent again: the next edit will be.
    this.options.onError(run ? run.id : null, {
      code: 'CRASHED',
      message: `the linter stopped unexpectedly (${message}) and was restarted`,
    });
  }

  restart(reason) {
    this.clearTimers();
    this.restarts++;
    this.busy = null;
    const old = this.worker;
    this.worker = null;
    old?.terminate();
    if (this.disposed) return;
    this.options.onStatus({ state: 'restarting', reason });
    this.start();
  }
}

/** The worker's handler on the main thread, with the Worker interface (last resort). */
class InlineWorker {
  constructor() {
    /** @type {WorkerLike['onmessage']} */
    this.onmessage = null;
    /** @type {WorkerLike['onerror']} */
    this.onerror = null;
    /** @type {WorkerLike['onmessageerror']} */
    this.onmessageerror = null;
    this.closed = false;
    this.handler = import('./lint-handler.js').then(async ({ createHandler }) => {
      const api = await import('kubeharden');
      return createHandler(api, (data) =>
        setTimeout(() => !this.closed && this.onmessage?.(new MessageEvent('message', { data }))),
      );
    });
  }

  postMessage(data) {
    const copy = structuredClone(data);
    this.handler.then((handle) => setTimeout(() => !this.closed && handle(copy)));
  }

  terminate() {
    this.closed = true;
  }
}
