// The keys of the component, in one place: the help dialog lists them, the editor's
// description (read by screen readers when it gets focus) says how to leave it.

import { Dialog } from './dialog.js';
import { h } from './dom.js';

/** How to leave the editor, which takes Tab for indenting. */
export const EDITOR_KEYS =
  'Tab indents. To leave the editor, press Escape, then Tab or Shift+Tab. Ctrl+M (Shift+Alt+M on macOS) makes Tab move the focus until pressed again. F8 and Shift+F8 go to the next and the previous finding.';

/** @type {[string, [string, string][]][]} where, then [keys, what they do]… */
const KEYS = [
  ['Anywhere', [['Tab, Shift+Tab', 'move between the controls, the editor, the findings and the details']]],
  [
    'Editor',
    [
      ['Escape, then Tab', 'leave the editor (Tab alone indents); Escape, then Shift+Tab goes back'],
      ['Ctrl+M', 'Tab moves the focus instead of indenting, until pressed again (Shift+Alt+M on macOS)'],
      ['F8, Shift+F8', 'next, previous finding'],
      ['Ctrl+F', 'search; Ctrl+Z undoes, a fix too'],
    ],
  ],
  [
    'Findings list',
    [
      ['↑ ↓, Page Up, Page Down, Home, End', 'move; the details of the finding show below'],
      ['← →', 'fold, unfold a resource'],
      ['Enter', 'go to the finding in the editor'],
      [
        'Tab',
        'on to the finding’s details: its fix (Apply fix, Copy fix, Fix all in this resource) and its rule’s docs',
      ],
    ],
  ],
  [
    'Elsewhere',
    [
      ['← →, Home, End, Delete', 'switch between file tabs, close one'],
      ['↑ ↓ on the bar above the details', 'make the details taller or shorter'],
      ['Escape', 'close a dialog (Rules, Policies, Fix all, this one); the focus goes back to its button'],
      ['↑ ↓ in Fix all', 'choose which fixes: safe, safe and hardening, all; Tab on to the diff and Apply'],
    ],
  ],
];

/** The dialog listing the keys, made the first time it opens (in `parent`). */
export class KeysDialog {
  constructor(/** @type {HTMLElement} */ opener, /** @type {HTMLElement} */ parent) {
    this.opener = opener;
    this.parent = parent;
    /** @type {Dialog | null} */
    this.dialog = null;
  }

  open() {
    if (!this.dialog) {
      this.dialog = new Dialog({ title: 'Keyboard', opener: this.opener, className: 'kh-keys-dialog' });
      this.parent.append(this.dialog.el);
    }
    this.dialog.fill(
      h(
        'div',
        // Scrolls on a short screen: focusable, so the keyboard can scroll it too.
        { class: 'kh-keys-body', attrs: { tabindex: '0', role: 'region', 'aria-label': 'Keys' } },
        KEYS.map(([where, rows]) =>
          h(
            'section',
            { class: 'kh-keys' },
            h('h3', { class: 'kh-h3', text: where }),
            h(
              'dl',
              { class: 'kh-keys-list' },
              rows.map(([keys, what]) => [h('dt', {}, h('kbd', { text: keys })), h('dd', { text: what })]),
            ),
          ),
        ),
      ),
    );
    this.dialog.show('button[type=submit]');
  }
}
