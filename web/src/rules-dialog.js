// The rule settings: every rule of the catalogue by family, on or off for the current profile,
// with a search box and a reset to what the profile says.

import { Dialog } from './dialog.js';
import { h } from './dom.js';
import { familyLabel } from './labels.js';

/** @typedef {import('kubeharden').RuleMeta} RuleMeta */
/** @typedef {import('./settings.js').Settings} Settings */

export class RulesDialog {
  /**
   * @param {object} o
   * @param {HTMLElement} o.opener                   the Rules button (focused again on close)
   * @param {() => RuleMeta[]} o.rules               the catalogue (empty while it loads)
   * @param {() => Settings} o.settings
   * @param {(id: string, value: 'on' | 'off') => void} o.setRule
   * @param {() => void} o.reset                     back to the profile's rules
   */
  constructor({ opener, rules, settings, setRule, reset }) {
    this.rules = rules;
    this.settings = settings;
    this.setRule = setRule;
    this.reset = reset;
    this.filter = '';
    this.dialog = new Dialog({ title: 'Rules', opener, className: 'kh-rules-dialog' });
    this.el = this.dialog.el;
  }

  get isOpen() {
    return this.dialog.isOpen;
  }

  open() {
    this.render();
    this.dialog.show('input[type=search]');
  }

  /** Draws the list again (settings changed, or the search text). */
  render(filterText = this.filter) {
    this.filter = filterText;
    const words = filterText.toLowerCase().split(/\s+/).filter(Boolean);
    const { profile, rules: overrides } = this.settings();
    /** @type {Map<string, RuleMeta[]>} */
    const byFamily = new Map();
    for (const r of this.rules()) {
      const hay = `${r.id} ${r.summary} ${r.family} ${r.aliases.join(' ')}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) continue;
      if (!byFamily.has(r.family)) byFamily.set(r.family, []);
      byFamily.get(r.family)?.push(r);
    }
    const search = h('input', {
      type: 'search',
      class: 'kh-input',
      value: filterText,
      placeholder: 'Find a rule',
      attrs: { 'aria-label': 'Find a rule' },
      on: {
        input: () => {
          const pos = search.selectionStart;
          this.render(search.value);
          const next = /** @type {HTMLInputElement} */ (this.el.querySelector('input[type=search]'));
          next.focus();
          next.setSelectionRange(pos, pos);
        },
      },
    });
    const list = [...byFamily].map(([family, rules]) =>
      h(
        'fieldset',
        { class: 'kh-rule-family' },
        h('legend', { text: familyLabel(family) }),
        rules.map((r) => this.row(r, profile, overrides[r.id])),
      ),
    );
    const changed = Object.keys(overrides).length;
    const resetButton = h('button', {
      type: 'button',
      class: 'kh-button',
      text: 'Reset to profile',
      disabled: !changed,
      on: {
        click: () => {
          this.reset();
          this.render();
        },
      },
    });
    this.dialog.fill(
      h('p', {
        class: 'kh-muted kh-small',
        text: `The ${profile} profile decides which rules run; turn single rules on or off here. ${changed ? '' : 'No changes yet.'}`,
      }),
      h('div', { class: 'kh-dialog-tools' }, search, resetButton),
      h(
        'div',
        { class: 'kh-rule-list' },
        list.length
          ? list
          : h('p', {
              class: 'kh-muted',
              text: this.rules().length ? 'No rule matches.' : 'The rule catalogue is loading…',
            }),
      ),
    );
  }

  /**
   * One rule: a checkbox labelled with its ID, severity and summary.
   * @param {RuleMeta} r
   * @param {string} profile
   * @param {'on' | 'off' | undefined} override
   */
  row(r, profile, override) {
    const byProfile = r.profiles.includes(/** @type {any} */ (profile));
    const on = override ? override === 'on' : byProfile;
    const box = h('input', {
      type: 'checkbox',
      checked: on,
      on: { change: () => this.setRule(r.id, box.checked ? 'on' : 'off') },
    });
    const head = h(
      'span',
      { class: 'kh-rule-head' },
      h('code', { text: r.id }),
      h('span', { class: `kh-sev-badge kh-sev-${r.severity}`, text: r.severity }),
      override ? h('span', { class: 'kh-changed-badge', text: 'changed' }) : null,
      !byProfile ? h('span', { class: 'kh-muted kh-small', text: r.optIn ? 'opt-in' : `not in ${profile}` }) : null,
    );
    return h(
      'label',
      { class: `kh-rule-row${override ? ' kh-rule-changed' : ''}` },
      box,
      h('span', { class: 'kh-rule-text' }, head, h('span', { class: 'kh-rule-summary', text: r.summary })),
    );
  }
}
