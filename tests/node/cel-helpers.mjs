// The CEL conformance suites as lint inputs, for the parity tests of every runtime (the npm
// report must equal the CLI's for the same files):
//
// - ../shared/conformance/vap-kubescape: each case's object (a test resource with the case's
//   field changes, as crates/kubeharden-cel/tests/vap_kubescape.rs builds it) linted with the
//   control's policy, its binding and the params object as policies;
// - ../shared/conformance/kyverno: each `kyverno test` file's resources linted with its
//   ValidatingPolicies;
// - the Gatekeeper library's CEL templates (their `gator verify` cases, engine `cel`).
//
// The inputs are written to a scratch folder (objects as JSON, which is YAML) so the CLI reads
// the very files the package is given.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { cli, shared } from './helpers.mjs';

const vap = join(shared, 'conformance/vap-kubescape');
const kyverno = join(shared, 'conformance/kyverno');

/**
 * The test resources' YAML subset (block maps and sequences, flow sequences and maps, plain and
 * quoted scalars, comments): enough to apply a case's field changes, checked by the parity
 * test itself (the CLI reads the same JSON).
 */
export function parseSimpleYaml(text) {
  const lines = text
    .split('\n')
    .map((raw) => raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, ''))
    .filter((l) => l.trim() !== '' && l.trim() !== '---');
  let i = 0;
  const indentOf = (l) => l.length - l.trimStart().length;
  const scalar = (s) => {
    s = s.trim();
    if (s === '' || s === '~' || s === 'null') return null;
    if (s.startsWith('[') || s.startsWith('{')) return flow(s);
    if (s.startsWith('"')) return JSON.parse(s);
    if (s.startsWith("'")) return s.slice(1, -1).replaceAll("''", "'");
    if (s === 'true') return true;
    if (s === 'false') return false;
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    return s;
  };
  const flow = (s) => {
    let p = 0;
    const ws = () => {
      while (/\s/.test(s[p])) p++;
    };
    const value = () => {
      ws();
      if (s[p] === '[') {
        p++;
        const out = [];
        for (ws(); s[p] !== ']'; ws()) {
          out.push(value());
          ws();
          if (s[p] === ',') p++;
        }
        p++;
        return out;
      }
      if (s[p] === '{') {
        p++;
        const out = {};
        for (ws(); s[p] !== '}'; ws()) {
          const k = atom(':');
          p++;
          out[k] = value();
          ws();
          if (s[p] === ',') p++;
        }
        p++;
        return out;
      }
      return scalar(atom(',]}'));
    };
    const atom = (stops) => {
      ws();
      const start = p;
      if (s[p] === '"' || s[p] === "'") {
        const q = s[p++];
        while (s[p] !== q) p += s[p] === '\\' ? 2 : 1;
        p++;
        return scalar(s.slice(start, p));
      }
      while (p < s.length && !stops.includes(s[p])) p++;
      return s.slice(start, p).trim();
    };
    return value();
  };
  const keyValue = (s) => {
    const m = s.match(/^("[^"]*"|'[^']*'|[^:]+?)\s*:(?:\s+(.*))?$/);
    if (!m) throw new Error(`unsupported YAML: ${s}`);
    return [String(scalar(m[1])), m[2]];
  };
  const block = (indent) => {
    const first = lines[i].trimStart();
    if (first.startsWith('- ') || first === '-') {
      const out = [];
      while (i < lines.length && indentOf(lines[i]) === indent && lines[i].trimStart().startsWith('-')) {
        const rest = lines[i].trimStart().slice(1);
        if (rest.trim() === '') {
          i++;
          out.push(block(indentOf(lines[i])));
        } else if (/^\s*("[^"]*"|'[^']*'|[^:[{"']+?)\s*:(\s|$)/.test(rest)) {
          // A map item: its first key on the dash's line.
          lines[i] = `${' '.repeat(indent + 1 + rest.length - rest.trimStart().length)}${rest.trimStart()}`;
          out.push(block(indentOf(lines[i])));
        } else {
          out.push(scalar(rest));
          i++;
        }
      }
      return out;
    }
    const out = {};
    while (i < lines.length && indentOf(lines[i]) === indent && !lines[i].trimStart().startsWith('- ')) {
      const [k, v] = keyValue(lines[i].trim());
      i++;
      if (v !== undefined && v !== '') out[k] = scalar(v);
      else if (i < lines.length && indentOf(lines[i]) > indent) out[k] = block(indentOf(lines[i]));
      else if (i < lines.length && indentOf(lines[i]) === indent && lines[i].trimStart().startsWith('-'))
        out[k] = block(indent);
      else out[k] = null;
    }
    return out;
  };
  return block(indentOf(lines[0]));
}

