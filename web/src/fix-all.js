// "Fix all": every fix of a file, or of one resource in it, up to an applicability the user
// picks (safe / safe and hardening / all, unsafe included), computed by the package's fix()
// (which lints again until nothing changes) and shown as a unified diff before anything
// changes. Apply turns exactly that diff into one editor transaction (one undo step).

import { Dialog } from './dialog.js';
import { h, plural } from './dom.js';
import { resourceLabel } from './labels.js';

/** @typedef {import('@codemirror/state').Text} Text */
/** @typedef {import('./protocol.js').Group} Group */
/** @typedef {import('./protocol.js').FixReply} FixReply */

export const APPLICABILITIES = Object.freeze(
  /** @type {const} */ ([
    ['safe', 'Safe only', 'changes nothing the workload relies on'],
    ['hardening', 'Safe and hardening', 'also tightens settings a workload might still need (the CLI’s --fix)'],
    ['unsafe', 'All, including unsafe', 'also fixes that can break a workload unless someone checks'],
  ]),
);

/**
 * The CodeMirror changes that a unified diff of `doc` makes (one per run of removed and added
 * lines), or null when the diff does not fit the document.
 * @param {Text} doc
 * @param {string} diff
 * @returns {{from: number, to: number, insert: string}[] | null}
 */
export function diffChanges(doc, diff) {
  const lines = diff.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  /** @type {{from: number, to: number, insert: string}[]} */
  const changes = [];
  const lineStart = (/** @type {number} */ n) => (n > doc.lines ? doc.length : doc.line(n).from);
  let i = 0;
  while (i < lines.length && !lines[i].startsWith('@@')) i++;
  while (i < lines.length) {
    const m = lines[i].match(/^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/);
    if (!m) return null;
    // A hunk that removes nothing says the line before the insertion.
    let old = Number(m[1]) + (m[2] === '0' ? 1 : 0);
    i++;
    while (i < lines.length && !lines[i].startsWith('@@')) {
      const line = lines[i];
      if (line[0] === ' ') {
        old++;
        i++;
        continue;
      }
      if (line[0] !== '-' && line[0] !== '+') {
        i++;
        continue;
      }
      // A run of removed and added lines.
      const first = old;
      /** @type {string[]} */
      const added = [];
      let addedEndsLine = true;
      while (i < lines.length && (lines[i][0] === '-' || lines[i][0] === '+')) {
        const noNewline = lines[i + 1]?.startsWith('\\');
        if (lines[i][0] === '-') {
          if (old > doc.lines || doc.line(old).text !== lines[i].slice(1)) return null;
          old++;
        } else {
          added.push(lines[i].slice(1));
          addedEndsLine = !noNewline;
        }
        i += noNewline ? 2 : 1;
      }
      const from = lineStart(first);
      // The removed lines with their line breaks (the last line of a text may have none).
      const to = old > doc.lines ? doc.length : lineStart(old);
      const insert = added.length ? `${added.join('\n')}${addedEndsLine ? '\n' : ''}` : '';
      changes.push({ from, to, insert });
    }
  }
  return changes;
}

/** `text` with `changes` applied (they are in document order and do not overlap). */
export function applyChanges(
  /** @type {string} */ text,
  /** @type {{from: number, to: number, insert: string}[]} */ changes,
) {
  let out = '';
  let at = 0;
  for (const c of changes) {
    out += text.slice(at, c.from) + c.insert;
    at = c.to;
  }
  return out + text.slice(at);
}

/** A resource's exemption: every rule, on that object of that file (fix() leaves it alone). */
function exemptionOf(/** @type {Group} */ g) {
  /** @type {Record<string, unknown>} */
  const ex = { rules: ['*'], source: g.source };
  if (g.kind) ex.kind = g.kind;
  if (g.namespace) ex.namespace = g.namespace;
  if (g.name) ex.name = g.name;
  return ex;
}

/**
 * The config that limits fix() to a scope: every other file, and for a resource every other
 * resource of its file, exempted.
 * @param {object} config          the lint config
 * @param {string} file            the file's name
 * @param {string[]} files         every open file's name
 * @param {Group[]} groups         the resources of the last report
 * @param {Group | null} resource  the resource, or null for the whole file
 */
