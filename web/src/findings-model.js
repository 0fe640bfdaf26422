// The findings of one report as the page holds them: numbers in typed arrays, strings cut out
// of one text per chunk, full findings parsed from JSON only when one is read. The findings
// panel, the editor and the details read findings through this model by their number.

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
  SEVERITIES,
} from './protocol.js';

/** The slot of suppressed findings in a group's `counts` (after one slot per severity). */
export const SUPPRESSED = SEVERITIES.length;
const decoder = new TextDecoder();

/**
 * The findings of one report, as the worker sends them (see lint-handler.js): numbers in typed
 * arrays, messages and paths as strings, full findings as JSON text parsed on demand. Built
 * chunk by chunk as they arrive, so no single step holds the page for long.
 */
export class FindingsModel {
  constructor(rules) {
    this.rules = rules;
    this.n = 0;
    this.ints = new Int32Array(0);
    this.texts = [];
    this.jsons = [];
    this.parsed = [];
    this.groups = [];
    this.counts = { error: 0, warning: 0, info: 0, suppressed: 0 };
    this.familyCounts = new Map();
    this.haystacks = [];
    this.sources = new Map();
    this.order = new Int32Array(0);
    this.groupStart = new Int32Array(1);
    this.report = null;
    /** @type {number | undefined} the lint request this model answers */
    this.id = undefined;
    /** @type {number | undefined} how many files have findings (computed once) */
    this.files = undefined;
  }

  addChunk(msg) {
    if (this.ints.length < msg.total * FIELDS) {
      const grown = new Int32Array(msg.total * FIELDS);
      grown.set(this.ints.subarray(0, this.n * FIELDS));
      this.ints = grown;
    }
    this.ints.set(msg.ints, msg.base * FIELDS);
    for (const g of msg.groups)
      this.groups.push({ ...g, id: this.groups.length, counts: new Array(SEVERITIES.length + 1).fill(0) });
    const c = Math.floor(msg.base / CHUNK);
    this.texts[c] = { text: msg.text, lengths: msg.lengths, count: msg.count, offsets: null };
    for (let k = 0; k < msg.count; k++) {
      const o = k * FIELDS;
      const suppressed = msg.ints[o + F_FLAGS] & FLAG_SUPPRESSED;
      const sev = suppressed ? SUPPRESSED : msg.ints[o + F_SEVERITY];
      this.groups[msg.ints[o + F_GROUP]].counts[sev]++;
      this.counts[suppressed ? 'suppressed' : SEVERITIES[sev]]++;
      const family =
        msg.ints[o + F_FLAGS] & FLAG_POLICY ? 'policy' : this.rules[msg.ints[o + F_RULE]]?.family || 'structure';
      this.familyCounts.set(family, (this.familyCounts.get(family) || 0) + 1);
    }
    this.jsons[c] = msg.json;
    this.n = msg.base + msg.count;
  }

  /** The last message of a run: orderings, per-file positions, the report without findings. */
  finish(done) {
    this.order = done.order;
    this.groupStart = done.groupStart;
    for (const s of done.sources) this.sources.set(s.name, s);
    const model = this;
    const report = { ...done.report };
    // The findings array is built from the JSON chunks when first read: a page showing 100,000
    // findings never needs them all as objects, an API user reading `report.findings` does.
    let findings = null;
    Object.defineProperty(report, 'findings', {
      enumerable: true,
      configurable: true,
      get() {
        findings ??= model.jsons.flatMap((_, c) => model.chunk(c));
        return findings;
      },
      set(value) {
        findings = value;
      },
    });
    this.report = report;
    return this;
  }

  chunk(c) {
    this.parsed[c] ??= this.jsons[c] ? JSON.parse(decoder.decode(this.jsons[c])) : [];
    return this.parsed[c];
  }

  /** The k-th string of chunk c: messages first, then paths. */
  string(c, k) {
    const t = this.texts[c];
    if (!t) return '';
    if (!t.offsets) {
      t.offsets = new Int32Array(t.lengths.length + 1);
      for (let j = 0; j < t.lengths.length; j++) t.offsets[j + 1] = t.offsets[j] + t.lengths[j];
    }
    return t.text.substring(t.offsets[k], t.offsets[k + 1]);
  }

