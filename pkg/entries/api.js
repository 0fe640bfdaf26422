// The public API of the `kubeharden` package, shared by every entry file. An entry only says
// how the WebAssembly module is obtained (fetched by URL, read from a file, or imported as a
// module by the platform) and hands the wasm-bindgen glue to `createApi`.

import { createDataFile, docsText, schemaBytes } from './data-files.js';

export const version = '__KUBEHARDEN_VERSION__';

/** Errors thrown by kubeharden carry a stable `code` (see index.d.ts for the list). */
export class KubehardenError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'KubehardenError';
    this.code = code;
  }
}

// UTC, as the CLI does, so every front end agrees on whether an exemption has expired.
function today() {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Names and texts of `files` (or `crds`), checked.
 * @returns {[string[], string[]]}
 */
function normaliseFiles(files, field, fallback) {
  const names = [];
  const texts = [];
  files.forEach((file, i) => {
    if (!file || typeof file.text !== 'string') {
      throw new KubehardenError('INVALID_INPUT', `${field}[${i}].text must be a string`);
    }
    if (file.name !== undefined && typeof file.name !== 'string') {
      throw new KubehardenError('INVALID_INPUT', `${field}[${i}].name must be a string`);
    }
    names.push(file.name || `${fallback}${i + 1}.yaml`);
    texts.push(file.text);
  });
  return [names, texts];
}

/** `{ names, texts, crds }`: `crds` is `[names, texts]` of the CRD files, or null. */
function normaliseInput(input) {
  if (typeof input === 'string') return { names: ['manifest.yaml'], texts: [input], crds: null };
  if (input && typeof input === 'object' && Array.isArray(input.files)) {
    const [names, texts] = normaliseFiles(input.files, 'files', 'file');
    if (input.crds === undefined) return { names, texts, crds: null };
    if (!Array.isArray(input.crds)) {
      throw new KubehardenError('INVALID_INPUT', 'crds must be an array of { name, text }');
    }
    return { names, texts, crds: normaliseFiles(input.crds, 'crds', 'crds') };
  }
  throw new KubehardenError('INVALID_INPUT', 'lint() takes a string or { files: [{ name, text }], crds?: [...] }');
}

function normaliseConfig(config) {
  if (config === undefined || config === null) return JSON.stringify({ today: today() });
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new KubehardenError('INVALID_CONFIG', 'config must be an object');
  }
  try {
    return JSON.stringify(config.today === undefined ? { ...config, today: today() } : config);
  } catch (e) {
    throw new KubehardenError('INVALID_CONFIG', `config cannot be serialised: ${e?.message}`, { cause: e });
  }
}

/**
 * Takes the policy options out of the config: `policies` ([{ name, text }]), `policyEngine`
 * and `policyNamespaces` are the package's; the rest goes to the core.
 */
function splitPolicies(config) {
  // Not a config object: the core says what is wrong with it.
  if (config != null && (typeof config !== 'object' || Array.isArray(config))) return [config, null];
  const { policies = [], policyEngine, policyNamespaces, ...rest } = config ?? {};
  const options = { ...readPolicies(policies), engine: policyEngine ?? 'auto', namespaces: policyNamespaces ?? [] };
  return [config == null ? config : rest, options];
}

/**
 * The API groups of policy documents (Gatekeeper templates and Constraints, admission policies
 * and their bindings, Kyverno ValidatingPolicies): a file whose text names none of them holds no
 * policy document, so the common lint asks the core for no policy plan (which would read the
 * files a second time). Policies among the linted files apply as they would in a cluster.
 */
const POLICY_GROUPS = [
  'templates.gatekeeper.sh',
  'constraints.gatekeeper.sh',
  'admissionregistration.k8s.io',
  'policies.kyverno.io',
];
const mayHoldPolicies = (texts) => texts.some((t) => POLICY_GROUPS.some((g) => t.includes(g)));

/** Whether texts may hold a CRD with x-kubernetes-validations rules (the CEL module checks). */
const mayHoldCrdRules = (texts) => texts.some((t) => t.includes('x-kubernetes-validations'));

/** The names and texts of `policies`, checked. */
function readPolicies(policies) {
  if (!Array.isArray(policies)) {
    throw new KubehardenError('INVALID_CONFIG', 'policies must be an array of { name, text }');
  }
  const names = [];
  const texts = [];
  policies.forEach((file, i) => {
    if (!file || typeof file.text !== 'string' || typeof file.name !== 'string') {
      throw new KubehardenError('INVALID_CONFIG', `policies[${i}] must be { name: string, text: string }`);
    }
    names.push(file.name);
    texts.push(file.text);
  });
  return { names, texts };
}

