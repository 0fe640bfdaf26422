// The data files the .wasm is built without, to stay small: the rules' docs
// (`data/rule-docs.json`) and the built-in schema table (`data/schema-table.json`). Each entry
// says how a file is read: synchronously on first need (`read`: Node, workers), or by `ready()`
// alongside the .wasm (`readAsync`: browsers, Deno). The file is converted once and handed to
// the wasm instance whenever the instance lacks it (a restart after a trap starts without it).

const tag = (value) => Object.prototype.toString.call(value);
const isBytes = (value) => ArrayBuffer.isView(value) || tag(value) === '[object ArrayBuffer]';

/** The parsed JSON of a data file, from what the platform gives: text, bytes, parsed, or a JSON module. */
function parsedJson(value) {
  if (typeof value === 'string') return JSON.parse(value);
  if (isBytes(value)) return JSON.parse(new TextDecoder().decode(value));
  return value && !Array.isArray(value) && 'default' in value ? value.default : value;
}

/** `rule-docs.json` as the text the .wasm's `loadDocs` takes. */
export function docsText(value) {
  if (typeof value === 'string') return value;
  if (isBytes(value)) return new TextDecoder().decode(value);
  return JSON.stringify(parsedJson(value));
}

/** `schema-table.json` (`{ format, table }`, the table in base64) as the bytes of the table. */
export function schemaBytes(value) {
  const file = parsedJson(value);
  if (!file || typeof file.table !== 'string') throw new Error('no "table" in the file');
  return fromBase64(file.table);
}

/**
 * Base64 to bytes by the platform's native decoder where it has one (`Uint8Array.fromBase64`,
 * Node's `Buffer`): on a cold start the table's 80 KB of base64 take about 2 ms through `atob`
 * and a loop in Node 20, a tenth of that natively.
 */
function fromBase64(/** @type {string} */ text) {
  const native = /** @type {any} */ (Uint8Array).fromBase64;
  if (typeof native === 'function') return native.call(Uint8Array, text);
  const NodeBuffer = /** @type {any} */ (globalThis).Buffer;
  if (typeof NodeBuffer?.from === 'function') {
    const buffer = NodeBuffer.from(text, 'base64');
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * One data file.
 *
 * @param {object} file
 * @param {string} file.name the file's name, for errors
 * @param {(() => unknown) | undefined} file.read
 * @param {(() => Promise<unknown>) | undefined} file.readAsync
 * @param {(value: unknown) => unknown} file.decode what the platform gives, as `install` takes it
 * @param {(decoded: any) => void} file.install hands it to the instance
 * @param {() => boolean} file.installed whether the instance holds it
 * @param {(code: string, message: string, cause: unknown) => Error} file.fail
 */
export function createDataFile({ name, read, readAsync, decode, install, installed, fail }) {
  let decoded = null;
  let error = null;
  return {
    /** Reads it ahead, for `ready()`; a failure is reported by the call that needs the file. */
    async fetch() {
      if (decoded !== null || !readAsync) return;
      try {
        decoded = decode(await readAsync());
        error = null;
      } catch (e) {
        error = e;
      }
    },
    /** Before a call that needs it: the instance holds it afterwards. */
    ensure() {
      if ((!read && !readAsync) || installed()) return;
      if (decoded === null) {
        if (read) {
          try {
            decoded = decode(read());
          } catch (e) {
            throw fail('LOAD_FAILED', `cannot load ${name}: ${e?.message}`, e);
          }
        } else if (error) {
          throw fail('LOAD_FAILED', `cannot load ${name}: ${error?.message}`, error);
        } else {
          throw fail('NOT_READY', 'kubeharden is not loaded yet: await ready() before the first call', undefined);
        }
      }
      install(decoded);
    },
  };
}
