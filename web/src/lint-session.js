// A lint session: the linter client (client.js, a Web Worker), when to lint (after a pause in
// typing that grows with the input), what is sent (every open file, read a piece per task), the
// findings coming back (built into a FindingsModel chunk by chunk) and how they land in each
// file's editor even when the text changed while the linter ran.
//
// Each run is registered before its text is read, so edits made meanwhile are recorded against
// it (`edited`); when its findings arrive, their positions are mapped through those edits.

import { LintClient } from './client.js';
import { FindingsModel } from './findings-model.js';

const HERE = new URL('./', import.meta.url);
const encoder = new TextEncoder();
/** Pieces a large document is sent in (ending at line breaks), one read per task. */
const PIECE = 256 * 1024;
/** Runs overtaken by newer ones never report back: all but this many are forgotten. */
const KEEP_RUNS = 8;

/** @typedef {import('./file-tabs.js').OpenFile} OpenFile */
/** @typedef {import('@codemirror/state').Text} Text */
/** @typedef {import('@codemirror/state').ChangeDesc} ChangeDesc */
/** @typedef {import('kubeharden').RuleMeta} RuleMeta */

/**
 * @typedef {object} Run  one request to the linter
 * @property {number | undefined} id            the client's request id, once sent
 * @property {Map<number, Text>} docs           each file's document as linted, by file id
 * @property {Map<number, ChangeDesc | 'replaced'>} changes  edits made since, by file id
 * @property {boolean} empty                    every file was blank
 */

/** @typedef {{version: string, rules: RuleMeta[], latest: string}} LinterInfo */

export class LintSession {
  /**
   * @param {object} o
   * @param {import('./file-tabs.js').FileTabs} o.files
   * @param {() => object} o.config                  the configuration to lint with
   * @param {(info: LinterInfo) => void} o.onReady   the linter started (again)
   * @param {(status: import('./status-bar.js').Status) => void} o.onStatus
   * @param {(id: number | null, error: {code: string, message: string}) => void} o.onError
   * @param {(model: FindingsModel, run: {empty: boolean, ms: number}) => Promise<boolean>} o.onReport
   *   a new report (already in the editors); resolves to whether it is still the one on screen
   */
  constructor({ files, config, onReady, onStatus, onError, onReport }) {
    this.files = files;
    this.config = config;
    this.onReady = onReady;
    this.onStatus = onStatus;
    this.onError = onError;
    this.onReport = onReport;
    /** @type {LintClient | null} */
    this.client = null;
    /** @type {Set<Run>} */
    this.runs = new Set();
    /** Documents as sent to the worker, cached (a document is immutable). */
    this.encoded = new WeakMap();
    /** @type {FindingsModel | null} the findings being received */
    this.incoming = null;
    /** @type {FindingsModel | null} the last report */
    this.model = null;
    /** @type {number | undefined} the request id of the last report */
    this.lastResultId = undefined;
    /** @type {RuleMeta[]} */
    this.rules = [];
    /** @type {Map<string, RuleMeta>} */
    this.rulesById = new Map();
    this.latest = '';
    /** @type {Array<(report: object) => void>} */
    this.waiters = [];
    this.lintToken = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.lintTimer = undefined;
  }

  get running() {
    return Boolean(this.client);
  }

  start() {
    this.client = new LintClient({
      workerUrl: new URL('worker.js', HERE).href,
      wasmUrl: new URL('kubeharden_bg.wasm', HERE).href,
      onReady: (info) => this.ready(info),
      onStatus: (s) => this.onStatus(s),
      onChunk: (msg) => this.chunk(msg),
      onResult: (msg) => this.result(msg),
      onError: (id, e) => this.onError(id, e),
    });
  }

  stop() {
    this.client?.dispose();
    this.client = null;
  }

  /** @param {LinterInfo} info */
  ready(info) {
    this.rules = info.rules;
    this.rulesById = new Map(info.rules.map((r) => [r.id, r]));
    this.latest = info.latest;
    this.onReady(info);
  }

  /** Cancels the run in progress (and forgets queued input). */
  cancel() {
    this.client?.cancel();
  }

  /** Lints after `delay` ms (by default, a pause that grows with the size of the input). */
  schedule(/** @type {number | undefined} */ delay) {
    clearTimeout(this.lintTimer);
    let bytes = 0;
    for (const f of this.files.list) bytes += this.files.docOf(f).length;
    const wait = delay ?? (bytes < 200_000 ? 200 : bytes < 2_000_000 ? 450 : 900);
    this.lintTimer = setTimeout(() => this.run(), wait);
  }

