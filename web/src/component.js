// <kubeharden-linter>: the whole linter UI (editor, findings, rule docs, settings, export) as a
// custom element with a shadow root. The web page is this element plus a header; portals embed
// it with one line:
//
//   <script type="module" src="/kubeharden/kubeharden-linter.js"></script><kubeharden-linter profile="restricted"></kubeharden-linter>
//
// Attributes: profile, kubernetes-version, value, readonly, theme (light|dark|auto), filename,
// examples (show the examples menu), storage-key (remember settings and policies in
// localStorage under it), policy-engine (auto|rego|cel).
// Event: `result` (detail: the report) after each lint. Properties: value, files, policies,
// report, selection, editorView; method lint().
//
// The linter runs in a Web Worker (worker.js next to this file) on kubeharden_bg.wasm, also
// next to this file: nothing is fetched from anywhere else, nothing is sent anywhere.
//
// This file puts the parts together; each part is a module with one job:
//   file-tabs.js     the open files and their tabs, opening, dropping and saving files
//   editor.js        the CodeMirror editor and the findings drawn in it
//   lint-session.js  when and what to lint, the findings coming back (client.js: the worker)
//   findings-panel.js, findings-model.js  the list of findings and the data behind it
//   details.js, rule-docs.js  the selected finding: where, why, the fix, the rule's docs
//   rules-dialog.js  turning rules on and off;  status-bar.js, toasts.js  feedback

import { undo } from '@codemirror/commands';
import css from './component.css';
import { applyAttribute, cleanFiles, exportReport } from './component-api.js';
import { DetailsPane } from './details-pane.js';
import { h } from './dom.js';
import { Editor } from './editor.js';
import { mapLinted } from './editor-findings.js';
import { EXAMPLES, introContent } from './examples.js';
import { fieldDocsTooltip } from './field-docs.js';
import { FileTabs } from './file-tabs.js';
import { FindingsPanel } from './findings-panel.js';
import { FixAllControl } from './fix-all-control.js';
import { fixBlocked, fixChanges } from './fixes.js';
import { EDITOR_KEYS, KeysDialog } from './keys.js';
import { sortFamilies } from './labels.js';
import { LintSession } from './lint-session.js';
import { cleanPolicies, loadPolicies, PoliciesDialog, savePolicies } from './policies.js';
import { F_END, F_START } from './protocol.js';
import { RulesDialog } from './rules-dialog.js';
import { DEFAULT_SETTINGS, load as loadSettings, sanitize, save as saveSettings } from './settings.js';
import { StatusBar } from './status-bar.js';
import { Toasts } from './toasts.js';
import { Toolbar } from './toolbar.js';

/** @type {CSSStyleSheet | undefined} */
let sheet;
/** The value of a part until init() makes it (typed as the part: nothing reads it before). */
const LATER = /** @type {any} */ (null);

/** One style sheet for every instance on the page. */
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

export class KubehardenLinter extends HTMLElement {
  static observedAttributes = [
    'profile',
    'kubernetes-version',
    'value',
    'readonly',
    'filename',
    'examples',
    'policy-engine',
  ];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [styles()];
    /** The selected finding (its number in the report), or -1. */
    this.selected = -1;
    this.initialised = false;
    /** @type {{name: string, text: string}[] | null} files set before the element was ready */
    this.pendingFiles = null;
    /** @type {{name: string, text: string}[]} the custom policies applied to every lint */
    this.policyList = [];
    // The parts, made on first connection (init): an element created and never attached costs
    // nothing. Until then they are null.
    /** @type {import('./settings.js').Settings} */ this.settings = LATER;
    /** @type {string | null} */ this.storageKey = LATER;
    /** @type {Toasts} */ this.toasts = LATER;
    /** @type {Editor} */ this.editor = LATER;
    /** @type {HTMLDivElement} */ this.editorHost = LATER;
    /** @type {FileTabs} */ this.tabs = LATER;
    /** @type {LintSession} */ this.session = LATER;
    /** @type {StatusBar} */ this.status = LATER;
    /** @type {FindingsPanel} */ this.panel = LATER;
    /** @type {DetailsPane} */ this.details = LATER;
    /** @type {RulesDialog} */ this.rulesDialog = LATER;
    /** @type {KeysDialog} */ this.keysDialog = LATER;
    /** @type {PoliciesDialog} */ this.policiesDialog = LATER;
    /** @type {FixAllControl} */ this.fixAll = LATER;
    /** @type {HTMLDivElement} */ this.app = LATER;
    /** @type {Toolbar} */ this.toolbar = LATER;
    /** @type {ReturnType<typeof setTimeout> | undefined} */ this.disposeTimer;
    /** @type {ReturnType<typeof setTimeout> | undefined} */ this.selectTimer;
    /** @type {ReturnType<typeof setTimeout> | undefined} */ this.detailsTimer;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  connectedCallback() {
    clearTimeout(this.disposeTimer);
    if (!this.initialised) this.init();
    else if (!this.session.running) {
      this.session.start();
      this.session.schedule(0);
    }
  }

