// Node.js: `ready(location)` reads `file:` URLs and paths from disk (Node's fetch cannot).
import { readFileSync } from 'node:fs';

export function readLocal(location) {
  if (location instanceof URL) return location.protocol === 'file:' ? readFileSync(location) : null;
  if (typeof location !== 'string') return null;
  if (location.startsWith('file:')) return readFileSync(new URL(location));
  // http:, https:, data: … go to fetch; a one-letter "scheme" is a Windows drive.
  if (/^[a-z][a-z0-9+.-]+:/i.test(location)) return null;
  return readFileSync(location);
}
