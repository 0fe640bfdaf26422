// Large documents in the editor. The YAML parser highlights a document by parsing it from the
// top, in slices of up to 100 ms; on a 5 MB document that is seconds of work and long tasks.
// Above LARGE_DOC characters the editor switches to a highlighter that only looks at the lines
// on screen (keys, strings, numbers, booleans, comments, anchors), like editors that turn off
// full tokenization for large files. Folding is not available in that mode. Large texts are
// also split into lines a piece per task (buildText), so that no single task holds the page.

import { yaml } from '@codemirror/lang-yaml';
import { Annotation, Compartment, EditorState, Text } from '@codemirror/state';
import { Decoration, ViewPlugin } from '@codemirror/view';

/** Above this many characters the YAML parser gives way to a highlighter of the visible lines. */
export const LARGE_DOC = 300_000;
/** Large texts are split into lines in pieces of about this size, one task each. */
export const PIECE = 128 * 1024;

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

export const largeHighlighter = ViewPlugin.fromClass(
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

export const yamlSupport = yaml();
/** Holds the highlighter in use: the YAML language, or the one for large documents. */
export const language = new Compartment();

/** The highlighter for a document of `length` characters. */
export function languageFor(/** @type {number} */ length) {
  return length > LARGE_DOC ? largeHighlighter : yamlSupport;
}

/** Marks a large insertion that set the language itself. */
export const bulk = Annotation.define();

/** Changes the highlighter as edits cross LARGE_DOC (with some slack, so it does not flap). */
export const switchLanguage = EditorState.transactionExtender.of((tr) => {
  if (!tr.docChanged || tr.annotation(bulk)) return null;
  const isLarge = language.get(tr.startState) === largeHighlighter;
  const length = tr.newDoc.length;
  if (!isLarge && length > LARGE_DOC) return { effects: language.reconfigure(largeHighlighter) };
  if (isLarge && length < LARGE_DOC * 0.8) return { effects: language.reconfigure(yamlSupport) };
  return null;
});

/** Resolves in a task of its own: the page gets its turn. */
export const yieldToPage = () => new Promise((resolve) => setTimeout(resolve));

/**
 * A CodeMirror Text for a string of any size, split into lines one piece (ending at a line
 * break) per task. Line breaks are read as CodeMirror does (\r\n, \r or \n).
 */
export async function buildText(/** @type {string} */ text) {
  if (text.length <= PIECE) return Text.of(text.split(/\r\n?|\n/));
  let doc = Text.empty;
  for (const piece of pieces(text)) {
    if (doc.length) await yieldToPage();
    const part = Text.of(piece.split(/\r\n?|\n/));
    // Each piece but the last ends with a line break, so its last line is empty: the next
    // piece's first line continues there.
    doc = doc.length ? doc.append(part) : part;
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
