// The page around the linter: the theme switch (system, light, dark), remembered locally.
const KEY = 'kubeharden.theme';
const THEMES = ['auto', 'light', 'dark'];
const LABEL = { auto: 'System', light: 'Light', dark: 'Dark' };

const button = document.getElementById('theme');
const linter = document.getElementById('linter');

function read() {
  try {
    const value = localStorage.getItem(KEY);
    return THEMES.includes(value) ? value : 'auto';
  } catch {
    return 'auto';
  }
}

function apply(theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  linter.setAttribute('theme', theme);
  button.querySelector('.theme-label').textContent = `Theme: ${LABEL[theme]}`;
  button.setAttribute('aria-label', `Theme: ${LABEL[theme]} (change)`);
}

let theme = read();
apply(theme);
button.addEventListener('click', () => {
  theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered (storage disabled).
  }
  apply(theme);
});
