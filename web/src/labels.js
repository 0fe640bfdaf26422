// What people read for the catalogue's values: rule families, severity filters, resources.

import { SEVERITIES } from './protocol.js';

export const FAMILY_LABEL = {
  structure: 'Structure',
  pss: 'Pod Security Standards',
  workload: 'Workload',
  rbac: 'RBAC',
  network: 'Network',
  'control-plane': 'Control plane',
  api: 'API versions',
  policy: 'Custom policies',
};

/** A family's name for people (the ID itself for a family this page does not know yet). */
export function familyLabel(/** @type {string} */ family) {
  return FAMILY_LABEL[/** @type {keyof typeof FAMILY_LABEL} */ (family)] || family;
}

/** Families in the order of FAMILY_LABEL, unknown ones last. */
export function sortFamilies(/** @type {string[]} */ families) {
  const order = Object.keys(FAMILY_LABEL);
  const rank = (/** @type {string} */ f) => (order.includes(f) ? order.indexOf(f) : order.length);
  return [...families].sort((a, b) => rank(a) - rank(b));
}

/** The severity filters of the findings list: each severity, then suppressed findings. */
export const SEVERITY_FILTERS = Object.freeze([...SEVERITIES, 'suppressed']);

/** The filters' names. */
export const SEVERITY_LABEL = Object.freeze({
  error: 'Errors',
  warning: 'Warnings',
  info: 'Info',
  suppressed: 'Suppressed',
});

/** A resource's label: `Deployment shop/web`. */
export function resourceLabel(r) {
  if (!r.kind && !r.name) return r.document ? `Document ${r.document}` : 'Whole file';
  const ns = r.namespace && !r.namespaceDefaulted ? `${r.namespace}/` : '';
  return `${r.kind || 'Unknown kind'} ${ns}${r.name || '(unnamed)'}`;
}
