//! Helpers of the CLI tests: the binary in a clean environment, scratch folders, the fixed input.

// Each test file uses some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const BIN: &str = env!("CARGO_BIN_EXE_kubeharden");

pub fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs")
}

/// A folder of the shared data beside the checkout (`../shared/<rel>`); the tests need it.
pub fn shared_dir(rel: &str) -> PathBuf {
    let found = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(2)
        .map(|a| a.join("shared").join(rel))
        .find(|p| p.is_dir());
    found.unwrap_or_else(|| panic!("the shared conformance suites (shared/{rel}) are missing"))
}

/// The binary with a clean environment for reproducible output (no colours from the terminal,
/// no CI variables from the machine running the tests).
pub fn kubeharden(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd).args(args).stdin(Stdio::null());
    for var in ["NO_COLOR", "TERM", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"] {
        cmd.env_remove(var);
    }
    cmd
}

pub fn run(cwd: &Path, args: &[&str]) -> Output {
    kubeharden(cwd, args).output().expect("the binary runs")
}

pub fn run_stdin(cwd: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child =
        kubeharden(cwd, args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// A fresh folder under Cargo's temporary folder for integration tests.
pub fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// The fixed input: baseline profile plus one info rule, so each severity and a suppressed
/// finding appear.
pub const FIXED: &[&str] =
    &["--no-config", "--profile", "baseline", "--enable", "ambiguous-yaml-value", "deploy.yaml", "exempt.json"];

/// A copy of the fixed inputs in a git work tree of its own (a `.git` folder at its root), so
/// that CI paths and SARIF URIs, which are relative to the work tree, do not depend on where
/// this repository is checked out.
pub fn fixed_tree() -> PathBuf {
    let dir = scratch("fixed");
    std::fs::create_dir(dir.join(".git")).unwrap();
    for name in ["deploy.yaml", "exempt.json"] {
        std::fs::copy(inputs().join(name), dir.join(name)).unwrap();
    }
    dir
}

pub fn fixed(format: &str, extra: &[&str]) -> Output {
    let mut args = vec!["lint", "--format", format];
    args.extend_from_slice(extra);
    args.extend_from_slice(FIXED);
    run(&fixed_tree(), &args)
}

pub const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";
