// Hover on a key: the documentation of its field in the Kubernetes schema (description, type,
// the release that added it). The linter says which field a key is (fieldAt, in the worker);
// the documentation is field-docs.json, fetched on the first hover on a key and never with the
// first paint (it is about 1 MB; the page needs none of it to lint).

import { hoverTooltip } from '@codemirror/view';
import { h } from './dom.js';

/** A key at the start of a line, or after `- ` (flow mappings are left out). */
const KEY = /^(\s*(?:-\s+)*)("[^"]*"|'[^']*'|[^\s#"'{}[\],:][^:#{}[\],]*?)\s*:(\s|$)/;

/** The range of the key under `pos` on its line, or null. */
export function keyAt(doc, pos) {
  const line = doc.lineAt(pos);
  const m = KEY.exec(line.text);
  if (!m) return null;
  const from = line.from + m[1].length;
  const to = from + m[2].length;
  return pos >= from && pos <= to ? { from, to } : null;
}

/**
 * The hover tooltip of field docs.
 * @param {object} o
 * @param {(text: string, offset: number) => Promise<any>} o.locate  the field under a position
 * @param {URL | string} o.url  where field-docs.json is
 */
export function fieldDocsTooltip({ locate, url }) {
  /** @type {Promise<any> | null} */
  let docs = null;
  const load = () => {
    docs ??= fetch(url).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json();
    });
    docs.catch(() => {
      docs = null;
    });
    return docs;
  };
  return hoverTooltip(
    async (view, pos) => {
      const key = keyAt(view.state.doc, pos);
      if (!key) return null;
      const found = await locate(view.state.doc.toString(), key.from);
      if (!found || found.definition === null) return null;
      let data;
      try {
        data = await load();
      } catch {
        return null;
      }
      const entry = data?.definitions?.[found.definition]?.fields?.[found.field];
      if (!entry) return null;
      const [type, since, description] = entry;
      const path = found.path
        .map((s) => (s === null ? '[]' : s))
        .join('.')
        .replaceAll('.[]', '[]');
      return {
        pos: key.from,
        end: key.to,
        above: true,
        create() {
          const dom = h(
            'div',
            { class: 'kh-tooltip kh-field-doc', attrs: { role: 'tooltip' } },
            h(
              'div',
              { class: 'kh-field-doc-head' },
              h('code', { class: 'kh-field-doc-path', text: path }),
              h('span', { class: 'kh-field-doc-type', text: type }),
            ),
            h('p', { class: 'kh-field-doc-text', text: description || 'No description.' }),
            h('div', {
              class: 'kh-tooltip-meta',
              text:
                since > data.firstMinor
                  ? `${found.kind} ${found.apiVersion} · since Kubernetes v1.${since}`
                  : `${found.kind} ${found.apiVersion}`,
            }),
          );
          return { dom };
        },
      };
    },
    { hoverTime: 250 },
  );
}
