// The bar between the findings list and the details: drag it, or focus it and use the arrow
// keys, to share the side pane's height between them.

import { h } from './dom.js';

const STEP = 32;
const MIN = 120;
const LIST_MIN = 160;

/**
 * A separator that resizes `target` (the pane below it) inside `container`.
 * @param {HTMLElement} container
 * @param {HTMLElement} target
 */
export function splitter(container, target) {
  const bar = h('div', {
    class: 'kh-splitter',
    hidden: true,
    attrs: {
      role: 'separator',
      tabindex: '0',
      'aria-orientation': 'horizontal',
      'aria-label': 'Resize the finding details (arrow keys)',
      // The share of the pane the details take, in percent (a focusable separator has a value).
      'aria-valuemin': '0',
      'aria-valuemax': '100',
      'aria-valuenow': '50',
    },
  });
  // Kept current however the size changes (the bar, the layout, the window), without reading
  // the layout on the way.
  new ResizeObserver(() => {
    const whole = container.clientHeight;
    if (whole) bar.setAttribute('aria-valuenow', String(Math.round((target.offsetHeight / whole) * 100)));
  }).observe(target);
  const resize = (/** @type {number} */ height) => {
    const max = container.clientHeight - LIST_MIN;
    const value = Math.max(MIN, Math.min(max, height));
    target.style.height = `${value}px`;
    target.style.maxHeight = 'none';
  };
  bar.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    bar.setPointerCapture(e.pointerId);
    const bottom = container.getBoundingClientRect().bottom;
    const move = (/** @type {PointerEvent} */ ev) => resize(bottom - ev.clientY);
    const up = () => {
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', up);
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
  });
  bar.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowUp' ? STEP : e.key === 'ArrowDown' ? -STEP : 0;
    if (!step) return;
    e.preventDefault();
    resize(target.offsetHeight + step);
  });
  return bar;
}
