// The findings panel: findings grouped by resource with counts by severity, filters (severity,
// rule family, text), and a keyboard-navigable tree that renders only the rows on screen, so a
// report of 100,000 findings scrolls as smoothly as one of ten.

import { formatCount, h, icon, plural } from './dom.js';
import { findingRow, groupRow } from './findings-rows.js';
import { familyLabel, SEVERITY_FILTERS, SEVERITY_LABEL } from './labels.js';
import {
  F_FLAGS,
  F_RULE,
  F_SEVERITY,
  FIELDS,
  FLAG_POLICY,
  FLAG_SUPPRESSED,
  resourceKey as groupKey,
  SEVERITIES,
} from './protocol.js';

const GROUP_HEIGHT = 34;
const FINDING_HEIGHT = 46;
const OVERSCAN = 6;
/** Findings filtered per task on a large report (and where the text filter waits longer). */
const SLICE = 2000;

export class FindingsPanel {
  /**
   * @param {object} o
   * @param {(index: number, how: {focusEditor: boolean}) => void} o.onActivate  a finding chosen
   */
  constructor({ onActivate }) {
    this.onActivate = onActivate;
    this.model = null;
    this.filter = { severities: new Set(SEVERITIES), suppressed: false, family: '', text: '' };
    this.collapsed = new Set();
    // Rows: a group header (ref = -1 - group id) or a finding (ref = finding index).
    this.rowCount = 0;
    this.rowRef = new Int32Array(0);
    this.rowHead = new Int32Array(0);
    this.offsets = new Float64Array(1);
    this.groupVisible = new Int32Array(0);
    this.groupCount = 0;
    this.groupPos = new Int32Array(0);
    this.rowOfFinding = new Int32Array(0);
    this.active = -1; // row index
    this.selected = -1; // finding index
    this.rowCache = new Map();
    this.families = [];
    this.emptyContent = null;
    /** @type {Record<string, {button: HTMLButtonElement, count: HTMLSpanElement}>} the severity filters */
    this.severityButtons = {};
    this.build();
  }

  build() {
    const chips = SEVERITY_FILTERS.map((sev) => {
      const count = h('span', { class: 'kh-chip-count', text: '0' });
      const button = h(
        'button',
        {
          type: 'button',
          class: `kh-chip kh-sev-${sev}`,
          attrs: { 'aria-pressed': String(sev !== 'suppressed') },
          title: `Show ${SEVERITY_LABEL[sev].toLowerCase()}`,
          dataset: { severity: sev },
          on: { click: () => this.toggleSeverity(sev) },
        },
        icon(sev),
        h('span', { class: 'kh-chip-label', text: SEVERITY_LABEL[sev] }),
        count,
      );
      this.severityButtons[sev] = { button, count };
      return button;
    });
    this.familySelect = h('select', {
      class: 'kh-select kh-family-filter',
      attrs: { 'aria-label': 'Rule family' },
      on: { change: () => this.setFilter({ family: this.familySelect.value }) },
    });
    this.textInput = h('input', {
      type: 'search',
      class: 'kh-input kh-filter-text',
      placeholder: 'Filter: rule, message, resource, path…',
      attrs: { 'aria-label': 'Filter findings by text', spellcheck: 'false', autocomplete: 'off' },
      on: {
        input: () => {
          clearTimeout(this.textTimer);
          this.textTimer = setTimeout(
            () => this.setFilter({ text: this.textInput.value }),
            this.model && this.model.n > SLICE ? 250 : 80,
          );
        },
      },
    });
    this.collapseButton = h('button', {
      type: 'button',
      class: 'kh-button kh-button-ghost kh-button-small',
      text: 'Collapse all',
      on: { click: () => this.toggleAll() },
    });
    this.summary = h('p', { class: 'kh-summary' });
    this.spacer = h('div', { class: 'kh-list-spacer' });
    this.list = h(
      'div',
      {
        class: 'kh-list',
        attrs: { role: 'tree', tabindex: '0', 'aria-label': 'Findings, grouped by resource' },
        on: {
          keydown: (e) => this.keydown(e),
          scroll: () => {
            this.top = this.list.scrollTop;
            this.scheduleRender();
          },
          focus: () => this.ensureActive(),
        },
      },
      this.spacer,
    );
    this.empty = h('div', { class: 'kh-empty', hidden: true, attrs: { tabindex: '-1' } });
    this.summaryRow = h('div', { class: 'kh-summary-row' }, this.summary, this.collapseButton);
    this.el = h(
      'section',
      { class: 'kh-findings', attrs: { 'aria-label': 'Findings' } },
      h(
        'div',
        { class: 'kh-filters', attrs: { role: 'group', 'aria-label': 'Filters' } },
        h('div', { class: 'kh-chips' }, chips),
        h('div', { class: 'kh-filter-row' }, this.familySelect, this.textInput),
      ),
      this.summaryRow,
      this.list,
      this.empty,
    );
    // The list's height, kept here: reading it from the DOM after a change forces a layout.
    this.listHeight = 600;
    this.top = 0;
    new ResizeObserver((entries) => {
      this.listHeight = entries[entries.length - 1].contentRect.height || this.listHeight;
      this.scheduleRender();
    }).observe(this.list);
  }

