#!/usr/bin/env bash
# Installs what building and testing need on a fresh machine with Rust and Node, skipping
# whatever is already there. Set KUBEHARDEN_SETUP_BROWSER=1 to also install Chromium and
# KUBEHARDEN_SETUP_NEOVIM=1 to also install Neovim (tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# The toolchain and wasm target pinned by rust-toolchain.toml.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the version the wasm crate is built with.
want=$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)"/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$want" --locked
fi

# npm packages (binaryen's wasm-opt, esbuild, test tools). Re-run when the lock file changes.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The VS Code extension's npm packages (vscode-languageclient, @vscode/vsce, types).
ext=editors/vscode
if [ ! -f $ext/node_modules/.package-lock.json ] || [ $ext/package-lock.json -nt $ext/node_modules/.package-lock.json ]; then
  say "installing the VS Code extension's npm packages"
  npm ci --prefix $ext --no-audit --no-fund --loglevel=error
fi

# Debian packages for the tests, once.
apt_updated=0
apt_install() {
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  if [ $apt_updated = 0 ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

if [ "${KUBEHARDEN_SETUP_BROWSER:-0}" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium for the browser tests"
  apt_install chromium
fi

# Neovim's built-in LSP client drives the language server in tests/lsp/neovim.test.mjs.
if [ "${KUBEHARDEN_SETUP_NEOVIM:-0}" = 1 ] && ! command -v nvim >/dev/null; then
  say "installing Neovim for the language server tests"
  apt_install neovim
fi
