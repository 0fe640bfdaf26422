// What the element does for its host, apart from the parts it is made of: an attribute's new
// value applied, the report exported as a download, files given by the host made well-formed.

import { download } from './dom.js';
import { ENGINES } from './policies.js';
import { PROFILES, sanitize } from './settings.js';

/** @typedef {import('./component.js').KubehardenLinter} Linter */

/** Applies an observed attribute's new value (once the element is initialised). */
export function applyAttribute(
  /** @type {Linter} */ el,
  /** @type {string} */ name,
  /** @type {string | null} */ value,
) {
  switch (name) {
    case 'profile':
      if (PROFILES.includes(/** @type {any} */ (value))) el.updateSettings({ profile: value }, { remember: false });
      break;
    case 'kubernetes-version':
      el.updateSettings(
        { kubernetesVersion: sanitize({ kubernetesVersion: value || 'latest' }).kubernetesVersion },
        { remember: false },
      );
      break;
    case 'value':
      el.value = value ?? '';
      break;
    case 'readonly':
      el.applyReadOnly();
      break;
    case 'filename':
      if (el.tabs.list.length === 1 && value) el.tabs.rename(el.tabs.list[0], value);
      break;
    case 'examples':
      el.toolbar.examples.hidden = el.readOnly || !el.hasAttribute('examples');
      break;
    case 'policy-engine':
      if (ENGINES.includes(/** @type {any} */ (value))) el.updateSettings({ policyEngine: value }, { remember: false });
      break;
    default:
  }
}

/** Downloads the last report as JSON or SARIF. */
export async function exportReport(/** @type {Linter} */ el, /** @type {'json' | 'sarif'} */ format) {
  if (!el.model || !el.session.running) {
    el.toasts.show('Nothing to export yet.', { error: true });
    return;
  }
  try {
    const text = await el.session.exportReport(format);
    const name = format === 'sarif' ? 'kubeharden.sarif' : 'kubeharden-report.json';
    download(text, name, format === 'sarif' ? 'application/sarif+json' : 'application/json');
  } catch (e) {
    el.toasts.show(`Export failed: ${e.message}`, { error: true });
  }
}

/** Files as given by a host, made well-formed: [{name, text}]. */
export function cleanFiles(/** @type {any[]} */ list) {
  return list.map((f) => ({ name: String(f?.name || 'manifest.yaml'), text: String(f?.text ?? '') }));
}
