// Modal dialogs of the component (the rule settings, and any other panel that needs the whole
// screen): a native <dialog> (focus kept inside while open, Escape closes it, focus returns to
// the control that opened it) with a titled header and a close button.

import { h, icon } from './dom.js';

let nextId = 1;

export class Dialog {
  /**
   * @param {object} o
   * @param {string} o.title
   * @param {HTMLElement} o.opener  focused again when the dialog closes (`opener` can change)
   * @param {string} [o.className]
   */
  constructor({ title, opener, className = '' }) {
    this.titleId = `kh-dialog-title-${nextId++}`;
    this.title = title;
    this.opener = opener;
    /** @type {(() => void) | undefined} where the focus goes when the opener is gone */
    this.onOpenerGone = undefined;
    this.el = h('dialog', {
      class: `kh-dialog ${className}`.trim(),
      attrs: { 'aria-labelledby': this.titleId },
      on: {
        close: () => {
          if (this.opener.isConnected && !this.opener.closest('[hidden]')) this.opener.focus();
          else this.onOpenerGone?.();
        },
      },
    });
  }

  get isOpen() {
    return this.el.open;
  }

  /** Replaces the content under the header. */
  fill(/** @type {Array<Node | string | null | undefined>} */ ...content) {
    this.el.replaceChildren(
      h(
        'form',
        { method: 'dialog', class: 'kh-dialog-form' },
        h(
          'header',
          { class: 'kh-dialog-head' },
          h('h2', { class: 'kh-h2', id: this.titleId, text: this.title }),
          h(
            'button',
            { type: 'submit', class: 'kh-icon-button', title: 'Close', attrs: { 'aria-label': 'Close' } },
            icon('close'),
          ),
        ),
        content,
      ),
    );
  }

  /** Opens it and focuses `focus` (a selector inside), or the first control. */
  show(/** @type {string} */ focus = '') {
    this.el.showModal();
    /** @type {HTMLElement | null} */ (focus ? this.el.querySelector(focus) : null)?.focus();
  }

  close() {
    this.el.close();
  }
}
