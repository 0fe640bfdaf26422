// The rows of the findings list, built from the model: a row per resource and a row per
// finding (treeitems of the list's tree). The panel decides which rows exist and where.
//
// A row's accessible name is its content: what it shows, in the order it shows it, with short
// screen-reader texts (sr) where the screen says it with an icon or a terse `18:23`. No
// aria-label replaces the visible text (WCAG 2.5.3, label in name).

import { formatCount, h, icon, plural, sr } from './dom.js';
import { SUPPRESSED } from './findings-model.js';
import { resourceLabel } from './labels.js';
import { F_COLUMN, F_LINE, SEVERITIES } from './protocol.js';

/**
 * A resource's row: its kind and name, file and document, and counts by severity.
 * @param {object} o
 * @param {string} o.id
 * @param {import('./protocol.js').Group & {id: number, counts: number[]}} o.group
 * @param {number} o.visible     its findings the filters show
 * @param {boolean} o.collapsed
 * @param {number} o.setSize     resources in the list
 * @param {number} o.posInSet    its place among them (1-based)
 * @param {boolean} o.showSuppressed
 * @param {() => void} o.onClick
 */
export function groupRow({ id, group: g, visible, collapsed, setSize, posInSet, showSuppressed, onClick }) {
  /** @type {[string, number][]} */
  const shown = SEVERITIES.map((sev, code) => /** @type {[string, number]} */ ([sev, g.counts[code]]));
  if (showSuppressed) shown.push(['suppressed', g.counts[SUPPRESSED]]);
  const counts = shown
    .filter(([, n]) => n)
    .map(([sev, n], k) =>
      h(
        'span',
        { class: `kh-count kh-sev-${sev}`, title: `${n} ${sev}` },
        k ? sr(', ') : null,
        icon(sev),
        formatCount(n),
        sr(sev === 'suppressed' || sev === 'info' ? ` ${sev}` : ` ${sev}${n === 1 ? '' : 's'}`),
      ),
    );
  const label = resourceLabel(g);
  return h(
    'div',
    {
      class: 'kh-row kh-group',
      id,
      attrs: {
        role: 'treeitem',
        'aria-level': 1,
        'aria-expanded': String(!collapsed),
        'aria-setsize': setSize,
        'aria-posinset': posInSet,
      },
      dataset: { source: g.source },
      on: { click: onClick },
    },
    icon('chevron', 'kh-chevron'),
    h(
      'span',
      { class: 'kh-group-title' },
      g.kind ? h('span', { class: 'kh-kind', text: g.kind }) : null,
      g.kind ? sr(' ') : null,
      h('span', {
        class: 'kh-group-name',
        text:
          g.kind || g.name
            ? `${g.namespace && !g.namespaceDefaulted ? `${g.namespace}/` : ''}${g.name || '(unnamed)'}`
            : label,
      }),
    ),
    sr(', '),
    h(
      'span',
      { class: 'kh-group-source', title: `${g.source}, document ${g.document}` },
      g.source,
      g.document ? h('span', { text: ` #${g.document}`, attrs: { 'aria-hidden': 'true' } }) : null,
      g.document ? sr(` document ${g.document}`) : null,
    ),
    sr(`: ${plural(visible, 'finding')}, `),
    h('span', { class: 'kh-counts' }, counts),
  );
}

/**
 * A finding's row: its severity, message, rule, badges and line:column.
 * @param {object} o
 * @param {string} o.id
 * @param {import('./findings-model.js').FindingsModel} o.model
 * @param {number} o.index       the finding's number in the report
 * @param {number} o.setSize     findings shown in its group
 * @param {number} o.posInSet    its place among them (1-based)
 * @param {() => void} o.onClick
 * @param {() => void} o.onOpen  double click: to the editor
 */
export function findingRow({ id, model: m, index: i, setSize, posInSet, onClick, onOpen }) {
  const suppressed = m.suppressed(i);
  const severity = m.severity(i);
  const sev = suppressed ? 'suppressed' : severity;
  const line = m.int(i, F_LINE);
  const column = m.int(i, F_COLUMN);
  const rule = m.rule(i);
  const message = m.message(i);
  const fix = m.hasFix(i);
  const g = m.group(i);
  return h(
    'div',
    {
      class: `kh-row kh-finding kh-sev-${sev}`,
      id,
      attrs: {
        role: 'treeitem',
        'aria-level': 2,
        'aria-setsize': setSize,
        'aria-posinset': posInSet,
      },
      dataset: { index: String(i), rule, line: String(line), column: String(column), source: g.source },
      on: { click: onClick, dblclick: onOpen },
    },
    icon(sev),
    sr(`${suppressed ? 'Suppressed ' : ''}${severity}: `),
    h(
      'span',
      { class: 'kh-finding-text' },
      h('span', { class: 'kh-finding-message', text: message, title: message }),
      sr('. Rule '),
      h(
        'span',
        { class: 'kh-finding-meta' },
        h('span', { class: 'kh-rule', text: rule }),
        fix ? h('span', { class: 'kh-fix-badge' }, sr(', '), 'fix', sr(' available')) : null,
        m.isPolicy(i) ? policyBadge(m.finding(i)?.policy) : null,
        suppressed ? h('span', { class: 'kh-suppressed-badge' }, sr(', '), 'suppressed') : null,
      ),
    ),
    h(
      'span',
      { class: 'kh-where', title: `${g.source}, line ${line}, column ${column}` },
      sr(', line '),
      String(line),
      h('span', { text: ':', attrs: { 'aria-hidden': 'true' } }),
      sr(', column '),
      String(column),
    ),
  );
}

/** The badge of a custom policy's finding: `policy`, with its kind and name. */
function policyBadge(/** @type {{kind?: string, name?: string, file?: string} | undefined} */ p) {
  const what = p ? `${p.kind} ${p.name}` : '';
  return h(
    'span',
    { class: 'kh-policy-badge', title: p ? `${what} (${p.file})` : 'custom policy' },
    sr(', '),
    'policy',
    what ? sr(` ${what}`) : null,
  );
}
