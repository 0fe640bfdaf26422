#!/usr/bin/env bash
# Runs every test: Rust (unit, fixtures, conformance incl. cel-spec, corpus, property), the JS's format, lints
# and types, the wasm package under Node (API, hostile input, CLI parity), the language server
# and the browser tests. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# insta must compare snapshots, never write them, when run by the test command.
export CI=true INSTA_UPDATE=no

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "set-up"
KUBEHARDEN_SETUP_BROWSER=1 KUBEHARDEN_SETUP_NEOVIM=1 bash scripts/setup.sh

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# The JS: Biome formats and lints it (biome.json; `npm run fix:js` applies its fixes), tsc
# checks it against its JSDoc types (tsconfig.json).
node_modules/.bin/biome check --error-on-warnings .
node_modules/.bin/tsc -p .

step "Rust tests"
# The cel-spec conformance tests as JSON, for crates/kubeharden-cel/tests/cel_spec.rs (which
# fails without them); about a second.
node scripts/cel-spec-export.mjs target/cel-spec/conformance.json
export KUBEHARDEN_CEL_SPEC_JSON="$PWD/target/cel-spec/conformance.json"
cargo test --workspace --locked

step "build: wasm package, web page, release CLI"
node scripts/build.mjs
cargo build --profile release-cli --locked -p kubeharden-cli

step "Node tests (npm package, parity with the CLI)"
node --test --test-reporter=spec tests/node/

step "VS Code extension: type check, bundle, .vsix"
node editors/vscode/build.mjs

step "Language server (LSP over stdio, Neovim, the VS Code extension)"
node --test --test-reporter=spec tests/lsp/

step "Browser tests (Chromium)"
node --test --test-reporter=spec tests/browser/
