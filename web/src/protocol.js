// The wire protocol between the page (client.js) and the linter (lint-handler.js, inside the
// Web Worker of worker.js): the message types, the layout of the numbers that describe each
// finding, and the severities with their codes. Both sides import this file and nothing else
// defines these values.
//
// A report can hold 100,000 findings. Turning that many objects into objects again on the page
// would block it for seconds, so findings travel in chunks, in the shape the page uses:
//   - numbers in an Int32Array (transferred, not copied): FIELDS per finding, at F_* offsets;
//   - messages and field paths as one string per chunk with their lengths (for the list,
//     tooltips and the text filter), cut into single strings only when one is needed;
//   - the findings themselves as UTF-8 JSON in an ArrayBuffer (transferred), decoded and parsed
//     by the page only when it needs one (details) or all (the report object of the API).
// At the end come, per file, the findings sorted by position (for the editor) and the findings
// ordered by resource (for the list).
//
// Messages (every message has a `type`; lint runs and exports carry the request `id`):
//   page → linter  init {wasm}                 → ready {version, rules, latest} | fatal {message}
//   page → linter  lint {id, files, config}    → started, findings…, done | error
//   page → linter  export {id, run, format, report?} → exported {id, text} | error
//   page → linter  field {id, text, offset}    → fieldAt {id, location} (the schema field under a
//                                                 key, for its documentation on hover)
//   page → linter  fix {id, files, options}    → fixed {id, result} | fixed {id, error} (the
//                                                 package's fix(): "Fix all")
// A lint's config may hold `policies` ([{name, text}]) and `policyEngine`: the linter loads the
// package's policy module (readyPolicies) on the first such lint, never before.

/** Message types, by direction. */
export const MSG = Object.freeze({
  // page → linter
  INIT: 'init',
  LINT: 'lint',
  EXPORT: 'export',
  FIELD: 'field',
  FIX: 'fix',
  // linter → page
  READY: 'ready',
  FATAL: 'fatal',
  STARTED: 'started',
  FINDINGS: 'findings',
  DONE: 'done',
  ERROR: 'error',
  EXPORTED: 'exported',
  FIELD_AT: 'fieldAt',
  FIXED: 'fixed',
});

/**
 * The severities of findings, most severe first. A severity's index in this list is its code on
 * the wire (the F_SEVERITY field, the editor's severity arrays) and orders findings by weight.
 */
export const SEVERITIES = Object.freeze(/** @type {const} */ (['error', 'warning', 'info']));

/** @typedef {typeof SEVERITIES[number]} Severity */

/** A severity's code (its index in SEVERITIES); unknown names count as the mildest. */
export function severityCode(/** @type {string} */ name) {
  const code = SEVERITIES.indexOf(/** @type {Severity} */ (name));
  return code < 0 ? SEVERITIES.length - 1 : code;
}

/** Findings per `findings` message. */
export const CHUNK = 500;
/** Int32 fields per finding, and their offsets. */
export const FIELDS = 8;
export const F_START = 0;
export const F_END = 1;
export const F_LINE = 2;
export const F_COLUMN = 3;
export const F_SEVERITY = 4;
export const F_FLAGS = 5;
export const F_RULE = 6;
export const F_GROUP = 7;
/** Bits of F_FLAGS. */
export const FLAG_FIX = 1;
export const FLAG_SUPPRESSED = 2;
/** A finding of a custom policy (it has a `policy` object). */
export const FLAG_POLICY = 4;

/**
 * What makes findings belong to one resource group (a row of the list): the same file, document
 * and object identity.
 * @param {{source?: string, document?: number, kind?: string, namespace?: string, name?: string}} r
 */
export function resourceKey(r) {
  return `${r.source}\u0000${r.document}\u0000${r.kind ?? ''}\u0000${r.namespace ?? ''}\u0000${r.name ?? ''}`;
}

/**
 * @typedef {object} Group  a resource whose findings are listed together
 * @property {string} source
 * @property {number} document
 * @property {string} [kind]
 * @property {string} [namespace]
 * @property {boolean} namespaceDefaulted
 * @property {string} [name]
 * @property {string} [apiVersion]
 */

/**
 * @typedef {object} WireFile  a file to lint: its text whole, or as UTF-8 pieces
 * @property {string} name
 * @property {string} [text]
 * @property {Uint8Array[]} [pieces]
 */

/**
 * @typedef {object} SourceFindings  one file's unsuppressed findings, sorted by position
 * @property {string} name
 * @property {Int32Array} from
 * @property {Int32Array} to
 * @property {Uint8Array} severity   severity codes
 * @property {Int32Array} index      the findings' numbers in the report
 * @property {Record<Severity, number>} counts
 */

/**
 * @typedef {{type: 'init', wasm: string}
 *   | {type: 'lint', id: number, files: WireFile[], config: object}
 *   | {type: 'export', id: number, run: number, format: 'json' | 'sarif', report?: object}
 *   | {type: 'field', id: number, text: string, offset: number}
 *   | {type: 'fix', id: number, files: {name: string, text: string}[], options: object}} Request
 */

/**
 * @typedef {object} FindingsMessage  a chunk of findings
 * @property {'findings'} type
 * @property {number} id
 * @property {number} base       the number of the chunk's first finding
 * @property {number} count
 * @property {Int32Array} ints   FIELDS numbers per finding
 * @property {Int32Array} lengths  the lengths of the messages, then of the paths
 * @property {string} text       the messages, then the paths, concatenated
 * @property {ArrayBuffer} json  the findings as UTF-8 JSON
 * @property {Group[]} groups    the groups first seen in this chunk
 * @property {number} received
 * @property {number} total
 */

/**
 * @typedef {object} FixReply  what fix() returned, with the report of what remains cut to its summary
 * @property {import('kubeharden').FixResult['files']} files
 * @property {import('kubeharden').AppliedFix[]} applied
 * @property {import('kubeharden').Summary} summary
 */

/**
 * @typedef {object} DoneMessage  the end of a run
 * @property {'done'} type
 * @property {number} id
 * @property {object} report     the report without its findings
 * @property {number} total
 * @property {number} ms
 * @property {SourceFindings[]} sources
 * @property {Int32Array} order       the findings ordered by group
 * @property {Int32Array} groupStart  where each group starts in `order`
 */

/**
 * @typedef {{type: 'ready', version: string, rules: import('kubeharden').RuleMeta[], latest: string}
 *   | {type: 'fatal', message: string}
 *   | {type: 'started', id: number, bytes: number}
 *   | FindingsMessage
 *   | DoneMessage
 *   | {type: 'error', id: number, code: string, message: string}
 *   | {type: 'exported', id: number, text: string}
 *   | {type: 'fieldAt', id: number, location: import('kubeharden').FieldLocation | undefined}
 *   | {type: 'fixed', id: number, result?: FixReply, error?: {code: string, message: string}}} Reply
 */
