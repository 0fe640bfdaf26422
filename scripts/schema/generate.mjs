#!/usr/bin/env node
// Generates the built-in schema table of the core and the field documentation of the page from
// the strict OpenAPI definitions of Kubernetes v1.25 … v1.37 (../shared/schemas/kubernetes), with
// the hand-written validation facts of overrides.mjs.
//
//   crates/kubeharden/src/schema/builtin.bin   field names, types, required fields, list-map keys,
//                                              enums and served kinds, all versions in one table
//                                              (see crates/kubeharden/src/schema/table.rs)
//   web/field-docs.json                        description, type and first release of each field,
//                                              for the page's hover (never in the wasm)
//
// Usage: node scripts/schema/generate.mjs           write both files
//        node scripts/schema/generate.mjs --check   exit 1 when a committed file is stale
//
// A definition that does not change between versions is stored once; a field carries the set of
// versions that have it (a 16-bit mask), so 13 versions cost little more than one.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ENUMS,
  FORMATS,
  FREE_FORM,
  LIST_KEYS,
  OPTIONAL_STRINGS,
  REQUIRED_EXTRA,
  REQUIRED_NON_STRINGS,
} from './overrides.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIRST_MINOR = 25;
export const LAST_MINOR = 37;
export const TABLE_PATH = join(root, 'crates/kubeharden/src/schema/builtin.bin');
export const DOCS_PATH = join(root, 'web/field-docs.json');
const SOURCE_DIR = join(root, '../shared/schemas/kubernetes');

// Type tags; crates/kubeharden/src/schema/table.rs reads the same numbers.
const TAG = {
  any: 0,
  string: 1,
  bool: 2,
  int32: 3,
  int64: 4,
  number: 5,
  bytes: 6,
  dateTime: 7,
  quantity: 8,
  intOrString: 9,
  object: 10,
  map: 11,
  list: 12,
  enum: 13,
  schemaOrArray: 14,
  schemaOrBool: 15,
  schemaOrStringArray: 16,
  labels: 17,
  annotations: 18,
  labelKey: 19,
  decodeOnly: 20,
};
const LIST_KIND = { '': 0, atomic: 1, set: 2, map: 3 };

