//! Peak memory of a lint stays within 10× the input plus a small constant, on inputs made to
//! blow it up (one mistake repeated 100,000 times) and on large ordinary ones.
//!
//! Measured as the growth of this process's peak resident set (`VmHWM`, reset through
//! `/proc/self/clear_refs` before each case) while linting: Linux only, and each case runs
//! alone in a child process, so that nothing else runs in the process meanwhile.

#![cfg(target_os = "linux")]

use kubeharden::{Config, lint_str};

/// A `kB` field of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<usize>().unwrap() * 1024
}

/// The inputs, by name: made to blow memory up, and large ordinary ones.
fn cases() -> Vec<(&'static str, String)> {
    let head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n";
    let containers: String = (0..20_000)
        .map(|i| format!("  - {{name: c{i}, image: nginx, securityContext: {{privileged: true}}}}\n"))
        .collect();
    vec![
        ("one key repeated 100,000 times", format!("{head}{}", "  k: v\n".repeat(100_000))),
        ("one key repeated 200,000 times", format!("{head}{}", "  k: v\n".repeat(200_000))),
        (
            "100,000 YAML 1.1 booleans",
            format!("{head}{}", (0..100_000).map(|i| format!("  k{i}: yes\n")).collect::<String>()),
        ),
        (
            "100,000 distinct keys",
            format!("{head}{}", (0..100_000).map(|i| format!("  k{i}: v\n")).collect::<String>()),
        ),
        (
            "a pod with 20,000 privileged containers",
            format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n{containers}"),
        ),
        ("the shared corpus of real manifests, as one stream", corpus_stream()),
    ]
}

/// Every YAML file of `../shared/corpus/real`, as one multi-document stream.
fn corpus_stream() -> String {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real"), &mut files);
    files.sort();
    assert!(files.len() > 100, "the shared corpus is required");
    files.iter().filter_map(|f| std::fs::read_to_string(f).ok()).map(|t| format!("---\n{t}\n")).collect()
}

const CASE: &str = "KUBEHARDEN_MEMORY_CASE";

/// Run in a child process per case, on a file the parent wrote (a fresh heap: memory freed by
/// building the inputs would hide a lint's growth): prints the peak growth of one lint, in bytes.
#[test]
fn peak_of_one_case() {
    let Ok(path) = std::env::var(CASE) else { return };
    let text = std::fs::read_to_string(path).unwrap();
    // Writing 5 resets the peak resident set to the current one.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status_bytes("VmRSS:");
    let report = lint_str("input.yaml", &text, &Config::default());
    let json = report.to_json();
    let peak = status_bytes("VmHWM:");
    assert!(!json.is_empty());
    println!("growth={}", peak.saturating_sub(before));
}

#[test]
fn peak_memory_is_bounded_by_the_input() {
    const CONSTANT: usize = 8 * 1024 * 1024;
    let mut failures = Vec::new();
    for (index, (name, text)) in cases().iter().enumerate() {
        let path = std::env::temp_dir().join(format!("kubeharden-memory-{}-{index}.yaml", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "peak_of_one_case", "--nocapture", "--test-threads=1"])
            .env(CASE, &path)
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&path);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let growth: usize = stdout
            .split("growth=")
            .nth(1)
            .and_then(|g| g.split_whitespace().next())
            .and_then(|g| g.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no measurement in {stdout}{}", String::from_utf8_lossy(&out.stderr)));
        let ratio = growth as f64 / text.len() as f64;
        println!("{name}: input {} KB, peak growth {} KB ({ratio:.1}x)", text.len() / 1024, growth / 1024);
        if growth > 10 * text.len() + CONSTANT {
            failures.push(format!("{name}: {} KB for {} KB of input", growth / 1024, text.len() / 1024));
        }
    }
    assert!(failures.is_empty(), "peak memory above 10x the input + 8 MiB: {failures:?}");
}
