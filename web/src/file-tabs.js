// The open files: one tab each above the editor, one editor state each (the tab on screen has
// the editor's). Files come from the picker, from drops (files and folders), from examples and
// from the element's `value`/`files`; they are linted together, and each can be downloaded
// with its own line endings.

import { download, formatCount, h, icon, plural, sr } from './dom.js';
import { setFindings, withFindings } from './editor-findings.js';
import { filesFromDrop, lineEnding, readAll, uniqueName } from './files.js';
import { SEVERITIES } from './protocol.js';

/** @typedef {import('@codemirror/state').EditorState} EditorState */
/** @typedef {import('@codemirror/state').Text} Text */

/**
 * @typedef {object} OpenFile
 * @property {number} id
 * @property {string} name       unique among the open files: findings name their file
 * @property {EditorState} state the file's editor state (stale for the file on screen)
 * @property {string} ending     the line ending it came with
 * @property {Text | null} lintedDoc  the document the findings on screen were linted from
 */

let nextFileId = 1;

export class FileTabs {
  /**
   * @param {object} o
   * @param {import('./editor.js').Editor} o.editor
   * @param {HTMLElement} o.panel        the editor's element (the tab panel)
   * @param {() => boolean} o.readOnly
   * @param {(name: string) => Record<string, number> | undefined} o.countsOf  findings of a file by severity
   * @param {() => void} o.onChange      files opened, closed, renamed or replaced: lint again
   * @param {() => void} o.onSwitch      another file is on screen
   * @param {(id: number) => void} o.onReplaced  a file's text replaced as a whole (not an edit)
   * @param {(message: string, options?: {error?: boolean}) => void} o.toast
   */
  constructor({ editor, panel, readOnly, countsOf, onChange, onSwitch, onReplaced, toast }) {
    this.editor = editor;
    this.panel = panel;
    this.readOnly = readOnly;
    this.countsOf = countsOf;
    this.onChange = onChange;
    this.onSwitch = onSwitch;
    this.onReplaced = onReplaced;
    this.toast = toast;
    /** @type {OpenFile[]} */
    this.list = [];
    this.activeId = 0;
    /** Texts of documents already flattened to a string (cached, by document). */
    this.texts = new WeakMap();
    this.filesToken = 0;

    this.tabs = h('div', {
      class: 'kh-tabs',
      attrs: { role: 'tablist', 'aria-label': 'Files' },
      on: { keydown: (e) => this.tabKeydown(e) },
    });
    this.newFileButton = h(
      'button',
      {
        type: 'button',
        class: 'kh-icon-button kh-new-file',
        title: 'New file',
        attrs: { 'aria-label': 'New file' },
        on: { click: () => this.add('untitled.yaml', '', { activate: true, focus: true }) },
      },
      icon('plus'),
    );
    this.saveButton = h(
      'button',
      {
        type: 'button',
        class: 'kh-icon-button kh-save-file',
        title: 'Download this file (with any fixes applied)',
        attrs: { 'aria-label': 'Download this file' },
        on: { click: () => this.save() },
      },
      icon('download'),
    );
    /** The bar above the editor. */
    this.bar = h('div', { class: 'kh-tabbar' }, this.tabs, this.newFileButton, this.saveButton);
    this.fileInput = h('input', {
      type: 'file',
      multiple: true,
      hidden: true,
      accept: '.yaml,.yml,.json,text/yaml,application/json',
      on: { change: () => this.openPicked() },
    });
    /** The toolbar's button that opens the file picker. */
    this.openButton = h(
      'button',
      {
        type: 'button',
        class: 'kh-button',
        title: 'Open manifest files (or drop them anywhere here)',
        on: { click: () => this.fileInput.click() },
      },
      icon('upload'),
      h('span', { text: 'Open files' }),
    );
    /** Shown over the component while files are dragged over it. */
    this.dropOverlay = h(
      'div',
      { class: 'kh-drop', hidden: true },
      h(
        'div',
        { class: 'kh-drop-box' },
        icon('upload'),
        h('p', { text: 'Drop manifests to lint them together' }),
        h('p', { class: 'kh-muted', text: 'YAML or JSON files, or folders; they stay on this computer.' }),
      ),
    );
  }

  /** Adds a file (a unique name is made from `name`); `activate` shows it. */
  add(
    name,
    text,
    { activate = false, focus = false, state = /** @type {EditorState | undefined} */ (undefined) } = {},
  ) {
    const taken = new Set(this.list.map((f) => f.name));
    /** @type {OpenFile} */
    const file = {
      id: nextFileId++,
      name: uniqueName(name, taken),
      state: state || this.editor.createState(text),
      ending: lineEnding(text),
      lintedDoc: null,
    };
    this.list.push(file);
    if (activate) this.switchTo(file.id, { focus });
    else this.render();
    return file;
  }

  byId(/** @type {number} */ id) {
    return this.list.find((f) => f.id === id);
  }

  byName(/** @type {string} */ name) {
    return this.list.find((f) => f.name === name);
  }