const short = (name) => name.replace(/^io\.k8s\.(api\.)?/, '');
const refName = (ref) => ref.replace('#/$defs/', '');
const SPECIAL = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { tag: 'quantity' },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { tag: 'intOrString' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { tag: 'dateTime' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { tag: 'dateTime' },
};
const JSON_SCHEMA_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
const SCHEMA_OR = {
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': 'schemaOrArray',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': 'schemaOrBool',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': 'schemaOrStringArray',
};

function fail(message) {
  throw new Error(`schema generator: ${message}`);
}

/** Object definitions referenced by `type` (a type description), for reachability. */
function refsOf(type, out) {
  if (type.tag === 'object' || type.tag.startsWith('schemaOr')) out.push(type.def);
  if (type.of) refsOf(type.of, out);
  if (type.item) refsOf(type.item, out);
  if (type.value) refsOf(type.value, out);
  return out;
}

/** Reads one version: object definitions with their fields, and the served kinds. */
function readVersion(minor) {
  const defs = JSON.parse(readFileSync(join(SOURCE_DIR, `v1.${minor}.json`), 'utf8')).$defs;
  const typeOfRef = (name) => {
    if (SPECIAL[name]) return SPECIAL[name];
    if (SCHEMA_OR[name]) return { tag: SCHEMA_OR[name], def: JSON_SCHEMA_PROPS };
    const def = defs[name] ?? fail(`v1.${minor}: missing definition ${name}`);
    if (FREE_FORM.includes(short(name)) || Object.keys(def).every((k) => k === 'description')) return { tag: 'any' };
    if (def.oneOf) fail(`v1.${minor}: ${name} is a oneOf the generator does not know`);
    return { tag: 'object', def: name };
  };
  const typeOf = (s, where) => {
    if (s.$ref) return typeOfRef(refName(s.$ref));
    const types = [].concat(s.type ?? []).filter((t) => t !== 'null');
    if (types.length !== 1) fail(`v1.${minor}: ${where} has type ${JSON.stringify(s.type)}`);
    switch (types[0]) {
      case 'string':
        return { tag: s.format === 'byte' ? 'bytes' : s.format === 'date-time' ? 'dateTime' : 'string' };
      case 'integer':
        return { tag: s.format === 'int32' ? 'int32' : 'int64' };
      case 'number':
        return { tag: 'number' };
      case 'boolean':
        return { tag: 'bool' };
      case 'array':
        return {
          tag: 'list',
          item: typeOf(s.items ?? fail(`${where}: array without items`), `${where}[]`),
          list: s['x-kubernetes-list-type'] ?? '',
          keys: s['x-kubernetes-list-map-keys'] ?? [],
        };
      case 'object':
        if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          return { tag: 'map', value: typeOf(s.additionalProperties, `${where}{}`) };
        }
        fail(`v1.${minor}: ${where} is an inline object`);
        break;
      default:
        fail(`v1.${minor}: ${where} has type ${types[0]}`);
    }
  };

  const kinds = [];
  for (const [name, def] of Object.entries(defs)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      // Meta types (DeleteOptions, WatchEvent, Status) are no objects anyone applies, and lists
      // are read item by item.
      if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.v1.')) continue;
      if (gvk.kind.endsWith('List') && def.properties?.items) continue;
      kinds.push({ group: gvk.group, version: gvk.version, kind: gvk.kind, def: name });
    }
  }
  const roots = new Set(kinds.map((k) => k.def));

  // Reachable object definitions with their fields. `status` of a top-level kind is written by
  // controllers: the API server decodes it with the rest of the body (strict decoding reports its
  // unknown fields and undecodable values), then the strategy's PrepareForCreate resets it before
  // validation, so it is marked decode-only (`statusType`).
  const objects = new Map();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop();
    if (objects.has(name)) continue;
    const def = defs[name];
    const fields = {};
    for (const [prop, schema] of Object.entries(def.properties ?? {})) {
      const type =
        roots.has(name) && prop === 'status'
          ? statusType(typeOf(schema, `${name}.${prop}`))
          : overlay(name, prop, typeOf(schema, `${name}.${prop}`));
      fields[prop] = { type, description: schema.description ?? '' };
      queue.push(...refsOf(type, []));
    }
    const required = (def.required ?? []).filter((prop) => fields[prop] && isEnforced(name, prop, fields[prop].type));
    for (const extra of REQUIRED_EXTRA) {
      const [owner, prop] = splitField(extra);
      if (owner === short(name) && fields[prop] && !required.includes(prop)) {
        required.push(prop);
        used.add(extra);
      }
    }
    objects.set(name, { fields, required, description: def.description ?? '' });
  }
  // A definition only a `status` reaches is read decode-only, where required fields, list kinds
  // and keys are not checked: the table leaves them out, so that such types share records.
  const validated = new Set();
  const reach = [...roots];
  while (reach.length) {
    const name = reach.pop();
    if (validated.has(name)) continue;
    validated.add(name);
    for (const { type } of Object.values(objects.get(name).fields)) if (type.tag !== 'decodeOnly') refsOf(type, reach);
  }
  for (const [name, obj] of objects) {
    if (validated.has(name)) continue;
    obj.required = [];
    for (const field of Object.values(obj.fields)) field.type = decodedView(field.type);
  }
  return { kinds, objects };
}

/**
 * The type of a top-level kind's `status`, checked the way the API server's create path treats it:
 * decoded strictly into the Go type with the rest of the body (unknown and duplicate fields, values
 * that do not decode: apimachinery runtime/serializer/json/json.go, `unmarshal`, then
 * apiserver endpoints/handlers/create.go, the strict decoding error), then reset by the kind's
 * strategy (`PrepareForCreate`, for example pkg/registry/apps/deployment/strategy.go sets
 * `deployment.Status = apps.DeploymentStatus{}`) before `Validate` runs
 * (apiserver registry/rest/create.go, `BeforeCreate`). So no required field, enum, name, label or
 * list-map key is checked below it: the walker reads the wrapped type in decode-only mode.
 */
function statusType(type) {
  return type.tag === 'any' ? type : { tag: 'decodeOnly', of: type };
}

