// Settings remembered in localStorage (only when the host asks for it, with `storage-key`):
// profile, Kubernetes version, per-rule on/off, the policy engine (the policies themselves: policies.js). Manifests themselves are never stored: they
// may hold secrets, and nothing about them should outlive the tab.

export const PROFILES = Object.freeze(/** @type {const} */ (['baseline', 'restricted', 'hardened']));

/**
 * @typedef {object} Settings
 * @property {typeof PROFILES[number]} profile
 * @property {string} kubernetesVersion  'latest' or v1.N
 * @property {Record<string, 'on' | 'off'>} rules  changes to the profile's rules
 * @property {'auto' | 'rego' | 'cel'} policyEngine  the engine for templates with Rego and CEL code
 */

export const DEFAULT_SETTINGS = Object.freeze({
  profile: 'hardened',
  kubernetesVersion: 'latest',
  rules: {},
  policyEngine: 'auto',
});

/**
 * Keeps only well-formed values; anything else falls back to the default.
 * @param {any} raw
 * @returns {Settings}
 */
export function sanitize(raw) {
  /** @type {Settings} */
  const out = {
    profile: DEFAULT_SETTINGS.profile,
    kubernetesVersion: DEFAULT_SETTINGS.kubernetesVersion,
    rules: {},
    policyEngine: /** @type {Settings['policyEngine']} */ ('auto'),
  };
  if (!raw || typeof raw !== 'object') return out;
  if (PROFILES.includes(raw.profile)) out.profile = raw.profile;
  if (typeof raw.kubernetesVersion === 'string' && /^(latest|v?1\.\d{1,2})$/.test(raw.kubernetesVersion))
    out.kubernetesVersion = raw.kubernetesVersion;
  if (['auto', 'rego', 'cel'].includes(raw.policyEngine)) out.policyEngine = raw.policyEngine;
  if (raw.rules && typeof raw.rules === 'object') {
    for (const [id, value] of Object.entries(raw.rules)) {
      if (/^[a-z0-9-]{1,80}$/.test(id) && (value === 'on' || value === 'off')) out.rules[id] = value;
    }
  }
  return out;
}

export function load(key) {
  if (!key) return null;
  try {
    const text = localStorage.getItem(key);
    return text ? sanitize(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

export function save(key, settings) {
  if (!key) return;
  try {
    localStorage.setItem(key, JSON.stringify(settings));
  } catch {
    // Storage full or disabled (private mode): settings last for this visit only.
  }
}
