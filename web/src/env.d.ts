// What the bundler (web/build.mjs) provides beyond the modules themselves, for type checking.

/** A style sheet imported as its (minified) text, adopted by the component's shadow root. */
declare module '*.css' {
  const text: string;
  export default text;
}
