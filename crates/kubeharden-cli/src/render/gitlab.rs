//! GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of issues that
//! GitLab shows in the merge request widget and the diff.

use std::collections::HashMap;

use kubeharden::{Report, Severity};
use serde_json::{Value, json};

use super::{RunInfo, object};

pub fn render(report: &Report, run: &RunInfo) -> String {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let issues: Vec<Value> = report
        .active()
        .map(|f| {
            let path = super::location::repo_path(run, &f.resource.source).unwrap_or_else(|| f.resource.source.clone());
            let object = object(f);
            let mut description = format!("{}: {}", f.rule, f.message);
            if !object.is_empty() {
                description.push_str(&format!(" ({object})"));
            }
            let identity = kubeharden::sarif::fingerprint(f);
            let occurrence = {
                let n = seen.entry((path.clone(), identity.clone())).or_insert(0);
                *n += 1;
                *n
            };
            let severity = match f.severity {
                Severity::Error => "critical",
                Severity::Warning => "major",
                Severity::Info => "info",
            };
            json!({
                "type": "issue",
                "check_name": f.rule,
                "description": description,
                "content": { "body": f.help },
                "categories": ["Security"],
                "severity": severity,
                "fingerprint": fingerprint(&path, &identity, occurrence),
                "location": {
                    "path": path,
                    "lines": { "begin": f.span.start.line, "end": f.span.end.line },
                },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

/// GitLab needs a fingerprint unique to each issue and stable across runs, so it can tell new
/// issues from fixed ones: the finding's identity (the one SARIF uses: rule, object, field,
/// message; no line numbers), its file, and its rank among findings identical in all of that.
fn fingerprint(path: &str, identity: &str, occurrence: usize) -> String {
    let key = format!("{path}\0{identity}\0{occurrence}");
    // Two FNV-1a passes with different bases: 128 bits, dependency-free, stable everywhere.
    let hash = |basis: u64| key.bytes().fold(basis, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{:016x}{:016x}", hash(0xcbf2_9ce4_8422_2325), hash(0x6c62_272e_07bb_0142))
}
