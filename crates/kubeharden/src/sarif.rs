//! SARIF 2.1.0 output, pure so every front end can emit it (CLI `--format sarif`, JS
//! `toSarif(report)`, the web page's export).

use serde_json::{Map, Value, json};

use crate::registry;
use crate::report::{Finding, PolicyRef, Report, Severity};
use crate::rules;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a path for a SARIF `uri`: everything but unreserved characters and `/` (a
/// space, `%`, `#`, non-ASCII), and `\\` becomes `/`.
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

/// The base id relative artifact URIs are resolved against: the root of the work tree.
pub const SRCROOT: &str = "%SRCROOT%";

/// Where an artifact (a source) is in a SARIF log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Artifact {
    /// Relative to [`SRCROOT`]: `deploy/web.yaml`, percent-encoded, without `..` segments.
    Relative(String),
    /// An absolute `file:///…` URI (a file outside the work tree).
    Absolute(String),
    /// A name that is no file path (standard input, a buffer of the web page): a relative
    /// reference with no base.
    Name(String),
}

impl Artifact {
    /// A path relative to the work tree root, as its segments.
    pub fn relative<'a>(segments: impl IntoIterator<Item = &'a str>) -> Self {
        let encoded: Vec<String> = segments.into_iter().map(uri).collect();
        Artifact::Relative(encoded.join("/"))
    }

    fn location(&self) -> Value {
        match self {
            Artifact::Relative(uri) => json!({ "uri": uri, "uriBaseId": SRCROOT }),
            Artifact::Absolute(uri) | Artifact::Name(uri) => json!({ "uri": uri }),
        }
    }
}

/// A `file:///` URI for an absolute path, percent-encoded by segment (`/srv/my repo` →
/// `file:///srv/my%20repo`; `C:\\src` → `file:///C:/src`). A folder ends with `/`, as a base
/// URI must.
pub fn file_uri<'a>(segments: impl IntoIterator<Item = &'a str>, folder: bool) -> String {
    let mut out = String::from("file://");
    for segment in segments {
        out.push('/');
        // A drive letter keeps its colon (`C:`).
        let drive =
            segment.len() == 2 && segment.ends_with(':') && segment.starts_with(|c: char| c.is_ascii_alphabetic());
        out.push_str(&if drive { segment.to_owned() } else { uri(segment) });
    }
    if folder {
        out.push('/');
    }
    out
}

/// How a front end that knows the file system places artifacts: the work tree's root as a
/// `file:///…/` URI (declared as [`SRCROOT`]), and where each source is.
pub struct Locations<'a> {
    pub root_uri: String,
    pub locate: &'a dyn Fn(&str) -> Artifact,
}

/// Without a file system (the npm package, the web page): a source name is a relative reference
/// with no base, unless it is an absolute path (`/srv/x.yaml`, `C:\\x.yaml`), which becomes a
/// `file:///` URI (a relative reference may not start with `/`).
fn by_name(name: &str) -> Artifact {
    Artifact::named(name)
}