/** A type as decode-only checking reads it: what validation alone checks left out. */
function decodedView(type) {
  switch (type.tag) {
    case 'list':
      return { tag: 'list', item: decodedView(type.item), list: '', keys: [] };
    case 'map':
      return { tag: 'map', value: decodedView(type.value) };
    case 'enum':
    case 'labelKey':
      return { tag: 'string' };
    case 'labels':
    case 'annotations':
      return { tag: 'map', value: { tag: 'string' } };
    default:
      return type;
  }
}

/** Overrides that matched a field: an override that matches none is a typo (checked at the end). */
const used = new Set();

function splitField(path) {
  const i = path.lastIndexOf('.');
  return [path.slice(0, i), path.slice(i + 1)];
}

/** Whether leaving out a field OpenAPI lists as required is an error the API server reports. */
function isEnforced(defName, prop, type) {
  const path = `${short(defName)}.${prop}`;
  if (prop === 'metadata') return false; // a missing name is `invalid-resource`'s finding
  used.add(path);
  if (type.tag === 'string' || type.tag === 'enum' || type.tag === 'labelKey') return !OPTIONAL_STRINGS.includes(path);
  return REQUIRED_NON_STRINGS.includes(path);
}

/** Applies the enums and formats of overrides.mjs to a field's type. */
function overlay(defName, prop, type) {
  const values = ENUMS[short(defName)]?.[prop];
  const format = FORMATS[short(defName)]?.[prop];
  const keys = LIST_KEYS[short(defName)]?.[prop];
  if (values || format || keys) used.add(`${short(defName)}.${prop}`);
  if (keys) {
    if (type.tag !== 'list') fail(`list keys for ${defName}.${prop}, which is no list`);
    if (!type.keys.length) type = { ...type, list: 'map', keys };
  }
  const apply = (t, replacement) => {
    if (t.tag === 'string') return replacement;
    if (t.tag === 'list' && t.item.tag === 'string') return { ...t, item: replacement };
    if (
      t.tag === 'map' &&
      t.value.tag === 'string' &&
      (replacement.tag === 'labels' || replacement.tag === 'annotations')
    )
      return replacement;
    fail(`override for ${defName}.${prop} does not fit its type ${t.tag}`);
  };
  if (values) return apply(type, { tag: 'enum', values: [...values].sort() });
  if (format) return apply(type, { tag: format });
  return type;
}

/** Every version read and merged: each field once, with the mask of versions that have it. */
function collect() {
  const versions = [];
  for (let minor = FIRST_MINOR; minor <= LAST_MINOR; minor++) versions.push(readVersion(minor));
  const overrides = [
    ...[ENUMS, FORMATS, LIST_KEYS].flatMap((o) =>
      Object.entries(o).flatMap(([def, fields]) => Object.keys(fields).map((f) => `${def}.${f}`)),
    ),
    ...OPTIONAL_STRINGS,
    ...REQUIRED_NON_STRINGS,
    ...REQUIRED_EXTRA,
  ];
  const unused = overrides.filter((o) => !used.has(o));
  if (unused.length) fail(`overrides that match no field: ${unused.join(', ')}`);
  const bit = (i) => 1 << i;
  const defs = new Map(); // name -> { fields: Map<prop, Map<typeKey, {type, mask, description}>>, required: Map<prop, mask>, mask }
  versions.forEach((v, i) => {
    for (const [name, obj] of v.objects) {
      if (!defs.has(name)) defs.set(name, { fields: new Map(), required: new Map(), mask: 0, description: '' });
      const d = defs.get(name);
      d.mask |= bit(i);
      d.description = obj.description;
      for (const [prop, { type, description }] of Object.entries(obj.fields)) {
        if (!d.fields.has(prop)) d.fields.set(prop, new Map());
        const byType = d.fields.get(prop);
        const key = JSON.stringify(type);
        const entry = byType.get(key) ?? { type, mask: 0, description };
        entry.mask |= bit(i);
        entry.description = description;
        byType.set(key, entry);
      }
      for (const prop of obj.required) d.required.set(prop, (d.required.get(prop) ?? 0) | bit(i));
    }
  });
  const kinds = new Map();
  versions.forEach((v, i) => {
    for (const k of v.kinds) {
      const key = `${k.kind}\0${k.group}\0${k.version}\0${k.def}`;
      const entry = kinds.get(key) ?? { ...k, mask: 0 };
      entry.mask |= bit(i);
      kinds.set(key, entry);
    }
  });
  return { defs, kinds: [...kinds.values()] };
}