  /** Families offered in the filter, from the rule catalogue. */
  setFamilies(families) {
    this.families = families;
    this.updateFamilyOptions();
  }

  updateFamilyOptions() {
    const counts = this.model?.familyCounts || new Map();
    const value = this.filter.family;
    this.familySelect.replaceChildren(
      h('option', { value: '', text: 'All rule families' }),
      ...[...this.families, ...(counts.get('policy') ? ['policy'] : [])].map((f) =>
        h('option', { value: f, text: `${familyLabel(f)}${counts.get(f) ? ` (${formatCount(counts.get(f))})` : ''}` }),
      ),
    );
    this.familySelect.value = value;
  }

  /** Content shown when there is nothing to list (set by the host: examples, hints). */
  setEmptyContent(node) {
    this.emptyContent = node;
  }

  /** Shows a model (null: nothing linted yet); keeps the selected finding when `keep`. */
  setModel(model, { keep = false } = {}) {
    const key = keep && this.model && this.selected >= 0 ? this.model.identity(this.selected) : null;
    this.model = model;
    this.rowCache.clear();
    for (const sev of SEVERITY_FILTERS)
      this.severityButtons[sev].count.textContent = formatCount(model?.counts[sev] || 0);
    this.updateFamilyOptions();
    this.selected = key && model ? model.findIdentity(key) : -1;
    return this.rebuildRows().then(() => this.selected);
  }

  setFilter(patch) {
    Object.assign(this.filter, patch);
    return this.rebuildRows();
  }

  toggleSeverity(sev) {
    if (sev === 'suppressed') this.filter.suppressed = !this.filter.suppressed;
    else if (this.filter.severities.has(sev)) this.filter.severities.delete(sev);
    else this.filter.severities.add(sev);
    this.syncChips();
    return this.setFilter({});
  }

  syncChips() {
    for (const s of SEVERITIES)
      this.severityButtons[s].button.setAttribute('aria-pressed', String(this.filter.severities.has(s)));
    this.severityButtons.suppressed.button.setAttribute('aria-pressed', String(this.filter.suppressed));
  }

  clearFilters() {
    this.filter.severities = new Set(SEVERITIES);
    this.filter.suppressed = false;
    this.textInput.value = '';
    this.familySelect.value = '';
    this.syncChips();
    return this.setFilter({ family: '', text: '' });
  }

