// Tiny DOM helpers. Everything the UI shows is built with createElement and textContent: no
// string of markup is ever parsed, so text from manifests, findings or docs can never become
// HTML. (The page's Content-Security-Policy also enforces Trusted Types, which makes any
// accidental innerHTML assignment throw.)

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. `props`: `class`, `text`, `attrs` (attributes), `on` (listeners), `style`
 * (a CSSStyleDeclaration object, not a string: string styles are blocked by the CSP), plus any
 * DOM property (`type`, `value`, `checked`, `disabled`, `hidden`, `title`…).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'attrs') {
      for (const [name, v] of Object.entries(value))
        if (v !== undefined && v !== null && v !== false) el.setAttribute(name, v === true ? '' : String(v));
    } else if (key === 'on') {
      for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    } else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') Object.assign(el.style, value);
    else el[key] = value;
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

// 16×16 icons drawn with paths (stroke or fill), aria-hidden: the controls carry the labels.
const ICONS = {
  error: [
    ['circle', { cx: 8, cy: 8, r: 6.5, fill: 'currentColor', stroke: 'none' }],
    ['path', { d: 'M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4', class: 'kh-on', 'stroke-width': 1.6 }],
  ],
  warning: [
    ['path', { d: 'M8 1.8l6.6 11.7H1.4z', fill: 'currentColor', stroke: 'none' }],
    ['path', { d: 'M8 6v3.6M8 11.2v.4', class: 'kh-on kh-on-dark', 'stroke-width': 1.6 }],
  ],
  info: [
    ['circle', { cx: 8, cy: 8, r: 6.5, fill: 'currentColor', stroke: 'none' }],
    ['path', { d: 'M8 7.2v4M8 4.6v.4', class: 'kh-on', 'stroke-width': 1.6 }],
  ],
  suppressed: [
    ['circle', { cx: 8, cy: 8, r: 6 }],
    ['path', { d: 'M3.8 12.2l8.4-8.4' }],
  ],
  chevron: [['path', { d: 'M6 4l4 4-4 4' }]],
  file: [['path', { d: 'M4 1.5h5l3 3v10H4z M9 1.5v3h3' }]],
  folder: [['path', { d: 'M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z' }]],
  upload: [['path', { d: 'M8 11V2.5M4.5 6L8 2.5 11.5 6M2.5 11v2.5h11V11' }]],
  download: [['path', { d: 'M8 2.5V11M4.5 7.5L8 11l3.5-3.5M2.5 11v2.5h11V11' }]],
  settings: [
    ['path', { d: 'M2 4h7M12 4h2M2 8h2M7 8h7M2 12h9M14 12h0' }],
    ['circle', { cx: 10.5, cy: 4, r: 1.5 }],
    ['circle', { cx: 5.5, cy: 8, r: 1.5 }],
    ['circle', { cx: 12.5, cy: 12, r: 1.5 }],
  ],
  sun: [
    ['circle', { cx: 8, cy: 8, r: 3 }],
    ['path', { d: 'M8 1v1.8M8 13.2V15M1 8h1.8M13.2 8H15M3 3l1.3 1.3M11.7 11.7L13 13M3 13l1.3-1.3M11.7 4.3L13 3' }],
  ],
  moon: [['path', { d: 'M13.5 10A6 6 0 016 2.5a6 6 0 107.5 7.5z' }]],
  close: [['path', { d: 'M4 4l8 8M12 4l-8 8' }]],
  plus: [['path', { d: 'M8 3v10M3 8h10' }]],
  copy: [
    ['rect', { x: 5.5, y: 5.5, width: 8, height: 8, rx: 1 }],
    ['path', { d: 'M10.5 5.5v-3h-8v8h3' }],
  ],
  wand: [
    ['path', { d: 'M2 14l8-8M9 3l1-1.5M12 5.5l1.8-.5M11 2.5l.8 1.7M13.5 8l-1.7-.8' }],
    ['path', { d: 'M10 6l1-1' }],
  ],
  lock: [
    ['rect', { x: 3, y: 7, width: 10, height: 7, rx: 1.2 }],
    ['path', { d: 'M5.2 7V5a2.8 2.8 0 015.6 0v2' }],
  ],
  book: [
    [
      'path',
      {
        d: 'M2 3h4.5A1.5 1.5 0 018 4.5V14a1.5 1.5 0 00-1.5-1.5H2zM14 3H9.5A1.5 1.5 0 008 4.5V14a1.5 1.5 0 011.5-1.5H14z',
      },
    ],
  ],
  filter: [['path', { d: 'M2 3h12L9.5 8.5V13l-3 1.5v-6z' }]],
  stop: [['rect', { x: 4, y: 4, width: 8, height: 8, rx: 1 }]],
  external: [['path', { d: 'M9 2.5h4.5V7M13.5 2.5L7 9M11 9.5v4H2.5V5h4' }]],
  keyboard: [
    ['rect', { x: 1.5, y: 4, width: 13, height: 8.5, rx: 1.2 }],
    ['path', { d: 'M4 6.8h.01M6.7 6.8h.01M9.3 6.8h.01M12 6.8h.01M4.5 9.8h7' }],
  ],
  check: [
    ['circle', { cx: 8, cy: 8, r: 6.5 }],
    ['path', { d: 'M5 8.2l2 2 4-4.4' }],
  ],
};

/**
 * Text for screen readers only (visually hidden): what an icon or a terse visible text means,
 * so that an element's accessible name is built from what it shows, completed, never replaced.
 */
export function sr(/** @type {string} */ text) {
  return h('span', { class: 'kh-sr-only', text });
}

/** An inline SVG icon (decorative). */
export function icon(name, cls = '') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `kh-icon kh-icon-${name} ${cls}`.trim());
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.4');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  for (const [tag, attrs] of ICONS[name] || []) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    svg.append(el);
  }
  return svg;
}

/** A short human size: 5.2 MB, 830 KB, 12 B. */
export function formatBytes(n) {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** A duration: 850 ms, 3.2 s. */
export function formatMs(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const numberFormat = new Intl.NumberFormat('en-US');
export const formatCount = (n) => numberFormat.format(n);

export function plural(n, word, words = `${word}s`) {
  return `${formatCount(n)} ${n === 1 ? word : words}`;
}

/** Saves text as a file through a temporary object URL (no request leaves the page). */
export function download(text, filename, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copies text to the clipboard; resolves to whether it worked. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, insecure context): the older route.
    const area = h('textarea', { value: text, attrs: { readonly: true, 'aria-hidden': 'true' } });
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}
