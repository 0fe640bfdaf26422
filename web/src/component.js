// <kubeharden-linter>: the whole linter UI (editor, findings, rule docs, settings, export) as a
// custom element with a shadow root. The web page is this element plus a header; portals embed
// it with one line:
//
//   <script type="module" src="/kubeharden/kubeharden-linter.js"></script><kubeharden-linter profile="restricted"></kubeharden-linter>
//
// Attributes: profile, kubernetes-version, value, readonly, theme (light|dark|auto), filename,
// examples (show the examples menu), storage-key (remember settings in localStorage under it).
// Event: `result` (detail: the report) after each lint. Properties: value, files, report,
// selection, editorView; method lint().
//
// The linter runs in a Web Worker (worker.js next to this file) on kubeharden_bg.wasm, also
// next to this file: nothing is fetched from anywhere else, nothing is sent anywhere.

import css from './component.css';
import { Editor, mapLinted, setFindings, withFindings } from './editor.js';
import { F_END, F_START } from './lint-handler.js';
import { FindingsModel, FindingsPanel, FAMILY_LABEL, SEVERITIES } from './findings.js';
import { renderDetails } from './details.js';
import { LintClient } from './client.js';
import { EXAMPLES } from './examples.js';
import { filesFromDrop, lineEnding, readAll, uniqueName } from './files.js';
import { fixApplies, fixChanges, fixDiff } from './fixes.js';
import { DEFAULT_SETTINGS, PROFILES, load as loadSettings, sanitize, save as saveSettings } from './settings.js';
import { copyText, download, formatBytes, formatCount, formatMs, h, icon, plural } from './dom.js';

const HERE = new URL('./', import.meta.url);
const encoder = new TextEncoder();
const PROGRESS_AFTER_MS = 150;
let sheet;

function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

let nextFileId = 1;