/** A growable little-endian byte buffer. */
class Writer {
  constructor() {
    this.bytes = [];
  }
  u8(v) {
    if (!(v >= 0 && v < 256)) fail(`u8 out of range: ${v}`);
    this.bytes.push(v);
  }
  u16(v) {
    if (!(v >= 0 && v < 65536)) fail(`u16 out of range: ${v}`);
    this.bytes.push(v & 0xff, v >> 8);
  }
  raw(buf) {
    for (const b of buf) this.bytes.push(b);
  }
}

function typeName(type, names) {
  switch (type.tag) {
    case 'object':
      return names(type.def);
    case 'list':
      return `[]${typeName(type.item, names)}`;
    case 'map':
      return `map[string]${typeName(type.value, names)}`;
    case 'decodeOnly':
      return typeName(type.of, names);
    case 'enum':
      return `string, one of ${type.values.map((v) => `"${v}"`).join(', ')}`;
    default:
      return {
        any: 'any value',
        string: 'string',
        bool: 'boolean',
        int32: 'integer (int32)',
        int64: 'integer (int64)',
        number: 'number',
        bytes: 'string (base64)',
        dateTime: 'string (RFC 3339 time)',
        quantity: 'Quantity (such as 500m, 1.5, 2Gi)',
        intOrString: 'integer or string',
        schemaOrArray: 'JSONSchemaProps or []JSONSchemaProps',
        schemaOrBool: 'JSONSchemaProps or boolean',
        schemaOrStringArray: 'JSONSchemaProps or []string',
        labels: 'map[string]string (labels)',
        annotations: 'map[string]string (annotations)',
        labelKey: 'string (label key)',
      }[type.tag];
  }
}

