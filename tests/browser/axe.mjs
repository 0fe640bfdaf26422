// axe-core (the engine behind the common accessibility checkers) in a page under test: the
// WCAG 2.1 A and AA rules, run over the whole document, open shadow roots included. Used by
// a11y.test.mjs; any browser test can call `expectAccessible` on a state it brings about.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rule set: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe in `page` and returns its violations, each as {rule, impact, help, nodes: [{target,
 * summary}]} (plain data, ready for an assertion message). axe is injected on first use through
 * the DevTools protocol, which the page's CSP does not govern: the page keeps its policy.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  // Styles and the virtual list settle in the frames after a change: let two frames pass.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.flat().join(' >> '), summary: n.failureSummary })),
    }));
  }, WCAG_TAGS);
}

/** Asserts that axe finds no WCAG 2.1 A/AA violation in `page` as it is now; `label` names the state. */
export async function expectAccessible(page, label) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${label}: ${JSON.stringify(violations, null, 2)}`);
}
