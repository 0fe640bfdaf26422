// A minimal LSP client over stdio for the tests: frames messages with Content-Length headers,
// answers the server's requests, and lets a test wait for the notifications it expects. Any
// byte on stdout that is not a well-formed message fails the test that owns the client.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cli } from '../node/helpers.mjs';

export { cli };

export const uriOf = (path) => pathToFileURL(path).href;

export class LspClient {
  /**
   * @param {object} options
   * @param {string} [options.bin] the server binary
   * @param {Record<string, (params: any) => any>} [options.handlers] answers to server requests
   */
  constructor({ bin = cli, handlers = {}, env = {} } = {}) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: cargo build --profile release-cli -p kubeharden-cli`);
    this.proc = spawn(bin, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.handlers = {
      'client/registerCapability': () => null,
      'workspace/configuration': (p) => p.items.map(() => ({})),
      ...handlers,
    };
    this.nextId = 1;
    this.pending = new Map();
    this.notifications = [];
    this.serverRequests = [];
    this.waiters = [];
    this.stderr = '';
    this.protocolErrors = [];
    this.buffer = Buffer.alloc(0);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.proc.stdout.on('data', (chunk) => this.#receive(chunk));
    this.proc.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
  }

  #receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const m = /^Content-Length: (\d+)$/im.exec(header);
      if (!m || !header.split('\r\n').every((line) => /^Content-(Length|Type): /i.test(line))) {
        this.protocolErrors.push(`bad header: ${JSON.stringify(header)}`);
        this.buffer = Buffer.alloc(0);
        return;
      }
      const length = Number(m[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      let message;
      try {
        message = JSON.parse(body);
      } catch {
        this.protocolErrors.push(`bad body: ${body}`);
        continue;
      }
      this.#dispatch(message);
    }
  }

  #dispatch(message) {
    if (message.id !== undefined && message.method) {
      this.serverRequests.push(message);
      const handler = this.handlers[message.method];
      const result = handler ? handler(message.params) : null;
      this.#write({ jsonrpc: '2.0', id: message.id, result: result ?? null });
      this.#wake();
    } else if (message.id !== undefined) {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (waiting) waiting(message);
    } else {
      this.notifications.push(message);
      this.#wake();
    }
  }

  #wake() {
    for (const w of [...this.waiters]) w();
  }

  #write(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  /** Sends a request; resolves with the whole response (`result` or `error`). */
  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.#write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.#write({ jsonrpc: '2.0', method, params });
  }

  /**
   * Waits for the first notification (from `since`, an index into `notifications`) that
   * matches; rejects after `timeout` ms with what did arrive.
   */
  waitFor(predicate, { since = 0, timeout = 10000 } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.notifications.slice(since).find(predicate);
        if (found) {
          this.waiters = this.waiters.filter((w) => w !== check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        const seen = this.notifications.slice(since).map((n) => `${n.method} ${n.params?.uri ?? ''}`);
        reject(new Error(`timed out; got ${JSON.stringify(seen)}; stderr: ${this.stderr}`));
      }, timeout);
      this.waiters.push(check);
      check();
    });
  }

  /** Waits until `condition()` holds (checked whenever a message arrives). */
  until(condition, timeout = 10000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        this.waiters = this.waiters.filter((w) => w !== check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out; stderr: ${this.stderr}`));
      }, timeout);
      this.waiters.push(check);
      check();
    });
  }

  /** The next diagnostics for `uri` (optionally of a given document version). */
  diagnostics(uri, { since = this.notifications.length, version, timeout } = {}) {
    return this.waitFor(
      (n) =>
        n.method === 'textDocument/publishDiagnostics' &&
        n.params.uri === uri &&
        (version === undefined || n.params.version === version),
      { since, timeout },
    ).then((n) => n.params);
  }

  /** Every diagnostics notification for `uri` received so far. */
  published(uri, since = 0) {
    return this.notifications
      .slice(since)
      .filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
  }

  async initialize({ rootDir, capabilities = {}, initializationOptions } = {}) {
    const response = await this.request('initialize', {
      processId: process.pid,
      rootUri: rootDir ? uriOf(rootDir) : null,
      workspaceFolders: rootDir ? [{ uri: uriOf(rootDir), name: 'test' }] : null,
      capabilities,
      initializationOptions,
    });
    this.notify('initialized', {});
    return response.result;
  }

  open(path, text, { languageId = 'yaml', version = 1, uri = uriOf(path) } = {}) {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  /** shutdown, exit; resolves with the exit code. */
  async stop() {
    const response = await this.request('shutdown', null);
    this.notify('exit', null);
    const { code } = await this.exited;
    return { response, code };
  }

  kill() {
    this.proc.kill();
  }
}
