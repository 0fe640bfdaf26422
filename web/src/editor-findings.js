// kubeharden's findings drawn in the editor: underlines, points for empty spans, the gutter's
// severity markers, the hover tooltip, and moving between findings (F8).
//
// Findings are kept as a sorted array in a state field and turned into decorations only for the
// lines on screen, so a file with 50,000 findings costs the same to display as one with 5.
// Between a lint and the next, the document may change: the field keeps the changes made since
// the linted text and maps positions through them.

import { StateEffect, StateField } from '@codemirror/state';
import { Decoration, GutterMarker, gutter, hoverTooltip, ViewPlugin, WidgetType } from '@codemirror/view';
import { h, icon } from './dom.js';
import { SEVERITIES, severityCode } from './protocol.js';

/** Spans longer than this are kept apart, so the search for what is on screen stays short. */
const WIDE = 4000;

/**
 * Sets the findings of a state's document: `{findings, changes}` where `findings` is
 * `{from, to, severity, index}` (typed arrays sorted by `from`, positions in the linted text;
 * severity: codes as in protocol.js; index: the finding's number in the report) plus
 * `describe(index)` → {message, rule, fix}, or null; `changes` maps the linted text to the
 * current document (null when they are the same).
 * @type {import('@codemirror/state').StateEffectType<FindingsValue>}
 */
export const setFindings = StateEffect.define();

/**
 * @typedef {object} EditorFindings
 * @property {Int32Array} from
 * @property {Int32Array} to
 * @property {Uint8Array} severity
 * @property {Int32Array} index
 * @property {(index: number) => {message?: string, rule?: string, severity?: string, fix?: boolean}} describe
 */
/** @typedef {{findings: EditorFindings | null, changes: import('@codemirror/state').ChangeDesc | null}} FindingsValue */

/**
 * Sets which finding (its `index`) is selected in the findings panel, or -1.
 * @type {import('@codemirror/state').StateEffectType<number>}
 */
export const setActiveFinding = StateEffect.define();

const NONE = {
  n: 0,
  from: new Int32Array(0),
  to: new Int32Array(0),
  severity: new Uint8Array(0),
  index: new Int32Array(0),
  wide: [],
  maxWidth: 0,
  describe: () => ({}),
};

function prepare(findings, changes) {
  if (!findings?.from.length) return { ...NONE, changes: null, active: -1 };
  const n = findings.from.length;
  const wide = [];
  let maxWidth = 0;
  for (let k = 0; k < n; k++) {
    const w = findings.to[k] - findings.from[k];
    if (w > WIDE) wide.push(k);
    else if (w > maxWidth) maxWidth = w;
  }
  return {
    n,
    from: findings.from,
    to: findings.to,
    severity: findings.severity,
    index: findings.index,
    describe: findings.describe,
    wide,
    maxWidth,
    changes,
    active: -1,
  };
}

/** The findings of a state's document (see setFindings) and the selected one. */
export const findingsField = StateField.define({
  create: () => prepare(null, null),
  update(value, tr) {
    let next = value;
    let replaced = false;
    for (const effect of tr.effects) {
      if (effect.is(setFindings)) {
        next = { ...prepare(effect.value.findings, effect.value.changes || null), active: next.active };
        replaced = true;
      } else if (effect.is(setActiveFinding)) next = { ...next, active: effect.value };
    }
    if (tr.docChanged && !replaced && next.n) {
      next = { ...next, changes: next.changes ? next.changes.composeDesc(tr.changes.desc) : tr.changes.desc };
    }
    return next;
  },
});

function lowerBound(from, n, pos) {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (from[mid] < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Findings overlapping [from, to] of the current document: [{from, to, severity, index}]. */
export function findingsIn(state, from, to) {
  const f = state.field(findingsField, false);
  if (!f?.n) return [];
  const inv = f.changes ? f.changes.invertedDesc : null;
  const a = inv ? inv.mapPos(from, -1) : from;
  const b = inv ? inv.mapPos(to, 1) : to;
  const len = state.doc.length;
  const out = [];
  const push = (k) => {
    if (f.to[k] < a || f.from[k] > b) return;
    let mFrom = f.from[k];
    let mTo = f.to[k];
    if (f.changes) {
      mFrom = f.changes.mapPos(mFrom, 1);
      mTo = Math.max(mFrom, f.changes.mapPos(mTo, -1));
    }
    if (mTo < from || mFrom > to) return;
    out.push({
      from: Math.min(mFrom, len),
      to: Math.min(mTo, len),
      severity: SEVERITIES[f.severity[k]],
      index: f.index[k],
    });
  };
  for (let k = lowerBound(f.from, f.n, a - f.maxWidth); k < f.n && f.from[k] <= b; k++)
    if (f.to[k] - f.from[k] <= WIDE) push(k);
  for (const k of f.wide) push(k);
  return out;
}

function describe(state, index) {
  return state.field(findingsField).describe(index) || {};
}

/** The first finding after (dir 1) or before (dir -1) `pos`, wrapping around. */
export function neighbour(state, pos, dir) {
  const f = state.field(findingsField, false);
  if (!f?.n) return null;
  const inv = f.changes ? f.changes.invertedDesc : null;
  const p = inv ? inv.mapPos(pos, dir) : pos;
  let k;
  if (dir > 0) {
    k = lowerBound(f.from, f.n, p + 1);
    if (k >= f.n) k = 0;
  } else {
    k = lowerBound(f.from, f.n, p) - 1;
    if (k < 0) k = f.n - 1;
  }
  const map = (x, side) => (f.changes ? f.changes.mapPos(x, side) : x);
  const a = map(f.from[k], 1);
  return { from: a, to: Math.max(a, map(f.to[k], -1)), index: f.index[k] };
}

class PointWidget extends WidgetType {
  constructor(severity) {
    super();
    this.severity = severity;
  }
  eq(other) {
    return other.severity === this.severity;
  }
  toDOM() {
    return h('span', { class: `kh-point kh-point-${this.severity}`, attrs: { 'aria-hidden': 'true' } });
  }
}

const marks = Object.fromEntries(SEVERITIES.map((s) => [s, Decoration.mark({ class: `kh-mark kh-mark-${s}` })]));
const activeMark = Decoration.mark({ class: 'kh-mark-active' });

/** Underlines the findings on screen (and points for empty spans), the selected one outlined. */
export const decorationsPlugin = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.decorations = this.build(view);
    }
    update(update) {
      if (
        update.docChanged ||
        update.viewportChanged ||
        update.startState.field(findingsField) !== update.state.field(findingsField)
      ) {
        this.decorations = this.build(update.view);
      }
    }
    build(view) {
      const ranges = [];
      const { active } = view.state.field(findingsField);
      for (const { from, to } of view.visibleRanges) {
        for (const item of findingsIn(view.state, from, to)) {
          if (item.to > item.from) {
            ranges.push(marks[item.severity].range(item.from, item.to));
            if (item.index === active) ranges.push(activeMark.range(item.from, item.to));
          } else {
            ranges.push(Decoration.widget({ widget: new PointWidget(item.severity), side: 1 }).range(item.from));
          }
        }
      }
      return Decoration.set(ranges, true);
    }
  },
  { decorations: (v) => v.decorations },
);

