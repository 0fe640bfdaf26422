// The linting side of the page: receives requests, runs the kubeharden package, answers with
// messages (protocol.js has them and the layout of the findings they carry). It runs inside a
// Web Worker (worker.js) and, only when a worker cannot be created (a host page whose CSP
// forbids workers), on the main thread through the same code.

import {
  CHUNK,
  F_COLUMN,
  F_END,
  F_FLAGS,
  F_GROUP,
  F_LINE,
  F_RULE,
  F_SEVERITY,
  F_START,
  FIELDS,
  FLAG_FIX,
  FLAG_POLICY,
  FLAG_SUPPRESSED,
  MSG,
  resourceKey,
  severityCode,
} from './protocol.js';

const KEEP_REPORTS = 3;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A message handler around the package's API. `post(reply, transfer)` sends a reply.
 * @param {typeof import('kubeharden')} api
 * @param {(reply: import('./protocol.js').Reply, transfer?: Transferable[]) => void} post
 * @returns {(request: import('./protocol.js').Request) => Promise<void> | undefined}
 */
export function createHandler(api, post) {
  /** @type {Promise<void> | null} */
  let readyPromise = null;
  /** @type {Map<string, number>} */
  let ruleIndex = new Map();
  /** @type {Map<number, import('kubeharden').Report>} */
  const reports = new Map();

  function remember(id, report) {
    reports.set(id, report);
    for (const old of reports.keys()) if (reports.size > KEEP_REPORTS) reports.delete(old);
  }

  function failure(id, e) {
    return { type: MSG.ERROR, id, code: e?.code || 'INTERNAL', message: String(e?.message || e) };
  }

  async function init(msg) {
    readyPromise ??= api.ready(msg.wasm);
    try {
      await readyPromise;
      const rules = api.rules();
      ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
      // The newest Kubernetes version this build knows: the default configuration's.
      const latest = api.defaultConfig().kubernetesVersion;
      post({ type: MSG.READY, version: api.version, rules, latest });
    } catch (e) {
      post({ type: MSG.FATAL, message: `the linter could not start: ${e?.message || e}` });
    }
  }

  async function lint(msg) {
    const { id, config } = msg;
    const files = msg.files.map((f) => ({
      name: f.name,
      text: typeof f.text === 'string' ? f.text : f.pieces.map((p) => decoder.decode(p)).join(''),
    }));
    let bytes = 0;
    for (const f of files) bytes += f.text.length;
    post({ type: MSG.STARTED, id, bytes });
    try {
      await readyPromise;
      // An engine module is fetched on the first lint whose policies need it (the Policies
      // dialog's, or policy documents among the files), never before; readying what is loaded
      // costs nothing.
      await api.readyPolicies({ policies: config?.policies ?? [], policyEngine: config?.policyEngine, files });
      const t0 = performance.now();
      const report = api.lint({ files }, config);
      const ms = performance.now() - t0;
      remember(id, report);
      send(id, report, ms);
    } catch (e) {
      post(failure(id, e));
    }
  }

  function send(id, report, ms) {
    const { findings, ...rest } = report;
    const n = findings.length;
    const groups = new Map();
    const groupOf = new Int32Array(n);
    let newGroups = [];
    for (let base = 0; base < n; base += CHUNK) {
      const slice = findings.slice(base, base + CHUNK);
      const ints = new Int32Array(slice.length * FIELDS);
      const lengths = new Int32Array(slice.length * 2);
      const messages = new Array(slice.length);
      const paths = new Array(slice.length);
      slice.forEach((f, k) => {
        const r = f.resource || {};
        const key = resourceKey(r);
        let g = groups.get(key);
        if (g === undefined) {
          g = groups.size;
          groups.set(key, g);
          newGroups.push({
            source: r.source,
            document: r.document,
            kind: r.kind,
            namespace: r.namespace,
            namespaceDefaulted: Boolean(r.namespaceDefaulted),
            name: r.name,
            apiVersion: r.apiVersion,
          });
        }
        groupOf[base + k] = g;
        const o = k * FIELDS;
        ints[o + F_START] = f.span.start.offset;
        ints[o + F_END] = f.span.end.offset;
        ints[o + F_LINE] = f.span.start.line;
        ints[o + F_COLUMN] = f.span.start.column;
        ints[o + F_SEVERITY] = severityCode(f.severity);
        ints[o + F_FLAGS] =
          (f.fix ? FLAG_FIX : 0) | (f.suppressed ? FLAG_SUPPRESSED : 0) | (f.policy ? FLAG_POLICY : 0);
        ints[o + F_RULE] = ruleIndex.get(f.rule) ?? -1;
        ints[o + F_GROUP] = g;
        messages[k] = f.message;
        paths[k] = f.path;
        lengths[k] = f.message.length;
        lengths[slice.length + k] = f.path.length;
      });
      const json = encoder.encode(JSON.stringify(slice)).buffer;
      post(
        {
          type: MSG.FINDINGS,
          id,
          base,
          count: slice.length,
          ints,
          lengths,
          text: messages.join('') + paths.join(''),
          json,
          groups: newGroups,
          received: base + slice.length,
          total: n,
        },
        [ints.buffer, lengths.buffer, json],
      );
      newGroups = [];
    }

    // The list: findings ordered by resource group (stable), with each group's start.
    const groupCount = groups.size;
    const groupStart = new Int32Array(groupCount + 1);
    for (let i = 0; i < n; i++) groupStart[groupOf[i] + 1]++;
    for (let g = 0; g < groupCount; g++) groupStart[g + 1] += groupStart[g];
    const fill = groupStart.slice(0, groupCount);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[groupOf[i]]++] = i;

    // The editor: per file, the unsuppressed findings sorted by position.
    const bySource = new Map();
    findings.forEach((f, i) => {
      if (f.suppressed) return;
      const name = f.resource?.source;
      if (!bySource.has(name)) bySource.set(name, []);
      bySource.get(name).push(i);
    });
    const sources = [];
    const transfer = [order.buffer, groupStart.buffer];
    for (const [name, list] of bySource) {
      list.sort(
        (a, b) =>
          findings[a].span.start.offset - findings[b].span.start.offset ||
          findings[a].span.end.offset - findings[b].span.end.offset ||
          a - b,
      );
      const from = new Int32Array(list.length);
      const to = new Int32Array(list.length);
      const severity = new Uint8Array(list.length);
      const index = new Int32Array(list.length);
      list.forEach((i, k) => {
        from[k] = findings[i].span.start.offset;
        to[k] = findings[i].span.end.offset;
        severity[k] = severityCode(findings[i].severity);
        index[k] = i;
      });
      const counts = { error: 0, warning: 0, info: 0 };
      for (const i of list) counts[findings[i].severity]++;
      sources.push({ name, from, to, severity, index, counts });
      transfer.push(from.buffer, to.buffer, severity.buffer, index.buffer);
    }
    post({ type: MSG.DONE, id, report: rest, total: n, ms, sources, order, groupStart }, transfer);
  }

  async function exportReport(msg) {
    try {
      await readyPromise;
      const report = reports.get(msg.run) || msg.report;
      if (!report) {
        post({ type: MSG.ERROR, id: msg.id, code: 'NO_REPORT', message: 'no report to export yet' });
        return;
      }
      const value = msg.format === 'sarif' ? api.toSarif(report) : report;
      post({ type: MSG.EXPORTED, id: msg.id, text: `${JSON.stringify(value, null, 2)}\n` });
    } catch (e) {
      post(failure(msg.id, e));
    }
  }

  /** The schema field under a position (for the field docs on hover); undefined on failure. */
  async function fieldAt(msg) {
    let location;
    try {
      await readyPromise;
      location = api.fieldAt(msg.text, msg.offset);
    } catch {
      location = undefined;
    }
    post({ type: MSG.FIELD_AT, id: msg.id, location });
  }

  /** Fix all: the package's fix() on the files, with the report of what remains as its summary. */
  async function fix(msg) {
    try {
      await readyPromise;
      const { files, applied, report } = api.fix({ files: msg.files }, msg.options);
      post({ type: MSG.FIXED, id: msg.id, result: { files, applied, summary: report.summary } });
    } catch (e) {
      const { code, message } = failure(msg.id, e);
      post({ type: MSG.FIXED, id: msg.id, error: { code, message } });
    }
  }

  return function handle(msg) {
    switch (msg?.type) {
      case MSG.FIX:
        return fix(msg);
      case MSG.FIELD:
        return fieldAt(msg);
      case MSG.INIT:
        return init(msg);
      case MSG.LINT:
        return lint(msg);
      case MSG.EXPORT:
        return exportReport(msg);
      default:
        return undefined;
    }
  };
}
