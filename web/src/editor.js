// The code editor: CodeMirror 6 with YAML highlighting and kubeharden's findings drawn in it
// (editor-findings.js), fast on large documents (large-docs.js).

import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
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
import { Compartment, EditorSelection, EditorState, Transaction } from '@codemirror/state';
import {
  crosshairCursor,
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  placeholder,
  rectangularSelection,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import {
  decorationsPlugin,
  findingsField,
  findingsGutter,
  findingsTooltip,
  neighbour,
  setActiveFinding,
} from './editor-findings.js';
import {
  buildText,
  bulk,
  LARGE_DOC,
  language,
  languageFor,
  largeHighlighter,
  PIECE,
  switchLanguage,
  yieldToPage,
} from './large-docs.js';

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
  // Focus shows on the whole editor (at once: CodeMirror sets .cm-focused a moment later).
  '&.cm-focused, &:focus-within': { outline: '2px solid var(--kh-focus)', outlineOffset: '-2px' },
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
 * The editor. `root` is the shadow root (or document) it lives in; `describedBy`, the ID of the
 * text that tells how to use it from the keyboard. Hooks:
 *   onUpdate(update)   every view update (the host looks at docChanged / selectionSet)
 *   onPick(index)      a finding was chosen in the editor (tooltip click, F8)
 * `fieldDocs` is the extension that documents keys on hover (field-docs.js).
 */
export class Editor {
  /** @param {{parent: any, root: any, onUpdate: any, onPick: any, describedBy?: string, fieldDocs?: import('@codemirror/state').Extension}} options */
  constructor({ parent, root, onUpdate, onPick, describedBy = '', fieldDocs = [] }) {
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
      fieldDocs,
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
      // tabindex: the content is focusable anyway (contenteditable); saying so makes the
      // scrolling editor keyboard-reachable for every tool that checks (WCAG 2.1.1).
      EditorView.contentAttributes.of({
        'aria-label': 'Manifest editor',
        'aria-multiline': 'true',
        tabindex: '0',
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      }),
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

  /**
   * Selects [from, to) and scrolls it to the middle of the editor; `active`: the finding to
   * outline there.
   * @param {number} from
   * @param {number} to
   * @param {{focus?: boolean, active?: number}} [options]
   */
  select(from, to, { focus = false, active = undefined } = {}) {
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
