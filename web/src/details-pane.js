// The pane under the findings list that shows the selected finding (details.js draws it), with
// the bar above it to share the height with the list. It keeps its scroll position while the
// same finding is drawn again (after an edit or a new lint).

import { renderDetails } from './details.js';
import { copyText, h } from './dom.js';
import { fixBlocked, fixDiff } from './fixes.js';
import { splitter } from './splitter.js';

/** @typedef {import('./findings-model.js').FindingsModel} FindingsModel */

export class DetailsPane {
  /**
   * @param {object} o
   * @param {HTMLElement} o.container        the side pane the list and the details share
   * @param {import('./file-tabs.js').FileTabs} o.files
   * @param {(id: string) => import('kubeharden').RuleMeta | undefined} o.rule
   * @param {() => boolean} o.readOnly
   * @param {(message: string, options?: {error?: boolean}) => void} o.toast
   * @param {(index: number) => void} o.onApply        Apply fix
   * @param {(index: number, opener: HTMLElement) => void} o.onFixResource  Fix all in its resource
   * @param {(index: number) => void} o.onGoTo         the finding's place in the editor
   * @param {(rule: string) => void} o.onDisableRule
   * @param {() => void} o.onClose
   */
  constructor(o) {
    this.o = o;
    this.el = h('aside', {
      class: 'kh-details',
      hidden: true,
      attrs: { 'aria-label': 'Finding details', tabindex: '-1' },
    });
    this.splitter = splitter(o.container, this.el);
  }

  /** Shows finding `index` of `model`, or hides the pane (null, or -1). */
  show(/** @type {FindingsModel | null} */ model, /** @type {number} */ index) {
    const f = model && index >= 0 ? model.finding(index) : null;
    if (!f) {
      this.el.hidden = true;
      this.splitter.hidden = true;
      this.el.replaceChildren();
      return;
    }
    const { files, toast } = this.o;
    const file = files.byName(f.resource.source);
    const doc = file ? files.docOf(file) : null;
    const applyBlocked = f.fix ? fixBlocked(f, file, doc, this.o.readOnly()) : null;
    const fresh = Boolean(file && doc && file.lintedDoc === doc);
    const diff = f.fix && file && doc && fresh ? fixDiff(doc, f.fix.edits, file.name) : '';
    const body = renderDetails({
      finding: f,
      rule: this.o.rule(f.rule),
      diff,
      applyBlocked,
      fixAll: Boolean(f.fix && file && !this.o.readOnly()),
      actions: {
        apply: () => this.o.onApply(index),
        fixResource: (/** @type {HTMLElement} */ button) => this.o.onFixResource(index, button),
        copy: async (/** @type {HTMLElement} */ button) => {
          const ok = await copyText(diff);
          toast(ok ? 'Fix copied as a patch (git apply).' : 'Could not copy to the clipboard.', { error: !ok });
          button.focus();
        },
        goTo: () => this.o.onGoTo(index),
        disableRule: () => this.o.onDisableRule(f.rule),
        close: () => this.o.onClose(),
      },
    });
    const same = this.el.dataset.finding === String(index);
    const scroll = same && !this.el.hidden ? this.el.scrollTop : 0;
    this.el.replaceChildren(body);
    this.el.dataset.finding = String(index);
    this.el.hidden = false;
    this.splitter.hidden = false;
    if (scroll || !same) this.el.scrollTop = scroll;
  }
}
