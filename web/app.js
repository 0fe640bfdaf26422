import { ready, lint } from './pkg/browser.js';

const input = document.getElementById('input');
const list = document.getElementById('findings');

function render() {
  const report = lint({ files: [{ name: 'manifest.yaml', text: input.value }] });
  list.replaceChildren(
    ...report.findings.map((f) => {
      const li = document.createElement('li');
      li.textContent = `${f.span.start.line}:${f.span.start.column} ${f.severity} [${f.rule}] ${f.message}`;
      return li;
    }),
  );
}

await ready();
input.addEventListener('input', render);
render();