  /** The file on screen. */
  get active() {
    return this.byId(this.activeId);
  }

  /** A file's current document (the editor's for the file on screen). */
  docOf(/** @type {OpenFile} */ file) {
    return file.id === this.activeId ? this.editor.state.doc : file.state.doc;
  }

  /** A document's text when it is already known as one string, else undefined. */
  knownText(/** @type {Text} */ doc) {
    return this.texts.get(doc) ?? this.editor.knownTexts.get(doc);
  }

  /** A file's text (as linted: line breaks are \n). */
  textOf(/** @type {OpenFile} */ file) {
    const doc = this.docOf(file);
    let text = this.knownText(doc);
    if (text === undefined) {
      text = doc.toString();
      this.texts.set(doc, text);
    }
    return text;
  }

  /** Every file's text: [{name, text}]. */
  contents() {
    return this.list.map((f) => ({ name: f.name, text: this.textOf(f) }));
  }

  /** Puts a file on screen. */
  switchTo(/** @type {number} */ id, { focus = false } = {}) {
    const current = this.active;
    if (current && current.id !== id) current.state = this.editor.state;
    const file = this.byId(id);
    if (!file) return;
    if (file.id !== this.activeId || this.editor.state !== file.state) {
      this.activeId = file.id;
      this.editor.setState(file.state);
    }
    this.render();
    this.onSwitch();
    if (focus) this.editor.focus();
  }

  close(/** @type {number} */ id) {
    const index = this.list.findIndex((f) => f.id === id);
    if (index < 0) return;
    const [file] = this.list.splice(index, 1);
    if (!this.list.length) this.add('manifest.yaml', '', { activate: true });
    else if (file.id === this.activeId) {
      this.activeId = 0;
      this.switchTo(this.list[Math.min(index, this.list.length - 1)].id);
    } else this.render();
    this.onChange();
  }

  rename(/** @type {OpenFile} */ file, /** @type {string} */ name) {
    const taken = new Set(this.list.filter((f) => f !== file).map((f) => f.name));
    file.name = uniqueName(name, taken);
    this.render();
    this.onChange();
  }

  /**
   * Replaces every file (examples, the `files` property). Resolves to false when a later call
   * overtook this one (large texts are split into lines over several tasks).
   * @param {{name: string, text: string}[]} list
   */
  async setAll(list, { focus = false } = {}) {
    const token = ++this.filesToken;
    const files = list.length ? list : [{ name: 'manifest.yaml', text: '' }];
    const states = [];
    for (const f of files) states.push(await this.editor.createStateLarge(f.text));
    if (token !== this.filesToken) return false;
    this.list = [];
    this.activeId = 0;
    files.forEach((f, i) => {
      this.add(f.name, f.text, { state: states[i] });
    });
    this.switchTo(this.list[0].id, { focus });
    this.onChange();
    return true;
  }

  /**
   * Adds files (drops, picker): one with the same name is replaced, an untouched empty buffer
   * goes away.
   * @param {{name: string, text: string}[]} list
   */
  async addAll(list) {
    if (!list.length) return;
    const states = [];
    for (const f of list) states.push(await this.editor.createStateLarge(f.text));
    const blank = this.list.length === 1 && !this.docOf(this.list[0]).length ? this.list[0] : null;
    /** @type {OpenFile | null} */
    let first = null;
    for (const [i, { name, text }] of list.entries()) {
      const existing = this.byName(name);
      if (existing) {
        existing.ending = lineEnding(text);
        this.onReplaced(existing.id);
        if (existing.id === this.activeId) this.editor.setState(states[i]);
        existing.state = states[i];
        first ??= existing;
      } else {
        const added = this.add(name, text, { state: states[i] });
        first ??= added;
      }
    }
    if (blank && this.list.length > 1) {
      this.list = this.list.filter((f) => f !== blank);
      if (this.activeId === blank.id) this.activeId = 0;
    }
    if (first) this.switchTo(first.id);
    const names = list.map((f) => f.name);
    this.toast(
      `Opened ${plural(list.length, 'file')}: ${names.length > 3 ? `${names.slice(0, 3).join(', ')}…` : names.join(', ')}`,
    );
    this.onChange();
  }

  /** Gives a file the findings of a lint (`value`: see editor.js setFindings). */
  setFindings(/** @type {OpenFile} */ file, /** @type {import('./editor-findings.js').FindingsValue} */ value) {
    if (file.id === this.activeId) this.editor.view.dispatch({ effects: setFindings.of(value) });
    else file.state = withFindings(file.state, value.findings, value.changes);
  }

  /** Downloads the file on screen, with the line endings it came with. */
  save() {
    const file = this.active;
    if (!file) return;
    const text = this.textOf(file);
    const name = file.name.split('/').pop() || 'manifest.yaml';
    download(
      file.ending === '\r\n' ? text.replace(/\n/g, '\r\n') : text,
      name,
      /\.json$/i.test(name) ? 'application/json' : 'application/yaml',
    );
  }

