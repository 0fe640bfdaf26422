//! SARIF 2.1.0 output, pure so every front end can emit it (CLI `--format sarif`, JS
//! `toSarif(report)`, the web page's export).

use serde_json::{Map, Value, json};

use crate::registry;
use crate::report::{Finding, Report, Severity};
use crate::rules;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a relative path for a SARIF `uri` (keeps `/`).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else if b == b'\\' {
            out.push('/');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule_descriptor(rule: &'static rules::Rule) -> Value {
    let mut tags = vec![json!("security"), json!(rule.family.as_str())];
    if let Some(p) = &rule.pss {
        tags.push(json!(format!("pss-{}", p.level.as_str())));
    }
    // GitHub code scanning ranks security alerts by this score (0-10).
    let score = match rule.severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    };
    json!({
        "id": rule.id,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.docs.what.trim() },
        "help": {
            "text": format!("{}\n\n{}", rule.docs.why.trim(), rule.docs.fix.trim()),
            "markdown": registry::explain(rule),
        },
        "helpUri": registry::help_uri(rule.id),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "tags": tags, "precision": "high", "security-severity": score },
    })
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let mut region = Map::new();
    region.insert("startLine".into(), json!(f.span.start.line));
    region.insert("startColumn".into(), json!(f.span.start.column));
    region.insert("endLine".into(), json!(f.span.end.line));
    region.insert("endColumn".into(), json!(f.span.end.column));
    region.insert("charOffset".into(), json!(f.span.start.offset));
    region.insert("charLength".into(), json!(f.span.end.offset.saturating_sub(f.span.start.offset)));
    let artifact = json!({ "uri": uri(&f.resource.source) });
    let mut logical = Vec::new();
    if let (Some(kind), Some(name)) = (&f.resource.kind, &f.resource.name) {
        let fq = match &f.resource.namespace {
            Some(ns) => format!("{kind}/{ns}/{name}"),
            None => format!("{kind}/{name}"),
        };
        logical.push(json!({ "name": name, "fullyQualifiedName": fq, "kind": "object" }));
    }
    let mut location = Map::new();
    location.insert("physicalLocation".into(), json!({ "artifactLocation": artifact, "region": region }));
    if !logical.is_empty() {
        location.insert("logicalLocations".into(), Value::Array(logical));
    }
    let mut message = f.message.clone();
    if !f.help.is_empty() {
        message.push_str(". ");
        message.push_str(&f.help);
    }
    let mut out = Map::new();
    out.insert("ruleId".into(), json!(f.rule));
    if let Some(i) = rule_index {
        out.insert("ruleIndex".into(), json!(i));
    }
    out.insert("level".into(), json!(level(f.severity)));
    out.insert("message".into(), json!({ "text": message }));
    out.insert("locations".into(), json!([location]));
    out.insert("partialFingerprints".into(), json!({ "kubeharden/v1": fingerprint(f) }));
    if !f.path.is_empty() {
        out.insert("properties".into(), json!({ "path": f.path }));
    }
    if let Some(s) = &f.suppressed {
        let mut sup = Map::new();
        sup.insert("kind".into(), json!(if s.kind == "config" { "external" } else { "inSource" }));
        sup.insert("status".into(), json!("accepted"));
        if let Some(reason) = &s.reason {
            sup.insert("justification".into(), json!(reason));
        }
        out.insert("suppressions".into(), json!([sup]));
    }
    if let Some(fix) = &f.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": { "charOffset": e.start, "charLength": e.end.saturating_sub(e.start) },
                    "insertedContent": { "text": e.text },
                })
            })
            .collect();
        out.insert(
            "fixes".into(),
            json!([{
                "description": { "text": fix.description },
                "artifactChanges": [{ "artifactLocation": { "uri": uri(&f.resource.source) }, "replacements": replacements }],
            }]),
        );
    }
    Value::Object(out)
}

/// A stable identity for a finding that survives unrelated edits above it (no line numbers).
/// Front ends writing other report formats (the CLI's GitLab Code Quality report) reuse it.
pub fn fingerprint(f: &Finding) -> String {
    let key = format!(
        "{}|{}|{}|{}|{}|{}",
        f.rule,
        f.resource.kind.as_deref().unwrap_or(""),
        f.resource.namespace.as_deref().unwrap_or(""),
        f.resource.name.as_deref().unwrap_or(""),
        f.path,
        f.message
    );
    // FNV-1a, 64 bit: small, dependency-free and the same on every platform.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The report as a SARIF 2.1.0 log.
pub fn to_sarif(report: &Report) -> String {
    let all: Vec<&'static rules::Rule> = rules::all().collect();
    let results: Vec<Value> =
        report.findings.iter().map(|f| result(f, all.iter().position(|r| r.id == f.rule))).collect();
    let mut artifacts: Vec<String> = report.findings.iter().map(|f| f.resource.source.clone()).collect();
    artifacts.sort();
    artifacts.dedup();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "kubeharden",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "informationUri": "https://github.com/kubeharden/kubeharden",
                "rules": all.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
            }},
            "columnKind": "utf16CodeUnits",
            "artifacts": artifacts.iter().map(|a| json!({ "location": { "uri": uri(a) } })).collect::<Vec<_>>(),
            "results": results,
            "properties": {
                "profile": report.config.profile,
                "kubernetesVersion": report.config.kubernetes_version,
            },
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encoding_keeps_paths_readable() {
        assert_eq!(uri("deploy/web app.yaml"), "deploy/web%20app.yaml");
        assert_eq!(uri("a\\b.yaml"), "a/b.yaml");
    }

    #[test]
    fn sarif_has_results_with_regions() {
        let report = crate::lint_str(
            "p.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx\n    securityContext: {privileged: true}\n",
            &crate::Config::default(),
        );
        let sarif: Value = serde_json::from_str(&to_sarif(&report)).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), report.findings.len());
        let privileged = results.iter().find(|r| r["ruleId"] == "pss-privileged").unwrap();
        assert_eq!(privileged["locations"][0]["physicalLocation"]["region"]["startLine"], 8);
        assert!(privileged["ruleIndex"].is_u64());
    }
}