  disconnectedCallback() {
    // Moved within the page (disconnect + connect in one task) keeps the worker; removed, frees it.
    this.disposeTimer = setTimeout(() => {
      if (!this.isConnected) this.session.stop();
    });
  }

  attributeChangedCallback(
    /** @type {string} */ name,
    /** @type {string | null} */ old,
    /** @type {string | null} */ value,
  ) {
    if (!this.initialised || old === value) return;
    applyAttribute(this, name, value);
  }

  init() {
    // Properties set on the element before its definition loaded shadow the accessors: move
    // them over (the usual custom-element "upgrade" dance).
    /** @type {{value?: unknown, files?: unknown, policies?: unknown}} */
    const early = {};
    for (const name of /** @type {const} */ (['value', 'files', 'policies'])) {
      if (Object.hasOwn(this, name)) {
        early[name] = this[name];
        delete this[name];
      }
    }
    this.initialised = true;
    const fromAttributes = sanitize({
      profile: this.getAttribute('profile') || DEFAULT_SETTINGS.profile,
      kubernetesVersion: this.getAttribute('kubernetes-version') || DEFAULT_SETTINGS.kubernetesVersion,
      policyEngine: this.getAttribute('policy-engine') || DEFAULT_SETTINGS.policyEngine,
    });
    this.storageKey = this.getAttribute('storage-key');
    this.settings = { ...fromAttributes, ...(loadSettings(this.storageKey) || {}) };
    // Policies set by the host win over remembered ones.
    this.policyList = Array.isArray(early.policies) ? cleanPolicies(early.policies) : loadPolicies(this.storageKey);
    this.build();
    this.applyReadOnly();
    if (Array.isArray(early.files)) this.pendingFiles = cleanFiles(early.files);
    const value = early.value !== undefined ? String(early.value) : this.getAttribute('value') || '';
    if (this.pendingFiles?.length) this.setFiles(this.pendingFiles);
    else this.tabs.add(this.getAttribute('filename') || 'manifest.yaml', value, { activate: true });
    this.pendingFiles = null;
    this.session.start();
    this.session.schedule(0);
  }

  // ---- the parts ---------------------------------------------------------------------------

