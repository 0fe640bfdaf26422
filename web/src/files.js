// Reading files the user drops or picks: several at once, folders included (manifests only),
// decoded as UTF-8. Names stay as the user knows them (a folder's files keep their relative
// path) and are made unique, since findings name their file.

export const MANIFEST = /\.(ya?ml|json)$/i;
const MAX_FILES = 2000;

/** Files from a drop: plain files, and the manifests inside dropped folders. */
export async function filesFromDrop(dataTransfer) {
  const items = [...(dataTransfer.items || [])].filter((i) => i.kind === 'file');
  const entries = items.map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null));
  if (entries.length && entries.every(Boolean)) {
    const out = [];
    for (const entry of entries) await walk(entry, '', out, true);
    return out;
  }
  return [...(dataTransfer.files || [])].map((file) => ({ file, name: file.name }));
}

async function walk(entry, prefix, out, top) {
  if (out.length >= MAX_FILES) return;
  if (entry.isFile) {
    // A file dropped by itself is read whatever its extension; inside folders, manifests only.
    if (!top && !MANIFEST.test(entry.name)) return;
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, name: prefix + entry.name });
    return;
  }
  if (entry.isDirectory) {
    const reader = entry.createReader();
    const children = [];
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) break;
      children.push(...batch);
    }
    children.sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      if (child.name.startsWith('.')) continue;
      await walk(child, `${prefix}${entry.name}/`, out, false);
    }
  }
}

/** Reads [{file, name}] to [{name, text}]. */
export async function readAll(list) {
  return Promise.all(list.map(async ({ file, name }) => ({ name, text: await file.text(), size: file.size })));
}

/** `name`, or `name (2)`, `name (3)`… so that it is not in `taken` (a Set). */
export function uniqueName(name, taken) {
  const clean =
    String(name || 'manifest.yaml')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
      .replace(/[\u0000-\u001f]/g, '')
      .trim() || 'manifest.yaml';
  if (!taken.has(clean)) return clean;
  const dot = clean.search(/\.[^./]+$/);
  const stem = dot > 0 ? clean.slice(0, dot) : clean;
  const ext = dot > 0 ? clean.slice(dot) : '';
  for (let i = 2; ; i++) {
    const candidate = `${stem} (${i})${ext}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The line ending a text mostly uses, to save it back the same way. */
export function lineEnding(text) {
  const crlf = text.indexOf('\r\n');
  return crlf >= 0 && crlf < 100_000 ? '\r\n' : '\n';
}
