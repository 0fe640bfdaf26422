#!/usr/bin/env node

// Builds the web page and the <kubeharden-linter> web component into web/dist: plain static
// files with relative URLs, so they work from any static host and any sub-path.
//
//   kubeharden-linter.js   the web component (CodeMirror, UI), one ES module
//   worker.js              the Web Worker: the npm package from pkg/ (bundled)
//   kubeharden_bg.wasm     the linter, from pkg/
//   kubeharden_policy_bg.wasm, kubeharden_cel_bg.wasm
//                          the policy engines (Rego, CEL), from pkg/: fetched by the worker's
//                          readyPolicies() only when a lint has policies that need them
//   page.js, index.html    the page; embed.js, embed.html: a mock portal embedding the component
//
// Usage: node web/build.mjs [--dev] (--dev: no minification)

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

const web = dirname(fileURLToPath(import.meta.url));
const root = join(web, '..');
const dist = join(web, 'dist');
const pkg = join(root, 'pkg');
const dev = process.argv.includes('--dev');

if (!existsSync(join(pkg, 'kubeharden_bg.wasm')) || !existsSync(join(pkg, 'browser.js'))) {
  throw new Error('pkg/ is not built: run node scripts/build.mjs (or --pkg-only) first');
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  format: 'esm',
  target: ['chrome109', 'firefox115', 'safari16.4'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [
    {
      // CSS imported by the component becomes a (minified) string it adopts in its shadow root.
      name: 'css-text',
      setup(b) {
        b.onLoad({ filter: /\.css$/ }, async (args) => {
          const { code } = await transform(readFileSync(args.path, 'utf8'), { loader: 'css', minify: !dev });
          return { contents: code, loader: 'text' };
        });
      },
    },
  ],
  // The npm package, imported by its name as its users do: the one built into pkg/.
  alias: { kubeharden: join(pkg, 'browser.js') },
  define: { 'process.env.NODE_ENV': '"production"' },
};

await build({
  ...common,
  entryPoints: {
    'kubeharden-linter': join(web, 'src/component.js'),
    worker: join(web, 'src/worker.js'),
    page: join(web, 'page.js'),
    embed: join(web, 'embed.js'),
  },
  outdir: dist,
});

// field-docs.json: fetched by the component on the first hover on a key, never with the first paint.
for (const file of ['index.html', 'embed.html', 'page.css', 'embed.css', 'favicon.svg', 'field-docs.json'])
  copyFileSync(join(web, file), join(dist, file));
// The core module, and the modules the package loads only when needed (the Rego and the CEL
// engines, each on the first lint whose policies need it): every *_bg.wasm of pkg/, fetched by
// the package's browser entry next to itself (the bundled worker.js).
for (const file of readdirSync(pkg)) if (file.endsWith('_bg.wasm')) copyFileSync(join(pkg, file), join(dist, file));
copyFileSync(join(root, 'LICENSE'), join(dist, 'LICENSE'));

// Headers for static hosts that read a _headers file (Netlify, Cloudflare Pages): the same CSP
// as the pages' meta tags, plus what only a header can say.
const csp = readFileSync(join(web, 'index.html'), 'utf8').match(
  /http-equiv="Content-Security-Policy" content="([^"]+)"/,
)[1];
writeFileSync(
  join(dist, '_headers'),
  `/*\n  Content-Security-Policy: ${csp}; frame-ancestors 'self'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n  Cross-Origin-Opener-Policy: same-origin\n`,
);

let total = 0;
const rows = [];
for (const f of readdirSync(dist).sort()) {
  const bytes = readFileSync(join(dist, f));
  total += bytes.length;
  rows.push(
    `  ${f.padEnd(22)} ${String(statSync(join(dist, f)).size).padStart(9)} B  ${String(gzipSync(bytes).length).padStart(8)} B gzip`,
  );
}
console.log(`web/dist/: built${dev ? ' (dev)' : ''}\n${rows.join('\n')}\n  total ${total} B`);
