// The probe as a user's CommonJS program (Node `require`). Prints JSON.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const kh = require('kubeharden');

const text = readFileSync(join(__dirname, 'probe.yaml'), 'utf8');
import('./probe-lib.mjs')
  .then(({ probe }) => probe(kh, text))
  .then((result) => {
    result.entry = require.resolve('kubeharden');
    console.log(JSON.stringify(result));
  });