const tag = (value) => Object.prototype.toString.call(value);
const isModule = (value) => tag(value) === '[object WebAssembly.Module]';
const isBytes = (value) => ArrayBuffer.isView(value) || tag(value) === '[object ArrayBuffer]';
const isResponse = (value) => typeof Response === 'function' && value instanceof Response;
const isLocation = (value) =>
  typeof value === 'string' || value instanceof URL || (typeof Request === 'function' && value instanceof Request);

function loadFailed(message, cause) {
  return new KubehardenError('LOAD_FAILED', `cannot load kubeharden_bg.wasm: ${message}`, { cause });
}

async function compileResponse(response) {
  if (!response.ok) throw loadFailed(`HTTP ${response.status} ${response.statusText} for ${response.url}`);
  const type = (response.headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
  // Streaming compilation needs the right MIME type; without it, read the bytes first.
  if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

async function compileFrom(source, readLocal) {
  const value = await source;
  if (isModule(value)) return value;
  if (isBytes(value)) return WebAssembly.compile(value);
  if (isResponse(value)) return compileResponse(value);
  if (isLocation(value)) {
    if (readLocal) {
      const bytes = readLocal(value);
      if (bytes) return WebAssembly.compile(bytes);
    }
    return compileResponse(await fetch(value));
  }
  throw new KubehardenError(
    'INVALID_INPUT',
    'ready() takes nothing, a URL, a Response, the bytes of kubeharden_bg.wasm or a WebAssembly.Module',
  );
}

/**
 * An engine module (`kubeharden_policy_bg.wasm`: the policy layer and the Rego engine;
 * `kubeharden_cel_bg.wasm`: the policy layer and the CEL engine), loaded on the first lint whose
 * policies need its engine: synchronously where the platform allows (Node, workers), else by
 * `readyPolicies()`. A lint without policies never loads one, a lint with only Rego (or only
 * CEL) policies only that one.
 *
 * @param {typeof import('./kubeharden_policy.js') | undefined} glue
 * @param {{
 *   syncSource?: () => BufferSource | WebAssembly.Module,
 *   defaultLocation?: () => URL | string,
 *   readLocal?: (location: unknown) => Uint8Array<ArrayBuffer> | null,
 * }} [platform]
 * @param {string} [file] the .wasm's name, for messages
 * @param {string} [engine] the engine's name, for messages
 */
function createPolicyLoader(
  glue,
  { syncSource, defaultLocation, readLocal } = {},
  file = 'kubeharden_policy_bg.wasm',
  engine = 'Rego',
) {
  let loaded = false;
  let pending = null;
  const failed = (e) =>
    new KubehardenError('LOAD_FAILED', `cannot load ${file}: ${e?.message ? e.message : e}`, {
      cause: e,
    });
  function loadSync() {
    try {
      if (!glue || !syncSource) throw new Error(`this entry has no synchronous ${engine} module`);
      glue.initSync({ module: syncSource() });
    } catch (e) {
      throw failed(e);
    }
    loaded = true;
  }
  function ready(source) {
    if (!glue) return Promise.reject(new KubehardenError('LOAD_FAILED', `this entry has no ${engine} module`));
    if (loaded) return Promise.resolve();
    if (pending) return pending;
    if (source === undefined && syncSource) {
      try {
        loadSync();
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const from = source === undefined && defaultLocation ? defaultLocation() : source;
    pending = (async () => {
      let module;
      try {
        module = await compileFrom(from, readLocal);
        await glue.default({ module_or_path: module });
      } catch (e) {
        throw e instanceof KubehardenError ? e : failed(e);
      }
      loaded = true;
    })().finally(() => {
      pending = null;
    });
    return pending;
  }
  /**
   * @template T
   * @param {(glue: typeof import('./kubeharden_policy.js')) => T} fn
   * @returns {T}
   */
  function call(fn) {
    if (!glue) throw new KubehardenError('LOAD_FAILED', `this entry has no ${engine} module`);
    if (!loaded) {
      if (!syncSource) {
        throw new KubehardenError(
          'NOT_READY',
          `the ${engine} policy engine (${file}) is not loaded yet: await readyPolicies() before the first lint with policies`,
        );
      }
      loadSync();
    }
    try {
      return fn(glue);
    } catch (e) {
      if (e && typeof e.code === 'string' && !(e instanceof WebAssembly.RuntimeError)) {
        throw new KubehardenError(e.code, e.message, { cause: e });
      }
      try {
        glue.__wbg_reset_state();
      } catch {
        loaded = false;
      }
      throw new KubehardenError(
        'TRAP',
        `the ${engine} policy engine failed on this input and was restarted: ${e?.message}`,
        {
          cause: e,
        },
      );
    }
  }
  /** Whether `call` can run now: loaded, or loadable synchronously. */
  const available = () => Boolean(glue) && (loaded || Boolean(syncSource));
  return { ready, call, available };
}

/**
 * Builds the API around the wasm-bindgen glue (`--target web`).
 *
 * - `syncSource()`: where instantiation can be synchronous (Node, workers), returns the module
 *   or its bytes; the first call instantiates it and `ready()` resolves at once.
 * - `defaultLocation()`: where it cannot (browsers, Deno), the URL `ready()` fetches.
 * - `readLocal(location)`: optional; reads a `file:` URL or a path (Node).
 * - `docs()` / `docsAsync()`: the rules' documentation (`rule-docs.json`, as text, bytes or
 *   parsed), which the .wasm is built without. `docs()` where it can be read synchronously,
 *   on the first call that needs it (`rules`, `explain`, `toSarif`); `docsAsync()` where it
 *   cannot (browsers, Deno): `ready()` loads it alongside the .wasm.
 * - `schema()` / `schemaAsync()`: the built-in schema table (`schema-table.json`, as text,
 *   bytes or parsed), which the .wasm is built without; every lint needs it. `schema()` on the
 *   first call, `schemaAsync()` by `ready()` alongside the .wasm.
 *
 * @param {typeof import('./kubeharden.js')} glue
 * @param {object} platform
 * @param {() => BufferSource | WebAssembly.Module} [platform.syncSource]
 * @param {() => URL | string} [platform.defaultLocation]
 * @param {(location: unknown) => Uint8Array<ArrayBuffer> | null} [platform.readLocal]
 * @param {() => unknown} [platform.docs]
 * @param {() => Promise<unknown>} [platform.docsAsync]
 * @param {() => unknown} [platform.schema]
 * @param {() => Promise<unknown>} [platform.schemaAsync]
 * @param {{
 *   glue: typeof import('./kubeharden_policy.js'),
 *   syncSource?: () => BufferSource | WebAssembly.Module,
 *   defaultLocation?: () => URL | string,
 *   readLocal?: (location: unknown) => Uint8Array<ArrayBuffer> | null,
 * }} [platform.policy] the Rego engine module, loaded on the first lint whose policies need it
 * @param {{
 *   glue: typeof import('./kubeharden_policy.js'),
 *   syncSource?: () => BufferSource | WebAssembly.Module,
 *   defaultLocation?: () => URL | string,
 *   readLocal?: (location: unknown) => Uint8Array<ArrayBuffer> | null,
 * }} [platform.cel] the CEL engine module (the same glue API), loaded likewise
 */
export function createApi(
  glue,
  { syncSource, defaultLocation, readLocal, docs, docsAsync, schema, schemaAsync, policy, cel },
) {
  /** @type {Record<string, ReturnType<typeof createPolicyLoader>>} */
  const engines = {
    rego: createPolicyLoader(policy?.glue, policy, 'kubeharden_policy_bg.wasm', 'Rego'),
    cel: createPolicyLoader(cel?.glue, cel, 'kubeharden_cel_bg.wasm', 'CEL'),
  };
  let loaded = false;
  let pending = null;
  let broken = false;
  let rulesJson = null;
  // The data files the .wasm is built without. The docs are needed only by the calls that
  // render them, and the instance does not say whether it holds them: a flag here, cleared by a
  // restart. The schema table is needed by every call, and the instance is asked (another API
  // object over the same glue may have restarted it).
  let docsInWasm = false;
  const fail = (code, message, cause) => new KubehardenError(code, message, cause ? { cause } : undefined);
  const docsFile = createDataFile({
    name: 'rule-docs.json',
    read: docs,
    readAsync: docsAsync,
    decode: docsText,
    install: (text) => {
      glue.loadDocs(text);
      docsInWasm = true;
    },
    installed: () => docsInWasm,
    fail,
  });
  const schemaFile = createDataFile({
    name: 'schema-table.json',
    read: schema,
    readAsync: schemaAsync,
    decode: schemaBytes,
    install: (bytes) => glue.loadSchema(bytes),
    installed: () => glue.schemaLoaded(),
    fail,
  });
  const withDocs = () => docsFile.ensure();

  function instantiateSync(/** @type {() => BufferSource | WebAssembly.Module} */ source) {
    try {
      glue.initSync({ module: source() });
    } catch (e) {
      throw loadFailed(String(e?.message ? e.message : e), e);
    }
    loaded = true;
  }

  async function instantiate(source) {
    let module;
    try {
      module = await compileFrom(source, readLocal);
    } catch (e) {
      if (e instanceof KubehardenError) throw e;
      throw loadFailed(String(e?.message ? e.message : e), e);
    }
    try {
      // The glue's asynchronous path: WebAssembly.instantiate, never a synchronous
      // instantiation on a browser's main thread.
      await glue.default({ module_or_path: module });
    } catch (e) {
      throw loadFailed(String(e?.message ? e.message : e), e);
    }
    loaded = true;
  }

  function ready(source) {
    if (loaded) return Promise.resolve();
    if (pending) return pending;
    if (source === undefined && syncSource) {
      try {
        instantiateSync(syncSource);
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const from = source === undefined && defaultLocation ? defaultLocation() : source;
    pending = Promise.all([instantiate(from), docsFile.fetch(), schemaFile.fetch()])
      .then(() => {})
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  function ensureLoaded() {
    if (loaded) return;
    if (syncSource) {
      instantiateSync(syncSource);
      return;
    }
    throw new KubehardenError('NOT_READY', 'kubeharden is not loaded yet: await ready() before the first call');
  }

  function reset(cause) {
    docsInWasm = false;
    try {
      glue.__wbg_reset_state();
      broken = false;
    } catch (e) {
      broken = true;
      throw new KubehardenError('TRAP', `kubeharden stopped and could not be restarted: ${e?.message}`, { cause });
    }
  }

  // Every call goes through here. The core is built never to trap; should it happen anyway (a
  // wasm trap, or the engine's stack running out), the instance is replaced by a fresh one so
  // the next call works, and the failure surfaces as a typed error.
  function call(fn) {
    ensureLoaded();
    if (broken) reset();
    schemaFile.ensure();
    try {
      return fn();
    } catch (e) {
      if (e instanceof KubehardenError) throw e;
      if (e && typeof e.code === 'string' && !(e instanceof WebAssembly.RuntimeError)) {
        throw new KubehardenError(e.code, e.message, { cause: e });
      }
      reset(e);
      const what = e instanceof WebAssembly.RuntimeError ? 'crashed' : 'failed';
      throw new KubehardenError('TRAP', `kubeharden ${what} on this input and was restarted: ${e?.message}`, {
        cause: e,
      });
    }
  }

  function lint(input, config) {
    const { names, texts, crds } = normaliseInput(input);
    const [coreConfig, withPolicies] = splitPolicies(config);
    const configJson = normaliseConfig(coreConfig);
    const report =
      crds === null
        ? call(() => glue.lintFiles(names, texts, configJson))
        : call(() => glue.lintFilesWithCrds(names, texts, crds[0], crds[1], configJson));
    const evaluated = withCrdRules(report, names, texts, crds, configJson);
    if (!withPolicies || (!withPolicies.names.length && !mayHoldPolicies(texts))) return JSON.parse(evaluated);
    const { names: policyNames, texts: policyTexts, engine, namespaces } = withPolicies;
    // The engines the policies need (each policy belongs to exactly one; the first also
    // reports policy-document errors): each evaluates its share over the report the previous
    // one returned, so the findings are merged as the CLI merges them.
    const plan = planOf(names, texts, policyNames, policyTexts, configJson, engine);
    let merged = evaluated;
    plan.forEach((share, i) => {
      const options = JSON.stringify({ engine, namespaces, share, lead: i === 0 });
      merged = engines[share].call((g) =>
        g.applyPolicies(merged, names, texts, policyNames, policyTexts, configJson, options),
      );
    });
    return JSON.parse(merged);
  }

  /**
   * The CRDs' x-kubernetes-validations rules over the custom resources, by the CEL module (the
   * core has no CEL engine), as the CLI evaluates them; the core's report is returned as it is
   * (with its `unevaluated-validation-rule` notes) when no text holds such rules, or when the
   * CEL module cannot be loaded synchronously and was not loaded first (`readyPolicies()`).
   */
  function withCrdRules(report, names, texts, crds, configJson) {
    const crdNames = crds === null ? [] : crds[0];
    const crdTexts = crds === null ? [] : crds[1];
    if (!mayHoldCrdRules(texts) && !mayHoldCrdRules(crdTexts)) return report;
    if (!engines.cel.available()) return report;
    return engines.cel.call((g) => g.applyCrdRules(report, names, texts, crdNames, crdTexts, configJson));
  }

  /** The engine modules a lint's policies need, in order (the core's `policyPlan`). */
  function planOf(names, texts, policyNames, policyTexts, configJson, engine) {
    if (typeof engine !== 'string') {
      throw new KubehardenError('INVALID_CONFIG', 'policyEngine must be "auto", "rego" or "cel"');
    }
    const plan = call(() => glue.policyPlan(names, texts, policyNames, policyTexts, configJson, engine));
    return plan ? plan.split(',') : [];
  }

  function fix(input, options) {
    const { names, texts } = normaliseInput(input);
    const opts = options ?? {};
    if (typeof opts !== 'object')
      throw new KubehardenError('INVALID_INPUT', 'fix() takes options { config, applicability }');
    const applicability = opts.applicability ?? 'hardening';
    if (!['safe', 'hardening', 'unsafe'].includes(applicability)) {
      throw new KubehardenError('INVALID_INPUT', 'applicability must be "safe", "hardening" or "unsafe"');
    }
    const configJson = normaliseConfig(opts.config);
    return JSON.parse(call(() => glue.fixFiles(names, texts, configJson, applicability)));
  }

  function rules() {
    if (rulesJson === null)
      rulesJson = call(() => {
        withDocs();
        return glue.rules();
      });
    return JSON.parse(rulesJson);
  }

  function fieldAt(text, offset) {
    if (typeof text !== 'string' || !Number.isInteger(offset) || offset < 0) {
      throw new KubehardenError('INVALID_INPUT', 'fieldAt() takes a text and an offset (a string index)');
    }
    const json = call(() => glue.fieldAt(text, offset));
    return json === undefined ? undefined : JSON.parse(json);
  }

  function explain(ruleId) {
    if (typeof ruleId !== 'string') throw new KubehardenError('INVALID_INPUT', 'explain() takes a rule ID (a string)');
    return call(() => {
      withDocs();
      return glue.explain(ruleId);
    });
  }

  function toSarif(report) {
    if (!report || typeof report !== 'object') {
      throw new KubehardenError('INVALID_INPUT', 'toSarif() takes a report returned by lint()');
    }
    const json = JSON.stringify(report);
    return JSON.parse(
      call(() => {
        withDocs();
        return glue.toSarif(json);
      }),
    );
  }

  function defaultConfig() {
    return JSON.parse(call(() => glue.defaultConfig()));
  }

  /**
   * Readies the engine modules: both (no argument, or `{ rego, cel }` sources), only what a
   * set of policies needs (`{ policies, policyEngine?, files? }`, decided as `lint()` decides),
   * or, given a location, bytes or a module, the Rego module from it (as before the CEL module).
   */
  async function readyPolicies(what) {
    const isOptions =
      what !== null &&
      typeof what === 'object' &&
      !isModule(what) &&
      !isBytes(what) &&
      !isResponse(what) &&
      !isLocation(what);
    if (!isOptions) {
      if (what !== undefined) return engines.rego.ready(what);
      await Promise.all([engines.rego.ready(), engines.cel.ready()]);
      return;
    }
    let needed = ['rego', 'cel'];
    if (what.policies !== undefined) {
      await ready();
      const { names: policyNames, texts: policyTexts } = readPolicies(what.policies);
      const { names, texts } =
        what.files === undefined ? { names: [], texts: [] } : normaliseInput({ files: what.files });
      needed =
        policyNames.length || mayHoldPolicies(texts)
          ? planOf(names, texts, policyNames, policyTexts, normaliseConfig(undefined), what.policyEngine ?? 'auto')
          : [];
    }
    if (what.files !== undefined && !needed.includes('cel')) {
      const { texts } = normaliseInput({ files: what.files });
      if (mayHoldCrdRules(texts)) needed = [...needed, 'cel'];
    }
    await Promise.all(needed.map((e) => engines[e].ready(what[e])));
  }

  return {
    version,
    KubehardenError,
    ready,
    readyPolicies,
    lint,
    fix,
    rules,
    explain,
    fieldAt,
    toSarif,
    defaultConfig,
  };
}