  message(i) {
    return this.string(Math.floor(i / CHUNK), i % CHUNK);
  }

  path(i) {
    const c = Math.floor(i / CHUNK);
    return this.string(c, (this.texts[c]?.count || 0) + (i % CHUNK));
  }

  /** How many files have findings. */
  fileCount() {
    this.files ??= new Set(this.groups.map((g) => g.source)).size;
    return this.files;
  }

  /** The full finding (as the npm package reports it). */
  finding(i) {
    if (i < 0 || i >= this.n) return null;
    return this.chunk(Math.floor(i / CHUNK))[i % CHUNK];
  }

  int(i, field) {
    return this.ints[i * FIELDS + field];
  }

  severity(i) {
    return SEVERITIES[this.int(i, F_SEVERITY)];
  }

  suppressed(i) {
    return Boolean(this.int(i, F_FLAGS) & FLAG_SUPPRESSED);
  }

  hasFix(i) {
    return Boolean(this.int(i, F_FLAGS) & FLAG_FIX);
  }

  ruleMeta(i) {
    return this.rules[this.int(i, F_RULE)];
  }

  rule(i) {
    return this.ruleMeta(i)?.id ?? this.finding(i)?.rule ?? '';
  }

  /** Whether a finding comes from a custom policy (it has a `policy` object). */
  isPolicy(i) {
    return Boolean(this.int(i, F_FLAGS) & FLAG_POLICY);
  }

  family(i) {
    return this.isPolicy(i) ? 'policy' : this.ruleMeta(i)?.family || 'structure';
  }

  group(i) {
    return this.groups[this.int(i, F_GROUP)];
  }

  /** What the editor shows for a finding (tooltips, gutter). */
  describe(i) {
    return { message: this.message(i), rule: this.rule(i), severity: this.severity(i), fix: this.hasFix(i) };
  }

  /** Per-file positions for the editor: {from, to, severity, index} typed arrays. */
  editorFindings(name) {
    return this.sources.get(name) || null;
  }

  haystack(i) {
    let s = this.haystacks[i];
    if (s === undefined) {
      const g = this.group(i);
      s =
        `${this.rule(i)}\n${this.message(i)}\n${this.path(i)}\n${g.kind ?? ''} ${g.namespace ?? ''}/${g.name ?? ''}\n${g.source}\n${this.severity(i)}`.toLowerCase();
      this.haystacks[i] = s;
    }
    return s;
  }

  /** A key that identifies "the same" finding across re-lints (to keep the selection). */
  identity(i) {
    if (i < 0 || i >= this.n) return null;
    const g = this.group(i);
    return {
      rule: this.int(i, F_RULE),
      message: this.message(i),
      rest: `${g.source}|${g.kind}|${g.namespace}|${g.name}|${this.path(i)}`,
    };
  }

  findIdentity(key) {
    if (!key) return -1;
    for (let i = 0; i < this.n; i++) {
      if (this.int(i, F_RULE) !== key.rule || this.message(i) !== key.message) continue;
      const g = this.group(i);
      if (`${g.source}|${g.kind}|${g.namespace}|${g.name}|${this.path(i)}` === key.rest) return i;
    }
    return -1;
  }

  /** The findings of the last report located in a file (a policy's errors), by position. */
  problemsIn(/** @type {string} */ name) {
    const out = [];
    for (const g of this.groups) {
      if (g.source !== name) continue;
      for (let k = this.groupStart[g.id]; k < this.groupStart[g.id + 1]; k++) {
        const i = this.order[k];
        out.push({
          message: this.message(i),
          line: this.int(i, F_LINE),
          column: this.int(i, F_COLUMN),
          start: this.int(i, F_START),
          end: this.int(i, F_END),
          severity: this.severity(i),
        });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }

  /** The resources of a file with findings that have fixes (groups of the last report). */
  fixableResources(/** @type {string} */ name) {
    return this.groups.filter((g) => {
      if (g.source !== name) return false;
      for (let k = this.groupStart[g.id]; k < this.groupStart[g.id + 1]; k++) {
        const i = this.order[k];
        if (this.hasFix(i) && !this.suppressed(i)) return true;
      }
      return false;
    });
  }
}