  async openPicked() {
    const picked = [...(this.fileInput.files || [])].map((file) => ({ file, name: file.name }));
    this.fileInput.value = '';
    await this.readAndAdd(picked);
  }

  async readAndAdd(/** @type {{file: File, name: string}[]} */ list) {
    if (!list.length) return;
    try {
      const read = await readAll(list);
      await this.addAll(read.map(({ name, text }) => ({ name, text })));
    } catch (e) {
      this.toast(`Could not read the files: ${e.message || e}`, { error: true });
    }
  }

  /** Files dropped anywhere on `target` are opened (not while read-only). */
  acceptDrops(/** @type {HTMLElement} */ target, /** @type {() => boolean} */ elsewhere = () => false) {
    let depth = 0;
    // While `elsewhere()` (a dialog that takes drops of its own is open), drops are not manifests.
    const hasFiles = (/** @type {DragEvent} */ e) =>
      !elsewhere() && [...(e.dataTransfer?.types || [])].includes('Files');
    const listen = (/** @type {string} */ type, /** @type {(e: DragEvent) => void} */ fn) =>
      target.addEventListener(type, /** @type {EventListener} */ (fn), true);
    listen('dragenter', (e) => {
      if (!hasFiles(e) || this.readOnly()) return;
      depth++;
      this.dropOverlay.hidden = false;
    });
    listen('dragleave', (e) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) this.dropOverlay.hidden = true;
    });
    listen('dragover', (e) => {
      if (!hasFiles(e) || this.readOnly() || !e.dataTransfer) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    listen('drop', async (e) => {
      const data = e.dataTransfer;
      if (!data?.files?.length || elsewhere()) return;
      e.preventDefault();
      e.stopPropagation();
      depth = 0;
      this.dropOverlay.hidden = true;
      if (this.readOnly()) return;
      const list = await filesFromDrop(data);
      if (!list.length)
        this.toast('Nothing to lint in what was dropped (YAML or JSON files, or folders holding them).', {
          error: true,
        });
      await this.readAndAdd(list);
    });
  }

  /** Shows or hides what editing needs. */
  applyReadOnly() {
    const ro = this.readOnly();
    this.openButton.hidden = ro;
    this.newFileButton.hidden = ro;
    this.render();
  }

  /** Draws the tabs: one per file, with its count of findings and (when several) a close button. */
  render() {
    const closable = this.list.length > 1 && !this.readOnly();
    this.tabs.replaceChildren(
      ...this.list.map((f) => {
        const c = this.countsOf(f.name);
        const worst = c && SEVERITIES.find((s) => c[s]);
        const total = c ? SEVERITIES.reduce((n, s) => n + (c[s] || 0), 0) : 0;
        const selected = f.id === this.activeId;
        const tab = h(
          'button',
          {
            type: 'button',
            class: 'kh-tab',
            id: `kh-tab-${f.id}`,
            title: f.name,
            attrs: {
              role: 'tab',
              'aria-selected': String(selected),
              'aria-controls': 'kh-editor',
              tabindex: selected ? '0' : '-1',
            },
            dataset: { file: f.name },
            on: { click: () => this.switchTo(f.id) },
          },
          icon('file'),
          h('span', { class: 'kh-tab-name', text: f.name }),
          total
            ? h('span', {
                class: `kh-tab-count kh-sev-${worst}`,
                text: formatCount(total),
                attrs: { 'aria-hidden': 'true' },
              })
            : null,
          total ? sr(`, ${plural(total, 'finding')}`) : null,
        );
        const closeFile = (/** @type {Event} */ e) => {
          e.stopPropagation();
          this.close(f.id);
        };
        const close = closable
          ? h(
              'button',
              {
                type: 'button',
                class: 'kh-tab-close',
                title: `Close ${f.name}`,
                attrs: { 'aria-label': `Close ${f.name}`, tabindex: '-1' },
                on: { click: closeFile },
              },
              icon('close'),
            )
          : null;
        return h('div', { class: `kh-tab-wrap${selected ? ' kh-tab-selected' : ''}` }, tab, close);
      }),
    );
    this.panel.setAttribute('aria-labelledby', `kh-tab-${this.activeId}`);
  }

  /** Arrow keys, Home and End move between tabs; Delete closes one. */
  tabKeydown(/** @type {KeyboardEvent} */ e) {
    const i = this.list.findIndex((f) => f.id === this.activeId);
    const n = this.list.length;
    let next = null;
    if (e.key === 'ArrowRight') next = (i + 1) % n;
    else if (e.key === 'ArrowLeft') next = (i - 1 + n) % n;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Delete' && n > 1 && !this.readOnly()) {
      this.close(this.activeId);
      this.focusTab(this.activeId);
      e.preventDefault();
      return;
    }
    if (next === null) return;
    e.preventDefault();
    this.switchTo(this.list[next].id);
    this.focusTab(this.list[next].id);
  }

  focusTab(/** @type {number} */ id) {
    /** @type {HTMLElement | null} */ (this.tabs.querySelector(`#kh-tab-${id}`))?.focus();
  }
}