  build() {
    this.toasts = new Toasts();
    const toast = this.toasts.show.bind(this.toasts);

    this.editorHost = h('div', { class: 'kh-editor', id: 'kh-editor', attrs: { role: 'tabpanel' } });
    this.editor = new Editor({
      parent: this.editorHost,
      root: /** @type {ShadowRoot} */ (this.shadowRoot),
      onUpdate: (u) => this.editorUpdated(u),
      onPick: (index) => this.activate(index, { fromEditor: true }),
      describedBy: 'kh-editor-keys',
      fieldDocs: fieldDocsTooltip({
        locate: (text, offset) => this.session.fieldAt(text, offset),
        url: new URL('field-docs.json', import.meta.url),
      }),
    });
    this.tabs = new FileTabs({
      editor: this.editor,
      panel: this.editorHost,
      readOnly: () => this.readOnly,
      countsOf: (name) => this.model?.sources.get(name)?.counts,
      onChange: () => this.session.schedule(0),
      onSwitch: () => this.status.setCursor(this.editor.state),
      onReplaced: (id) => this.session.replaced(id),
      toast,
    });
    this.session = new LintSession({
      files: this.tabs,
      config: () => this.config(),
      onReady: (info) => this.linterReady(info),
      onStatus: (s) => this.status.status(s),
      onError: (_id, e) => this.lintError(e),
      onReport: (model, run) => this.showReport(model, run),
    });
    this.status = new StatusBar({
      onCancel: () => this.session.cancel(),
      onBusy: (busy) => {
        this.app.classList.toggle('kh-busy', busy === 'busy');
        if (busy === 'idle') this.app.removeAttribute('aria-busy');
        else this.app.setAttribute('aria-busy', 'true');
      },
      onKeys: () => this.keysDialog.open(),
    });
    this.panel = new FindingsPanel({ onActivate: (index, how) => this.activate(index, how) });
    this.panel.setEmptyContent(introContent((id) => this.loadExample(id)));
    this.toolbar = new Toolbar({
      fileControls: [this.tabs.openButton, this.tabs.fileInput],
      onExample: (id) => this.loadExample(id),
      onSettings: (patch) => this.updateSettings(patch),
      onRules: () => this.rulesDialog.open(),
      onPolicies: () => this.openPolicies(),
      onExport: (format) => exportReport(this, format),
    });
    this.rulesDialog = new RulesDialog({
      opener: this.toolbar.rulesButton,
      rules: () => this.session.rules,
      settings: () => this.settings,
      setRule: (id, value) => this.setRule(id, value),
      reset: () => this.updateSettings({ rules: {} }),
    });
    this.policiesDialog = new PoliciesDialog({
      opener: this.toolbar.policiesButton,
      policies: () => this.policyList,
      setPolicies: (list) => this.setPolicies(list),
      engine: () => this.settings.policyEngine,
      setEngine: (engine) => this.updateSettings({ policyEngine: engine }),
      problems: (name) => this.model?.problemsIn(name) ?? [],
      takenNames: () => this.tabs.list.map((f) => f.name),
      remembered: () => Boolean(this.storageKey),
      toast,
    });
    this.fixAll = new FixAllControl(this);
    this.tabs.bar.insertBefore(this.fixAll.button, this.tabs.saveButton);
    const editorPane = h(
      'div',
      { class: 'kh-editor-pane' },
      this.tabs.bar,
      this.editorHost,
      h('p', { id: 'kh-editor-keys', class: 'kh-sr-only', text: EDITOR_KEYS }),
    );
    const side = h('div', { class: 'kh-side' });
    this.details = new DetailsPane({
      container: side,
      files: this.tabs,
      rule: (id) => this.session.rulesById.get(id),
      readOnly: () => this.readOnly,
      toast,
      onApply: (index) => this.applyFix(index),
      onFixResource: (index, opener) => this.fixAll.open(this.model?.group(index) ?? null, opener),
      onGoTo: (index) => this.goTo(index),
      onDisableRule: (rule) => this.setRule(rule, 'off'),
      onClose: () => {
        this.selected = -1;
        this.panel.select(-1, { reveal: false });
        this.editor.setActive(-1);
        this.renderDetails();
        this.panel.list.focus();
      },
    });
    side.append(this.panel.el, this.details.splitter, this.details.el);

    this.app = h(
      'div',
      { class: 'kh-app' },
      this.toolbar.el,
      h('div', { class: 'kh-main' }, editorPane, side),
      this.status.el,
      this.toasts.el,
      this.tabs.dropOverlay,
      this.rulesDialog.el,
    );
    this.keysDialog = new KeysDialog(this.status.keysButton, this.app);
    this.shadowRoot?.append(this.app);
    this.syncControls();
    this.tabs.acceptDrops(this.app, () => this.policiesDialog.isOpen || this.fixAll.dialog.isOpen);
  }

