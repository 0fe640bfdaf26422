// A small Markdown subset for rule documentation, rendered to DOM nodes (never to an HTML
// string): paragraphs, bullet and numbered lists, fenced code blocks, `code`, **bold**,
// *emphasis*, [links](https://…) and bare https:// URLs. Anything else stays literal text.
// Links open only http(s) URLs, in a new tab, without a referrer.

import { h } from './dom.js';

/** Renders `text` into a DocumentFragment. */
export function renderMarkdown(text) {
  const frag = document.createDocumentFragment();
  const lines = String(text ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = line.match(/^\s*(```|~~~)\s*([\w-]*)\s*$/);
    if (fence) {
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      frag.append(codeBlock(body.join('\n'), fence[2]));
      continue;
    }
    const bullet = /^\s*[-*+]\s+/;
    const numbered = /^\s*\d+[.)]\s+/;
    if (bullet.test(line) || numbered.test(line)) {
      const marker = bullet.test(line) ? bullet : numbered;
      const list = h(marker === bullet ? 'ul' : 'ol');
      while (i < lines.length && marker.test(lines[i])) {
        let item = lines[i++].replace(marker, '');
        // Continuation lines (indented, not a new item) belong to the item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !marker.test(lines[i]))
          item += ` ${lines[i++].trim()}`;
        list.append(h('li', {}, inline(item)));
      }
      frag.append(list);
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      frag.append(h('p', { class: 'kh-md-heading' }, inline(heading[2])));
      i++;
      continue;
    }
    const para = [];
    while (
      i < lines.length &&
      lines[i].trim() &&
      !bullet.test(lines[i]) &&
      !numbered.test(lines[i]) &&
      !/^\s*(```|~~~)/.test(lines[i])
    ) {
      para.push(lines[i++].trim());
    }
    frag.append(h('p', {}, inline(para.join(' '))));
  }
  return frag;
}

/** A code block (YAML examples in rule docs), as plain text. */
export function codeBlock(text, lang = '') {
  return h('pre', { class: 'kh-code', attrs: { 'data-lang': lang || null, tabindex: 0 } }, h('code', { text }));
}

const INLINE =
  /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])|(?<!\w)_([^_\s][^_]*?)_(?!\w)|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

/** Inline Markdown to a list of nodes. */
export function inline(text) {
  const out = [];
  let last = 0;
  for (const m of String(text).matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1]) out.push(h('code', { text: m[2] }));
    else if (m[3]) out.push(h('strong', {}, inline(m[3])));
    else if (m[4]) out.push(h('em', {}, inline(m[4])));
    else if (m[5]) out.push(h('em', {}, inline(m[5])));
    else if (m[6]) out.push(link(m[7], inline(m[6])));
    else if (m[8]) out.push(link(m[8], m[8]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A link when `href` is an http(s) URL, otherwise the label as text. */
export function link(href, label) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return h('span', {}, label);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return h('span', {}, label);
  return h(
    'a',
    { href: url.href, target: '_blank', rel: 'noopener noreferrer', attrs: { referrerpolicy: 'no-referrer' } },
    label,
  );
}
