// What every test page does with the package it was given: lint the probe (as in every other
// runtime) and expose the API for the tests (corpus parity, hostile input). Served from the
// root of a project where the packed package is installed.

import { runHostile } from '../hostile-lib.mjs';
import { probe } from '../probe-lib.mjs';

window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});

export async function start(kh, { source } = {}) {
  window.kh = kh;
  window.runHostile = () => runHostile(kh);
  try {
    const text = await (await fetch('/probe.yaml')).text();
    window.result = await probe(kh, text, { source });
  } catch (e) {
    window.failure = `${e?.name}:${e?.code}: ${e?.message}`;
  }
}
