// Shared helpers for the Node tests: paths, the corpus, the CLI.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const shared = join(root, '../shared');
export const corpusDir = join(shared, 'corpus/real');
// The CLI as it ships: the `release-cli` profile keeps unwinding, so a bug in one lint is
// reported instead of aborting the process (and the language server survives it).
export const cli = join(root, 'target/release-cli/kubeharden');

/** Every manifest file of the shared corpus, as paths relative to the repo root. */
export function corpusFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(name) && name !== 'stats.json') out.push(relative(root, p));
    }
  };
  walk(corpusDir);
  return out;
}

/** Runs the CLI and returns its JSON report (exit code 1 only means "findings"). */
export function cliJson(args, input) {
  try {
    return JSON.parse(
      execFileSync(cli, ['lint', '--format', 'json', ...args], { cwd: root, input, maxBuffer: 1 << 30 }),
    );
  } catch (e) {
    if (e.status === 1 && e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}
