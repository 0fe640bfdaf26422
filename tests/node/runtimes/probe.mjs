// The probe as a user's ESM program (Node `import`, Deno): run inside a project where the
// packed package is installed, next to probe-lib.mjs and probe.yaml. Prints JSON.
import { readFileSync } from 'node:fs';
import * as kh from 'kubeharden';
import { probe } from './probe-lib.mjs';

const text = readFileSync(new URL('./probe.yaml', import.meta.url), 'utf8');
const result = await probe(kh, text);
result.entry = import.meta.resolve('kubeharden');
console.log(JSON.stringify(result));