export function scopedConfig(config, file, files, groups, resource) {
  const exemptions = files.filter((f) => f !== file).map((source) => ({ rules: ['*'], source }));
  if (resource) {
    const key = (/** @type {Group} */ g) => `${g.document}\u0000${g.kind}\u0000${g.namespace}\u0000${g.name}`;
    const seen = new Set([key(resource)]);
    for (const g of groups) {
      if (g.source !== file || seen.has(key(g)) || (!g.kind && !g.name)) continue;
      seen.add(key(g));
      // The same kind and name in another namespace is another object; the same identity twice
      // in one file is one object to the exemptions, and stays in scope.
      if (g.kind === resource.kind && g.name === resource.name && g.namespace === resource.namespace) continue;
      exemptions.push(/** @type {any} */ (exemptionOf(g)));
    }
  }
  return { ...config, exemptions };
}

export class FixAllDialog {
  /**
   * @param {object} o
   * @param {HTMLElement} o.opener                    focused again on close (set per opening)
   * @param {(fileName: string, resource: Group | null, applicability: string) =>
   *   Promise<{result: FixReply, doc: Text} | null>} o.compute   fix() on the current texts
   * @param {(fileName: string) => Text | null} o.docOf  the file's current document
   * @param {(fileName: string) => Group[]} o.resources  the resources of the file with fixes
   * @param {(fileName: string, changes: {from: number, to: number, insert: string}[], result: FixReply) => void} o.apply
   * @param {() => void} o.onClosed                   the opener is gone: where the focus goes
   */
  constructor(o) {
    this.o = o;
    this.dialog = new Dialog({ title: 'Fix all', opener: o.opener, className: 'kh-fix-all-dialog' });
    this.el = this.dialog.el;
    this.file = '';
    /** @type {Group | null} */
    this.resource = null;
    this.applicability = 'hardening';
    /** @type {{result: FixReply, doc: Text, key: string} | null} */
    this.computed = null;
    this.token = 0;
    this.message = '';
  }

  get isOpen() {
    return this.dialog.isOpen;
  }

  /** Opens it for a file, or a resource of the file, from `opener`. */
  open(/** @type {string} */ file, /** @type {Group | null} */ resource, /** @type {HTMLElement} */ opener) {
    this.file = file;
    this.resource = resource;
    this.dialog.opener = opener;
    this.computed = null;
    this.message = '';
    this.render();
    if (!this.isOpen) this.dialog.show('input[type=radio]:checked');
    this.compute();
  }

  key() {
    const r = this.resource;
    return `${this.file}\u0000${r ? `${r.document}\u0000${r.kind}\u0000${r.namespace}\u0000${r.name}` : ''}\u0000${this.applicability}`;
  }

  async compute() {
    const token = ++this.token;
    this.computed = null;
    this.renderResult();
    let out;
    try {
      out = await this.o.compute(this.file, this.resource, this.applicability);
    } catch (e) {
      if (token !== this.token) return;
      this.message = `The fixes could not be computed: ${/** @type {Error} */ (e).message || e}`;
      this.renderResult();
      return;
    }
    if (token !== this.token || !this.isOpen) return;
    this.computed = out ? { ...out, key: this.key() } : null;
    if (!out) this.message = 'The file is no longer open.';
    this.renderResult();
  }

