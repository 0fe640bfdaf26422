// "Fix all" in the element: its button in the tab bar, its dialog, and what the dialog asks of
// the element (the fixes of a file or of one resource, from the worker's fix(); the chosen
// diff applied as one undoable edit).

import { isolateHistory } from '@codemirror/commands';
import { h, icon } from './dom.js';
import { FixAllDialog, scopedConfig } from './fix-all.js';

export class FixAllControl {
  constructor(/** @type {import('./component.js').KubehardenLinter} */ host) {
    this.host = host;
    this.button = h(
      'button',
      {
        type: 'button',
        class: 'kh-button kh-button-small kh-fix-all-button',
        title: 'Fix all the findings of this file that have a fix (shows the changes first)',
        on: { click: () => this.open(null, this.button) },
      },
      icon('wand'),
      'Fix all',
    );
    this.dialog = new FixAllDialog({
      opener: this.button,
      compute: (file, resource, applicability) => this.compute(file, resource, applicability),
      docOf: (name) => {
        const file = host.tabs.byName(name);
        return file ? host.tabs.docOf(file) : null;
      },
      resources: (name) => host.model?.fixableResources(name) ?? [],
      apply: (name, changes, result) => this.apply(name, changes, result),
      onClosed: () => host.panel.list.focus(),
    });
  }

  /** Opens "Fix all" for the file on screen, or for `resource` (a group of the last report). */
  open(/** @type {import('./protocol.js').Group | null} */ resource, /** @type {HTMLElement} */ opener) {
    if (this.host.readOnly) return;
    const name = resource ? resource.source : this.host.tabs.active?.name;
    if (!name || !this.host.tabs.byName(name)) return;
    this.host.mount(this.dialog.el);
    this.dialog.open(name, resource, opener);
  }

  /** fix() on the current texts, limited to a file or a resource of it. */
  async compute(
    /** @type {string} */ name,
    /** @type {import('./protocol.js').Group | null} */ resource,
    /** @type {string} */ applicability,
  ) {
    const file = this.host.tabs.byName(name);
    if (!file) return null;
    const doc = this.host.tabs.docOf(file);
    const files = this.host.tabs.contents();
    const { policies: _p, policyEngine: _e, ...config } = this.host.config();
    const scoped = scopedConfig(
      config,
      name,
      files.map((f) => f.name),
      this.host.model?.groups ?? [],
      resource,
    );
    const result = await this.host.session.fix(files, { config: scoped, applicability });
    return { result, doc };
  }

  /** Applies "Fix all" as one transaction (one undo step), with an Undo in a toast. */
  apply(
    /** @type {string} */ name,
    /** @type {{from: number, to: number, insert: string}[]} */ changes,
    /** @type {import('./protocol.js').FixReply} */ result,
  ) {
    const file = this.host.tabs.byName(name);
    if (!file) return;
    if (file.id !== this.host.tabs.activeId) this.host.tabs.switchTo(file.id);
    this.host.editor.view.dispatch({
      changes,
      selection: { anchor: changes[0]?.from ?? 0 },
      scrollIntoView: true,
      userEvent: 'kubeharden.fix',
      annotations: isolateHistory.of('full'),
    });
    const after = this.host.editor.state.doc;
    const count = result.applied.filter((a) => a.source === name).length;
    this.host.toasts.show(`Applied ${count === 1 ? '1 fix' : `${count} fixes`} to ${name}.`, {
      action: 'Undo',
      onAction: () => {
        const now = this.host.tabs.byName(name);
        if (!now || this.host.tabs.docOf(now) !== after) {
          this.host.toasts.show('The text changed since: undo with Ctrl+Z in the editor.', { error: true });
          return;
        }
        if (now.id !== this.host.tabs.activeId) this.host.tabs.switchTo(now.id);
        this.host.undo();
      },
    });
  }
}