/** Builds the table and the docs. */
export function generate() {
  const { defs, kinds } = collect();
  const defNames = [...defs.keys()].sort();
  const defId = new Map(defNames.map((n, i) => [n, i]));

  const strings = new Set(['']);
  for (const d of defs.values()) {
    for (const [prop, byType] of d.fields) {
      strings.add(prop);
      for (const { type } of byType.values()) {
        const walk = (t) => {
          for (const v of [...(t.values ?? []), ...(t.keys ?? [])]) strings.add(v);
          if (t.of) walk(t.of);
          if (t.item) walk(t.item);
          if (t.value) walk(t.value);
        };
        walk(type);
      }
    }
  }
  for (const k of kinds) for (const s of [k.kind, k.group, k.version]) strings.add(s);
  const stringList = [...strings].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const s of stringList) if (!/^[\x20-\x7e]*$/.test(s)) fail(`non-ASCII name ${JSON.stringify(s)}`);
  const sid = new Map(stringList.map((s, i) => [s, i]));

  // Pool of u16 lists (enum values, list-map keys): [count, ids...], addressed by offset + 1.
  const pool = [];
  const poolIndex = new Map();
  const poolList = (names) => {
    const key = names.join('\0');
    if (!poolIndex.has(key)) {
      poolIndex.set(key, pool.length + 1);
      pool.push(names.length, ...names.map((n) => sid.get(n)));
    }
    return poolIndex.get(key);
  };

  const types = [];
  const typeIndex = new Map();
  const typeId = (t) => {
    const key = JSON.stringify(t);
    if (typeIndex.has(key)) return typeIndex.get(key);
    let record;
    switch (t.tag) {
      case 'object':
      case 'schemaOrArray':
      case 'schemaOrBool':
      case 'schemaOrStringArray':
        record = [TAG[t.tag], 0, defId.get(t.def) ?? fail(`unknown def ${t.def}`), 0];
        break;
      case 'map':
        record = [TAG.map, 0, typeId(t.value), 0];
        break;
      case 'list':
        record = [
          TAG.list,
          LIST_KIND[t.list] ?? fail(`list type ${t.list}`),
          typeId(t.item),
          t.keys.length ? poolList(t.keys) : 0,
        ];
        break;
      case 'enum':
        record = [TAG.enum, 0, poolList(t.values), 0];
        break;
      case 'decodeOnly':
        record = [TAG.decodeOnly, 0, typeId(t.of), 0];
        break;
      default:
        record = [TAG[t.tag] ?? fail(`tag ${t.tag}`), 0, 0, 0];
    }
    typeIndex.set(key, types.length);
    types.push(record);
    return types.length - 1;
  };

  const defRecords = [];
  const props = [];
  const reqs = [];
  for (const name of defNames) {
    const d = defs.get(name);
    const propStart = props.length;
    const sortedProps = [...d.fields.keys()].sort((a, b) => sid.get(a) - sid.get(b));
    for (const prop of sortedProps) {
      const entries = [...d.fields.get(prop).values()].sort((a, b) => (a.mask & -a.mask) - (b.mask & -b.mask));
      for (const e of entries) props.push([sid.get(prop), typeId(e.type), e.mask]);
    }
    const reqStart = reqs.length;
    for (const prop of [...d.required.keys()].sort((a, b) => sid.get(a) - sid.get(b)))
      reqs.push([sid.get(prop), d.required.get(prop)]);
    defRecords.push([propStart, props.length - propStart, reqStart, reqs.length - reqStart]);
  }
  const kindRows = kinds
    .map((k) => [sid.get(k.kind), sid.get(k.group), sid.get(k.version), defId.get(k.def), k.mask])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[4] - b[4]);

  const w = new Writer();
  w.raw(Buffer.from('KHS\x02', 'latin1'));
  w.u8(FIRST_MINOR);
  w.u8(LAST_MINOR - FIRST_MINOR + 1);
  w.u16(0);
  for (const n of [
    stringList.length,
    types.length,
    defRecords.length,
    props.length,
    reqs.length,
    pool.length,
    kindRows.length,
    0,
  ])
    w.u16(n);
  let offset = 0;
  const stringBytes = [];
  for (const s of stringList) {
    w.u16(offset);
    offset += s.length;
    stringBytes.push(Buffer.from(s, 'latin1'));
  }
  w.u16(offset);
  w.raw(Buffer.concat(stringBytes));
  // Records column by column: similar numbers side by side compress better in the .wasm.
  const columns = (rows, width) => {
    for (let c = 0; c < width; c++) for (const row of rows) w.u16(row[c]);
  };
  for (const t of types) w.u8(t[0]);
  for (const t of types) w.u8(t[1]);
  for (const t of types) w.u16(t[2]);
  for (const t of types) w.u16(t[3]);
  columns(defRecords, 4);
  columns(props, 3);
  columns(reqs, 2);
  for (const v of pool) w.u16(v);
  columns(kindRows, 5);
  const table = Buffer.from(w.bytes);

  // The page's field docs, indexed like the table's definitions.
  const shortName = (n) => n.slice(n.lastIndexOf('.') + 1);
  const docs = {
    generatedFrom: `Kubernetes OpenAPI v1.${FIRST_MINOR} to v1.${LAST_MINOR}`,
    firstMinor: FIRST_MINOR,
    definitions: defNames.map((name) => {
      const d = defs.get(name);
      const fields = {};
      for (const prop of [...d.fields.keys()].sort()) {
        const entries = [...d.fields.get(prop).values()];
        const mask = entries.reduce((m, e) => m | e.mask, 0);
        const newest = entries.reduce((a, b) => (b.mask > a.mask ? b : a));
        fields[prop] = [typeName(newest.type, shortName), FIRST_MINOR + Math.log2(mask & -mask), newest.description];
      }
      return { name: short(name), description: d.description, fields };
    }),
  };
  return {
    table,
    docs: `${JSON.stringify(docs)}\n`,
    stats: {
      strings: stringList.length,
      types: types.length,
      defs: defRecords.length,
      props: props.length,
      reqs: reqs.length,
      kinds: kindRows.length,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { table, docs, stats } = generate();
  if (process.argv.includes('--check')) {
    const stale = [
      [TABLE_PATH, table],
      [DOCS_PATH, Buffer.from(docs)],
    ].filter(([path, want]) => {
      try {
        return !readFileSync(path).equals(want);
      } catch {
        return true;
      }
    });
    for (const [path] of stale) console.error(`stale: ${path} (run node scripts/schema/generate.mjs)`);
    process.exit(stale.length ? 1 : 0);
  }
  writeFileSync(TABLE_PATH, table);
  writeFileSync(DOCS_PATH, docs);
  console.log(
    `schema table: ${table.length} bytes (${JSON.stringify(stats)}); field docs: ${Buffer.byteLength(docs)} bytes`,
  );
}
