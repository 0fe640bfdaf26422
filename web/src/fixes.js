// Fixes: a finding's `fix.edits` (UTF-16 offsets into the linted text) shown as a unified diff,
// copied as a patch, or applied to the editor as one undoable change.

const CONTEXT = 3;

/**
 * A unified diff (git style, applies with `git apply` / `patch -p1`) of `edits` on `doc` (a
 * CodeMirror Text: only the lines around the edits are read, so this is cheap on huge files).
 */
export function fixDiff(doc, edits, name) {
  const lines = fixLines(doc, edits);
  if (!lines) return '';
  const { before, after, firstLine } = lines;
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  const ctxStart = Math.max(0, head - CONTEXT);
  const ctxEndB = Math.min(before.length, before.length - tail + CONTEXT);
  const ctxEndA = Math.min(after.length, after.length - tail + CONTEXT);
  const out = [`--- a/${name}`, `+++ b/${name}`];
  const oldCount = ctxEndB - ctxStart;
  const newCount = ctxEndA - ctxStart;
  const start = firstLine + ctxStart;
  out.push(`@@ -${oldCount ? start : start - 1},${oldCount} +${newCount ? start : start - 1},${newCount} @@`);
  for (let i = ctxStart; i < head; i++) out.push(` ${before[i]}`);
  for (let i = head; i < before.length - tail; i++) out.push(`-${before[i]}`);
  for (let i = head; i < after.length - tail; i++) out.push(`+${after[i]}`);
  for (let i = before.length - tail; i < ctxEndB; i++) out.push(` ${before[i]}`);
  return `${out.join('\n')}\n`;
}

/** The whole lines touched by `edits` (plus context), before and after applying them. */
function fixLines(doc, edits) {
  if (!edits?.length) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const e of edits) {
    if (e.start < 0 || e.end < e.start || e.end > doc.length) return null;
    min = Math.min(min, e.start);
    max = Math.max(max, e.end);
  }
  const first = doc.lineAt(min).number;
  const last = doc.lineAt(max).number;
  const from = doc.line(Math.max(1, first - CONTEXT)).from;
  const to = doc.line(Math.min(doc.lines, last + CONTEXT)).to;
  const text = doc.sliceString(from, to);
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let changed = text;
  for (const e of sorted) changed = changed.slice(0, e.start - from) + e.text + changed.slice(e.end - from);
  return { before: text.split('\n'), after: changed.split('\n'), firstLine: Math.max(1, first - CONTEXT) };
}

/** Whether a fix's edits are well-formed for a document of `length` (sorted, no overlap). */
export function fixApplies(edits, length) {
  if (!edits?.length) return false;
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let end = -1;
  for (const e of sorted) {
    if (e.start < 0 || e.end < e.start || e.end > length || e.start < end) return false;
    end = e.end;
  }
  return true;
}

/** CodeMirror changes for a fix. */
export function fixChanges(edits) {
  return edits.map((e) => ({ from: e.start, to: e.end, insert: e.text }));
}

/**
 * Whether a finding's fix can be applied to its file now, and if not why: null when it can.
 * @param {{fix?: {edits: {start: number, end: number, text: string}[]}}} finding
 * @param {{lintedDoc: import('@codemirror/state').Text | null} | undefined} file  its open file
 * @param {import('@codemirror/state').Text | null} doc  the file's current document
 * @param {boolean} readOnly
 */
export function fixBlocked(finding, file, doc, readOnly) {
  if (!finding.fix) return 'This finding has no fix.';
  if (readOnly) return 'The editor is read-only.';
  if (!file || !doc) return 'The file is no longer open.';
  if (file.lintedDoc !== doc) return 'The text changed since it was linted: wait for the new results.';
  if (!fixApplies(finding.fix.edits, doc.length)) return 'This fix does not fit the current text.';
  return null;
}
