//! Reading and parsing the inputs in parallel (std threads), before one `lint_parsed` call
//! over all of them so cross-resource rules see every object.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kubeharden::source::IssueKind;
use kubeharden::{Limits, ParsedSource, Source};

use crate::files::Input;

#[derive(Debug, Default)]
pub struct Loaded {
    /// Parsed sources in input order.
    pub sources: Vec<ParsedSource>,
    /// Files that could not be read: exit code 2.
    pub errors: Vec<String>,
    /// Files found in folders that hold no Kubernetes object (skipped).
    pub not_manifests: usize,
}

enum Outcome {
    Parsed(Box<ParsedSource>),
    NotManifest,
    Failed(String),
}

/// Reads and parses every input. `stdin` is the text of standard input when `-` was given.
pub fn load(inputs: &[Input], stdin: Option<(String, String)>, limits: &Limits) -> Loaded {
    let files: Vec<&Input> = inputs.iter().filter(|i| matches!(i, Input::File { .. })).collect();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(files.len()).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(files.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut local = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(Input::File { path, name, explicit }) = files.get(index) else { break };
                    local.push((index, load_file(path, name, *explicit, limits)));
                }
                if let Ok(mut all) = results.lock() {
                    all.extend(local);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(index, _)| *index);
    let mut by_file = results.into_iter().map(|(_, outcome)| outcome);

    let mut loaded = Loaded::default();
    let mut stdin = stdin;
    for input in inputs {
        let outcome = match input {
            Input::Stdin => match stdin.take() {
                Some((name, text)) => parse_guarded(&name, text, true, limits),
                None => continue,
            },
            Input::File { .. } => match by_file.next() {
                Some(outcome) => outcome,
                None => continue,
            },
        };
        match outcome {
            Outcome::Parsed(parsed) => loaded.sources.push(*parsed),
            Outcome::NotManifest => loaded.not_manifests += 1,
            Outcome::Failed(message) => loaded.errors.push(message),
        }
    }
    loaded
}

fn load_file(path: &Path, name: &str, explicit: bool, limits: &Limits) -> Outcome {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return Outcome::Failed(format!("cannot read `{name}`: {}", crate::io_reason(&e))),
    };
    match decode(bytes) {
        Ok(text) => parse_guarded(name, text, explicit, limits),
        Err(reason) => Outcome::Failed(format!("cannot read `{name}`: {reason}")),
    }
}

/// From this size on, a file's documents are read on every core: the YAML reader is most of a
/// lint's time, and one large stream would otherwise keep all but one core idle. Below it,
/// threads would cost more than they save.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

fn parse_guarded(name: &str, text: String, explicit: bool, limits: &Limits) -> Outcome {
    let threads =
        if text.len() >= PARALLEL_FROM_BYTES { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { 1 };
    let source = Source::new(name, text);
    let parse = || {
        if threads > 1 {
            kubeharden::source::parse_owned_parallel(source, limits, threads)
        } else {
            kubeharden::parse_owned(source, limits)
        }
    };
    match catch_unwind(AssertUnwindSafe(parse)) {
        Ok(parsed) if explicit || looks_like_manifest(&parsed) => Outcome::Parsed(Box::new(parsed)),
        Ok(_) => Outcome::NotManifest,
        Err(_) => Outcome::Failed(format!(
            "internal error while reading `{name}`; please report it with the file (https://github.com/kubeharden/kubeharden/issues)"
        )),
    }
}

/// A file found in a folder is linted when one of its documents is an object with `apiVersion`
/// or `kind` (a manifest, possibly a broken one), or when it cannot be read as YAML at all (so a
/// syntax error in a manifest is reported, not skipped). Other YAML and JSON (CI configs,
/// `package.json`, Helm values) is left alone.
fn looks_like_manifest(parsed: &ParsedSource) -> bool {
    parsed.issues.iter().any(|i| matches!(i.kind, IssueKind::InvalidYaml | IssueKind::LimitExceeded))
        || parsed.documents.iter().any(|d| {
            let root = parsed.tree.node(d.root);
            root.get("apiVersion").is_some() || root.get("kind").is_some()
        })
}

/// Bytes to text, or why not: kubectl reads UTF-8 only.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("the file is UTF-16 (it starts with a UTF-16 byte order mark); Kubernetes manifests are \
                    UTF-8: convert it, for example with `iconv -f UTF-16 -t UTF-8`"
            .into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = bytes.get(..at).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let bad_len = e.utf8_error().error_len().unwrap_or(bytes.len() - at).clamp(1, 4);
        let bad: Vec<String> =
            bytes.get(at..at + bad_len).unwrap_or_default().iter().map(|b| format!("0x{b:02X}")).collect();
        // The bytes before `at` are valid UTF-8, so the column can count characters.
        let column =
            std::str::from_utf8(before.get(line_start..).unwrap_or_default()).map_or(0, |s| s.chars().count()) + 1;
        format!(
            "not valid UTF-8 at byte offset {at} (line {line}, column {column}): {}; Kubernetes manifests are UTF-8",
            bad.join(" ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_the_byte_and_line() {
        let err = decode(b"apiVersion: v1\nkind: Pod # caf\xE9\n".to_vec()).unwrap_err();
        assert_eq!(err, "not valid UTF-8 at byte offset 30 (line 2, column 16): 0xE9; Kubernetes manifests are UTF-8");
        let err = decode(vec![0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert!(err.contains("UTF-16"), "{err}");
        assert_eq!(decode(b"ok \xE2\x9C\x94".to_vec()).unwrap(), "ok ✔");
    }

    #[test]
    fn truncated_sequence_at_the_end() {
        let err = decode(b"\xC3\xA9: \xE2\x9C".to_vec()).unwrap_err();
        assert!(err.starts_with("not valid UTF-8 at byte offset 4 (line 1, column 4): 0xE2 0x9C;"), "{err}");
    }
}
