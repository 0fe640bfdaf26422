// The linting side of the page: receives requests, runs the kubeharden package, answers with
// messages. It runs inside a Web Worker (worker.js) and, only when a worker cannot be created
// (a host page whose CSP forbids workers), on the main thread through the same code.
//
// A report can hold 100,000 findings. Turning that many objects into objects again on the page
// would block it for seconds, so findings travel in chunks, in the shape the page uses:
//   - numbers in an Int32Array (transferred, not copied): span, line, column, severity, flags,
//     rule and resource group of each finding;
//   - messages and field paths as one string per chunk with their lengths (for the list,
//     tooltips and the text filter), cut into single strings only when one is needed;
//   - the findings themselves as UTF-8 JSON in an ArrayBuffer (transferred), decoded and parsed
//     by the page only when it needs one (details) or all (the report object of the API).
// At the end come, per file, the findings sorted by position (for the editor) and the findings
// ordered by resource (for the list).
//
// Protocol (every message has a `type`; lint runs and exports carry the request `id`):
//   in:  init {wasm}                       → ready {version, rules, latest} | fatal {message}
//   in:  lint {id, files: [{name, text | pieces (UTF-8 Uint8Arrays)}], config}
//        → started {id, bytes}, findings {id, base, count, ints, lengths, text, json, groups, received, total}…,
//          done {id, report (without findings), total, ms, sources, order, groupStart} | error {id, code, message}
//   in:  export {id, run, format, report?} → exported {id, text} | error {id, code, message}

export const CHUNK = 500;
/** Int32 fields per finding. */
export const FIELDS = 8;
export const F_START = 0;
export const F_END = 1;
export const F_LINE = 2;
export const F_COLUMN = 3;
export const F_SEVERITY = 4;
export const F_FLAGS = 5;
export const F_RULE = 6;
export const F_GROUP = 7;
export const SEVERITY_CODE = { error: 0, warning: 1, info: 2 };
export const FLAG_FIX = 1;
export const FLAG_SUPPRESSED = 2;
const KEEP_REPORTS = 3;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createHandler(api, post) {
  let readyPromise = null;
  let ruleIndex = new Map();
  const reports = new Map();

  function remember(id, report) {
    reports.set(id, report);
    while (reports.size > KEEP_REPORTS) reports.delete(reports.keys().next().value);
  }

  function failure(id, e) {
    return { type: 'error', id, code: e?.code || 'INTERNAL', message: String(e?.message || e) };
  }

  async function init(msg) {
    readyPromise ??= api.ready(msg.wasm);
    try {
      await readyPromise;
      const rules = api.rules();
      ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
      const latest = api.lint('', {}).config.kubernetesVersion;
      post({ type: 'ready', version: api.version, rules, latest });
    } catch (e) {
      post({ type: 'fatal', message: `the linter could not start: ${e?.message || e}` });
    }
  }

  async function lint(msg) {
    const { id, config } = msg;
    const files = msg.files.map((f) => ({ name: f.name, text: typeof f.text === 'string' ? f.text : f.pieces.map((p) => decoder.decode(p)).join('') }));
    let bytes = 0;
    for (const f of files) bytes += f.text.length;
    post({ type: 'started', id, bytes });
    try {
      await readyPromise;
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
        const key = `${r.source}\u0000${r.document}\u0000${r.kind ?? ''}\u0000${r.namespace ?? ''}\u0000${r.name ?? ''}`;
        let g = groups.get(key);
        if (g === undefined) {
          g = groups.size;
          groups.set(key, g);
          newGroups.push({ source: r.source, document: r.document, kind: r.kind, namespace: r.namespace, namespaceDefaulted: Boolean(r.namespaceDefaulted), name: r.name, apiVersion: r.apiVersion });
        }
        groupOf[base + k] = g;
        const o = k * FIELDS;
        ints[o + F_START] = f.span.start.offset;
        ints[o + F_END] = f.span.end.offset;
        ints[o + F_LINE] = f.span.start.line;
        ints[o + F_COLUMN] = f.span.start.column;
        ints[o + F_SEVERITY] = SEVERITY_CODE[f.severity] ?? 2;
        ints[o + F_FLAGS] = (f.fix ? FLAG_FIX : 0) | (f.suppressed ? FLAG_SUPPRESSED : 0);
        ints[o + F_RULE] = ruleIndex.get(f.rule) ?? -1;
        ints[o + F_GROUP] = g;
        messages[k] = f.message;
        paths[k] = f.path;
        lengths[k] = f.message.length;
        lengths[slice.length + k] = f.path.length;
      });
      const json = encoder.encode(JSON.stringify(slice)).buffer;
      post(
        { type: 'findings', id, base, count: slice.length, ints, lengths, text: messages.join('') + paths.join(''), json, groups: newGroups, received: base + slice.length, total: n },
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
      list.sort((a, b) => findings[a].span.start.offset - findings[b].span.start.offset || findings[a].span.end.offset - findings[b].span.end.offset || a - b);
      const from = new Int32Array(list.length);
      const to = new Int32Array(list.length);
      const severity = new Uint8Array(list.length);
      const index = new Int32Array(list.length);
      list.forEach((i, k) => {
        from[k] = findings[i].span.start.offset;
        to[k] = findings[i].span.end.offset;
        severity[k] = SEVERITY_CODE[findings[i].severity] ?? 2;
        index[k] = i;
      });
      const counts = { error: 0, warning: 0, info: 0 };
      for (const i of list) counts[findings[i].severity]++;
      sources.push({ name, from, to, severity, index, counts });
      transfer.push(from.buffer, to.buffer, severity.buffer, index.buffer);
    }
    post({ type: 'done', id, report: rest, total: n, ms, sources, order, groupStart }, transfer);
  }

  async function exportReport(msg) {
    try {
      await readyPromise;
      const report = reports.get(msg.run) || msg.report;
      if (!report) {
        post({ type: 'error', id: msg.id, code: 'NO_REPORT', message: 'no report to export yet' });
        return;
      }
      const value = msg.format === 'sarif' ? api.toSarif(report) : report;
      post({ type: 'exported', id: msg.id, text: `${JSON.stringify(value, null, 2)}\n` });
    } catch (e) {
      post(failure(msg.id, e));
    }
  }

  return function handle(msg) {
    switch (msg?.type) {
      case 'init':
        return init(msg);
      case 'lint':
        return lint(msg);
      case 'export':
        return exportReport(msg);
      default:
        return undefined;
    }
  };
}
