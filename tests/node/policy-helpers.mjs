// The Gatekeeper library suites as lint inputs, for the parity tests of every runtime: each
// case's object linted with its template, Constraint and inventory as policies, and the CLI's
// report for it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, shared } from './helpers.mjs';

const library = join(shared, 'conformance/gatekeeper/library/general');

/** Every case of the suites, with its files (from `kubeharden policy verify --format json`). */
export function gatekeeperCases() {
  const out = execFileSync(cli, ['policy', 'verify', '--format', 'json', '.'], { cwd: library, encoding: 'utf8' });
  return JSON.parse(out).cases.filter((c) => c.outcome !== 'skip');
}

const read = (name) => ({ name, text: readFileSync(join(library, name), 'utf8') });

/** A case as the package is given it: the object linted, the rest as policies. */
export function caseInput(c) {
  return {
    files: [read(c.object)],
    policies: [c.template, c.constraint, ...c.inventory].map(read),
  };
}

export function cliReport(c) {
  const policies = [c.template, c.constraint, ...c.inventory].flatMap((p) => ['--policy', p]);
  try {
    return JSON.parse(
      execFileSync(cli, ['lint', '--no-config', '--format', 'json', ...policies, c.object], {
        cwd: library,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      }),
    );
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout);
    throw e;
  }
}