export class KubehardenLinter extends HTMLElement {
  static observedAttributes = ['profile', 'kubernetes-version', 'value', 'readonly', 'filename', 'examples'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [styles()];
    this.fileList = [];
    this.activeId = 0;
    this.model = null;
    this._report = null;
    this.incoming = null;
    this.runs = new Set();
    this.texts = new WeakMap();
    this.encoded = new WeakMap();
    this.rules = [];
    this.rulesById = new Map();
    this.latest = null;
    this.selected = -1;
    this.waiters = [];
    this.initialised = false;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  connectedCallback() {
    clearTimeout(this.disposeTimer);
    if (!this.initialised) this.init();
    else if (!this.client) {
      this.startClient();
      this.scheduleLint(0);
    }
  }

  disconnectedCallback() {
    // Moved within the page (disconnect + connect in one task) keeps the worker; removed, frees it.
    this.disposeTimer = setTimeout(() => {
      if (!this.isConnected) {
        this.client?.dispose();
        this.client = null;
      }
    });
  }

  attributeChangedCallback(name, old, value) {
    if (!this.initialised || old === value) return;
    switch (name) {
      case 'profile':
        if (PROFILES.includes(value)) this.updateSettings({ profile: value }, { remember: false });
        break;
      case 'kubernetes-version':
        this.updateSettings({ kubernetesVersion: sanitize({ kubernetesVersion: value || 'latest' }).kubernetesVersion }, { remember: false });
        break;
      case 'value':
        this.value = value ?? '';
        break;
      case 'readonly':
        this.applyReadOnly();
        break;
      case 'filename':
        if (this.fileList.length === 1 && value) this.renameFile(this.fileList[0], value);
        break;
      case 'examples':
        this.examplesSelect.hidden = !this.hasAttribute('examples');
        break;
      default:
    }
  }

  init() {
    // Properties set on the element before its definition loaded shadow the accessors: move
    // them over (the usual custom-element "upgrade" dance).
    const early = {};
    for (const name of ['value', 'files']) {
      if (Object.hasOwn(this, name)) {
        early[name] = this[name];
        delete this[name];
      }
    }
    this.initialised = true;
    const fromAttributes = sanitize({
      profile: this.getAttribute('profile') || DEFAULT_SETTINGS.profile,
      kubernetesVersion: this.getAttribute('kubernetes-version') || DEFAULT_SETTINGS.kubernetesVersion,
    });
    this.storageKey = this.getAttribute('storage-key');
    this.settings = { ...fromAttributes, ...(loadSettings(this.storageKey) || {}) };
    this.buildDom();
    this.editor = new Editor({
      parent: this.editorHost,
      root: this.shadowRoot,
      onUpdate: (u) => this.editorUpdated(u),
      onPick: (index) => this.activate(index, { fromEditor: true }),
    });
    this.applyReadOnly();
    if (Array.isArray(early.files)) this._pendingFiles = early.files.map((f) => ({ name: String(f?.name || 'manifest.yaml'), text: String(f?.text ?? '') }));
    const value = early.value !== undefined ? String(early.value) : this.getAttribute('value') || '';
    if (this._pendingFiles?.length) this.setFiles(this._pendingFiles);
    else this.addFile(this.getAttribute('filename') || 'manifest.yaml', value, { activate: true });
    this._pendingFiles = null;
    this.startClient();
    this.scheduleLint(0);
  }

  startClient() {
    this.client = new LintClient({
      workerUrl: new URL('worker.js', HERE).href,
      wasmUrl: new URL('kubeharden_bg.wasm', HERE).href,
      onReady: (info) => this.linterReady(info),
      onStatus: (s) => this.status(s),
      onChunk: (msg) => this.chunk(msg),
      onResult: (msg) => this.result(msg),
      onError: (id, e) => this.lintError(id, e),
    });
  }

  // ---- DOM -------------------------------------------------------------------------------

  buildDom() {
    const label = (text, control) => h('label', { class: 'kh-field' }, h('span', { class: 'kh-field-label', text }), control);
    this.examplesSelect = h(
      'select',
      { class: 'kh-select kh-examples', attrs: { 'aria-label': 'Load an example' }, on: { change: () => this.loadExample(this.examplesSelect.value) } },
      h('option', { value: '', text: 'Examples…' }),
      EXAMPLES.map((e) => h('option', { value: e.id, text: e.title })),
    );
    this.examplesSelect.hidden = !this.hasAttribute('examples');
    this.fileInput = h('input', { type: 'file', multiple: true, hidden: true, accept: '.yaml,.yml,.json,text/yaml,application/json', on: { change: () => this.openPicked() } });
    this.openButton = h('button', { type: 'button', class: 'kh-button', title: 'Open manifest files (or drop them anywhere here)', on: { click: () => this.fileInput.click() } }, icon('upload'), h('span', { text: 'Open files' }));
    this.profileSelect = h(
      'select',
      { class: 'kh-select kh-profile', attrs: { 'aria-label': 'Profile' }, on: { change: () => this.updateSettings({ profile: this.profileSelect.value }) } },
      PROFILES.map((p) => h('option', { value: p, text: p[0].toUpperCase() + p.slice(1) })),
    );
    this.versionSelect = h('select', { class: 'kh-select kh-k8s-version', attrs: { 'aria-label': 'Kubernetes version' }, on: { change: () => this.updateSettings({ kubernetesVersion: this.versionSelect.value }) } }, h('option', { value: 'latest', text: 'latest' }));
    this.rulesButton = h('button', { type: 'button', class: 'kh-button', title: 'Turn rules on or off', on: { click: () => this.openRules() } }, icon('settings'), h('span', { class: 'kh-rules-label', text: 'Rules' }));
    this.exportJson = h('button', { type: 'button', class: 'kh-button', title: 'Download the report as JSON', on: { click: () => this.exportReport('json') } }, icon('download'), 'JSON');
    this.exportSarif = h('button', { type: 'button', class: 'kh-button', title: 'Download the report as SARIF 2.1.0 (code scanning tools)', on: { click: () => this.exportReport('sarif') } }, icon('download'), 'SARIF');

    const toolbar = h(
      'div',
      { class: 'kh-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Linter controls' } },
      h('div', { class: 'kh-toolbar-group' }, this.examplesSelect, this.openButton, this.fileInput),
      h('div', { class: 'kh-toolbar-group' }, label('Profile', this.profileSelect), label('Kubernetes', this.versionSelect), this.rulesButton),
      h('div', { class: 'kh-toolbar-group kh-export', attrs: { role: 'group', 'aria-label': 'Export the report' } }, h('span', { class: 'kh-field-label', text: 'Export' }), this.exportJson, this.exportSarif),
    );

    this.tabs = h('div', { class: 'kh-tabs', attrs: { role: 'tablist', 'aria-label': 'Files' }, on: { keydown: (e) => this.tabKeydown(e) } });
    this.newFileButton = h('button', { type: 'button', class: 'kh-icon-button kh-new-file', title: 'New file', attrs: { 'aria-label': 'New file' }, on: { click: () => this.addFile('untitled.yaml', '', { activate: true, focus: true }) } }, icon('plus'));
    this.editorHost = h('div', { class: 'kh-editor', id: 'kh-editor', attrs: { role: 'tabpanel' } });
    this.saveButton = h('button', { type: 'button', class: 'kh-icon-button kh-save-file', title: 'Download this file (with any fixes applied)', attrs: { 'aria-label': 'Download this file' }, on: { click: () => this.saveFile() } }, icon('download'));
    const editorPane = h('div', { class: 'kh-editor-pane' }, h('div', { class: 'kh-tabbar' }, this.tabs, this.newFileButton, this.saveButton), this.editorHost);

    this.panel = new FindingsPanel({ onActivate: (index, how) => this.activate(index, how) });
    this.panel.setEmptyContent(this.introContent());
    this.details = h('aside', { class: 'kh-details', hidden: true, attrs: { 'aria-label': 'Finding details', tabindex: '-1' } });
    this.splitter = h('div', { class: 'kh-splitter', hidden: true, attrs: { role: 'separator', tabindex: '0', 'aria-orientation': 'horizontal', 'aria-label': 'Resize the finding details (arrow keys)' } });
    const side = h('div', { class: 'kh-side' }, this.panel.el, this.splitter, this.details);
    this.setupSplitter(side);

    this.statusText = h('span', { class: 'kh-status-text', text: 'Starting the linter…' });
    // What screen readers hear: the outcome of each lint, not every tick of the progress.
    this.announcer = h('span', { class: 'kh-sr-only', attrs: { role: 'status' } });
    // A progress bar drawn with transforms only: it animates on the compositor, not the page.
    this.progressFill = h('span', { class: 'kh-progress-fill' });
    this.progress = h('span', { class: 'kh-progress', hidden: true, attrs: { role: 'progressbar', 'aria-label': 'Linting progress', 'aria-valuemin': '0', 'aria-valuemax': '100' } }, this.progressFill);
    this.cancelButton = h('button', { type: 'button', class: 'kh-button kh-button-small', hidden: true, text: 'Cancel', on: { click: () => this.client?.cancel() } });
    this.cursorText = h('span', { class: 'kh-cursor', attrs: { 'aria-hidden': 'true' } });
    this.versionText = h('span', { class: 'kh-muted kh-version' });
    const status = h(
      'footer',
      { class: 'kh-status' },
      h('span', { class: 'kh-status-main' }, this.progress, this.statusText, this.cancelButton, this.announcer),
      this.cursorText,
      h('span', { class: 'kh-privacy', title: 'Linting runs in this browser tab, in WebAssembly. The manifests are never uploaded or stored.' }, icon('lock'), 'Runs locally, nothing is uploaded'),
      this.versionText,
    );

    this.toasts = h('div', { class: 'kh-toasts', attrs: { 'aria-live': 'polite' } });
    this.dropOverlay = h('div', { class: 'kh-drop', hidden: true }, h('div', { class: 'kh-drop-box' }, icon('upload'), h('p', { text: 'Drop manifests to lint them together' }), h('p', { class: 'kh-muted', text: 'YAML or JSON files, or folders; they stay on this computer.' })));
    this.rulesDialog = h('dialog', { class: 'kh-dialog', attrs: { 'aria-labelledby': 'kh-rules-title' }, on: { close: () => this.rulesButton.focus() } });

    this.app = h('div', { class: 'kh-app' }, toolbar, h('div', { class: 'kh-main' }, editorPane, side), status, this.toasts, this.dropOverlay, this.rulesDialog);
    this.shadowRoot.append(this.app);
    this.syncControls();
    this.setupDrop();
  }