impl Artifact {
    /// A source known only by its name (see [`to_sarif`]).
    pub fn named(name: &str) -> Self {
        let drive = name.get(1..3).is_some_and(|s| s == ":\\" || s == ":/")
            && name.starts_with(|c: char| c.is_ascii_alphabetic());
        if name.starts_with('/') || drive {
            Artifact::Absolute(file_uri(name.split(['/', '\\']).filter(|s| !s.is_empty()), false))
        } else {
            Artifact::Name(uri(name))
        }
    }
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

/// A custom policy's rule: one per policy (its rule ID), described from the policy itself.
fn policy_descriptor(id: &str, policy: &PolicyRef, severity: Severity) -> Value {
    let title = match &policy.template {
        Some(t) => format!("{} {} (template {t})", policy.kind, policy.name),
        None => format!("{} {}", policy.kind, policy.name),
    };
    let what = policy.description.clone().unwrap_or_else(|| format!("Custom policy {title} from {}.", policy.file));
    json!({
        "id": id,
        "shortDescription": { "text": title },
        "fullDescription": { "text": what },
        "defaultConfiguration": { "level": level(severity) },
        "properties": { "tags": ["policy", policy.engine], "policyFile": policy.file, "action": policy.action },
    })
}

fn result(f: &Finding, rule_index: Option<usize>, locate: &dyn Fn(&str) -> Artifact) -> Value {
    let mut region = Map::new();
    region.insert("startLine".into(), json!(f.span.start.line));
    region.insert("startColumn".into(), json!(f.span.start.column));
    region.insert("endLine".into(), json!(f.span.end.line));
    region.insert("endColumn".into(), json!(f.span.end.column));
    region.insert("charOffset".into(), json!(f.span.start.offset));
    region.insert("charLength".into(), json!(f.span.end.offset.saturating_sub(f.span.start.offset)));
    let artifact = locate(&f.resource.source).location();
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
                "artifactChanges": [{ "artifactLocation": artifact, "replacements": replacements }],
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

/// The report as a SARIF 2.1.0 log, sources named by relative references with no base.
pub fn to_sarif(report: &Report) -> String {
    log(report, None)
}

/// The report as a SARIF 2.1.0 log whose artifacts are files: relative to the work tree's root
/// (`%SRCROOT%`, declared in `originalUriBaseIds`) or absolute `file:///` URIs.
pub fn to_sarif_located(report: &Report, locations: &Locations<'_>) -> String {
    log(report, Some(locations))
}

fn log(report: &Report, locations: Option<&Locations<'_>>) -> String {
    let locate: &dyn Fn(&str) -> Artifact = match locations {
        Some(l) => l.locate,
        None => &by_name,
    };
    let all: Vec<&'static rules::Rule> = rules::all().collect();
    // Custom policies' rules follow the catalogue's, in the order their findings come.
    let mut policies: Vec<(&str, &PolicyRef, Severity)> = Vec::new();
    for f in &report.findings {
        if let Some(p) = &f.policy
            && !policies.iter().any(|(id, _, _)| *id == f.rule)
        {
            policies.push((&f.rule, p, f.severity));
        }
    }
    let index = |f: &Finding| {
        all.iter()
            .position(|r| r.id == f.rule)
            .or_else(|| policies.iter().position(|(id, _, _)| *id == f.rule).map(|i| i + all.len()))
    };
    let results: Vec<Value> = report.findings.iter().map(|f| result(f, index(f), locate)).collect();
    let mut descriptors: Vec<Value> = all.iter().map(|r| rule_descriptor(r)).collect();
    descriptors.extend(policies.iter().map(|(id, p, severity)| policy_descriptor(id, p, *severity)));
    let mut artifacts: Vec<String> = report.findings.iter().map(|f| f.resource.source.clone()).collect();
    artifacts.sort();
    artifacts.dedup();
    let mut run = json!({
        "tool": { "driver": {
            "name": "kubeharden",
            "version": report.tool.version,
            "semanticVersion": report.tool.version,
            "informationUri": "https://github.com/kubeharden/kubeharden",
            "rules": descriptors,
        }},
        "columnKind": "utf16CodeUnits",
        "artifacts": artifacts.iter().map(|a| json!({ "location": locate(a).location() })).collect::<Vec<_>>(),
        "results": results,
        "properties": {
            "profile": report.config.profile,
            "kubernetesVersion": report.config.kubernetes_version,
        },
    });
    if let (Some(l), Some(run)) = (locations, run.as_object_mut()) {
        run.insert("originalUriBaseIds".into(), json!({ SRCROOT: { "uri": l.root_uri } }));
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
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
        assert_eq!(uri("ünï 100%.yaml"), "%C3%BCn%C3%AF%20100%25.yaml");
        assert_eq!(file_uri(["srv", "my repo"], true), "file:///srv/my%20repo/");
        assert_eq!(file_uri(["C:", "src", "a#b.yaml"], false), "file:///C:/src/a%23b.yaml");
        assert_eq!(Artifact::relative(["deploy", "web app.yaml"]), Artifact::Relative("deploy/web%20app.yaml".into()));
    }

    #[test]
    fn located_artifacts_are_relative_to_the_root_or_absolute() {
        let report = crate::lint(
            &[
                crate::Source::new(
                    "/repo/a b.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostPID: true}\n",
                ),
                crate::Source::new(
                    "/elsewhere/c.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {hostPID: true}\n",
                ),
            ],
            &crate::Config::default(),
        );
        let locate = |name: &str| match name.strip_prefix("/repo/") {
            Some(rel) => Artifact::relative(rel.split('/')),
            None => Artifact::Absolute(file_uri(name.split('/').filter(|s| !s.is_empty()), false)),
        };
        let sarif: Value = serde_json::from_str(&to_sarif_located(
            &report,
            &Locations { root_uri: "file:///repo/".into(), locate: &locate },
        ))
        .unwrap();
        let run = &sarif["runs"][0];
        assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///repo/");
        let uris: std::collections::BTreeSet<String> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"].to_string())
            .collect();
        assert_eq!(
            uris.into_iter().collect::<Vec<_>>(),
            [r#"{"uri":"a%20b.yaml","uriBaseId":"%SRCROOT%"}"#, r#"{"uri":"file:///elsewhere/c.yaml"}"#]
        );
        // Without a file system, names stay relative references with no base, and absolute
        // paths become file URIs.
        let plain: Value = serde_json::from_str(&to_sarif(&report)).unwrap();
        assert!(plain["runs"][0].get("originalUriBaseIds").is_none());
        assert_eq!(plain["runs"][0]["artifacts"][0]["location"]["uri"], "file:///elsewhere/c.yaml");
        assert_eq!(by_name("deploy/x.yaml"), Artifact::Name("deploy/x.yaml".into()));
        assert_eq!(by_name("C:\\src\\x.yaml"), Artifact::Absolute("file:///C:/src/x.yaml".into()));
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