  /** The toolbar shows the settings. */
  syncControls() {
    const known = this.session.rulesById;
    const changed = Object.keys(this.settings.rules).filter((id) => !known.size || known.has(id)).length;
    this.toolbar.sync(this.settings, changed, this.policyList.length);
  }

  applyReadOnly() {
    const ro = this.readOnly;
    this.editor.setReadOnly(ro);
    this.toolbar.examples.hidden = ro || !this.hasAttribute('examples');
    this.fixAll.button.hidden = ro;
    this.app.classList.toggle('kh-readonly', ro);
    this.tabs.applyReadOnly();
    this.renderDetails();
  }

  get readOnly() {
    return this.hasAttribute('readonly');
  }

  /** The findings of the last report. */
  get model() {
    return this.session?.model ?? null;
  }

  /** Replaces every file (examples, `value`, `files`); nothing is selected afterwards. */
  async setFiles(/** @type {{name: string, text: string}[]} */ list, { focus = false } = {}) {
    if (!(await this.tabs.setAll(list, { focus }))) return;
    this.selected = -1;
    this.renderDetails();
  }

  loadExample(/** @type {string} */ id) {
    const example = EXAMPLES.find((e) => e.id === id);
    if (!example) return;
    const previous = this.tabs.contents();
    const hadContent = previous.some((f) => f.text.trim());
    this.setFiles(example.files.map((f) => ({ ...f })));
    if (hadContent)
      this.toasts.show(`Loaded the example “${example.title}”.`, {
        action: 'Undo',
        onAction: () => this.setFiles(previous),
      });
  }

  // ---- editing and linting ----------------------------------------------------------------

  editorUpdated(/** @type {import('@codemirror/view').ViewUpdate} */ update) {
    if (update.docChanged) {
      this.session.edited(this.tabs.activeId, update.changes.desc);
      const fix = update.transactions.some((tr) => tr.isUserEvent('kubeharden.fix'));
      this.session.schedule(fix ? 0 : undefined);
      if (this.selected >= 0) this.renderDetails();
    }
    if (update.selectionSet || update.docChanged) this.status.setCursor(update.state);
  }

  config() {
    const known = this.session.rulesById;
    /** @type {Record<string, string>} */
    const rules = {};
    for (const [id, v] of Object.entries(this.settings.rules)) if (!known.size || known.has(id)) rules[id] = v;
    /** @type {Record<string, unknown>} */
    const config = { profile: this.settings.profile, kubernetesVersion: this.settings.kubernetesVersion, rules };
    if (this.policyList.length) {
      config.policies = this.policyList;
      config.policyEngine = this.settings.policyEngine;
    }
    return config;
  }

  /** Lints now; resolves with the report. */
  lint() {
    return this.session.lint();
  }

  /** @param {import('./lint-session.js').LinterInfo} info */
  linterReady(info) {
    this.status.setVersion(info.version);
    this.toolbar.setLatest(info.latest);
    this.panel.setFamilies(sortFamilies([...new Set(info.rules.map((r) => r.family))]));
    this.syncControls();
    if (this.model) this.renderDetails();
    this.dispatchEvent(new CustomEvent('ready', { detail: { version: info.version, rules: info.rules.length } }));
  }

  /**
   * A new report, already drawn in the editors: the status line, the tabs, then (in a task of
   * its own) the list, the details and the `result` event. False when a newer report came first.
   * @param {import('./findings-model.js').FindingsModel} model
   * @param {{empty: boolean, ms: number}} run
   */
  async showReport(model, { empty, ms }) {
    this.status.done(model.counts, ms, empty);
    this.tabs.render();
    // The list in a later task (and, for a large report, in slices): the editor has had its turn.
    await new Promise((resolve) => setTimeout(resolve));
    if (this.model !== model) return false;
    const selected = await this.panel.setModel(empty ? null : model, { keep: true });
    if (this.model !== model) return false;
    if (selected !== this.selected || selected >= 0) {
      this.selected = selected;
      this.editor.setActive(selected);
    }
    this.renderDetails();
    // The Policies dialog lists each policy's problems: drawn again, unless a text is being edited.
    if (this.policiesDialog.isOpen && this.policiesDialog.editing === null) this.policiesDialog.render();
    this.app.dataset.state = 'done';
    this.dispatchEvent(new CustomEvent('result', { detail: model.report, bubbles: true, composed: true }));
    return true;
  }