  /** Lints now; resolves with the report. */
  lint() {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.schedule(0);
    });
  }

  /** The file `id` was edited: runs in flight map their findings through `changes`. */
  edited(/** @type {number} */ id, /** @type {ChangeDesc} */ changes) {
    for (const run of this.runs) {
      const prev = run.changes.get(id);
      if (prev === 'replaced') continue;
      run.changes.set(id, prev ? prev.composeDesc(changes) : changes);
    }
  }

  /** The file `id` got a new text as a whole: runs in flight have no findings for it. */
  replaced(/** @type {number} */ id) {
    for (const run of this.runs) run.changes.set(id, 'replaced');
  }

  /**
   * A document as UTF-8 pieces of about 256 KB (ending at line breaks), for the worker: read one
   * piece per task, so a 5 MB document never holds the page in one go, and copied to the worker
   * as bytes (a memory copy, where a long string would have to be flattened first). Cached per
   * document. Resolves to {text | pieces, blank} or null when `isCurrent()` turns false.
   * @param {Text} doc
   * @param {() => boolean} isCurrent
   * @returns {Promise<{text?: string, pieces?: Uint8Array[], blank: boolean} | null>}
   */
  async encodedOf(doc, isCurrent) {
    let cached = this.encoded.get(doc);
    if (cached) return cached;
    // Known as one string (small, or pasted/opened whole): sent as it is, a flat string copies fast.
    const known = this.files.knownText(doc) ?? (doc.length <= PIECE ? doc.toString() : undefined);
    if (known !== undefined) {
      cached = { text: known, blank: !/\S/.test(known) };
      this.encoded.set(doc, cached);
      return cached;
    }
    const pieces = [];
    let blank = true;
    for (let pos = 0; pos < doc.length; ) {
      let end = Math.min(doc.length, pos + PIECE);
      if (end < doc.length) end = Math.min(doc.length, doc.lineAt(end).to + 1);
      const text = doc.sliceString(pos, end);
      if (blank && /\S/.test(text)) blank = false;
      pieces.push(encoder.encode(text));
      pos = end;
      if (pos < doc.length) {
        await new Promise((resolve) => setTimeout(resolve));
        if (!isCurrent()) return null;
      }
    }
    cached = { pieces, blank };
    this.encoded.set(doc, cached);
    return cached;
  }

  /** The schema field under `offset` of `text`, for the field docs on hover (or undefined). */
  fieldAt(text, offset) {
    return this.client ? this.client.fieldAt(text, offset) : Promise.resolve(undefined);
  }

  /** Sends every file to the linter. */
  async run() {
    const client = this.client;
    if (!client) return;
    const token = ++this.lintToken;
    /** @type {Run} */
    const run = {
      id: undefined,
      docs: new Map(this.files.list.map((f) => [f.id, this.files.docOf(f)])),
      changes: new Map(),
      empty: true,
    };
    this.runs.add(run);
    const files = [];
    for (const f of this.files.list) {
      const doc = run.docs.get(f.id);
      const encoded = doc && (await this.encodedOf(doc, () => token === this.lintToken));
      if (!encoded || token !== this.lintToken) {
        this.runs.delete(run);
        return;
      }
      if (!encoded.blank) run.empty = false;
      files.push(
        encoded.text !== undefined ? { name: f.name, text: encoded.text } : { name: f.name, pieces: encoded.pieces },
      );
    }
    run.id = client.lint(files, this.config());
    const newest = run.id;
    for (const r of this.runs) if (r.id !== undefined && r.id < newest - KEEP_RUNS) this.runs.delete(r);
  }

  /** @param {import('./protocol.js').FindingsMessage} msg */
  chunk(msg) {
    if (!this.incoming || this.incoming.id !== msg.id) {
      this.incoming = new FindingsModel(this.rules);
      this.incoming.id = msg.id;
    }
    this.incoming.addChunk(msg);
  }

  /** @param {import('./protocol.js').DoneMessage} done */
  async result(done) {
    const id = done.id;
    /** @type {Run | null} */
    let run = null;
    for (const r of this.runs) {
      if (r.id === id) run = r;
      if (r.id !== undefined && r.id <= id) this.runs.delete(r);
    }
    const model =
      this.incoming && this.incoming.id === id && this.incoming.n === done.total
        ? this.incoming
        : new FindingsModel(this.rules);
    this.incoming = null;
    model.finish(done);
    this.model = model;
    this.lastResultId = id;

    // Findings into each file's editor state, mapped through edits made since the lint started.
    const describe = (/** @type {number} */ i) => model.describe(i);
    for (const file of this.files.list) {
      const changes = run?.changes.get(file.id);
      const stale = !run || changes === 'replaced' || !run.docs.has(file.id);
      const src = stale ? null : model.editorFindings(file.name);
      const findings = src ? { from: src.from, to: src.to, severity: src.severity, index: src.index, describe } : null;
      file.lintedDoc = stale || changes ? null : (run?.docs.get(file.id) ?? null);
      this.files.setFindings(file, { findings, changes: stale ? null : changes || null });
    }

    const shown = await this.onReport(model, { empty: Boolean(run?.empty && !model.n), ms: done.ms });
    if (shown) for (const resolve of this.waiters.splice(0)) resolve(model.report);
  }

  /** Runs fix() on `files`; resolves to {files, applied, summary}. */
  fix(/** @type {{name: string, text: string}[]} */ files, /** @type {object} */ options) {
    if (!this.client) return Promise.reject(new Error('the linter is not running'));
    return this.client.fix(files, options);
  }

  /** Exports the last report as `json` or `sarif`; resolves to the text. */
  exportReport(/** @type {'json' | 'sarif'} */ format) {
    if (!this.model || !this.client || this.lastResultId === undefined)
      return Promise.reject(new Error('nothing to export yet'));
    return this.client.exportReport(this.lastResultId, format, this.model.report);
  }
}
