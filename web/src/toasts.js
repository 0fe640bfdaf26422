// Short messages at the bottom corner (a fix applied, a rule turned off, an error), with an
// optional action such as Undo. Read out by screen readers as they appear (aria-live).

import { h, icon } from './dom.js';

const KEEP = 3;

export class Toasts {
  constructor() {
    this.el = h('div', { class: 'kh-toasts', attrs: { 'aria-live': 'polite' } });
  }

  /**
   * Shows `message` for a few seconds (longer for errors).
   * @param {string} message
   * @param {{error?: boolean, action?: string, onAction?: () => void}} [options]
   */
  show(message, { error = false, action, onAction } = {}) {
    const el = h('div', { class: `kh-toast${error ? ' kh-toast-error' : ''}` }, h('span', { text: message }));
    const dismiss = () => el.remove();
    if (action) {
      const run = () => {
        dismiss();
        onAction?.();
      };
      el.append(h('button', { type: 'button', class: 'kh-button kh-button-small', text: action, on: { click: run } }));
    }
    el.append(
      h(
        'button',
        {
          type: 'button',
          class: 'kh-icon-button',
          title: 'Dismiss',
          attrs: { 'aria-label': 'Dismiss' },
          on: { click: dismiss },
        },
        icon('close'),
      ),
    );
    this.el.append(el);
    while (this.el.children.length > KEEP) this.el.firstChild?.remove();
    setTimeout(dismiss, error ? 10_000 : 6000);
  }
}