  lintError(/** @type {{code: string, message: string}} */ e) {
    const text = e.code === 'FATAL' ? e.message : `Linting failed: ${e.message}`;
    this.status.failed(text);
    this.toasts.show(text, { error: true });
  }

  // ---- findings and details -----------------------------------------------------------------

  /** Shows a finding: its file, its text selected in the editor, its details. */
  activate(/** @type {number} */ index, { focusEditor = false, fromEditor = false } = {}) {
    const model = this.model;
    if (!model || index < 0 || index >= model.n) return;
    // A row of the list still showing the previous report: its index means nothing now.
    if (!fromEditor && this.panel.model !== model) return;
    this.selected = index;
    const file = this.tabs.byName(model.group(index).source);
    if (file && file.id !== this.tabs.activeId) this.tabs.switchTo(file.id);
    this.panel.select(index, { reveal: true });
    // The editor in a task of its own: on a large document, scrolling far is work.
    clearTimeout(this.selectTimer);
    this.selectTimer = setTimeout(() => {
      if (this.model !== model || this.selected !== index) return;
      if (file && !fromEditor) {
        const { from, to } = mapLinted(this.editor.state, model.int(index, F_START), model.int(index, F_END));
        this.editor.select(from, to, { focus: focusEditor, active: index });
      } else this.editor.setActive(index);
    });
    // The details (rule docs, the fix as a diff) in a task of their own.
    clearTimeout(this.detailsTimer);
    this.detailsTimer = setTimeout(() => this.renderDetails());
  }

  /** The details pane shows the selected finding (of the report the list shows). */
  renderDetails() {
    if (!this.details) return;
    const current = this.model && this.panel.model === this.model;
    this.details.show(current ? this.model : null, this.selected);
  }

  /** Applies a finding's fix in the editor, as one undoable change. */
  applyFix(/** @type {number} */ index) {
    const f = this.model?.finding(index);
    const file = f && this.tabs.byName(f.resource.source);
    if (!f?.fix || !file || fixBlocked(f, file, this.tabs.docOf(file), this.readOnly)) return;
    if (file.id !== this.tabs.activeId) this.tabs.switchTo(file.id);
    const first = Math.min(...f.fix.edits.map((e) => e.start));
    this.editor.view.dispatch({
      changes: fixChanges(f.fix.edits),
      selection: { anchor: first },
      scrollIntoView: true,
      userEvent: 'kubeharden.fix',
    });
    this.toasts.show(`Fixed: ${f.fix.description}.`, { action: 'Undo', onAction: () => this.undo() });
    this.panel.list.focus({ preventScroll: true });
  }

  undo() {
    undo(this.editor.view);
  }

  /** A finding's place: in the editor, or for a finding in a policy file, in the Policies dialog. */
  goTo(/** @type {number} */ index) {
    const model = this.model;
    if (!model) return;
    const source = model.group(index)?.source;
    if (source !== undefined && !this.tabs.byName(source) && this.policyList.some((p) => p.name === source)) {
      this.openPolicies(source, { start: model.int(index, F_START), end: model.int(index, F_END) });
      return;
    }
    this.activate(index, { focusEditor: true });
  }

  // ---- policies ------------------------------------------------------------------------------

  /** A dialog made part of the element the first time it opens (like the keyboard help). */
  mount(/** @type {HTMLElement} */ dialog) {
    if (!dialog.isConnected) this.app.append(dialog);
  }

  /** Opens the Policies dialog (editing policy `name` at `at`, when given). */
  openPolicies(
    /** @type {string | undefined} */ name = undefined,
    /** @type {{start: number, end: number} | undefined} */ at = undefined,
  ) {
    this.mount(this.policiesDialog.el);
    this.policiesDialog.open(name, at);
  }