  /**
   * Recomputes the rows from the model, the filters and the collapsed groups. Large reports are
   * filtered in slices between which the page stays responsive; a newer call cancels an older.
   */
  async rebuildRows() {
    this.rebuildToken = (this.rebuildToken || 0) + 1;
    const token = this.rebuildToken;
    const model = this.model;
    const words = this.filter.text.toLowerCase().split(/\s+/).filter(Boolean);
    const sevs = SEVERITIES.map((s) => this.filter.severities.has(s));
    const showSuppressed = this.filter.suppressed;
    const family = this.filter.family;
    const n = model ? model.n : 0;
    const groups = model ? model.groups.length : 0;
    const rowRef = new Int32Array(n + groups);
    const rowHead = new Int32Array(n + groups);
    const groupVisible = new Int32Array(groups);
    const rowOfFinding = new Int32Array(n).fill(-1);
    const groupPos = new Int32Array(groups);
    let rows = 0;
    let shown = 0;
    let shownGroups = 0;
    if (model) {
      const { ints, order, groupStart } = model;
      let budget = SLICE;
      for (let g = 0; g < groups; g++) {
        const head = rows;
        rowRef[rows] = -1 - g;
        rowHead[rows] = head;
        rows++;
        const collapsed = this.collapsed.size > 0 && this.collapsed.has(groupKey(model.groups[g]));
        let visible = 0;
        for (let k = groupStart[g]; k < groupStart[g + 1]; k++) {
          const i = order[k];
          const o = i * FIELDS;
          if (ints[o + F_FLAGS] & FLAG_SUPPRESSED ? !showSuppressed : !sevs[ints[o + F_SEVERITY]]) continue;
          if (
            family &&
            (ints[o + F_FLAGS] & FLAG_POLICY ? 'policy' : model.rules[ints[o + F_RULE]]?.family || 'structure') !==
              family
          )
            continue;
          if (words.length) {
            const hay = model.haystack(i);
            if (!words.every((w) => hay.includes(w))) continue;
          }
          visible++;
          if (!collapsed) {
            rowRef[rows] = i;
            rowHead[rows] = head;
            rowOfFinding[i] = rows;
            rows++;
          }
        }
        groupVisible[g] = visible;
        if (!visible) {
          for (let r = head + 1; r < rows; r++) rowOfFinding[rowRef[r]] = -1;
          rows = head;
        } else {
          shown += visible;
          shownGroups++;
          groupPos[g] = shownGroups;
        }
        budget -= groupStart[g + 1] - groupStart[g] + 1;
        if (budget <= 0) {
          budget = SLICE;
          await new Promise((resolve) => setTimeout(resolve));
          if (token !== this.rebuildToken) return;
        }
      }
    }
    if (token !== this.rebuildToken) return;
    this.rowRef = rowRef;
    this.rowHead = rowHead;
    this.rowCount = rows;
    this.groupVisible = groupVisible;
    this.groupPos = groupPos;
    this.rowOfFinding = rowOfFinding;
    this.groupCount = shownGroups;
    this.offsets = new Float64Array(rows + 1);
    for (let r = 0; r < rows; r++)
      this.offsets[r + 1] = this.offsets[r] + (rowRef[r] < 0 ? GROUP_HEIGHT : FINDING_HEIGHT);
    this.spacer.style.height = `${this.offsets[rows]}px`;
    this.rowCache.clear();
    this.active = this.selected >= 0 ? this.rowOf(this.selected) : Math.min(this.active, rows - 1);
    const allCollapsed =
      model && groups && this.collapsed.size >= groups && model.groups.every((g) => this.collapsed.has(groupKey(g)));
    this.collapseButton.textContent = allCollapsed ? 'Expand all' : 'Collapse all';
    this.collapseButton.hidden = !rows;
    this.updateSummary(shown);
    this.updateEmpty();
    this.render();
    if (this.active >= 0) this.scrollToRow(this.active);
  }

  rowOf(index) {
    return index >= 0 && index < this.rowOfFinding.length ? this.rowOfFinding[index] : -1;
  }

  updateSummary(shown) {
    const model = this.model;
    this.summaryRow.hidden = !model?.n;
    if (!model) return;
    const c = model.counts;
    const total = c.error + c.warning + c.info;
    const files = model.fileCount();
    let text = `${plural(total, 'finding')}${c.suppressed ? ` (+${formatCount(c.suppressed)} suppressed)` : ''} in ${plural(model.groups.length, 'resource')}${files > 1 ? `, ${formatCount(files)} files` : ''}`;
    if (shown !== total + (this.filter.suppressed ? c.suppressed : 0)) text += ` · ${formatCount(shown)} shown`;
    this.summary.textContent = text;
  }

