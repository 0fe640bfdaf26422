// The status line under the editor: what the linter is doing (with a progress bar and Cancel
// once a run takes a moment), the outcome of the last lint (also announced to screen readers,
// once per change, not every tick of the progress), the cursor position and the version.

import { formatBytes, formatCount, formatMs, h, icon, plural } from './dom.js';
import { SEVERITIES } from './protocol.js';

/** A run shows its progress only once it has taken this long: quick lints do not flicker. */
const PROGRESS_AFTER_MS = 150;

/**
 * @typedef {object} Status  what the lint client reports (client.js)
 * @property {'queued' | 'linting' | 'receiving' | 'restarting' | 'cancelled'} state
 * @property {number} [id]
 * @property {number} [bytes]
 * @property {number} [since]     when the run was sent (performance.now())
 * @property {number} [received]
 * @property {number} [total]
 * @property {string} [reason]
 */

export class StatusBar {
  /**
   * @param {object} o
   * @param {() => void} o.onCancel                  Cancel pressed
   * @param {(busy: 'queued' | 'busy' | 'idle') => void} o.onBusy  the run's state, for the host's aria-busy
   * @param {() => void} o.onKeys                    the keyboard help asked for
   */
  constructor({ onCancel, onBusy, onKeys }) {
    this.onBusy = onBusy;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.progressTimer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.elapsedTimer = undefined;
    this.text = h('span', { class: 'kh-status-text', text: 'Starting the linter…' });
    this.announcer = h('span', { class: 'kh-sr-only', attrs: { role: 'status' } });
    // A progress bar drawn with transforms only: it animates on the compositor, not the page.
    this.progressFill = h('span', { class: 'kh-progress-fill' });
    this.progress = h(
      'span',
      {
        class: 'kh-progress',
        hidden: true,
        attrs: { role: 'progressbar', 'aria-label': 'Linting progress', 'aria-valuemin': '0', 'aria-valuemax': '100' },
      },
      this.progressFill,
    );
    this.cancelButton = h('button', {
      type: 'button',
      class: 'kh-button kh-button-small',
      hidden: true,
      text: 'Cancel',
      on: { click: onCancel },
    });
    this.cursor = h('span', { class: 'kh-cursor', attrs: { 'aria-hidden': 'true' } });
    this.version = h('span', { class: 'kh-muted kh-version' });
    this.keysButton = h(
      'button',
      {
        type: 'button',
        class: 'kh-button kh-button-small kh-keys-button',
        title: 'Keyboard shortcuts',
        on: { click: onKeys },
      },
      icon('keyboard'),
      'Keyboard',
    );
    this.el = h(
      'footer',
      { class: 'kh-status' },
      h('span', { class: 'kh-status-main' }, this.progress, this.text, this.cancelButton, this.announcer),
      this.cursor,
      h(
        'span',
        {
          class: 'kh-privacy',
          title: 'Linting runs in this browser tab, in WebAssembly. The manifests are never uploaded or stored.',
        },
        icon('lock'),
        'Runs locally, nothing is uploaded',
      ),
      this.keysButton,
      this.version,
    );
  }

  /** Follows a run: queued, linting, receiving findings, restarted, cancelled. */
  status(/** @type {Status} */ s) {
    clearTimeout(this.progressTimer);
    clearInterval(this.elapsedTimer);
    const show = (/** @type {() => void} */ fn) => {
      const since = s.since ?? performance.now();
      const wait = Math.max(0, PROGRESS_AFTER_MS - (performance.now() - since));
      this.progressTimer = setTimeout(() => {
        fn();
        this.progress.hidden = false;
        this.cancelButton.hidden = false;
        this.onBusy('busy');
        this.elapsedTimer = setInterval(fn, 1000);
      }, wait);
    };
    switch (s.state) {
      case 'queued':
        this.onBusy('queued');
        break;
      case 'linting':
        show(() => {
          this.setProgress(null);
          this.text.textContent = `Linting ${formatBytes(s.bytes ?? 0)}… ${formatMs(performance.now() - (s.since ?? 0))}`;
        });
        break;
      case 'receiving':
        show(() => {
          this.setProgress((s.received ?? 0) / Math.max(1, s.total ?? 0));
          this.text.textContent = `Loading findings: ${formatCount(s.received ?? 0)} of ${formatCount(s.total ?? 0)}`;
        });
        break;
      case 'restarting':
        this.text.textContent = s.reason === 'cancelled' ? 'Cancelled' : 'Restarting the linter…';
        this.idle();
        break;
      case 'cancelled':
        this.text.textContent = 'Linting cancelled';
        this.idle();
        break;
      default:
    }
  }

  /** Determinate (0…1) or, with null, indeterminate. */
  setProgress(/** @type {number | null} */ value) {
    this.progress.classList.toggle('kh-indeterminate', value === null);
    if (value === null) {
      this.progress.removeAttribute('aria-valuenow');
      this.progressFill.style.transform = '';
    } else {
      this.progress.setAttribute('aria-valuenow', String(Math.round(value * 100)));
      this.progressFill.style.transform = `scaleX(${value})`;
    }
  }

  /** No run in progress. */
  idle() {
    clearTimeout(this.progressTimer);
    clearInterval(this.elapsedTimer);
    this.progress.hidden = true;
    this.cancelButton.hidden = true;
    this.onBusy('idle');
  }

  /**
   * The outcome of a lint: counts by severity and the time it took ("Ready" for an empty text).
   * @param {Record<string, number>} counts  by severity, and `suppressed`
   * @param {number} ms
   * @param {boolean} empty  nothing was linted
   */
  done(counts, ms, empty) {
    this.idle();
    const parts = SEVERITIES.filter((s) => counts[s]).map((s) =>
      s === 'info' ? `${formatCount(counts[s])} info` : plural(counts[s], s),
    );
    const outcome = `${parts.length ? parts.join(', ') : 'No findings'}${counts.suppressed ? `, ${formatCount(counts.suppressed)} suppressed` : ''}`;
    this.text.textContent = empty ? 'Ready' : `${outcome} · ${formatMs(ms)}`;
    if (!empty && this.announcer.textContent !== outcome) this.announcer.textContent = outcome;
  }

  /** A failure, shown and announced. */
  failed(/** @type {string} */ text) {
    this.idle();
    this.text.textContent = text;
    this.announcer.textContent = text;
  }

  /** The cursor position (and the size of the selection) of an editor state. */
  setCursor(/** @type {import('@codemirror/state').EditorState} */ state) {
    const { head, from, to } = state.selection.main;
    const line = state.doc.lineAt(head);
    const selected = to - from;
    this.cursor.textContent = `Ln ${line.number}, Col ${head - line.from + 1}${selected ? ` (${formatCount(selected)} selected)` : ''}`;
  }

  setVersion(/** @type {string} */ version) {
    this.version.textContent = `kubeharden ${version}`;
  }
}
