// The code editor: CodeMirror 6 with YAML highlighting and kubeharden's findings drawn in it.
//
// Findings are kept as a sorted array in a state field and turned into decorations (underlines,
// gutter markers) only for the lines on screen, so a file with 50,000 findings costs the same
// to display as one with 5. Between a lint and the next, the document may change: the field
// keeps the changes made since the linted text and maps positions through them.

import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  HighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import {
  Annotation,
  Compartment,
  EditorSelection,
  EditorState,
  StateEffect,
  StateField,
  Text,
  Transaction,
} from '@codemirror/state';
import {
  crosshairCursor,
  Decoration,
  drawSelection,
  dropCursor,
  EditorView,
  GutterMarker,
  gutter,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  hoverTooltip,
  keymap,
  lineNumbers,
  placeholder,
  rectangularSelection,
  ViewPlugin,
  WidgetType,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { h, icon } from './dom.js';
import { SEVERITIES, severityCode } from './protocol.js';

const WIDE = 4000;
/** Above this many characters the YAML parser gives way to a highlighter of the visible lines. */
export const LARGE_DOC = 300_000;
/** Large texts are split into lines in pieces of about this size, one task each. */
const PIECE = 128 * 1024;

/**
 * Sets the findings of a state's document: `{findings, changes}` where `findings` is
 * `{from, to, severity, index}` (typed arrays sorted by `from`, positions in the linted text;
 * severity: codes as in protocol.js; index: the finding's number in the report) plus
 * `describe(index)` → {message, rule, fix}, or null; `changes` maps the linted text to the
 * current document (null when they are the same).
 */
export const setFindings = StateEffect.define();

/** Sets which finding (its `index`) is selected in the findings panel, or -1. */
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

const findingsField = StateField.define({
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
function neighbour(state, pos, dir) {
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

const decorationsPlugin = ViewPlugin.fromClass(
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

const findingsGutter = gutter({
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

function findingsTooltip(onPick) {
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

// ---- large documents -------------------------------------------------------------------
//
// The YAML parser highlights a document by parsing it from the top, in slices of up to 100 ms;
// on a 5 MB document that is seconds of work and long tasks. Above LARGE_DOC characters the
// editor switches to a highlighter that only looks at the lines on screen (keys, strings,
// numbers, booleans, comments, anchors), like editors that turn off full tokenization for
// large files. Folding is not available in that mode.

const hlMarks = {
  key: Decoration.mark({ class: 'kh-hl-key' }),
  string: Decoration.mark({ class: 'kh-hl-string' }),
  comment: Decoration.mark({ class: 'kh-hl-comment' }),
  meta: Decoration.mark({ class: 'kh-hl-meta' }),
  atom: Decoration.mark({ class: 'kh-hl-atom' }),
  anchor: Decoration.mark({ class: 'kh-hl-anchor' }),
};

const KEY =
  /^(\s*(?:-\s+)*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?=\s|$)/;
const VALUE =
  /("(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)|(^|\s)(#.*)$|([&*][^\s,{}[\]]+)|(![^\s,{}[\]]*)|\b(true|false|yes|no|on|off|null|True|False|TRUE|FALSE|Yes|No|YES|NO|On|Off|ON|OFF|Null|NULL|~|[-+]?(?:0x[0-9a-fA-F]+|0o?[0-7]+|[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?))(?=\s*(?:#|$|,|\]|\}))/g;

function highlightLine(text, offset, out) {
  if (/^(---|\.\.\.)(\s|$)/.test(text)) {
    out.push(hlMarks.meta.range(offset, offset + 3));
    text = text.slice(3).padStart(text.length, ' ');
  }
  const key = KEY.exec(text);
  let rest = 0;
  if (key) {
    const start = key[1].length;
    out.push(hlMarks.key.range(offset + start, offset + start + key[2].length));
    rest = key[0].length;
  }
  VALUE.lastIndex = rest;
  for (let m = VALUE.exec(text); m; m = VALUE.exec(text)) {
    const at = m.index;
    if (m[1]) out.push(hlMarks.string.range(offset + at, offset + at + m[1].length));
    else if (m[3]) out.push(hlMarks.comment.range(offset + at + m[2].length, offset + text.length));
    else if (m[4]) out.push(hlMarks.anchor.range(offset + at, offset + at + m[4].length));
    else if (m[5]?.length) out.push(hlMarks.anchor.range(offset + at, offset + at + m[5].length));
    else if (m[6]) out.push(hlMarks.atom.range(offset + at, offset + at + m[6].length));
    if (m[0].length === 0) VALUE.lastIndex++;
  }
}

const largeHighlighter = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.decorations = this.build(view);
    }
    update(update) {
      if (update.docChanged || update.viewportChanged) this.decorations = this.build(update.view);
    }
    build(view) {
      const ranges = [];
      for (const { from, to } of view.visibleRanges) {
        for (let pos = from; pos <= to; ) {
          const line = view.state.doc.lineAt(pos);
          if (line.length < 10_000) highlightLine(line.text, line.from, ranges);
          pos = line.to + 1;
        }
      }
      return Decoration.set(ranges, true);
    }
  },
  { decorations: (v) => v.decorations },
);

const yamlSupport = yaml();
const language = new Compartment();

function languageFor(length) {
  return length > LARGE_DOC ? largeHighlighter : yamlSupport;
}

/** Marks a large insertion that set the language itself. */
const bulk = Annotation.define();

const switchLanguage = EditorState.transactionExtender.of((tr) => {
  if (!tr.docChanged || tr.annotation(bulk)) return null;
  const isLarge = language.get(tr.startState) === largeHighlighter;
  const length = tr.newDoc.length;
  if (!isLarge && length > LARGE_DOC) return { effects: language.reconfigure(largeHighlighter) };
  if (isLarge && length < LARGE_DOC * 0.8) return { effects: language.reconfigure(yamlSupport) };
  return null;
});

const yieldToPage = () => new Promise((resolve) => setTimeout(resolve));

/**
 * A CodeMirror Text for a string of any size, split into lines one piece (ending at a line
 * break) per task. Line breaks are read as CodeMirror does (\r\n, \r or \n).
 */
export async function buildText(text) {
  if (text.length <= PIECE) return Text.of(text.split(/\r\n?|\n/));
  let doc = null;
  for (const piece of pieces(text)) {
    if (doc) await yieldToPage();
    const part = Text.of(piece.split(/\r\n?|\n/));
    // Each piece but the last ends with a line break, so its last line is empty: the next
    // piece's first line continues there.
    doc = doc ? doc.append(part) : part;
  }
  return doc;
}

/** Splits text at line breaks into pieces of about PIECE characters. */
function pieces(text) {
  const out = [];
  for (let pos = 0; pos < text.length; ) {
    let end = Math.min(text.length, pos + PIECE);
    if (end < text.length) {
      const nl = text.indexOf('\n', end);
      end = nl < 0 ? text.length : nl + 1;
    }
    out.push(text.slice(pos, end));
    pos = end;
  }
  return out;
}

const highlight = HighlightStyle.define([
  { tag: t.definition(t.propertyName), color: 'var(--kh-syn-key)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--kh-syn-string)' },
  { tag: t.content, color: 'var(--kh-syn-value)' },
  { tag: [t.lineComment, t.comment], color: 'var(--kh-syn-comment)', fontStyle: 'italic' },
  { tag: [t.meta, t.keyword], color: 'var(--kh-syn-meta)' },
  { tag: [t.labelName, t.typeName], color: 'var(--kh-syn-anchor)' },
  { tag: [t.separator, t.punctuation, t.squareBracket, t.brace], color: 'var(--kh-syn-punct)' },
  { tag: t.attributeValue, color: 'var(--kh-syn-string)' },
]);

const theme = EditorView.theme({
  '&': {
    height: '100%',
    color: 'var(--kh-fg)',
    backgroundColor: 'var(--kh-editor-bg)',
    fontSize: 'var(--kh-code-size, 13px)',
  },
  '.cm-scroller': { fontFamily: 'var(--kh-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--kh-accent)', paddingBottom: '40vh' },
  '&.cm-focused': { outline: 'none' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--kh-accent)', borderLeftWidth: '2px' },
  '.cm-gutters': {
    backgroundColor: 'var(--kh-gutter-bg)',
    color: 'var(--kh-muted)',
    borderRight: '1px solid var(--kh-border)',
  },
  '.cm-activeLineGutter': { backgroundColor: 'var(--kh-active-line)', color: 'var(--kh-fg)' },
  '.cm-activeLine': { backgroundColor: 'var(--kh-active-line)' },
  '.cm-selectionBackground, ::selection': { backgroundColor: 'var(--kh-selection) !important' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground': {
    backgroundColor: 'var(--kh-selection-focused) !important',
  },
  '.cm-selectionMatch': { backgroundColor: 'var(--kh-match)' },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': {
    backgroundColor: 'var(--kh-match)',
    outline: '1px solid var(--kh-border-strong)',
  },
  '.cm-foldPlaceholder': {
    backgroundColor: 'var(--kh-surface-2)',
    border: '1px solid var(--kh-border)',
    color: 'var(--kh-muted)',
  },
  '.cm-placeholder': { color: 'var(--kh-muted)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--kh-surface)',
    color: 'var(--kh-fg)',
    border: '1px solid var(--kh-border-strong)',
    borderRadius: '6px',
    boxShadow: 'var(--kh-shadow)',
  },
  '.cm-panels': { backgroundColor: 'var(--kh-surface-2)', color: 'var(--kh-fg)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--kh-border)' },
  '.cm-panel.cm-search input, .cm-panel.cm-search button': { fontSize: '12px' },
  '.cm-textfield': {
    backgroundColor: 'var(--kh-input-bg)',
    color: 'var(--kh-fg)',
    border: '1px solid var(--kh-border-strong)',
    borderRadius: '4px',
  },
  '.cm-button': {
    backgroundImage: 'none',
    backgroundColor: 'var(--kh-surface)',
    color: 'var(--kh-fg)',
    border: '1px solid var(--kh-border-strong)',
    borderRadius: '4px',
  },
  '.cm-searchMatch': { backgroundColor: 'var(--kh-match)', outline: '1px solid var(--kh-warning)' },
  '.cm-searchMatch-selected': { backgroundColor: 'var(--kh-selection-focused)' },
  '.cm-lineNumbers .cm-gutterElement': { minWidth: '3ch' },
  '.kh-hl-key': { color: 'var(--kh-syn-key)' },
  '.kh-hl-string': { color: 'var(--kh-syn-string)' },
  '.kh-hl-comment': { color: 'var(--kh-syn-comment)', fontStyle: 'italic' },
  '.kh-hl-meta': { color: 'var(--kh-syn-meta)' },
  '.kh-hl-atom': { color: 'var(--kh-syn-meta)' },
  '.kh-hl-anchor': { color: 'var(--kh-syn-anchor)' },
});

/**
 * The editor. `root` is the shadow root (or document) it lives in. Hooks:
 *   onUpdate(update)   every view update (the host looks at docChanged / selectionSet)
 *   onPick(index)      a finding was chosen in the editor (tooltip click, F8)
 */
export class Editor {
  constructor({ parent, root, onUpdate, onPick }) {
    this.onPick = onPick;
    /** Documents whose full text is known as one string (large pastes, opened files). */
    this.knownTexts = new WeakMap();
    this.readOnly = new Compartment();
    this.readOnlyValue = false;
    const next = (dir) => (view) => {
      const item = neighbour(view.state, view.state.selection.main.from, dir);
      if (!item) return false;
      this.select(item.from, item.to);
      onPick(item.index);
      return true;
    };
    this.extensions = [
      lineNumbers(),
      findingsGutter,
      foldGutter(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      dropCursor(),
      EditorState.allowMultipleSelections.of(true),
      indentOnInput(),
      indentUnit.of('  '),
      EditorState.tabSize.of(2),
      syntaxHighlighting(highlight),
      bracketMatching(),
      rectangularSelection(),
      crosshairCursor(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({ top: true }),
      switchLanguage,
      findingsField,
      decorationsPlugin,
      findingsTooltip((index) => onPick(index)),
      placeholder('Paste Kubernetes manifests (YAML or JSON), drop files here, or pick an example.'),
      keymap.of([
        { key: 'F8', run: next(1) },
        { key: 'Shift-F8', run: next(-1) },
        ...searchKeymap,
        ...historyKeymap,
        ...foldKeymap,
        indentWithTab,
        ...defaultKeymap,
      ]),
      EditorView.contentAttributes.of({ 'aria-label': 'Manifest editor', 'aria-multiline': 'true' }),
      EditorView.domEventHandlers({
        // Dropped files are the host's business (it reads them into tabs); text drops stay here.
        drop: (event) => Boolean(event.dataTransfer?.files?.length),
        // A large paste goes in piece by piece, so the page does not freeze.
        paste: (event, view) => {
          const text = event.clipboardData?.getData('text/plain');
          if (!text || text.length <= PIECE || view.state.readOnly) return false;
          event.preventDefault();
          const { from, to } = view.state.selection.main;
          this.insertLarge(text, { from, to });
          return true;
        },
      }),
      EditorView.updateListener.of((update) => onUpdate(update)),
      theme,
    ];
    this.view = new EditorView({ parent, root, state: this.createState('') });
  }

  /** A fresh editor state for a file's text. */
  createState(text) {
    return EditorState.create({
      doc: text,
      extensions: [
        this.extensions,
        language.of(languageFor(text.length)),
        this.readOnly.of(EditorState.readOnly.of(this.readOnlyValue)),
      ],
    });
  }

  /** The same for any size: a large text is split into lines a piece at a time (see buildText). */
  async createStateLarge(text) {
    if (text.length <= PIECE) return this.createState(text);
    const doc = await buildText(text);
    if (!text.includes('\r')) this.knownTexts.set(doc, text);
    return EditorState.create({
      doc,
      extensions: [
        this.extensions,
        language.of(languageFor(doc.length)),
        this.readOnly.of(EditorState.readOnly.of(this.readOnlyValue)),
      ],
    });
  }

  /**
   * Replaces [from, to) with text as a paste does, as one change (one undo step); a large text
   * is split into lines a piece at a time first, so that no single task holds the page long.
   */
  async insertLarge(text, { from, to, userEvent = 'input.paste' }) {
    const start = this.view.state;
    const insert = await buildText(text);
    if (this.view.state.doc !== start.doc) return; // edited meanwhile: the paste is dropped
    const large = start.doc.length - (to - from) + insert.length > LARGE_DOC;
    // Two steps, each its own task: the text goes in with the view where it was, then the
    // cursor and the view move to the end of the pasted text.
    this.view.dispatch({
      changes: { from, to, insert },
      effects: large ? language.reconfigure(largeHighlighter) : [],
      annotations: [Transaction.userEvent.of(userEvent), bulk.of(true)],
    });
    const doc = this.view.state.doc;
    await yieldToPage();
    if (this.view.state.doc === doc)
      this.view.dispatch({ selection: { anchor: from + insert.length }, scrollIntoView: true, userEvent: 'select' });
    // The whole document is the pasted text: remember it, so it need not be rebuilt from lines.
    if (from === 0 && to === start.doc.length && !text.includes('\r')) this.knownTexts.set(doc, text);
  }

  get state() {
    return this.view.state;
  }

  setState(state) {
    const ro = state.facet(EditorState.readOnly);
    this.view.setState(
      ro === this.readOnlyValue
        ? state
        : state.update({ effects: this.readOnly.reconfigure(EditorState.readOnly.of(this.readOnlyValue)) }).state,
    );
  }

  setReadOnly(value) {
    this.readOnlyValue = Boolean(value);
    this.view.dispatch({ effects: this.readOnly.reconfigure(EditorState.readOnly.of(this.readOnlyValue)) });
  }

  /** Replaces the whole document (keeps undo history, so it can be undone). */
  replaceAll(text, userEvent = 'input.replace') {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, userEvent });
  }

  /** Selects [from, to) and scrolls it to the middle of the editor. */
  /** Selects [from, to), scrolls it to the middle; `active`: the finding to outline there. */
  select(from, to, { focus = false, active } = {}) {
    const len = this.view.state.doc.length;
    const a = Math.max(0, Math.min(from, len));
    const b = Math.max(a, Math.min(to, len));
    const effects = [EditorView.scrollIntoView(EditorSelection.range(a, b), { y: 'center', x: 'nearest' })];
    if (active !== undefined) effects.push(setActiveFinding.of(active));
    this.view.dispatch({ selection: EditorSelection.single(a, b), effects, userEvent: 'select.finding' });
    if (focus) this.view.focus();
  }

  setActive(index) {
    if (this.view.state.field(findingsField).active !== index)
      this.view.dispatch({ effects: setActiveFinding.of(index) });
  }

  focus() {
    this.view.focus();
  }

  destroy() {
    this.view.destroy();
  }
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
