// The toolbar above the editor: examples and opening files, the profile and the Kubernetes
// version, the rule settings, and exporting the report.

import { h, icon } from './dom.js';
import { EXAMPLES } from './examples.js';
import { PROFILES } from './settings.js';

export class Toolbar {
  /**
   * @param {object} o
   * @param {HTMLElement[]} o.fileControls     the file controls (file-tabs.js), after the examples
   * @param {(id: string) => void} o.onExample
   * @param {(patch: {profile?: string, kubernetesVersion?: string}) => void} o.onSettings
   * @param {() => void} o.onRules
   * @param {() => void} o.onPolicies
   * @param {(format: 'json' | 'sarif') => void} o.onExport
   */
  constructor({ fileControls, onExample, onSettings, onRules, onPolicies, onExport }) {
    const label = (/** @type {string} */ text, /** @type {HTMLElement} */ control) =>
      h('label', { class: 'kh-field' }, h('span', { class: 'kh-field-label', text }), control);
    this.examples = h(
      'select',
      {
        class: 'kh-select kh-examples',
        attrs: { 'aria-label': 'Load an example' },
        on: {
          change: () => {
            const id = this.examples.value;
            this.examples.value = '';
            onExample(id);
          },
        },
      },
      h('option', { value: '', text: 'Examples…' }),
      EXAMPLES.map((e) => h('option', { value: e.id, text: e.title })),
    );
    this.profile = h(
      'select',
      {
        class: 'kh-select kh-profile',
        attrs: { 'aria-label': 'Profile' },
        on: { change: () => onSettings({ profile: this.profile.value }) },
      },
      PROFILES.map((p) => h('option', { value: p, text: p[0].toUpperCase() + p.slice(1) })),
    );
    this.version = h(
      'select',
      {
        class: 'kh-select kh-k8s-version',
        attrs: { 'aria-label': 'Kubernetes version' },
        on: { change: () => onSettings({ kubernetesVersion: this.version.value }) },
      },
      h('option', { value: 'latest', text: 'latest' }),
    );
    this.rulesLabel = h('span', { class: 'kh-rules-label', text: 'Rules' });
    this.rulesButton = h(
      'button',
      { type: 'button', class: 'kh-button', title: 'Turn rules on or off', on: { click: onRules } },
      icon('settings'),
      this.rulesLabel,
    );
    this.policiesLabel = h('span', { class: 'kh-policies-label', text: 'Policies' });
    this.policiesButton = h(
      'button',
      {
        type: 'button',
        class: 'kh-button kh-policies-button',
        title: 'Custom policies: Gatekeeper, conftest, ValidatingAdmissionPolicy, Kyverno (kept in this browser)',
        on: { click: onPolicies },
      },
      icon('book'),
      this.policiesLabel,
    );
    const exportButton = (
      /** @type {'json' | 'sarif'} */ format,
      /** @type {string} */ text,
      /** @type {string} */ title,
    ) =>
      h(
        'button',
        { type: 'button', class: 'kh-button', title, on: { click: () => onExport(format) } },
        icon('download'),
        text,
      );
    this.el = h(
      'div',
      { class: 'kh-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Linter controls' } },
      h('div', { class: 'kh-toolbar-group' }, this.examples, fileControls),
      h(
        'div',
        { class: 'kh-toolbar-group' },
        label('Profile', this.profile),
        label('Kubernetes', this.version),
        this.rulesButton,
        this.policiesButton,
      ),
      h(
        'div',
        { class: 'kh-toolbar-group kh-export', attrs: { role: 'group', 'aria-label': 'Export the report' } },
        h('span', { class: 'kh-field-label', text: 'Export' }),
        exportButton('json', 'JSON', 'Download the report as JSON'),
        exportButton('sarif', 'SARIF', 'Download the report as SARIF 2.1.0 (code scanning tools)'),
      ),
    );
  }

  /** The versions offered: latest, then every minor version from the newest down to v1.0. */
  setLatest(/** @type {string} */ latest) {
    const minor = Number(latest.replace(/^v1\./, ''));
    this.version.replaceChildren(
      h('option', { value: 'latest', text: `latest (${latest})` }),
      ...Array.from({ length: minor + 1 }, (_, i) => `v1.${minor - i}`).map((v) => h('option', { value: v, text: v })),
    );
  }

  /**
   * The controls show the settings.
   * @param {import('./settings.js').Settings} settings
   * @param {number} changedRules  rules turned on or off against the profile
   * @param {number} [policies]     custom policies applied
   */
  sync(settings, changedRules, policies = 0) {
    this.policiesLabel.textContent = policies ? `Policies (${policies})` : 'Policies';
    this.profile.value = settings.profile;
    if (![...this.version.options].some((o) => o.value === settings.kubernetesVersion)) {
      this.version.append(h('option', { value: settings.kubernetesVersion, text: settings.kubernetesVersion }));
    }
    this.version.value = settings.kubernetesVersion;
    this.rulesLabel.textContent = changedRules ? `Rules (${changedRules} changed)` : 'Rules';
  }
}
