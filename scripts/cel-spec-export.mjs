#!/usr/bin/env node
// Exports the cel-spec conformance tests (npm @bufbuild/cel-spec: the cel-spec repository's
// test data as protobuf messages) that do not depend on protobuf messages, as plain JSON with
// typed values, for the Rust test crates/kubeharden-cel/tests/cel_spec.rs.
//
// A test is left out when its expression, container, bindings, declarations or expected value
// need protobuf messages (the test protos' TestAllTypes and enums, the google.protobuf wrappers,
// Any, Struct, Value, ListValue, a message literal `Name{...}`), when it only type-checks, when
// it declares its own functions or when it expects unknowns: the file lists each left-out test
// with its reason. Timestamps and durations are CEL's own types (`timestamp()`, `duration()`)
// and are kept, though the test data spells them as google.protobuf messages.
//
// Values are tagged with their CEL type, since JSON alone cannot tell 1 from 1u or 1.0:
// {"int": "1"}, {"uint": "1"}, {"double": "1.5" | "NaN" | "Infinity" | "-Infinity" | "-0"},
// {"string": s}, {"bytes": hex}, {"bool": b}, {"null": null}, {"list": [...]},
// {"map": [[key, value], ...]}, {"type": name}, {"timestamp" | "duration": {"seconds", "nanos"}}.
//
// Usage: node scripts/cel-spec-export.mjs [OUT]   (default: $KUBEHARDEN_CEL_SPEC_JSON, else
// target/cel-spec/conformance.json). Prints what it exported and what it left out.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimpleTestSchema } from '@bufbuild/cel-spec/cel/expr/conformance/test/simple_pb.js';
import { getTestRegistry } from '@bufbuild/cel-spec/testdata/registry.js';
import { getConformanceSuite } from '@bufbuild/cel-spec/testdata/tests.js';
import { toJson } from '@bufbuild/protobuf';
import { anyUnpack } from '@bufbuild/protobuf/wkt';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(
  process.argv[2] ?? process.env.KUBEHARDEN_CEL_SPEC_JSON ?? join(root, 'target/cel-spec/conformance.json'),
);
const registry = getTestRegistry();

const packageJson = createRequire(import.meta.url).resolve('@bufbuild/cel-spec/testdata/tests.js');
const specPackage = JSON.parse(readFileSync(join(packageJson, '../../../../package.json'), 'utf8'));

const REASONS = {
  testProto: 'protobuf messages: the test protos (TestAllTypes, NestedTestAllTypes, their enums, their container)',
  wellKnown:
    'protobuf messages: google.protobuf well-known types other than Timestamp and Duration (wrappers, Any, Struct, Value, ListValue)',
  literal: 'protobuf messages: a message literal Name{...}',
  enumValue: 'protobuf messages: an enum value',
  checkOnly: 'type check only (checkOnly): nothing is evaluated, and the engine has no static type checker',
  customFunction: 'declares its own functions (typeEnv): a policy cannot declare functions',
  unknown: 'expects unknowns (partial evaluation), which admission never does',
  bindingKind: 'a binding that is an error or an unknown, not a value',
};

class Skip extends Error {
  /** @param {keyof typeof REASONS} reason */
  constructor(reason) {
    super(REASONS[reason]);
    this.reason = reason;
  }
}

const TEST_PROTO = /\b(TestAllTypes|NestedTestAllTypes|NestedMessage|NestedEnum|GlobalEnum|cel\.expr\.conformance)\b/;
// Timestamp and Duration are CEL types of their own; the other google.protobuf names are messages.
const WELL_KNOWN = /\bgoogle\.protobuf\.(?!(Timestamp|Duration)\b)[A-Za-z]/;
const STRING_LITERAL = /[rRbB]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/g;

/** The expression without its string literals, so that names inside strings do not count. */
function code(expr) {
  return expr.replace(STRING_LITERAL, '""');
}