  /** A new list of policies: remembered (with storage-key), shown, linted with. */
  setPolicies(/** @type {{name: string, text: string}[]} */ list) {
    this.policyList = cleanPolicies(list);
    if (!savePolicies(this.storageKey, this.policyList))
      this.toasts.show(
        'The policies could not be saved in this browser (storage full or disabled): they last for this visit.',
        {
          error: true,
        },
      );
    this.syncControls();
    this.session.schedule(0);
  }

  // ---- settings ------------------------------------------------------------------------------

  updateSettings(/** @type {object} */ patch, { remember = true } = {}) {
    this.settings = sanitize({ ...this.settings, ...patch });
    if (remember) saveSettings(this.storageKey, this.settings);
    this.syncControls();
    this.session.schedule(0);
  }

  /** Turns a rule on or off (null: as the profile says), with an Undo when turned off. */
  setRule(/** @type {string} */ id, /** @type {'on' | 'off' | null} */ value) {
    const rules = { ...this.settings.rules };
    const rule = this.session.rulesById.get(id);
    const byProfile = rule ? rule.profiles.includes(/** @type {any} */ (this.settings.profile)) : false;
    if (value === null || (value === 'on') === byProfile) delete rules[id];
    else rules[id] = value;
    const before = this.settings.rules[id];
    this.updateSettings({ rules });
    if (value === 'off')
      this.toasts.show(`Rule ${id} turned off.`, { action: 'Undo', onAction: () => this.setRule(id, before ?? null) });
    if (this.rulesDialog.isOpen) this.rulesDialog.render();
  }

  // ---- public API ----------------------------------------------------------------------------

  /** The text of the first file (the only one, unless several were opened). */
  get value() {
    return this.initialised && this.tabs.list.length
      ? this.tabs.textOf(this.tabs.list[0])
      : this.getAttribute('value') || '';
  }

  set value(text) {
    const value = String(text ?? '');
    if (!this.initialised) {
      this.setAttribute('value', value);
      return;
    }
    if (value === this.value && this.tabs.list.length === 1) return;
    this.setFiles([{ name: this.tabs.list[0]?.name || this.getAttribute('filename') || 'manifest.yaml', text: value }]);
  }

  /** Every file: [{name, text}]. Setting it replaces them. */
  get files() {
    if (!this.initialised) return this.pendingFiles || [];
    return this.tabs.contents();
  }

  set files(list) {
    const clean = cleanFiles(Array.isArray(list) ? list : []);
    if (!this.initialised) this.pendingFiles = clean;
    else this.setFiles(clean);
  }

  /** The custom policies applied to every lint: [{name, text}]. Setting it replaces them. */
  get policies() {
    return this.policyList.map((p) => ({ ...p }));
  }

  set policies(list) {
    if (!this.initialised) {
      this.policyList = cleanPolicies(list);
      return;
    }
    this.setPolicies(Array.isArray(list) ? list : []);
    if (this.policiesDialog.isOpen) this.policiesDialog.render();
  }

  /** The last report (as `lint()` of the npm package returns it), or null. */
  get report() {
    return this.model?.report ?? null;
  }

  /** The lint client (the worker behind the element), for tests and diagnostics. */
  get client() {
    return this.session?.client ?? null;
  }

  /** The editor's selection: {file, from, to, text, line, column}. */
  get selection() {
    if (!this.editor) return null;
    const { state } = this.editor;
    const { from, to } = state.selection.main;
    const line = state.doc.lineAt(from);
    return {
      file: this.tabs.active?.name,
      from,
      to,
      text: state.sliceDoc(from, to),
      line: line.number,
      column: from - line.from + 1,
    };
  }

  /** The CodeMirror EditorView, for hosts that need more. */
  get editorView() {
    return this.editor?.view ?? null;
  }
}

if (!customElements.get('kubeharden-linter')) customElements.define('kubeharden-linter', KubehardenLinter);
