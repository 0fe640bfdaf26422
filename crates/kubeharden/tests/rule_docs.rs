//! `crates/kubeharden-wasm/rule-docs.json` is the rules' documentation for the wasm package,
//! which is built without it (the `docs` feature) and loads this file when a call first needs
//! docs. It is generated from the registry; this test fails when it is stale (a rule was added
//! or its docs changed) and says how to regenerate it.

use std::path::Path;

/// The one command that regenerates the file.
const REGENERATE: &str = "KUBEHARDEN_WRITE_RULE_DOCS=1 cargo test -q -p kubeharden --test rule_docs";

#[test]
fn rule_docs_json_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kubeharden-wasm/rule-docs.json");
    let expected = format!("{}\n", kubeharden::registry::docs_json());
    if std::env::var_os("KUBEHARDEN_WRITE_RULE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "crates/kubeharden-wasm/rule-docs.json is stale: the rule registry changed. Regenerate it from the repository root with\n\n    {REGENERATE}\n"
    );
}

#[test]
fn the_file_names_every_rule_in_catalogue_order() {
    let json: serde_json::Value = serde_json::from_str(&kubeharden::registry::docs_json()).unwrap();
    let ids: Vec<&str> = json.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = kubeharden::registry::all().map(|r| r.id).collect();
    assert_eq!(ids, expected);
}

/// A rule's pass and fail examples are YAML a reader should see as YAML: raw multi-line
/// strings (`r#"apiVersion: v1` on, line by line), never one line of `\n` escapes that
/// rustfmt cannot lay out.
#[test]
fn examples_are_written_as_multi_line_yaml() {
    let mut escaped = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            for (n, line) in source.lines().enumerate() {
                let field = line.trim_start();
                if (field.starts_with("pass: \"") || field.starts_with("fail: \"")) && field.contains("\\n") {
                    escaped.push(format!("{}:{}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(escaped.is_empty(), "examples written as escaped one-line strings:\n{}", escaped.join("\n"));
}