  render() {
    const resources = this.o.resources(this.file);
    const scopeId = `${this.dialog.titleId}-scope`;
    const scope = h(
      'select',
      {
        class: 'kh-select kh-fix-scope',
        id: scopeId,
        on: {
          change: () => {
            const v = Number(scope.value);
            this.resource = v >= 0 ? resources[v] : null;
            this.message = '';
            this.compute();
          },
        },
      },
      h('option', { value: '-1', text: `All of ${this.file}` }),
      resources.map((g, i) =>
        h('option', { value: String(i), text: `${resourceLabel(g)}${g.document ? ` (document ${g.document})` : ''}` }),
      ),
    );
    const current = this.resource;
    const at = current
      ? resources.findIndex(
          (g) =>
            g.document === current.document &&
            g.kind === current.kind &&
            g.namespace === current.namespace &&
            g.name === current.name,
        )
      : -1;
    if (current && at < 0) {
      scope.append(h('option', { value: String(resources.length), text: resourceLabel(current) }));
      resources.push(current);
      scope.value = String(resources.length - 1);
    } else scope.value = String(at);
    const radios = APPLICABILITIES.map(([value, label, description]) => {
      const input = h('input', {
        type: 'radio',
        name: `${this.dialog.titleId}-applicability`,
        value,
        checked: value === this.applicability,
        on: {
          change: () => {
            if (!input.checked) return;
            this.applicability = value;
            this.message = '';
            this.compute();
          },
        },
      });
      return h(
        'label',
        { class: 'kh-fix-level' },
        input,
        h(
          'span',
          {},
          h('strong', { text: label }),
          value === 'hardening' ? ' (default)' : '',
          h('span', { class: 'kh-muted kh-small', text: `: ${description}` }),
        ),
      );
    });
    this.result = h('div', { class: 'kh-fix-result', attrs: { 'aria-live': 'polite' } });
    this.applyButton = h('button', {
      type: 'button',
      class: 'kh-button kh-button-primary kh-fix-apply',
      text: 'Apply',
      disabled: true,
      on: { click: () => this.applyNow() },
    });
    this.dialog.fill(
      h(
        'div',
        { class: 'kh-dialog-tools kh-fix-tools' },
        h('label', { class: 'kh-dialog-label', attrs: { for: scopeId }, text: 'Fix' }),
        scope,
      ),
      h('fieldset', { class: 'kh-fix-levels' }, h('legend', { class: 'kh-dialog-label', text: 'Which fixes' }), radios),
      this.result,
      h(
        'div',
        { class: 'kh-fix-actions' },
        this.applyButton,
        h('button', { type: 'button', class: 'kh-button', text: 'Cancel', on: { click: () => this.dialog.close() } }),
      ),
    );
    this.renderResult();
  }

  renderResult() {
    if (!this.result) return;
    const c = this.computed;
    const file = c?.result.files.find((f) => f.name === this.file);
    this.applyButton.disabled = !file?.changed;
    if (!c || !file) {
      this.result.replaceChildren(
        h('p', { class: this.message ? 'kh-note' : 'kh-muted', text: this.message || 'Computing the fixes…' }),
      );
      return;
    }
    const applied = c.result.applied.filter((a) => a.source === this.file);
    const remain = c.result.summary.error + c.result.summary.warning + c.result.summary.info;
    if (!file.changed) {
      this.result.replaceChildren(
        h('p', { class: 'kh-muted kh-fix-none', text: this.message || 'No fix to apply at this level.' }),
      );
      return;
    }
    this.result.replaceChildren(
      ...(this.message ? [h('p', { class: 'kh-note', text: this.message })] : []),
      h(
        'p',
        { class: 'kh-fix-count' },
        `${plural(applied.length, 'fix', 'fixes')} to apply; ${plural(remain, 'finding')} would remain in the files linted.`,
      ),
      h(
        'ul',
        { class: 'kh-fix-applied kh-small' },
        applied.map((a) =>
          h(
            'li',
            {},
            h('code', { text: a.rule }),
            ` line ${a.line}: ${a.description} `,
            h('span', { class: `kh-fix-level-badge`, text: a.applicability }),
          ),
        ),
      ),
      renderDiff(file.diff),
    );
  }

  applyNow() {
    const c = this.computed;
    const file = c?.result.files.find((f) => f.name === this.file);
    if (!c || !file?.changed) return;
    const doc = this.o.docOf(this.file);
    if (!doc || doc !== c.doc || c.key !== this.key()) {
      this.message = 'The text changed since these fixes were computed: here they are again, for the new text.';
      this.compute();
      return;
    }
    const changes = diffChanges(doc, file.diff);
    const fits = changes && applyChanges(doc.toString(), changes) === file.text;
    // The diff always fits the text it was made from; should it not, the fixed text replaces it.
    const final = fits ? changes : [{ from: 0, to: doc.length, insert: file.text }];
    this.dialog.close();
    this.o.apply(this.file, final, c.result);
  }
}

/** A unified diff, coloured by line, focusable (it scrolls). */
export function renderDiff(/** @type {string} */ diff, label = 'The changes as a unified diff') {
  const pre = h('pre', { class: 'kh-diff', attrs: { tabindex: 0, 'aria-label': label } });
  for (const line of diff.replace(/\n$/, '').split('\n')) {
    const kind = line.startsWith('@@')
      ? 'hunk'
      : line.startsWith('+++') || line.startsWith('---')
        ? 'file'
        : line[0] === '+'
          ? 'add'
          : line[0] === '-'
            ? 'del'
            : 'ctx';
    pre.append(h('span', { class: `kh-diff-${kind}`, text: `${line}\n` }));
  }
  return pre;
}
