// Peers benchmark (`npm run bench -- --peers`): kubeharden next to Checkov and Monokle on the
// shared corpus, all measured in the same run, so the ratios between tools come from one
// machine state. Every tool gets the same input, the corpus's manifest files (corpusFiles():
// every .yaml, .yml and .json but the corpus's own stats.json), and must succeed: a tool that
// fails is reported with its error, never timed.
//
// Processes (the CLI, Checkov) are timed from spawn to exit and their peak resident set is GNU
// time's %M (for Checkov, which forks workers, that is its largest process). Node libraries
// (kubeharden's wasm package, Monokle) run in a fresh Node process per measurement
// (scripts/bench-peers-probe.mjs), which reports its own peak: warm is the median lint once the
// library is loaded, cold the whole new process (Node's start, import, reading the files, one
// lint).
//
// Checkov is a Python program (`pip install checkov`), found on PATH. Monokle
// (@monokle/validation) is installed on demand, pinned, into target/bench-peers, so neither
// `npm ci` nor `npm test` ever fetches it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cli, corpusDir, corpusFiles, root } from '../tests/node/helpers.mjs';

const MONOKLE_VERSION = '0.33.0';
const monokleDir = join(root, 'target/bench-peers');
const probe = join(root, 'scripts/bench-peers-probe.mjs');
const timeTool = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));
// Checkov and Monokle take seconds per lint of the corpus: a few runs give a stable median.
const SLOW_PEER_RUNS = 3;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => bytes / (1024 * 1024);
const tail = (text) => (text ?? '').trim().split('\n').slice(-5).join('\n');

/**
 * Runs a command `n` times under GNU time; `count` reads the findings from a run's stdout and
 * status (and throws if the run failed). Returns the median wall time, the highest peak RSS.
 */
function timeProcess(cmd, args, n, count, options = {}) {
  const times = [];
  const peaks = [];
  let findings = 0;
  for (let i = 0; i < n; i++) {
    const [file, argv] = timeTool ? [timeTool, ['-f', '%M', cmd, ...args]] : [cmd, args];
    const t = performance.now();
    const r = spawnSync(file, argv, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
    times.push(performance.now() - t);
    if (r.error) throw r.error;
    // GNU time's line is the last of stderr; the tool's own stderr comes before it.
    const stderr = timeTool ? r.stderr.replace(/(Command exited with non-zero status \d+\n)?\d+\n?$/, '') : r.stderr;
    if (timeTool) peaks.push(Number(r.stderr.trim().split('\n').pop()) * 1024);
    findings = count(r.stdout, r.status, stderr);
  }
  return { ms: median(times), peak: timeTool ? Math.max(...peaks) : NaN, findings };
}

/** The probe in a fresh Node process: its wall time (ms), peak RSS (bytes), findings, warm median. */
function runProbe(tool, warmRuns) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [probe, tool, monokleDir, String(warmRuns)], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - t;
  let out;
  try {
    out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    throw new Error(`exit ${r.status ?? r.signal}: ${tail(r.stderr)}`);
  }
  if (out.error || r.status !== 0) throw new Error(out.error ?? `exit ${r.status ?? r.signal}`);
  return { ms, peak: out.peakKb * 1024, findings: out.findings, warmMs: out.warmMs };
}

const kubehardenCount = (stdout, status, stderr) => {
  // Exit 1 only means findings.
  if (status !== 0 && status !== 1) throw new Error(`exit ${status}: ${tail(stderr)}`);
  return JSON.parse(stdout).findings.length;
};

const checkovCount = (stdout, status, stderr) => {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new Error(`exit ${status}, no JSON report: ${tail(stderr)}`);
  }
  // One framework gives one report object; its summary counts failed checks and files it could
  // not parse (those would make it look faster than it is).
  const summary = report?.summary;
  if (!summary || (status !== 0 && status !== 1)) throw new Error(`exit ${status}: ${tail(stderr)}`);
  if (summary.parsing_errors) throw new Error(`${summary.parsing_errors} files it could not parse`);
  return summary.failed;
};

