// A rule's documentation, rendered from the catalogue (`rules()`) with the sections in the order
// `kubeharden explain` and docs/rules.md use: what it does, why it matters, an example, how to
// fix, references. DOC_SECTIONS is that order; nothing else on the page renders rule docs.

import { h, icon } from './dom.js';
import { codeBlock, link, renderMarkdown } from './markdown.js';

/** @typedef {import('kubeharden').RuleMeta} RuleMeta */
/** @typedef {RuleMeta['docs']} RuleDocs */

const prose = (/** @type {string} */ text) => h('div', { class: 'kh-md' }, renderMarkdown(text));

/**
 * The sections of a rule's docs, in order: a title and what goes under it (nothing when the
 * rule's docs leave the section empty).
 * @type {ReadonlyArray<{title: string, render: (docs: RuleDocs) => Node | null}>}
 */
export const DOC_SECTIONS = Object.freeze([
  { title: 'What it does', render: (d) => (d.what ? prose(d.what) : null) },
  { title: 'Why it matters', render: (d) => (d.why ? prose(d.why) : null) },
  {
    title: 'Example',
    render: (d) =>
      d.fail || d.pass
        ? h(
            'div',
            { class: 'kh-doc-examples' },
            d.fail
              ? h(
                  'figure',
                  { class: 'kh-example kh-example-fail' },
                  h('figcaption', { text: 'Reported' }),
                  codeBlock(d.fail, 'yaml'),
                )
              : null,
            d.pass
              ? h(
                  'figure',
                  { class: 'kh-example kh-example-pass' },
                  h('figcaption', { text: 'Passes' }),
                  codeBlock(d.pass, 'yaml'),
                )
              : null,
          )
        : null,
  },
  { title: 'How to fix', render: (d) => (d.fix ? prose(d.fix) : null) },
  {
    title: 'References',
    render: (d) =>
      d.references?.length
        ? h(
            'ul',
            { class: 'kh-refs' },
            d.references.map((u) => h('li', {}, link(u, u))),
          )
        : null,
  },
]);

/** The documentation of a rule: its ID, summary and metadata, then DOC_SECTIONS. */
export function renderRuleDocs(/** @type {RuleMeta} */ rule) {
  const docs = rule.docs || /** @type {RuleDocs} */ ({});
  const meta = [
    `Default severity: ${rule.severity}`,
    rule.optIn ? 'opt-in' : `profiles: ${rule.profiles.join(', ')}`,
    rule.versions && rule.versions.length > 1 ? `behaviour changes in ${rule.versions.join(', ')}` : null,
  ].filter(Boolean);
  const sections = [];
  for (const { title, render } of DOC_SECTIONS) {
    const content = render(docs);
    if (content) sections.push(h('h3', { class: 'kh-h3', text: title }), content);
  }
  return h(
    'section',
    { class: 'kh-docs', attrs: { 'aria-label': `Documentation of ${rule.id}` } },
    h('h2', { class: 'kh-h2' }, icon('book'), ` ${rule.id}`),
    h('p', { class: 'kh-docs-summary', text: rule.summary }),
    h('p', { class: 'kh-muted kh-small', text: meta.join(' · ') }),
    rule.aliases?.length
      ? h(
          'p',
          { class: 'kh-aliases' },
          h('span', { class: 'kh-muted kh-small', text: 'Also known as ' }),
          rule.aliases.map((a) => h('code', { class: 'kh-alias', text: a })),
        )
      : null,
    sections,
  );
}
