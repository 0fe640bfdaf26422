// Runs kubeharden under Deno: `deno run --allow-read deno-run.mjs <entry URL> <mode>`.
//   corpus:  stdin is JSON [{ name, text }]; prints { each: [report…], together: report }
//   hostile: prints the hostile-input results (hostile-lib.mjs)
//   trap:    prints the trap-and-recover result
//   policies: stdin is JSON [{ files, policies }]; prints [report…] (after readyPolicies())
//   cel-policies: the same, the first input's policies readied alone first
import { runHostile, trapAndRecover } from './hostile-lib.mjs';

const [entry, mode] = Deno.args;
const kh = await import(entry);
await kh.ready();
let out;
if (mode === 'corpus') {
  const files = JSON.parse(await new Response(Deno.stdin.readable).text());
  out = { each: files.map((file) => kh.lint({ files: [file] })), together: kh.lint({ files }) };
} else if (mode === 'policies') {
  const inputs = JSON.parse(await new Response(Deno.stdin.readable).text());
  let beforeReady;
  try {
    kh.lint({ files: inputs[0].files }, { policies: inputs[0].policies });
    beforeReady = 'ok';
  } catch (e) {
    beforeReady = e.code;
  }
  await kh.readyPolicies();
  out = { beforeReady, reports: inputs.map(({ files, policies }) => kh.lint({ files }, { policies })) };
} else if (mode === 'cel-policies') {
  // Only the CEL module, readied for the first input's policies (CEL ones): a Rego policy then
  // finds its module not loaded; after readyPolicies(), everything lints.
  const inputs = JSON.parse(await new Response(Deno.stdin.readable).text());
  await kh.readyPolicies({ policies: inputs[0].policies });
  const first = kh.lint({ files: inputs[0].files }, { policies: inputs[0].policies });
  let regoBeforeReady;
  try {
    kh.lint({ files: inputs[0].files }, { policies: [{ name: 'p.rego', text: 'package main\n' }] });
    regoBeforeReady = 'ok';
  } catch (e) {
    regoBeforeReady = e.code;
  }
  await kh.readyPolicies();
  out = { first, regoBeforeReady, reports: inputs.map(({ files, policies }) => kh.lint({ files }, { policies })) };
} else if (mode === 'hostile') {
  out = runHostile(kh);
} else if (mode === 'trap') {
  const glue = await import(new URL('./kubeharden.js', entry).href);
  const { createApi } = await import(new URL('./api.js', entry).href);
  out = trapAndRecover(kh, glue, createApi);
} else {
  throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify(out));
