// What the entries use of each platform beyond the DOM and ES libraries, for type checking the
// entries only (tsconfig.json; not part of the package): Node's file reading and the .wasm
// imports that Workers and Vercel Edge bundlers turn into a WebAssembly.Module.

declare module 'node:fs' {
  export function readFileSync(path: string | URL): Uint8Array<ArrayBuffer>;
}

declare module 'node:path' {
  export function join(...parts: string[]): string;
}

/** CommonJS: the folder of node.cjs. */
declare const __dirname: string;

declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

/** The rules' docs (rule-docs.json), imported as a JSON module. */
declare module '*.json' {
  const value: unknown;
  export default value;
}

declare module '*.wasm?module' {
  const module: WebAssembly.Module;
  export default module;
}