  updateEmpty() {
    const model = this.model;
    let content = null;
    if (!model) content = this.emptyContent;
    else if (!model.n) {
      content = h(
        'div',
        { class: 'kh-empty-clean' },
        h('p', { class: 'kh-empty-title' }, icon('check'), ' No findings'),
        h('p', { text: 'Nothing to fix under the selected profile and Kubernetes version.' }),
      );
    } else if (!this.rowCount) {
      content = h(
        'div',
        {},
        h('p', { class: 'kh-empty-title', text: 'No finding matches the filters' }),
        h('button', {
          type: 'button',
          class: 'kh-button',
          text: 'Clear filters',
          on: { click: () => this.clearFilters() },
        }),
      );
    }
    this.empty.hidden = !content;
    if (content && !this.list.hidden) this.top = 0; // a hidden element forgets its scroll
    const hadFocus = /** @type {Document | ShadowRoot} */ (this.list.getRootNode()).activeElement === this.list;
    this.list.hidden = Boolean(content);
    // The same content stays in place: put back, it would lose the focus of a button in it.
    if (content && this.empty.firstChild !== content) this.empty.replaceChildren(content);
    // The list had the focus (a fix applied to the last finding shown): it goes to what
    // replaces the list, never to the page.
    if (content && hadFocus) (this.empty.querySelector('button') || this.empty).focus();
  }

