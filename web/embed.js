// The mock portal's own script: a deploy gate driven by the linter's `result` event.
const review = document.getElementById('review');
const gate = document.getElementById('gate');
const text = document.getElementById('gate-text');

review.addEventListener('result', (event) => {
  const { error, warning } = event.detail.summary;
  gate.dataset.state = error ? 'blocked' : 'passed';
  text.textContent = error
    ? `Blocked: ${error} error${error === 1 ? '' : 's'} and ${warning} warning${warning === 1 ? '' : 's'} under the restricted profile. Fix them, or ask for an exemption.`
    : `Passed: no errors under the restricted profile${warning ? ` (${warning} warning${warning === 1 ? '' : 's'} to review)` : ''}.`;
});
