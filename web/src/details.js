// The details of the selected finding: what is wrong and where, the fix (as a diff, to apply
// or copy), and the rule's documentation (rule-docs.js).

import { h, icon } from './dom.js';
import { renderDiff } from './fix-all.js';
import { familyLabel, resourceLabel } from './labels.js';
import { renderRuleDocs } from './rule-docs.js';

/**
 * @param {object} o
 * @param {object} o.finding
 * @param {object|undefined} o.rule      RuleMeta from rules()
 * @param {string} o.diff                the fix as a unified diff ('' when none or stale)
 * @param {string|null} o.applyBlocked   why the fix cannot be applied now, or null
 * @param {boolean} [o.fixAll]            offer "Fix all in this resource"
 * @param {object} o.actions             {apply, fixResource, copy, goTo, disableRule, close}
 */
export function renderDetails({ finding: f, rule, diff, applyBlocked, fixAll = false, actions }) {
  const p = f.policy;
  const sev = f.suppressed ? 'suppressed' : f.severity;
  const r = f.resource || {};
  const head = h(
    'div',
    { class: 'kh-details-head' },
    h(
      'span',
      { class: `kh-sev-badge kh-sev-${sev}` },
      icon(sev),
      f.suppressed ? `suppressed ${f.severity}` : f.severity,
    ),
    h('code', { class: 'kh-details-rule', text: f.rule }),
    rule ? h('span', { class: 'kh-family', text: familyLabel(rule.family) }) : null,
    p ? h('span', { class: 'kh-family', text: familyLabel('policy') }) : null,
    f.pss
      ? h('span', {
          class: 'kh-family',
          text: `PSS ${f.pss.level}: ${f.pss.check}`,
          title: 'Pod Security Admission check',
        })
      : null,
    h(
      'button',
      {
        type: 'button',
        class: 'kh-icon-button kh-details-close',
        title: 'Close details',
        attrs: { 'aria-label': 'Close details' },
        on: { click: actions.close },
      },
      icon('close'),
    ),
  );
  const where = h(
    'dl',
    { class: 'kh-where-list' },
    h('dt', { text: 'Where' }),
    h(
      'dd',
      {},
      h('button', {
        type: 'button',
        class: 'kh-link-button',
        text: `${r.source}:${f.span.start.line}:${f.span.start.column}`,
        title: 'Select it in the editor',
        on: { click: actions.goTo },
      }),
    ),
    h('dt', { text: 'Resource' }),
    h('dd', {
      text: `${resourceLabel(r)}${r.namespaceDefaulted ? ' (namespace defaults to "default")' : ''}${r.document ? `, document ${r.document}` : ''}`,
    }),
    f.path ? h('dt', { text: 'Field' }) : null,
    f.path ? h('dd', {}, h('code', { class: 'kh-path', text: f.path })) : null,
    p ? h('dt', { text: 'Policy' }) : null,
    p
      ? h(
          'dd',
          { class: 'kh-policy-ref' },
          `${p.kind} ${p.name}`,
          p.template ? ` (template ${p.template})` : '',
          p.binding ? `, binding ${p.binding}` : '',
          p.validation !== undefined && p.validation !== null ? `, validation ${p.validation}` : '',
          ` in ${p.file}: ${p.engine}, ${p.action}`,
        )
      : null,
    p?.description ? h('dt', { text: 'About' }) : null,
    p?.description ? h('dd', { text: p.description }) : null,
  );
  const body = [
    head,
    h('p', { class: 'kh-details-message', text: f.message }),
    f.help ? h('p', { class: 'kh-details-help' }, h('strong', { text: 'How to fix: ' }), f.help) : null,
    where,
  ];

  if (f.suppressed) {
    const s = f.suppressed;
    body.push(
      h(
        'p',
        { class: 'kh-note' },
        `Suppressed by ${s.kind === 'config' ? 'the configuration' : 'the kubeharden.io/ignore annotation'}`,
        s.reason ? `: ${s.reason}` : '',
        s.until ? ` (until ${s.until})` : '',
        '. It does not count in the summary.',
      ),
    );
  }

  if (f.fix) {
    const applyButton = h(
      'button',
      {
        type: 'button',
        class: 'kh-button kh-button-primary',
        disabled: Boolean(applyBlocked),
        title: applyBlocked || 'Apply this fix in the editor (undo with Ctrl+Z)',
        on: { click: actions.apply },
      },
      icon('wand'),
      'Apply fix',
    );
    const copyButton = h(
      'button',
      {
        type: 'button',
        class: 'kh-button',
        title: 'Copy the fix as a patch (git apply)',
        disabled: !diff,
        on: { click: () => actions.copy(copyButton) },
      },
      icon('copy'),
      'Copy fix',
    );
    body.push(
      h(
        'section',
        { class: 'kh-fix', attrs: { 'aria-label': 'Fix' } },
        h('h3', { class: 'kh-h3', text: 'Fix' }),
        h('p', { class: 'kh-fix-description', text: f.fix.description }),
        diff ? renderDiff(diff, 'Fix as a unified diff') : null,
        h(
          'div',
          { class: 'kh-fix-actions' },
          applyButton,
          copyButton,
          fixAll
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'kh-button kh-fix-resource',
                  title: 'Every fix of this resource, shown as a diff before it is applied',
                  on: { click: (/** @type {Event} */ e) => actions.fixResource(e.currentTarget) },
                },
                icon('wand'),
                'Fix all in this resource…',
              )
            : null,
          applyBlocked ? h('span', { class: 'kh-muted kh-small', text: applyBlocked }) : null,
        ),
      ),
    );
  }

  // A policy's findings are turned off by removing or editing the policy (Policies…).
  if (!p)
    body.push(
      h(
        'div',
        { class: 'kh-details-actions' },
        h('button', {
          type: 'button',
          class: 'kh-button kh-button-ghost',
          text: `Turn off ${f.rule}`,
          title: 'Turn this rule off (Rules… turns it back on)',
          on: { click: actions.disableRule },
        }),
      ),
    );

  if (rule) body.push(renderRuleDocs(rule));
  return h('div', { class: 'kh-details-body' }, body);
}
