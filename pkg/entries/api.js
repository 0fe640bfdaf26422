// The public API of the `kubeharden` package, shared by every entry file. An entry only
// decides how the WebAssembly module is obtained (by URL, from a file, or as a module import)
// and hands the wasm-bindgen glue to `createApi`.

export const version = '__KUBEHARDEN_VERSION__';

/** Errors thrown by kubeharden carry a stable `code`. */
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

function normaliseInput(input) {
  if (typeof input === 'string') return [['manifest.yaml'], [input]];
  if (input && Array.isArray(input.files)) {
    const names = [];
    const texts = [];
    for (const [i, file] of input.files.entries()) {
      if (!file || typeof file.text !== 'string') {
        throw new KubehardenError('INVALID_INPUT', `files[${i}].text must be a string`);
      }
      names.push(typeof file.name === 'string' && file.name ? file.name : `file${i + 1}.yaml`);
      texts.push(file.text);
    }
    return [names, texts];
  }
  throw new KubehardenError('INVALID_INPUT', 'lint() takes a string or { files: [{ name, text }] }');
}

function normaliseConfig(config) {
  if (config === undefined || config === null) return JSON.stringify({ today: today() });
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new KubehardenError('INVALID_CONFIG', 'config must be an object');
  }
  return JSON.stringify(config.today === undefined ? { ...config, today: today() } : config);
}

/**
 * Builds the API around a wasm-bindgen glue module. `state.glue` is null until the module is
 * instantiated; `init(source)` instantiates it (sync or async, depending on the entry).
 */
export function createApi(state, init) {
  let rulesCache = null;

  function glue() {
    if (!state.glue) {
      throw new KubehardenError('NOT_READY', 'kubeharden is not initialised yet: await ready() first');
    }
    return state.glue;
  }

  // Every call goes through here: a wasm trap (which the core is built never to raise) resets
  // the instance so the next call works, and surfaces as a typed error.
  function call(fn) {
    const g = glue();
    try {
      return fn(g);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        try {
          g.__wbg_reset_state();
        } catch (resetError) {
          state.glue = null;
          throw new KubehardenError('TRAP', `kubeharden crashed and could not be reset: ${resetError}`, { cause: e });
        }
        throw new KubehardenError('TRAP', `kubeharden crashed on this input and was reset: ${e.message}`, { cause: e });
      }
      if (e instanceof KubehardenError) throw e;
      if (e && typeof e.code === 'string') throw new KubehardenError(e.code, e.message, { cause: e });
      throw new KubehardenError('INTERNAL', String(e && e.message ? e.message : e), { cause: e });
    }
  }

  return {
    version,
    KubehardenError,
    /** Resolves when the module is ready. Optional `source`: a URL, bytes or a WebAssembly.Module. */
    ready(source) {
      if (state.glue) return Promise.resolve();
      return Promise.resolve(init(source));
    },
    /** Lints a string, or `{ files: [{ name, text }] }` linted together. */
    lint(input, config) {
      const [names, texts] = normaliseInput(input);
      const configJson = normaliseConfig(config);
      return JSON.parse(call((g) => g.lintFiles(names, texts, configJson)));
    },
    /** Metadata and documentation of every rule. */
    rules() {
      if (!rulesCache) rulesCache = JSON.parse(call((g) => g.rules()));
      return rulesCache;
    },
    /** The full documentation of one rule as Markdown (undefined for an unknown ID). */
    explain(ruleId) {
      return call((g) => g.explain(String(ruleId)));
    },
    /** A report returned by lint(), as a SARIF 2.1.0 log (an object). */
    toSarif(report) {
      return JSON.parse(call((g) => g.toSarif(JSON.stringify(report))));
    },
  };
}
