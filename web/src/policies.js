// Custom policies (Gatekeeper ConstraintTemplates and Constraints, conftest .rego files,
// ValidatingAdmissionPolicy and bindings, Kyverno ValidatingPolicy): the list the user keeps,
// remembered in localStorage (under the element's storage-key; never sent anywhere), and the
// Policies dialog where files are pasted, opened, dropped, edited and removed. Every lint gets
// them (the package evaluates them: its policy module is only fetched once a policy exists).
//
// Errors of a policy (findings whose file is the policy) are listed under it in the dialog, at
// their line and column, and a click puts the cursor there in its text: policies are not
// manifests, so they get no file tab (a tab would lint them as manifests).

import { Dialog } from './dialog.js';
import { h, icon, plural, sr } from './dom.js';
import { filesFromDrop, readAll, uniqueName } from './files.js';

/** @typedef {{name: string, text: string}} Policy */
/** @typedef {{message: string, line: number, column: number, start: number, end: number, severity: string}} PolicyProblem */

export const ENGINES = Object.freeze(/** @type {const} */ (['auto', 'rego', 'cel']));
const POLICY_FILE = /\.(ya?ml|json|rego)$/i;
/** Most policies kept, and the largest text of one (localStorage holds a few MB in all). */
const MAX_POLICIES = 200;
const MAX_TEXT = 2 * 1024 * 1024;

/** Well-formed policies: [{name, text}] with unique names and LF line breaks. */
export function cleanPolicies(/** @type {unknown} */ raw) {
  if (!Array.isArray(raw)) return [];
  /** @type {Set<string>} */
  const taken = new Set();
  /** @type {Policy[]} */
  const out = [];
  for (const p of raw.slice(0, MAX_POLICIES)) {
    if (!p || typeof p !== 'object' || typeof p.text !== 'string') continue;
    const name = uniqueName(String(p.name || 'policy.yaml'), taken);
    taken.add(name);
    out.push({ name, text: p.text.slice(0, MAX_TEXT).replace(/\r\n?/g, '\n') });
  }
  return out;
}

const storageKey = (/** @type {string} */ key) => `${key}.policies`;

/** The policies remembered under `key` (the element's storage-key), or [] without one. */
export function loadPolicies(/** @type {string | null} */ key) {
  if (!key) return [];
  try {
    const text = localStorage.getItem(storageKey(key));
    return text ? cleanPolicies(JSON.parse(text)) : [];
  } catch {
    return [];
  }
}

/** Remembers the policies; false when the browser refused (storage full or disabled). */
export function savePolicies(/** @type {string | null} */ key, /** @type {Policy[]} */ list) {
  if (!key) return true;
  try {
    if (list.length) localStorage.setItem(storageKey(key), JSON.stringify(list));
    else localStorage.removeItem(storageKey(key));
    return true;
  } catch {
    return false;
  }
}