  scheduleRender() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  rowAt(y) {
    let lo = 0;
    let hi = this.rowCount;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  render() {
    const top = this.top;
    const height = this.listHeight;
    const first = Math.max(0, this.rowAt(top) - OVERSCAN);
    const last = Math.min(this.rowCount, this.rowAt(top + height) + OVERSCAN + 1);
    // Rows already in place stay untouched (a click must find the element it started on).
    const wanted = new Set();
    for (let r = first; r < last; r++) wanted.add(this.rowElement(r));
    for (const child of [...this.list.children]) if (child !== this.spacer && !wanted.has(child)) child.remove();
    // New rows go in document order (screen readers read the tree in that order).
    let ref = this.spacer.nextSibling;
    for (const el of wanted) {
      if (el.parentNode === this.list) ref = el.nextSibling;
      else this.list.insertBefore(el, ref);
    }
    if (this.active >= first && this.active < last)
      this.list.setAttribute('aria-activedescendant', this.rowId(this.active));
    else this.list.removeAttribute('aria-activedescendant');
  }

  rowId(r) {
    const ref = this.rowRef[r];
    return ref < 0 ? `kh-g-${-1 - ref}` : `kh-f-${ref}`;
  }

  rowElement(r) {
    let el = this.rowCache.get(r);
    if (!el) {
      el = this.rowRef[r] < 0 ? this.groupRow(r) : this.findingRow(r);
      el.style.transform = `translateY(${this.offsets[r]}px)`;
      this.rowCache.set(r, el);
    }
    el.classList.toggle('kh-active', r === this.active);
    if (this.rowRef[r] >= 0) el.setAttribute('aria-selected', String(this.rowRef[r] === this.selected));
    return el;
  }

  groupRow(r) {
    const group = this.model.groups[-1 - this.rowRef[r]];
    return groupRow({
      id: this.rowId(r),
      group,
      visible: this.groupVisible[group.id],
      collapsed: this.collapsed.has(groupKey(group)),
      setSize: this.groupCount,
      posInSet: this.groupPos[group.id],
      showSuppressed: this.filter.suppressed,
      onClick: () => this.clickRow(r),
    });
  }

  findingRow(r) {
    const index = this.rowRef[r];
    return findingRow({
      id: this.rowId(r),
      model: this.model,
      index,
      setSize: this.groupVisible[this.model.group(index).id],
      posInSet: r - this.rowHead[r],
      onClick: () => this.clickRow(r),
      onOpen: () => this.onActivate(index, { focusEditor: true }),
    });
  }

  clickRow(r) {
    this.setActive(r);
    const ref = this.rowRef[r];
    if (ref < 0) this.toggleGroup(this.model.groups[-1 - ref]);
    else this.onActivate(ref, { focusEditor: false });
    this.list.focus({ preventScroll: true });
  }

  async toggleGroup(group, open) {
    const key = groupKey(group);
    const collapsed = this.collapsed.has(key);
    if ((open === true && !collapsed) || (open === false && collapsed)) return;
    if (collapsed) this.collapsed.delete(key);
    else this.collapsed.add(key);
    const head = this.rowOfGroup(group);
    const wasActive = this.active >= 0 && head >= 0 && this.rowHead[this.active] === head;
    await this.rebuildRows();
    if (wasActive) this.setActive(this.rowOfGroup(group));
  }

  rowOfGroup(group) {
    for (let r = 0; r < this.rowCount; r++) if (this.rowRef[r] === -1 - group.id) return r;
    return -1;
  }

  toggleAll() {
    const model = this.model;
    if (!model) return;
    if (model.groups.every((g) => this.collapsed.has(groupKey(g)))) this.collapsed.clear();
    else for (const g of model.groups) this.collapsed.add(groupKey(g));
    this.rebuildRows();
  }

  setActive(r, { reveal = true } = {}) {
    if (r < 0 || r >= this.rowCount) return;
    this.active = r;
    if (reveal) this.scrollToRow(r);
    this.render();
  }

  scrollToRow(r) {
    const top = this.offsets[r];
    const bottom = this.offsets[r + 1];
    const view = this.listHeight;
    // Scroll position as last seen (reading it back now would force a layout).
    if (top < this.top) this.list.scrollTop = this.top = top;
    else if (bottom > this.top + view) this.list.scrollTop = this.top = bottom - view;
  }

  ensureActive() {
    if (this.active < 0 && this.rowCount) this.setActive(0, { reveal: false });
  }

  /** Marks a finding as selected (from the editor, or after a click) and reveals it. */
  async select(index, { reveal = true } = {}) {
    this.selected = index;
    let row = index >= 0 ? this.rowOf(index) : -1;
    if (row < 0 && index >= 0 && this.model) {
      // Inside a collapsed group: open it (filters stay as the user set them).
      const key = groupKey(this.model.group(index));
      if (this.collapsed.has(key)) {
        this.collapsed.delete(key);
        await this.rebuildRows();
        row = this.rowOf(index);
      }
    }
    for (const [r, el] of this.rowCache)
      if (this.rowRef[r] >= 0) el.setAttribute('aria-selected', String(this.rowRef[r] === index));
    if (row >= 0) this.setActive(row, { reveal });
    else this.render();
  }

  keydown(e) {
    const n = this.rowCount;
    if (!n) return;
    const r = this.active;
    const ref = r >= 0 ? this.rowRef[r] : null;
    const isGroup = ref !== null && ref < 0;
    const group = isGroup ? this.model.groups[-1 - ref] : null;
    const page = Math.max(1, Math.floor(this.listHeight / FINDING_HEIGHT) - 1);
    let next = null;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(n - 1, r + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, r - 1);
        break;
      case 'PageDown':
        next = Math.min(n - 1, r + page);
        break;
      case 'PageUp':
        next = Math.max(0, r - page);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'ArrowRight':
        if (isGroup) {
          if (this.collapsed.has(groupKey(group))) this.toggleGroup(group, true);
          else next = Math.min(n - 1, r + 1);
        }
        break;
      case 'ArrowLeft':
        if (isGroup && !this.collapsed.has(groupKey(group))) this.toggleGroup(group, false);
        else if (ref !== null && ref >= 0) next = this.rowHead[r];
        break;
      case 'Enter':
        if (isGroup) this.toggleGroup(group);
        else if (ref !== null) this.onActivate(ref, { focusEditor: true });
        break;
      case ' ':
        if (isGroup) this.toggleGroup(group);
        else if (ref !== null) this.onActivate(ref, { focusEditor: false });
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next !== null && next >= 0) {
      this.setActive(next);
      if (this.rowRef[next] >= 0) this.onActivate(this.rowRef[next], { focusEditor: false });
    }
  }
}