class SeverityMarker extends GutterMarker {
  constructor(severity, label) {
    super();
    this.severity = severity;
    this.label = label;
  }
  eq(other) {
    return other.severity === this.severity && other.label === this.label;
  }
  toDOM() {
    const el = h('span', { class: `kh-gutter-marker kh-sev-${this.severity}`, title: this.label });
    el.append(icon(this.severity));
    return el;
  }
}

/** A gutter with the worst severity of each line's findings, titled with their messages. */
export const findingsGutter = gutter({
  class: 'kh-findings-gutter',
  lineMarker(view, line) {
    const items = findingsIn(view.state, line.from, line.to);
    if (!items.length) return null;
    let worst = items[0];
    for (const item of items) if (severityCode(item.severity) < severityCode(worst.severity)) worst = item;
    const label =
      items
        .slice(0, 8)
        .map((i) => {
          const d = describe(view.state, i.index);
          return `${i.severity}: ${d.message} [${d.rule}]`;
        })
        .join('\n') + (items.length > 8 ? `\n… ${items.length - 8} more` : '');
    return new SeverityMarker(worst.severity, label);
  },
  lineMarkerChange: (update) => update.startState.field(findingsField) !== update.state.field(findingsField),
  initialSpacer: () => new SeverityMarker('info', ''),
});

/** Hovering findings shows their messages; a click picks one (`onPick(index)`). */
export function findingsTooltip(onPick) {
  return hoverTooltip(
    (view, pos, side) => {
      const items = findingsIn(view.state, pos, pos).filter(
        (i) =>
          (i.from < pos || (i.from === pos && side > 0) || i.from === i.to) &&
          (i.to > pos || (i.to === pos && side < 0) || i.from === i.to),
      );
      if (!items.length) return null;
      items.sort((a, b) => severityCode(a.severity) - severityCode(b.severity));
      const from = Math.min(...items.map((i) => i.from));
      const to = Math.max(...items.map((i) => i.to));
      return {
        pos: from,
        end: to,
        above: true,
        create() {
          const dom = h('div', { class: 'kh-tooltip', attrs: { role: 'tooltip' } });
          for (const item of items.slice(0, 6)) {
            const d = describe(view.state, item.index);
            dom.append(
              h(
                'button',
                {
                  class: `kh-tooltip-item kh-sev-${item.severity}`,
                  type: 'button',
                  title: 'Show in the findings list',
                  on: { click: () => onPick(item.index) },
                },
                icon(item.severity),
                h(
                  'span',
                  { class: 'kh-tooltip-text' },
                  h('span', { class: 'kh-tooltip-message', text: d.message }),
                  h(
                    'span',
                    { class: 'kh-tooltip-meta' },
                    h('code', { text: d.rule }),
                    d.fix ? h('span', { class: 'kh-fix-badge', text: 'fix available' }) : null,
                  ),
                ),
              ),
            );
          }
          if (items.length > 6) dom.append(h('div', { class: 'kh-tooltip-more', text: `… ${items.length - 6} more` }));
          return { dom };
        },
      };
    },
    { hideOnChange: true, hoverTime: 250 },
  );
}

/** A state with its findings replaced (for files not on screen). */
export function withFindings(state, findings, changes) {
  return state.update({ effects: setFindings.of({ findings, changes }) }).state;
}

/** A range of the linted text mapped to the state's current document. */
export function mapLinted(state, from, to) {
  const f = state.field(findingsField, false);
  const len = state.doc.length;
  if (!f?.changes || !f.n) return { from: Math.min(from, len), to: Math.min(to, len) };
  const a = f.changes.mapPos(from, 1);
  return { from: Math.min(a, len), to: Math.min(Math.max(a, f.changes.mapPos(to, -1)), len) };
}