/** What a policy file holds, for its row: `conftest (Rego)`, or its documents' kinds. */
export function describePolicy(/** @type {Policy} */ p) {
  if (/\.rego$/i.test(p.name)) return 'conftest policy (Rego)';
  const kinds = [...p.text.matchAll(/^kind:\s*["']?([A-Za-z][\w.-]*)/gm)].map((m) => m[1]);
  if (!kinds.length) {
    const json = p.text.match(/"kind"\s*:\s*"([A-Za-z][\w.-]*)"/);
    if (json) kinds.push(json[1]);
  }
  if (!kinds.length) return 'no kind found';
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const k of kinds) counts.set(k, (counts.get(k) || 0) + 1);
  return [...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
}

export class PoliciesDialog {
  /**
   * @param {object} o
   * @param {HTMLElement} o.opener                 the Policies button (focused again on close)
   * @param {() => Policy[]} o.policies
   * @param {(list: Policy[]) => void} o.setPolicies  a new list: remembered, and linted with
   * @param {() => string} o.engine
   * @param {(engine: string) => void} o.setEngine
   * @param {(name: string) => PolicyProblem[]} o.problems  the findings located in a policy file
   * @param {() => string[]} o.takenNames          names of the open manifests (names stay unique)
   * @param {() => boolean} o.remembered           whether the list outlives the visit
   * @param {(message: string, options?: {error?: boolean, action?: string, onAction?: () => void}) => void} o.toast
   */
  constructor(o) {
    this.o = o;
    this.dialog = new Dialog({ title: 'Policies', opener: o.opener, className: 'kh-policies-dialog' });
    this.el = this.dialog.el;
    /** @type {string | null} the policy being edited ('' : a new one being pasted) */
    this.editing = null;
    this.fileInput = h('input', {
      type: 'file',
      multiple: true,
      hidden: true,
      accept: '.yaml,.yml,.json,.rego,text/yaml,application/json',
      on: { change: () => this.openPicked() },
    });
    this.status = h('p', { class: 'kh-sr-only', attrs: { role: 'status' } });
    // Files dropped on the dialog are policies (the component's drop handler leaves them).
    this.el.addEventListener('dragover', (e) => {
      if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    this.el.addEventListener('drop', async (e) => {
      if (!e.dataTransfer?.files?.length) return;
      e.preventDefault();
      const list = (await filesFromDrop(e.dataTransfer)).filter(
        (f) => POLICY_FILE.test(f.name) || !f.name.includes('/'),
      );
      await this.addFiles(list);
    });
  }

  get isOpen() {
    return this.dialog.isOpen;
  }

  /** Opens the dialog; with `name`, editing that policy at `at` (a string index). */
  open(
    /** @type {string | undefined} */ name = undefined,
    /** @type {{start: number, end: number} | undefined} */ at = undefined,
  ) {
    if (name !== undefined) this.editing = name;
    this.render();
    if (!this.isOpen) this.dialog.show();
    if (name !== undefined) {
      this.focusEditor(at);
      return;
    }
    /** @type {HTMLElement | null} */ (this.el.querySelector('.kh-policy-add button'))?.focus();
  }

  focusEditor(/** @type {{start: number, end: number} | undefined} */ at) {
    const area = /** @type {HTMLTextAreaElement | null} */ (this.el.querySelector('textarea.kh-policy-text'));
    if (!area) return;
    area.focus();
    if (at) {
      area.setSelectionRange(at.start, Math.max(at.start, at.end));
      // Scroll the selection into view: a textarea scrolls to its caret on blur/focus only.
      const line = area.value.slice(0, at.start).split('\n').length;
      area.scrollTop = Math.max(0, (line - 3) * Number.parseFloat(getComputedStyle(area).lineHeight || '18'));
    }
  }

  announce(/** @type {string} */ text) {
    this.status.textContent = text;
  }

  async openPicked() {
    const picked = [...(this.fileInput.files || [])].map((file) => ({ file, name: file.name }));
    this.fileInput.value = '';
    await this.addFiles(picked);
  }

  async addFiles(/** @type {{file: File, name: string}[]} */ list) {
    if (!list.length) return;
    try {
      const read = await readAll(list);
      this.add(read.map(({ name, text }) => ({ name, text })));
    } catch (e) {
      this.o.toast(`Could not read the files: ${/** @type {Error} */ (e).message || e}`, { error: true });
    }
  }

  /** Adds policies; one with the name of a kept policy replaces it. */
  add(/** @type {Policy[]} */ added) {
    const list = [...this.o.policies()];
    const manifests = new Set(this.o.takenNames());
    for (const p of cleanPolicies(added)) {
      const same = list.findIndex((q) => q.name === p.name);
      if (same >= 0) list[same] = p;
      else list.push({ ...p, name: uniqueName(p.name, new Set([...manifests, ...list.map((q) => q.name)])) });
    }
    this.o.setPolicies(list);
    this.announce(`Added ${plural(added.length, 'policy', 'policies')}: ${added.map((p) => p.name).join(', ')}.`);
    this.render();
  }

  remove(/** @type {string} */ name) {
    const before = this.o.policies();
    this.o.setPolicies(before.filter((p) => p.name !== name));
    if (this.editing === name) this.editing = null;
    this.render();
    this.announce(`Removed ${name}.`);
    this.o.toast(`Policy ${name} removed.`, {
      action: 'Undo',
      onAction: () => {
        this.o.setPolicies(before);
        if (this.isOpen) this.render();
      },
    });
    /** @type {HTMLElement | null} */ (this.el.querySelector('.kh-policy-add button'))?.focus();
  }

  /** Saves the editor's name and text as policy `old` ('' : a new one). */
  save(/** @type {string} */ old, /** @type {string} */ name, /** @type {string} */ text) {
    const list = [...this.o.policies()];
    const others = new Set([...this.o.takenNames(), ...list.filter((p) => p.name !== old).map((p) => p.name)]);
    const [clean] = cleanPolicies([{ name: name.trim() || 'policy.yaml', text }]);
    const policy = { ...clean, name: uniqueName(clean.name, others) };
    const at = list.findIndex((p) => p.name === old);
    if (old && at >= 0) list[at] = policy;
    else list.push(policy);
    this.o.setPolicies(list);
    this.editing = null;
    this.render();
    this.announce(`Saved ${policy.name}.`);
    /** @type {HTMLElement | null} */ (
      this.el.querySelector(`[data-policy="${CSS.escape(policy.name)}"] .kh-policy-edit`)
    )?.focus();
  }

  /** Draws the dialog again (the list changed, or a new report has problems for it). */
  render() {
    // The focused control is focused again once drawn anew (by its policy and its class).
    const root = /** @type {ShadowRoot | Document} */ (this.el.getRootNode());
    const active =
      root.activeElement instanceof HTMLElement && this.el.contains(root.activeElement) ? root.activeElement : null;
    const focusKey = active && {
      policy: /** @type {HTMLElement | null} */ (active.closest('[data-policy]'))?.dataset.policy,
      cls: [...active.classList].find((c) => c.startsWith('kh-policy-')) || active.className.split(' ')[0],
    };
    this.fill();
    if (focusKey) {
      const scope = focusKey.policy ? this.el.querySelector(`[data-policy="${CSS.escape(focusKey.policy)}"]`) : this.el;
      /** @type {HTMLElement | null} */ (scope?.querySelector(`.${CSS.escape(focusKey.cls)}`) ?? null)?.focus();
    }
  }

  fill() {
    const list = this.o.policies();
    const engine = h(
      'select',
      {
        class: 'kh-select kh-policy-engine',
        on: { change: () => this.o.setEngine(engine.value) },
      },
      h('option', { value: 'auto', text: 'Auto (Rego when a template has it)' }),
      h('option', { value: 'rego', text: 'Rego' }),
      h('option', { value: 'cel', text: 'CEL' }),
    );
    engine.value = this.o.engine();
    const add = h(
      'div',
      { class: 'kh-policy-add' },
      h(
        'button',
        {
          type: 'button',
          class: 'kh-button',
          on: { click: () => this.fileInput.click() },
        },
        icon('upload'),
        'Open policy files',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'kh-button',
          attrs: { 'aria-expanded': String(this.editing === '') },
          on: {
            click: () => {
              this.editing = '';
              this.render();
              /** @type {HTMLElement | null} */ (this.el.querySelector('.kh-policy-name'))?.focus();
            },
          },
        },
        icon('plus'),
        'Paste a policy',
      ),
      h('span', { class: 'kh-muted kh-small', text: 'or drop .yaml, .json or .rego files here.' }),
      this.fileInput,
    );
    this.dialog.fill(
      h(
        'p',
        { class: 'kh-muted kh-small kh-policy-note' },
        icon('lock'),
        ' ',
        this.o.remembered()
          ? 'Policies are kept in this browser (localStorage) and never uploaded. They apply to every lint.'
          : 'Policies are kept for this visit only and never uploaded. They apply to every lint.',
      ),
      h(
        'p',
        { class: 'kh-small' },
        'Gatekeeper ConstraintTemplates with their Constraints, conftest .rego files, ValidatingAdmissionPolicies with their bindings, Kyverno ValidatingPolicies. Other objects in them (Namespaces, inventory) are seen by the policies, not linted.',
      ),
      h(
        'div',
        { class: 'kh-dialog-tools kh-policy-tools' },
        h('label', { class: 'kh-field' }, h('span', { class: 'kh-dialog-label', text: 'Engine' }), engine),
      ),
      add,
      this.editing === '' ? this.editorFor('', { name: '', text: '' }) : null,
      h(
        'div',
        { class: 'kh-policy-body' },
        list.length
          ? h(
              'ul',
              { class: 'kh-policy-list', attrs: { 'aria-label': 'Policies' } },
              list.map((p) => this.row(p)),
            )
          : h('p', { class: 'kh-muted', text: 'No policies yet.' }),
      ),
      this.status,
    );
  }

  /** A policy's row: its name, what it holds, its problems; Edit and Remove. */
  row(/** @type {Policy} */ p) {
    const problems = this.o.problems(p.name);
    const editing = this.editing === p.name;
    return h(
      'li',
      { class: 'kh-policy', dataset: { policy: p.name } },
      h(
        'div',
        { class: 'kh-policy-head' },
        icon('file'),
        h('span', { class: 'kh-policy-title' }, h('strong', { class: 'kh-policy-filename', text: p.name })),
        h('span', { class: 'kh-muted kh-small kh-policy-kinds', text: describePolicy(p) }),
        problems.length
          ? h('span', { class: 'kh-sev-badge kh-sev-error' }, icon('error'), plural(problems.length, 'problem'))
          : null,
        h(
          'span',
          { class: 'kh-policy-actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'kh-button kh-button-small kh-policy-edit',
              disabled: editing,
              on: {
                click: () => {
                  this.editing = p.name;
                  this.render();
                  this.focusEditor(undefined);
                },
              },
            },
            editing ? 'Editing' : 'Edit',
            sr(` ${p.name}`),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'kh-button kh-button-small kh-policy-remove',
              on: { click: () => this.remove(p.name) },
            },
            'Remove',
            sr(` ${p.name}`),
          ),
        ),
      ),
      problems.length
        ? h(
            'ul',
            { class: 'kh-policy-problems', attrs: { 'aria-label': `Problems in ${p.name}` } },
            problems.map((e) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'kh-link-button kh-policy-problem',
                    title: 'Show it in the policy',
                    dataset: { line: String(e.line), column: String(e.column) },
                    on: {
                      click: () => {
                        this.editing = p.name;
                        this.render();
                        this.focusEditor(e);
                      },
                    },
                  },
                  `${e.line}:${e.column}`,
                ),
                ' ',
                h('span', { text: e.message }),
              ),
            ),
          )
        : null,
      editing ? this.editorFor(p.name, p) : null,
    );
  }

  /** The name field and text of a policy being edited or pasted, with Save and Cancel. */
  editorFor(/** @type {string} */ old, /** @type {Policy} */ p) {
    const id = `${this.dialog.titleId}-${old ? 'edit' : 'new'}`;
    const name = h('input', {
      type: 'text',
      class: 'kh-input kh-policy-name',
      id: `${id}-name`,
      value: p.name,
      placeholder: 'policy.yaml or policy.rego',
      attrs: { spellcheck: 'false', autocomplete: 'off' },
      on: {
        // Enter in a field of the dialog's form would close the dialog.
        keydown: (/** @type {KeyboardEvent} */ e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            area.focus();
          }
        },
      },
    });
    const area = h('textarea', {
      class: 'kh-input kh-policy-text',
      id: `${id}-text`,
      value: p.text,
      attrs: { spellcheck: 'false', rows: '14', autocomplete: 'off' },
    });
    const done = () => {
      const was = this.editing;
      this.editing = null;
      this.render();
      /** @type {HTMLElement | null} */ (
        was
          ? this.el.querySelector(`[data-policy="${CSS.escape(was)}"] .kh-policy-edit`)
          : this.el.querySelector('.kh-policy-add button:nth-of-type(2)')
      )?.focus();
    };
    return h(
      'div',
      { class: 'kh-policy-editor', attrs: { role: 'group', 'aria-label': old ? `Editing ${old}` : 'New policy' } },
      h('label', { class: 'kh-dialog-label', attrs: { for: name.id }, text: 'File name' }),
      name,
      h('label', { class: 'kh-dialog-label', attrs: { for: area.id }, text: 'Policy' }),
      area,
      h(
        'div',
        { class: 'kh-fix-actions' },
        h('button', {
          type: 'button',
          class: 'kh-button kh-button-primary kh-policy-save',
          text: old ? 'Save' : 'Add policy',
          on: {
            click: () => {
              if (!area.value.trim()) {
                this.announce('The policy is empty.');
                area.focus();
                return;
              }
              this.save(old, name.value || (old ? old : guessName(area.value)), area.value);
            },
          },
        }),
        h('button', { type: 'button', class: 'kh-button', text: 'Cancel', on: { click: done } }),
      ),
    );
  }
}

/** A name for a pasted policy without one: Rego or YAML. */
function guessName(/** @type {string} */ text) {
  return /^\s*package\s+[\w.]+/m.test(text) && !/^\s*kind:/m.test(text) ? 'policy.rego' : 'policy.yaml';
}