/** Whether the expression builds a message: an identifier directly followed by `{`. */
function hasMessageLiteral(source) {
  for (const m of source.matchAll(/([A-Za-z_][\w.]*)\s*\{/g)) {
    const before = source[m.index - 1];
    if (m[1] !== 'in' && (before === undefined || !/[\w.]/.test(before))) return true;
  }
  return false;
}

/** A double as its shortest exact decimal text: JSON numbers lose -0, NaN and infinities, and
 * a JSON reader need not round decimals exactly. */
function double(d) {
  return Object.is(d, -0) ? '-0' : String(d);
}

/** A cel.expr.Value message as a typed JSON value. */
function value(v) {
  const k = v.kind;
  switch (k.case) {
    case 'nullValue':
      return { null: null };
    case 'boolValue':
      return { bool: k.value };
    case 'int64Value':
      return { int: k.value.toString() };
    case 'uint64Value':
      return { uint: k.value.toString() };
    case 'doubleValue':
      return { double: double(k.value) };
    case 'stringValue':
      return { string: k.value };
    case 'bytesValue':
      return { bytes: Buffer.from(k.value).toString('hex') };
    case 'listValue':
      return { list: k.value.values.map(value) };
    case 'mapValue':
      return { map: k.value.entries.map((e) => [value(e.key), value(e.value)]) };
    case 'typeValue':
      return { type: k.value };
    case 'enumValue':
      throw new Skip('enumValue');
    case 'objectValue': {
      const name = k.value.typeUrl.slice(k.value.typeUrl.lastIndexOf('/') + 1);
      if (name === 'google.protobuf.Timestamp' || name === 'google.protobuf.Duration') {
        const m = /** @type {{seconds: bigint, nanos: number}} */ (anyUnpack(k.value, registry));
        return {
          [name === 'google.protobuf.Timestamp' ? 'timestamp' : 'duration']: {
            seconds: m.seconds.toString(),
            nanos: m.nanos,
          },
        };
      }
      throw new Skip(TEST_PROTO.test(name) ? 'testProto' : 'wellKnown');
    }
    default:
      throw new Error(`value without a kind: ${JSON.stringify(v)}`);
  }
}

/** The test as the Rust test reads it, or a Skip. */
function exportTest(t) {
  const json = toJson(SimpleTestSchema, t, { registry });
  const source = code(t.expr);
  // Declarations and bindings may name message types anywhere inside (list of messages...).
  const declarations = JSON.stringify(json.typeEnv ?? []);
  const bindings = JSON.stringify(json.bindings ?? {});
  if (TEST_PROTO.test(source) || TEST_PROTO.test(t.container) || TEST_PROTO.test(declarations)) {
    throw new Skip('testProto');
  }
  if (WELL_KNOWN.test(source) || WELL_KNOWN.test(declarations) || WELL_KNOWN.test(bindings)) {
    throw new Skip('wellKnown');
  }
  if (TEST_PROTO.test(bindings)) throw new Skip('testProto');
  if (hasMessageLiteral(source)) throw new Skip('literal');
  if (t.checkOnly) throw new Skip('checkOnly');
  if (t.typeEnv.some((d) => d.declKind.case === 'function')) throw new Skip('customFunction');
  const bound = {};
  for (const [name, exprValue] of Object.entries(t.bindings)) {
    if (exprValue.kind.case !== 'value') throw new Skip('bindingKind');
    bound[name] = value(exprValue.kind.value);
  }
  let expect;
  const r = t.resultMatcher;
  switch (r.case) {
    case undefined:
      // No matcher: the expected result is `true` (cel-spec's simple.proto).
      expect = { value: { bool: true } };
      break;
    case 'value':
      expect = { value: value(r.value) };
      break;
    case 'typedResult':
      if (!r.value.result) throw new Skip('checkOnly');
      expect = { value: value(r.value.result) };
      break;
    case 'evalError':
    case 'anyEvalErrors': {
      const sets = r.case === 'evalError' ? [r.value] : r.value.errors;
      expect = { error: sets.flatMap((s) => s.errors.map((e) => e.message)).join('; ') };
      break;
    }
    default:
      throw new Skip('unknown');
  }
  return {
    expr: t.expr,
    check: !t.disableCheck,
    container: t.container,
    declared: t.typeEnv.map((d) => d.name),
    bindings: bound,
    expect,
  };
}

const tests = [];
const skipped = [];
const perFile = {};
const seen = new Set();
for (const file of getConformanceSuite().suites) {
  const counts = { exported: 0, skipped: 0 };
  perFile[file.name] = counts;
  for (const section of file.suites) {
    for (const t of section.tests) {
      // Names are unique within a section in the data; the suffix keeps ids unique regardless.
      let id = `${file.name}/${section.name}/${t.name}`.replace(/\s+/g, ' ');
      for (let n = 2; seen.has(id); n++) id = `${file.name}/${section.name}/${t.name}#${n}`;
      seen.add(id);
      try {
        tests.push({ id, ...exportTest(t.original) });
        counts.exported++;
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        skipped.push({ id, reason: e.reason });
        counts.skipped++;
      }
    }
  }
}

const byReason = {};
for (const s of skipped) byReason[s.reason] = (byReason[s.reason] ?? 0) + 1;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify({
    source: `@bufbuild/cel-spec ${specPackage.version} (cel-spec ${specPackage.upstreamCelSpecRef})`,
    reasons: REASONS,
    perFile,
    skipped,
    tests,
  }),
);
console.log(
  `@bufbuild/cel-spec ${specPackage.version}: ${tests.length + skipped.length} tests, ${tests.length} exported to ${out}`,
);
for (const [reason, n] of Object.entries(byReason)) console.log(`  skipped ${n}: ${REASONS[reason]}`);