/** `a.b.[0].c=value`, as the upstream runner applies it (see vap_kubescape.rs). */
function applyChange(object, change) {
  const at = change.indexOf('=');
  const [path, raw] = at < 0 ? [change, ''] : [change.slice(0, at), change.slice(at + 1)];
  let value;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  const segments = path.split('.');
  let parent = { root: object };
  let key = 'root';
  segments.forEach((segment, n) => {
    const index = segment.match(/^\[(\d+)\]$/);
    const container = index ? [] : {};
    const current = parent[key];
    if (index ? !Array.isArray(current) : current === null || typeof current !== 'object' || Array.isArray(current))
      parent[key] = container;
    const next = index ? Number(index[1]) : segment;
    const holder = parent[key];
    if (index) while (holder.length <= next) holder.push(null);
    if (n + 1 < segments.length && (holder[next] === undefined || holder[next] === null)) {
      holder[next] = segments[n + 1].startsWith('[') ? [] : {};
    }
    parent = holder;
    key = next;
  });
  parent[key] = value;
  return object;
}

const scratch = () => mkdtempSync(join(tmpdir(), 'kubeharden-cel-'));

/** Every kubescape case: `{ dir, object, policies: [paths], name }` with its files written. */
export function vapCases() {
  const dir = scratch();
  const resources = join(vap, 'test-resources');
  const out = [];
  for (const control of readdirSync(join(vap, 'controls')).sort()) {
    const base = join(vap, 'controls', control);
    let tests;
    try {
      tests = JSON.parse(readFileSync(join(base, 'tests.json'), 'utf8'));
    } catch {
      continue;
    }
    const policyText = readFileSync(join(base, 'policy.yaml'), 'utf8');
    const name = policyText.match(/^metadata:\n(?:\s+.*\n)*?\s+name:\s*"?([^"\s]+)"?/m)[1];
    tests.forEach((c, n) => {
      const object = parseSimpleYaml(readFileSync(join(resources, c.template), 'utf8'));
      for (const change of c.field_change_list ?? []) applyChange(object, change);
      const binding = readFileSync(join(resources, c.binding_template ?? 'policy-binding.yaml'), 'utf8')
        .replace(/^(metadata:\n\s+name:) placeholder/m, `$1 ${name}-binding`)
        .replace(/policyName: placeholder/, `policyName: ${name}`);
      const caseDir = join(dir, control, String(n));
      mkdirSync(caseDir, { recursive: true });
      writeFileSync(join(caseDir, 'object.json'), JSON.stringify(object, null, 2));
      writeFileSync(join(caseDir, 'binding.yaml'), binding);
      writeFileSync(join(caseDir, 'policy.yaml'), policyText);
      writeFileSync(
        join(caseDir, 'params.yaml'),
        readFileSync(join(resources, c.param_template ?? 'default-control-configuration.yaml')),
      );
      out.push({
        name: `${control} ${c.name}`,
        policy: control,
        dir: caseDir,
        files: ['object.json'],
        policies: ['policy.yaml', 'binding.yaml', 'params.yaml'],
      });
    });
  }
  return out;
}

/** Every `kyverno test` file: its resources linted with its policies, read in place. */
export function kyvernoCases() {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e === 'kyverno-test.yaml') {
        const text = readFileSync(p, 'utf8');
        const list = (key) =>
          (text.match(new RegExp(`^${key}:\\n((?:- .*\\n)+)`, 'm'))?.[1] ?? '')
            .split('\n')
            .filter(Boolean)
            .map((l) => relative(kyverno, join(dirname(p), l.slice(2).trim())));
        out.push({
          name: relative(kyverno, p),
          policy: relative(kyverno, p),
          dir: kyverno,
          files: list('resources'),
          policies: list('policies'),
        });
      }
    }
  };
  walk(kyverno);
  return out;
}

/** A case as `lint()` is given it. */
export function celInput(c) {
  const read = (name) => ({ name, text: readFileSync(join(c.dir, name), 'utf8') });
  return { files: c.files.map(read), policies: c.policies.map(read) };
}

/** The CLI's report for a case (`--format json`, the same files). */
export function celCliReport(c) {
  const args = ['lint', '--no-config', '--format', 'json', ...c.policies.flatMap((p) => ['--policy', p]), ...c.files];
  try {
    return JSON.parse(execFileSync(cli, args, { cwd: c.dir, encoding: 'utf8', maxBuffer: 1 << 28 }));
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout);
    throw e;
  }
}

/** Every CEL policy at least once (the first case of each kubescape control, every Kyverno
 * suite), for the runtimes where the whole suites are too slow. */
export function celSample() {
  const seen = new Set();
  return [...vapCases().filter((c) => !seen.has(c.policy) && seen.add(c.policy)), ...kyvernoCases()];
}