  /** The bar between the list and the details: drag it, or focus it and use the arrow keys. */
  setupSplitter(side) {
    const resize = (height) => {
      const max = side.clientHeight - 160;
      const value = Math.max(120, Math.min(max, height));
      this.details.style.height = `${value}px`;
      this.details.style.maxHeight = 'none';
      this.splitter.setAttribute('aria-valuenow', String(Math.round((value / side.clientHeight) * 100)));
    };
    this.splitter.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      this.splitter.setPointerCapture(e.pointerId);
      const bottom = side.getBoundingClientRect().bottom;
      const move = (ev) => resize(bottom - ev.clientY);
      const up = () => {
        this.splitter.removeEventListener('pointermove', move);
        this.splitter.removeEventListener('pointerup', up);
      };
      this.splitter.addEventListener('pointermove', move);
      this.splitter.addEventListener('pointerup', up);
    });
    this.splitter.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowUp' ? 32 : e.key === 'ArrowDown' ? -32 : 0;
      if (!step) return;
      e.preventDefault();
      resize(this.details.offsetHeight + step);
    });
  }

  introContent() {
    return h(
      'div',
      { class: 'kh-intro' },
      h('p', { class: 'kh-empty-title', text: 'Lint Kubernetes manifests for security hardening' }),
      h('p', { text: 'Paste YAML or JSON in the editor, drop files or folders, or open files. Findings show up here, with the rule, the reason and the fix.' }),
      h(
        'div',
        { class: 'kh-intro-examples' },
        EXAMPLES.map((e) => h('button', { type: 'button', class: 'kh-example-button', on: { click: () => this.loadExample(e.id) } }, h('strong', { text: e.title }), h('span', { text: e.description }))),
      ),
    );
  }

  syncControls() {
    this.profileSelect.value = this.settings.profile;
    if (![...this.versionSelect.options].some((o) => o.value === this.settings.kubernetesVersion)) {
      this.versionSelect.append(h('option', { value: this.settings.kubernetesVersion, text: this.settings.kubernetesVersion }));
    }
    this.versionSelect.value = this.settings.kubernetesVersion;
    const changed = Object.keys(this.settings.rules).filter((id) => !this.rulesById.size || this.rulesById.has(id)).length;
    this.rulesButton.querySelector('.kh-rules-label').textContent = changed ? `Rules (${changed} changed)` : 'Rules';
  }

  applyReadOnly() {
    const ro = this.hasAttribute('readonly');
    this.editor.setReadOnly(ro);
    this.openButton.hidden = ro;
    this.newFileButton.hidden = ro;
    this.examplesSelect.hidden = ro || !this.hasAttribute('examples');
    this.app.classList.toggle('kh-readonly', ro);
    this.renderTabs();
    this.renderDetails();
  }

  get readOnly() {
    return this.hasAttribute('readonly');
  }

  // ---- files -----------------------------------------------------------------------------

  addFile(name, text, { activate = false, focus = false, state } = {}) {
    const taken = new Set(this.fileList.map((f) => f.name));
    const file = { id: nextFileId++, name: uniqueName(name, taken), state: state || this.editor.createState(text), ending: lineEnding(text), lintedDoc: null };
    this.fileList.push(file);
    if (activate) this.switchTo(file.id, { focus });
    else this.renderTabs();
    return file;
  }

  fileById(id) {
    return this.fileList.find((f) => f.id === id);
  }

  fileByName(name) {
    return this.fileList.find((f) => f.name === name);
  }

  get activeFile() {
    return this.fileById(this.activeId);
  }

  /** A file's current document (the editor's for the file on screen). */
  docOf(file) {
    return file.id === this.activeId ? this.editor.state.doc : file.state.doc;
  }

  /** A file's text (as linted: line breaks are \n). */
  textOf(file) {
    const doc = this.docOf(file);
    let text = this.texts.get(doc) ?? this.editor.knownTexts.get(doc);
    if (text === undefined) {
      text = doc.toString();
      this.texts.set(doc, text);
    }
    return text;
  }

  /**
   * A document as UTF-8 pieces of about 256 KB (ending at line breaks), for the worker: read one
   * piece per task, so a 5 MB document never holds the page in one go, and copied to the worker
   * as bytes (a memory copy, where a long string would have to be flattened first). Cached per
   * document. Resolves to {pieces, blank} or null when `isCurrent()` turns false.
   */
  async encodedOf(doc, isCurrent) {
    let cached = this.encoded.get(doc);
    if (cached) return cached;
    // Known as one string (small, or pasted/opened whole): sent as it is, a flat string copies fast.
    const known = this.texts.get(doc) ?? this.editor.knownTexts.get(doc) ?? (doc.length <= 256 * 1024 ? doc.toString() : undefined);
    if (known !== undefined) {
      cached = { text: known, blank: !/\S/.test(known) };
      this.encoded.set(doc, cached);
      return cached;
    }
    const pieces = [];
    let blank = true;
    for (let pos = 0; pos < doc.length; ) {
      let end = Math.min(doc.length, pos + 256 * 1024);
      if (end < doc.length) end = Math.min(doc.length, doc.lineAt(end).to + 1);
      const text = doc.sliceString(pos, end);
      if (blank && /\S/.test(text)) blank = false;
      pieces.push(encoder.encode(text));
      pos = end;
      if (pos < doc.length) {
        await new Promise((resolve) => setTimeout(resolve));
        if (!isCurrent()) return null;
      }
    }
    cached = { pieces, blank };
    this.encoded.set(doc, cached);
    return cached;
  }

  switchTo(id, { focus = false } = {}) {
    const current = this.activeFile;
    if (current && current.id !== id) current.state = this.editor.state;
    const file = this.fileById(id);
    if (!file) return;
    if (file.id !== this.activeId || this.editor.state !== file.state) {
      this.activeId = file.id;
      this.editor.setState(file.state);
    }
    this.renderTabs();
    this.updateCursor();
    if (focus) this.editor.focus();
  }

  closeFile(id) {
    const index = this.fileList.findIndex((f) => f.id === id);
    if (index < 0) return;
    const [file] = this.fileList.splice(index, 1);
    if (!this.fileList.length) this.addFile('manifest.yaml', '', { activate: true });
    else if (file.id === this.activeId) {
      this.activeId = 0;
      this.switchTo(this.fileList[Math.min(index, this.fileList.length - 1)].id);
    } else this.renderTabs();
    this.scheduleLint(0);
  }

  renameFile(file, name) {
    const taken = new Set(this.fileList.filter((f) => f !== file).map((f) => f.name));
    file.name = uniqueName(name, taken);
    this.renderTabs();
    this.scheduleLint(0);
  }

  /** Replaces every file (examples, `files` property). */
  async setFiles(list, { focus = false } = {}) {
    const token = (this.filesToken = (this.filesToken || 0) + 1);
    const files = list.length ? list : [{ name: 'manifest.yaml', text: '' }];
    const states = [];
    for (const f of files) states.push(await this.editor.createStateLarge(f.text));
    if (token !== this.filesToken) return;
    this.fileList = [];
    this.activeId = 0;
    files.forEach((f, i) => this.addFile(f.name, f.text, { state: states[i] }));
    this.selected = -1;
    this.switchTo(this.fileList[0].id, { focus });
    this.renderDetails();
    this.scheduleLint(0);
  }

  /** Adds files (drops, picker): same name replaces, an untouched empty buffer goes away. */
  async addFiles(list) {
    if (!list.length) return;
    const states = [];
    for (const f of list) states.push(await this.editor.createStateLarge(f.text));
    const blank = this.fileList.length === 1 && !this.docOf(this.fileList[0]).length ? this.fileList[0] : null;
    let first = null;
    list.forEach(({ name, text }, i) => {
      const existing = this.fileByName(name);
      if (existing) {
        existing.ending = lineEnding(text);
        for (const run of this.runs) run.changes.set(existing.id, 'replaced');
        if (existing.id === this.activeId) this.editor.setState(states[i]);
        existing.state = states[i];
        first ??= existing;
      } else {
        const file = this.addFile(name, text, { state: states[i] });
        first ??= file;
      }
    });
    if (blank && this.fileList.length > 1) {
      this.fileList = this.fileList.filter((f) => f !== blank);
      if (this.activeId === blank.id) this.activeId = 0;
    }
    this.switchTo(first.id);
    const names = list.map((f) => f.name);
    this.toast(`Opened ${plural(list.length, 'file')}: ${names.length > 3 ? `${names.slice(0, 3).join(', ')}…` : names.join(', ')}`);
    this.scheduleLint(0);
  }

  /** Downloads the file on screen, with the line endings it came with. */
  saveFile() {
    const file = this.activeFile;
    if (!file) return;
    const text = this.textOf(file);
    const name = file.name.split('/').pop() || 'manifest.yaml';
    download(file.ending === '\r\n' ? text.replace(/\n/g, '\r\n') : text, name, /\.json$/i.test(name) ? 'application/json' : 'application/yaml');
  }

  async openPicked() {
    const picked = [...this.fileInput.files].map((file) => ({ file, name: file.name }));
    this.fileInput.value = '';
    await this.readAndAdd(picked);
  }

  async readAndAdd(list) {
    if (!list.length) return;
    try {
      const read = await readAll(list);
      this.addFiles(read.map(({ name, text }) => ({ name, text })));
    } catch (e) {
      this.toast(`Could not read the files: ${e.message || e}`, { error: true });
    }
  }

  setupDrop() {
    let depth = 0;
    const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes('Files');
    this.app.addEventListener('dragenter', (e) => {
      if (!hasFiles(e) || this.readOnly) return;
      depth++;
      this.dropOverlay.hidden = false;
    }, true);
    this.app.addEventListener('dragleave', (e) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) this.dropOverlay.hidden = true;
    }, true);
    this.app.addEventListener('dragover', (e) => {
      if (!hasFiles(e) || this.readOnly) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }, true);
    this.app.addEventListener('drop', async (e) => {
      if (!e.dataTransfer?.files?.length) return;
      e.preventDefault();
      e.stopPropagation();
      depth = 0;
      this.dropOverlay.hidden = true;
      if (this.readOnly) return;
      const list = await filesFromDrop(e.dataTransfer);
      const skipped = list.length ? 0 : e.dataTransfer.files.length;
      if (skipped) this.toast('Nothing to lint in what was dropped (YAML or JSON files, or folders holding them).', { error: true });
      await this.readAndAdd(list);
    }, true);
  }

  renderTabs() {
    if (!this.tabs) return;
    const counts = new Map();
    if (this.model) for (const [source, s] of this.model.sources) counts.set(source, s.counts);
    const closable = this.fileList.length > 1 && !this.readOnly;
    this.tabs.replaceChildren(
      ...this.fileList.map((f) => {
        const c = counts.get(f.name);
        const worst = c && SEVERITIES.find((s) => c[s]);
        const total = c ? c.error + c.warning + c.info : 0;
        const selected = f.id === this.activeId;
        const tab = h(
          'button',
          {
            type: 'button',
            class: 'kh-tab',
            id: `kh-tab-${f.id}`,
            title: f.name,
            attrs: { role: 'tab', 'aria-selected': String(selected), 'aria-controls': 'kh-editor', tabindex: selected ? '0' : '-1' },
            dataset: { file: f.name },
            on: { click: () => this.switchTo(f.id) },
          },
          icon('file'),
          h('span', { class: 'kh-tab-name', text: f.name }),
          total ? h('span', { class: `kh-tab-count kh-sev-${worst}`, text: formatCount(total), attrs: { 'aria-label': `${plural(total, 'finding')}` } }) : null,
        );
        const close = closable
          ? h('button', { type: 'button', class: 'kh-tab-close', title: `Close ${f.name}`, attrs: { 'aria-label': `Close ${f.name}`, tabindex: '-1' }, on: { click: (e) => { e.stopPropagation(); this.closeFile(f.id); } } }, icon('close'))
          : null;
        return h('div', { class: `kh-tab-wrap${selected ? ' kh-tab-selected' : ''}` }, tab, close);
      }),
    );
    this.editorHost.setAttribute('aria-labelledby', `kh-tab-${this.activeId}`);
  }

  tabKeydown(e) {
    const i = this.fileList.findIndex((f) => f.id === this.activeId);
    let next = null;
    if (e.key === 'ArrowRight') next = (i + 1) % this.fileList.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + this.fileList.length) % this.fileList.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = this.fileList.length - 1;
    else if (e.key === 'Delete' && this.fileList.length > 1 && !this.readOnly) {
      this.closeFile(this.activeId);
      this.shadowRoot.getElementById(`kh-tab-${this.activeId}`)?.focus();
      e.preventDefault();
      return;
    }
    if (next === null) return;
    e.preventDefault();
    this.switchTo(this.fileList[next].id);
    this.shadowRoot.getElementById(`kh-tab-${this.fileList[next].id}`)?.focus();
  }

  loadExample(id) {
    this.examplesSelect.value = '';
    const example = EXAMPLES.find((e) => e.id === id);
    if (!example) return;
    const previous = this.fileList.map((f) => ({ name: f.name, text: this.textOf(f) }));
    const hadContent = previous.some((f) => f.text.trim());
    this.setFiles(example.files.map((f) => ({ ...f })));
    if (hadContent) this.toast(`Loaded the example “${example.title}”.`, { action: 'Undo', onAction: () => this.setFiles(previous) });
  }

  // ---- editing and linting ----------------------------------------------------------------

  editorUpdated(update) {
    if (update.docChanged) {
      const file = this.activeFile;
      if (file) {
        for (const run of this.runs) {
          const prev = run.changes.get(file.id);
          if (prev === 'replaced') continue;
          run.changes.set(file.id, prev ? prev.composeDesc(update.changes.desc) : update.changes.desc);
        }
      }
      const fix = update.transactions.some((tr) => tr.isUserEvent('kubeharden.fix'));
      this.scheduleLint(fix ? 0 : undefined);
      if (this.selected >= 0) this.renderDetails();
    }
    if (update.selectionSet || update.docChanged) this.updateCursor();
  }

  updateCursor() {
    const state = this.editor.state;
    const pos = state.selection.main.head;
    const line = state.doc.lineAt(pos);
    const sel = state.selection.main.to - state.selection.main.from;
    this.cursorText.textContent = `Ln ${line.number}, Col ${pos - line.from + 1}${sel ? ` (${formatCount(sel)} selected)` : ''}`;
  }

  totalBytes() {
    let n = 0;
    for (const f of this.fileList) n += this.docOf(f).length;
    return n;
  }

  scheduleLint(delay) {
    clearTimeout(this.lintTimer);
    const bytes = this.totalBytes();
    const wait = delay ?? (bytes < 200_000 ? 200 : bytes < 2_000_000 ? 450 : 900);
    this.lintTimer = setTimeout(() => this.runLint(), wait);
  }

  config() {
    const rules = {};
    for (const [id, v] of Object.entries(this.settings.rules)) if (!this.rulesById.size || this.rulesById.has(id)) rules[id] = v;
    return { profile: this.settings.profile, kubernetesVersion: this.settings.kubernetesVersion, rules };
  }

  /**
   * Sends every file to the linter. The run is registered before the text is read, so edits
   * made meanwhile are recorded and the findings can be mapped onto the text as it is by then.
   */
  async runLint() {
    if (!this.client) return;
    const token = (this.lintToken = (this.lintToken || 0) + 1);
    const run = { id: undefined, docs: new Map(this.fileList.map((f) => [f.id, this.docOf(f)])), changes: new Map(), empty: true };
    this.runs.add(run);
    const files = [];
    for (const f of this.fileList) {
      const doc = run.docs.get(f.id);
      const encoded = await this.encodedOf(doc, () => token === this.lintToken);
      if (!encoded || token !== this.lintToken) {
        this.runs.delete(run);
        return;
      }
      if (!encoded.blank) run.empty = false;
      files.push(encoded.text !== undefined ? { name: f.name, text: encoded.text } : { name: f.name, pieces: encoded.pieces });
    }
    run.id = this.client.lint(files, this.config());
    // Runs overtaken by newer ones never report back: forget all but the last few.
    const ids = [...this.runs].filter((r) => r.id !== undefined).map((r) => r.id);
    for (const r of this.runs) if (r.id !== undefined && r.id < Math.max(...ids) - 8) this.runs.delete(r);
  }

  /** Lints now; resolves with the report. */
  lint() {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.scheduleLint(0);
    });
  }

  linterReady(info) {
    this.rules = info.rules;
    this.rulesById = new Map(info.rules.map((r) => [r.id, r]));
    this.latest = info.latest;
    this.versionText.textContent = `kubeharden ${info.version}`;
    const minor = Number(info.latest.replace(/^v1\./, ''));
    this.versionSelect.replaceChildren(
      h('option', { value: 'latest', text: `latest (${info.latest})` }),
      ...Array.from({ length: minor + 1 }, (_, i) => `v1.${minor - i}`).map((v) => h('option', { value: v, text: v })),
    );
    const families = [...new Set(info.rules.map((r) => r.family))].sort((a, b) => Object.keys(FAMILY_LABEL).indexOf(a) - Object.keys(FAMILY_LABEL).indexOf(b));
    this.panel.setFamilies(families);
    this.syncControls();
    if (this.model) this.renderDetails();
    this.dispatchEvent(new CustomEvent('ready', { detail: { version: info.version, rules: info.rules.length } }));
  }

  status(s) {
    clearTimeout(this.progressTimer);
    clearInterval(this.elapsedTimer);
    const show = (fn) => {
      const since = s.since ?? performance.now();
      const wait = Math.max(0, PROGRESS_AFTER_MS - (performance.now() - since));
      this.progressTimer = setTimeout(() => {
        fn();
        this.progress.hidden = false;
        this.cancelButton.hidden = false;
        this.app.classList.add('kh-busy');
        this.elapsedTimer = setInterval(fn, 1000);
      }, wait);
    };
    switch (s.state) {
      case 'queued':
        this.app.setAttribute('aria-busy', 'true');
        break;
      case 'linting':
        show(() => {
          this.setProgress(null);
          this.statusText.textContent = `Linting ${formatBytes(s.bytes)}… ${formatMs(performance.now() - s.since)}`;
        });
        break;
      case 'receiving':
        show(() => {
          this.setProgress(s.received / Math.max(1, s.total));
          this.statusText.textContent = `Loading findings: ${formatCount(s.received)} of ${formatCount(s.total)}`;
        });
        break;
      case 'restarting':
        this.statusText.textContent = s.reason === 'cancelled' ? 'Cancelled' : 'Restarting the linter…';
        this.idle();
        break;
      case 'cancelled':
        this.statusText.textContent = 'Linting cancelled';
        this.idle();
        break;
      default:
    }
  }

  /** Determinate (0…1) or, with null, indeterminate. */
  setProgress(value) {
    this.progress.classList.toggle('kh-indeterminate', value === null);
    if (value === null) {
      this.progress.removeAttribute('aria-valuenow');
      this.progressFill.style.transform = '';
    } else {
      this.progress.setAttribute('aria-valuenow', String(Math.round(value * 100)));
      this.progressFill.style.transform = `scaleX(${value})`;
    }
  }

  idle() {
    clearTimeout(this.progressTimer);
    clearInterval(this.elapsedTimer);
    this.progress.hidden = true;
    this.cancelButton.hidden = true;
    this.app.classList.remove('kh-busy');
    this.app.removeAttribute('aria-busy');
  }

  chunk(msg) {
    if (!this.incoming || this.incoming.id !== msg.id) {
      this.incoming = new FindingsModel(this.rules);
      this.incoming.id = msg.id;
    }
    this.incoming.addChunk(msg);
  }

  async result(done) {
    this.idle();
    const id = done.id;
    let run = null;
    for (const r of this.runs) {
      if (r.id === id) run = r;
      if (r.id !== undefined && r.id <= id) this.runs.delete(r);
    }
    const model = this.incoming && this.incoming.id === id && this.incoming.n === done.total ? this.incoming : new FindingsModel(this.rules);
    this.incoming = null;
    model.finish(done);
    this.model = model;
    this._report = model.report;
    this.lastResultId = id;

    // Findings into each file's editor state, mapped through edits made since the lint started.
    const describe = (i) => model.describe(i);
    for (const file of this.fileList) {
      const changes = run?.changes.get(file.id);
      const stale = !run || changes === 'replaced' || !run.docs.has(file.id);
      const src = stale ? null : model.editorFindings(file.name);
      const findings = src ? { from: src.from, to: src.to, severity: src.severity, index: src.index, describe } : null;
      file.lintedDoc = stale || changes ? null : run.docs.get(file.id);
      const value = { findings, changes: stale ? null : changes || null };
      if (file.id === this.activeId) this.editor.view.dispatch({ effects: setFindings.of(value) });
      else file.state = withFindings(file.state, findings, value.changes);
    }

    const empty = run?.empty && !model.n;
    const c = model.counts;
    const parts = SEVERITIES.filter((s) => c[s]).map((s) => (s === 'info' ? `${formatCount(c[s])} info` : plural(c[s], s)));
    const outcome = `${parts.length ? parts.join(', ') : 'No findings'}${c.suppressed ? `, ${formatCount(c.suppressed)} suppressed` : ''}`;
    this.statusText.textContent = empty ? 'Ready' : `${outcome} · ${formatMs(done.ms)}`;
    if (!empty && this.announcer.textContent !== outcome) this.announcer.textContent = outcome;
    this.renderTabs();
    // The list in a later task (and, for a large report, in slices): the editor has had its turn.
    await new Promise((resolve) => setTimeout(resolve));
    if (this.model !== model) return;
    const selected = await this.panel.setModel(empty ? null : model, { keep: true });
    if (this.model !== model) return;
    if (selected !== this.selected || selected >= 0) {
      this.selected = selected;
      this.editor.setActive(selected);
    }
    this.renderDetails();
    this.app.dataset.state = 'done';
    this.dispatchEvent(new CustomEvent('result', { detail: model.report, bubbles: true, composed: true }));
    for (const resolve of this.waiters.splice(0)) resolve(model.report);
  }

  lintError(id, e) {
    this.idle();
    const text = e.code === 'FATAL' ? e.message : `Linting failed: ${e.message}`;
    this.statusText.textContent = text;
    this.announcer.textContent = text;
    this.toast(text, { error: true });
  }

  // ---- findings and details -----------------------------------------------------------------

  /** Shows a finding: its file, its text selected in the editor, its details. */
  activate(index, { focusEditor = false, fromEditor = false } = {}) {
    const model = this.model;
    if (!model || index < 0 || index >= model.n) return;
    // A row of the list still showing the previous report: its index means nothing now.
    if (!fromEditor && this.panel.model !== model) return;
    this.selected = index;
    const file = this.fileByName(model.group(index).source);
    if (file && file.id !== this.activeId) this.switchTo(file.id);
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

  renderDetails() {
    if (!this.details) return;
    const f = this.model && this.selected >= 0 ? this.model.finding(this.selected) : null;
    if (!f || this.panel.model !== this.model) {
      this.details.hidden = true;
      this.splitter.hidden = true;
      this.details.replaceChildren();
      return;
    }
    const file = this.fileByName(f.resource.source);
    const doc = file ? this.docOf(file) : null;
    const fresh = file && file.lintedDoc && file.lintedDoc === doc;
    let applyBlocked = null;
    if (f.fix) {
      if (this.readOnly) applyBlocked = 'The editor is read-only.';
      else if (!file) applyBlocked = 'The file is no longer open.';
      else if (!fresh) applyBlocked = 'The text changed since it was linted: wait for the new results.';
      else if (!fixApplies(f.fix.edits, doc.length)) applyBlocked = 'This fix does not fit the current text.';
    }
    const diff = f.fix && fresh ? fixDiff(doc, f.fix.edits, file.name) : '';
    const body = renderDetails({
      finding: f,
      rule: this.rulesById.get(f.rule),
      diff,
      applyBlocked,
      actions: {
        apply: () => this.applyFix(this.selected),
        copy: async (button) => {
          const ok = await copyText(diff);
          this.toast(ok ? 'Fix copied as a patch (git apply).' : 'Could not copy to the clipboard.', { error: !ok });
          button.focus();
        },
        goTo: () => this.activate(this.selected, { focusEditor: true }),
        disableRule: () => this.setRule(f.rule, 'off'),
        close: () => {
          this.selected = -1;
          this.panel.select(-1, { reveal: false });
          this.editor.setActive(-1);
          this.renderDetails();
          this.panel.list.focus();
        },
      },
    });
    const same = this.details.dataset.finding === String(this.selected);
    const scroll = same && !this.details.hidden ? this.details.scrollTop : 0;
    this.details.replaceChildren(body);
    this.details.dataset.finding = String(this.selected);
    this.details.hidden = false;
    this.splitter.hidden = false;
    if (scroll || !same) this.details.scrollTop = scroll;
  }

  applyFix(index) {
    const f = this.model?.finding(index);
    if (!f?.fix || this.readOnly) return;
    const file = this.fileByName(f.resource.source);
    if (!file || file.lintedDoc !== this.docOf(file) || !fixApplies(f.fix.edits, this.docOf(file).length)) return;
    if (file.id !== this.activeId) this.switchTo(file.id);
    const first = Math.min(...f.fix.edits.map((e) => e.start));
    this.editor.view.dispatch({ changes: fixChanges(f.fix.edits), selection: { anchor: first }, scrollIntoView: true, userEvent: 'kubeharden.fix' });
    this.toast(`Fixed: ${f.fix.description}.`, { action: 'Undo', onAction: () => this.undo() });
    this.panel.list.focus({ preventScroll: true });
  }

  undo() {
    import('@codemirror/commands').then(({ undo }) => undo(this.editor.view));
  }

  // ---- settings ------------------------------------------------------------------------------

  updateSettings(patch, { remember = true } = {}) {
    this.settings = sanitize({ ...this.settings, ...patch });
    if (remember) saveSettings(this.storageKey, this.settings);
    this.syncControls();
    this.scheduleLint(0);
  }

  setRule(id, value) {
    const rules = { ...this.settings.rules };
    const rule = this.rulesById.get(id);
    const byProfile = rule ? rule.profiles.includes(this.settings.profile) : false;
    if (value === null || (value === 'on') === byProfile) delete rules[id];
    else rules[id] = value;
    const before = this.settings.rules[id];
    this.updateSettings({ rules });
    if (value === 'off') this.toast(`Rule ${id} turned off.`, { action: 'Undo', onAction: () => this.setRule(id, before ?? null) });
    if (this.rulesDialog.open) this.renderRulesDialog();
  }

  openRules() {
    this.renderRulesDialog();
    this.rulesDialog.showModal();
    this.rulesDialog.querySelector('input[type=search]')?.focus();
  }

  renderRulesDialog(filterText = this.rulesFilter || '') {
    this.rulesFilter = filterText;
    const words = filterText.toLowerCase().split(/\s+/).filter(Boolean);
    const profile = this.settings.profile;
    const byFamily = new Map();
    for (const r of this.rules) {
      const hay = `${r.id} ${r.summary} ${r.family} ${r.aliases.join(' ')}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) continue;
      if (!byFamily.has(r.family)) byFamily.set(r.family, []);
      byFamily.get(r.family).push(r);
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
          this.renderRulesDialog(search.value);
          const next = this.rulesDialog.querySelector('input[type=search]');
          next.focus();
          next.setSelectionRange(pos, pos);
        },
      },
    });
    const list = [];
    for (const [family, rules] of byFamily) {
      list.push(
        h(
          'fieldset',
          { class: 'kh-rule-family' },
          h('legend', { text: FAMILY_LABEL[family] || family }),
          rules.map((r) => {
            const byProfile = r.profiles.includes(profile);
            const override = this.settings.rules[r.id];
            const on = override ? override === 'on' : byProfile;
            const box = h('input', { type: 'checkbox', checked: on, on: { change: () => this.setRule(r.id, box.checked ? 'on' : 'off') } });
            return h(
              'label',
              { class: `kh-rule-row${override ? ' kh-rule-changed' : ''}` },
              box,
              h('span', { class: 'kh-rule-text' }, h('span', { class: 'kh-rule-head' }, h('code', { text: r.id }), h('span', { class: `kh-sev-badge kh-sev-${r.severity}`, text: r.severity }), override ? h('span', { class: 'kh-changed-badge', text: 'changed' }) : null, !byProfile ? h('span', { class: 'kh-muted kh-small', text: r.optIn ? 'opt-in' : `not in ${profile}` }) : null), h('span', { class: 'kh-rule-summary', text: r.summary })),
            );
          }),
        ),
      );
    }
    this.rulesDialog.replaceChildren(
      h(
        'form',
        { method: 'dialog', class: 'kh-dialog-form' },
        h('header', { class: 'kh-dialog-head' }, h('h2', { class: 'kh-h2', id: 'kh-rules-title', text: 'Rules' }), h('button', { type: 'submit', class: 'kh-icon-button', title: 'Close', attrs: { 'aria-label': 'Close' } }, icon('close'))),
        h('p', { class: 'kh-muted kh-small', text: `The ${profile} profile decides which rules run; turn single rules on or off here. ${Object.keys(this.settings.rules).length ? '' : 'No changes yet.'}` }),
        h('div', { class: 'kh-dialog-tools' }, search, h('button', { type: 'button', class: 'kh-button', text: 'Reset to profile', disabled: !Object.keys(this.settings.rules).length, on: { click: () => { this.updateSettings({ rules: {} }); this.renderRulesDialog(); } } })),
        h('div', { class: 'kh-rule-list' }, list.length ? list : h('p', { class: 'kh-muted', text: this.rules.length ? 'No rule matches.' : 'The rule catalogue is loading…' })),
      ),
    );
  }

  // ---- export --------------------------------------------------------------------------------

  async exportReport(format) {
    if (!this.model || !this.client) {
      this.toast('Nothing to export yet.', { error: true });
      return;
    }
    try {
      const text = await this.client.exportReport(this.lastResultId, format, this.report);
      const name = format === 'sarif' ? 'kubeharden.sarif' : 'kubeharden-report.json';
      download(text, name, format === 'sarif' ? 'application/sarif+json' : 'application/json');
    } catch (e) {
      this.toast(`Export failed: ${e.message}`, { error: true });
    }
  }

  // ---- toasts --------------------------------------------------------------------------------

  toast(message, { error = false, action, onAction } = {}) {
    const el = h('div', { class: `kh-toast${error ? ' kh-toast-error' : ''}` }, h('span', { text: message }));
    const dismiss = () => el.remove();
    if (action) el.append(h('button', { type: 'button', class: 'kh-button kh-button-small', text: action, on: { click: () => { dismiss(); onAction(); } } }));
    el.append(h('button', { type: 'button', class: 'kh-icon-button', title: 'Dismiss', attrs: { 'aria-label': 'Dismiss' }, on: { click: dismiss } }, icon('close')));
    this.toasts.append(el);
    while (this.toasts.children.length > 3) this.toasts.firstChild.remove();
    setTimeout(dismiss, error ? 10_000 : 6000);
  }

  // ---- public API ----------------------------------------------------------------------------

  /** The text of the first file (the only one, unless several were opened). */
  get value() {
    return this.fileList.length ? this.textOf(this.fileList[0]) : this.getAttribute('value') || '';
  }

  set value(text) {
    const value = String(text ?? '');
    if (!this.initialised) {
      this.setAttribute('value', value);
      return;
    }
    if (value === this.value && this.fileList.length === 1) return;
    this.setFiles([{ name: this.fileList[0]?.name || this.getAttribute('filename') || 'manifest.yaml', text: value }]);
  }

  /** Every file: [{name, text}]. Setting it replaces them. */
  get files() {
    if (!this.initialised) return this._pendingFiles || [];
    return this.fileList.map((f) => ({ name: f.name, text: this.textOf(f) }));
  }

  set files(list) {
    const clean = (Array.isArray(list) ? list : []).map((f) => ({ name: String(f?.name || 'manifest.yaml'), text: String(f?.text ?? '') }));
    if (!this.initialised) this._pendingFiles = clean;
    else this.setFiles(clean);
  }

  /** The last report (as `lint()` of the npm package returns it), or null. */
  get report() {
    return this._report ?? null;
  }

  /** The editor's selection: {file, from, to, text, line, column}. */
  get selection() {
    if (!this.editor) return null;
    const { state } = this.editor;
    const { from, to } = state.selection.main;
    const line = state.doc.lineAt(from);
    return { file: this.activeFile?.name, from, to, text: state.sliceDoc(from, to), line: line.number, column: from - line.from + 1 };
  }

  /** The CodeMirror EditorView, for hosts that need more. */
  get editorView() {
    return this.editor?.view ?? null;
  }
}

if (!customElements.get('kubeharden-linter')) customElements.define('kubeharden-linter', KubehardenLinter);