/** Installs the pinned Monokle into target/bench-peers unless it is there; false if that fails. */
function ensureMonokle() {
  const manifest = join(monokleDir, 'node_modules/@monokle/validation/package.json');
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === MONOKLE_VERSION) return true;
  console.log(`installing @monokle/validation@${MONOKLE_VERSION} into target/bench-peers ...`);
  const spec = `@monokle/validation@${MONOKLE_VERSION}`;
  const r = spawnSync('npm', ['install', '--prefix', monokleDir, '--no-save', '--no-audit', '--no-fund', spec], {
    encoding: 'utf8',
  });
  if (r.status === 0) return true;
  console.log(`npm install failed: ${tail(r.stderr)}`);
  return false;
}

/** Prints the peers table. `runs`: runs of each kubeharden measurement (and of Monokle's). */
export async function benchPeers(runs) {
  const files = corpusFiles();
  const bytes = files.reduce((n, f) => n + readFileSync(join(root, f)).length, 0);
  const slowRuns = Math.min(runs, SLOW_PEER_RUNS);
  const rows = [];
  const notes = [];
  /** Measures one row; a tool that is missing or fails becomes a note instead. */
  const measure = (tool, n, baseline, fn) => {
    try {
      const { ms, peak, findings } = fn();
      rows.push({ tool, runs: n, ms, peak, findings, baseline });
    } catch (e) {
      notes.push(`${tool}: FAILED, not timed: ${e.message}`);
    }
  };

  // --no-config: the wasm rows and the peers lint without a project config, so the CLI does too.
  measure('kubeharden CLI', runs, null, () =>
    timeProcess(cli, ['lint', '--no-config', '--format', 'json', ...files], runs, kubehardenCount, { cwd: root }),
  );
  measure('kubeharden wasm/Node, warm', runs, null, () => {
    const p = runProbe('kubeharden', runs);
    return { ...p, ms: p.warmMs };
  });
  const cold = (tool, n) => () => {
    const ps = Array.from({ length: n }, () => runProbe(tool, 0));
    return { ms: median(ps.map((p) => p.ms)), peak: Math.max(...ps.map((p) => p.peak)), findings: ps[0].findings };
  };
  measure('kubeharden wasm/Node, cold', runs, null, cold('kubeharden', runs));

  // --skip-download: no request to Prisma Cloud for guidelines (offline it would time the
  // failing request); stats.json describes the corpus and is not a manifest.
  const checkov = spawnSync('checkov', ['--version'], { encoding: 'utf8' });
  if (checkov.error) notes.push('checkov: not installed (pip install checkov), skipped');
  else {
    const args = ['-d', corpusDir, '--framework', 'kubernetes', '--quiet', '--compact', '-o', 'json'];
    args.push('--skip-path', 'stats.json', '--skip-download');
    measure(`Checkov ${checkov.stdout.trim()}`, slowRuns, 'kubeharden CLI', () =>
      timeProcess('checkov', args, slowRuns, checkovCount),
    );
  }

  if (!ensureMonokle()) {
    notes.push(
      `Monokle: not available (npm install --prefix target/bench-peers @monokle/validation@${MONOKLE_VERSION}), skipped`,
    );
  } else {
    measure(`Monokle ${MONOKLE_VERSION}, warm`, slowRuns, 'kubeharden wasm/Node, warm', () => {
      const p = runProbe('monokle', slowRuns);
      return { ...p, ms: p.warmMs };
    });
    measure(`Monokle ${MONOKLE_VERSION}, cold`, slowRuns, 'kubeharden wasm/Node, cold', cold('monokle', slowRuns));
  }

  const byTool = Object.fromEntries(rows.map((r) => [r.tool, r]));
  const table = rows.map((r) => {
    const base = r.baseline && byTool[r.baseline];
    return {
      tool: r.tool,
      runs: r.runs,
      ms: r.ms.toFixed(0),
      'MB/s': (mb(bytes) / (r.ms / 1000)).toFixed(1),
      'peak RSS MB': Number.isNaN(r.peak) ? 'n/a (no GNU time)' : mb(r.peak).toFixed(0),
      findings: r.findings,
      '× time': base ? (r.ms / base.ms).toFixed(1) : '',
      '× memory': base ? (r.peak / base.peak).toFixed(1) : '',
      'compared with': base ? base.tool : '',
    };
  });
  console.log(
    `\npeers on the shared corpus (${files.length} files, ${mb(bytes).toFixed(2)} MB; ` +
      `ms: median of the runs; × = peer / the kubeharden row it is compared with):`,
  );
  console.table(table);
  for (const note of notes) console.log(note);
}
