// A Cloudflare Worker using the package, as a user would write it: POST YAML to /lint, get the
// report as JSON. /probe, /hostile and /trap run the shared checks inside workerd.
import * as kh from 'kubeharden';
import { runHostile, trapAndRecover } from './hostile-lib.mjs';
import { createApi } from './node_modules/kubeharden/api.js';
import * as glue from './node_modules/kubeharden/kubeharden.js';
import { probe } from './probe-lib.mjs';

const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    try {
      if (pathname === '/lint' && request.method === 'POST') {
        if ((request.headers.get('content-type') || '').startsWith('application/json')) {
          const { files, config } = await request.json();
          return json(kh.lint({ files }, config));
        }
        const name = request.headers.get('x-name') || 'manifest.yaml';
        return json(kh.lint({ files: [{ name, text: await request.text() }] }));
      }
      if (pathname === '/probe') return json(await probe(kh, await request.text()));
      // 128 MB of memory per isolate: the oversized input exceeds a lowered limit here.
      if (pathname === '/hostile') return json(runHostile(kh, { maxInputBytes: 1 << 20 }));
      if (pathname === '/trap') return json(trapAndRecover(kh, glue, createApi));
      return json({ error: 'not found' }, 404);
    } catch (e) {
      const status = e.code === 'INVALID_INPUT' || e.code === 'INVALID_CONFIG' ? 400 : 500;
      return json({ error: { name: e.name, code: e.code, message: e.message } }, status);
    }
  },
};
