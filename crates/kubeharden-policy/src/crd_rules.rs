//! CRD validation rules (`x-kubernetes-validations`) in a lint: every CustomResourceDefinition
//! of the linted sources and of the extra CRD sources (`--crds`, the npm `crds` option) gives
//! the rules of each version it serves; each custom resource of the linted sources is
//! validated with them by kubeharden-cel (`crd::CrdValidator`), as the API server does on
//! create. Failed rules are `violated-validation-rule` errors at the field they are about;
//! rules that do not compile are `invalid-crd-schema` errors at the line and column inside
//! the `rule:` (only for CRDs of the linted sources, as the core reports their schemas).
//!
//! [`apply`] adds the findings to the core's report and removes its
//! `unevaluated-validation-rule` notes for the CRD versions evaluated here.

use kubeharden::engine::exemptions::{self, IGNORE, IGNORE_REASON, IGNORE_UNTIL};
use kubeharden::report::{Report, ResourceRef, Suppression};
use kubeharden::rules::schema::violated_validation_rule;
use kubeharden::{Config, Finding, RuleSetting, Severity, Span};
use kubeharden_cel::crd::{CrdValidator, RuleFailure, Seg};
use kubeharden_cel::{CompileError, CompileOptions};
use kubeharden_source::scalar::ScalarStyle;
use kubeharden_source::to_json::node_to_json;
use kubeharden_source::{ByteSpan, NodeRef, ParsedSource};
use serde_json::Value;

use crate::document::CodeOrigin;
use crate::path::{self, Segment};

/// The core's note for rules a lint did not evaluate.
pub const UNEVALUATED: &str = "unevaluated-validation-rule";

/// The core's rule for CRD schemas the API server refuses, which compile errors of rules are.
pub const INVALID_CRD_SCHEMA: &str = "invalid-crd-schema";

/// The severity `config` gives `invalid-crd-schema` (an error, on in every profile), read by ID:
/// the core's rule static is not referenced, as its check would link the core's schema tables
/// into the CEL module. (`violated-validation-rule`'s static has no check to link.)
fn invalid_crd_schema_severity(config: &Config) -> Option<Severity> {
    if !config.schema_validation {
        return None;
    }
    match config.rules.get(INVALID_CRD_SCHEMA) {
        Some(RuleSetting::Off) => None,
        Some(RuleSetting::Level(s)) => Some(*s),
        Some(RuleSetting::On) | None => Some(Severity::Error),
    }
}

/// One served CRD version with rules.
struct Version {
    api_version: String,
    kind: String,
    namespaced: bool,
    validator: CrdValidator,
}

/// What the sources hold: the versions with rules, and the compile errors of the CRDs of
/// the linted sources (source, document, error).
#[derive(Default)]
struct Read {
    versions: Vec<Version>,
    /// (apiVersion, kind) read, served or not, so that a later definition does not replace it.
    seen: Vec<(String, String)>,
    errors: Vec<(usize, u32, CompileError)>,
}

/// A cheap test before parsing anything: can these texts hold a CRD with rules?
pub fn may_have_rules(texts: &[&str]) -> bool {
    texts.iter().any(|t| t.contains("x-kubernetes-validations"))
}

fn is_crd(root: NodeRef<'_>) -> bool {
    root.get("kind").and_then(|k| k.str()) == Some("CustomResourceDefinition")
        && root.get("apiVersion").and_then(|k| k.str()) == Some("apiextensions.k8s.io/v1")
}

fn read(sources: &[&ParsedSource], linted: usize, options: &CompileOptions) -> Read {
    let mut out = Read::default();
    for (index, source) in sources.iter().enumerate() {
        if !source.text.contains("x-kubernetes-validations") && !source.text.contains("CustomResourceDefinition") {
            continue;
        }
        for doc in &source.documents {
            let root = source.tree.node(doc.root);
            if !is_crd(root) {
                continue;
            }
            let crd = node_to_json(root);
            let group = crd.pointer("/spec/group").and_then(Value::as_str).unwrap_or("");
            let kind = crd.pointer("/spec/names/kind").and_then(Value::as_str).unwrap_or("");
            if group.is_empty() || kind.is_empty() {
                continue;
            }
            let namespaced = crd.pointer("/spec/scope").and_then(Value::as_str) != Some("Cluster");
            let versions = crd.pointer("/spec/versions").and_then(Value::as_array).cloned().unwrap_or_default();
            for (i, v) in versions.iter().enumerate() {
                let Some(name) = v.get("name").and_then(Value::as_str) else { continue };
                let api_version = format!("{group}/{name}");
                // The first definition of a version wins, as in the core.
                if out.seen.iter().any(|(a, k)| *a == api_version && k == kind) {
                    continue;
                }
                out.seen.push((api_version.clone(), kind.to_string()));
                let Some(schema) = v.pointer("/schema/openAPIV3Schema") else { continue };
                let pointer = format!("/spec/versions/{i}/schema/openAPIV3Schema");
                let (validator, errors) = CrdValidator::compile(schema, &pointer, options);
                if validator.rule_count() == 0 {
                    continue;
                }
                if index < linted {
                    out.errors.extend(errors.into_iter().map(|e| (index, doc.number, e)));
                }
                if v.get("served").and_then(Value::as_bool) != Some(false) {
                    out.versions.push(Version { api_version, kind: kind.to_string(), namespaced, validator });
                }
            }
        }
    }
    out
}

/// The findings of the CRD rules of one lint, and the (apiVersion, kind) pairs whose rules
/// were compiled here (the core's notes about them are replaced).
pub fn evaluate(
    manifests: &[ParsedSource],
    crds: &[ParsedSource],
    config: &Config,
) -> (Vec<Finding>, Vec<(String, String)>) {
    let mut findings = Vec::new();
    if violated_validation_rule::RULE.check_at(config.kubernetes_version).is_none() {
        return (findings, Vec::new());
    }
    let texts: Vec<&str> = manifests.iter().chain(crds).map(|s| s.text.as_str()).collect();
    if !may_have_rules(&texts) {
        return (findings, Vec::new());
    }
    let sources: Vec<&ParsedSource> = manifests.iter().chain(crds).collect();
    let options = CompileOptions::default();
    let read = read(&sources, manifests.len(), &options);
    let evaluated: Vec<(String, String)> =
        read.versions.iter().map(|v| (v.api_version.clone(), v.kind.clone())).collect();
    if let Some(severity) = invalid_crd_schema_severity(config) {
        for (source, document, e) in &read.errors {
            if let Some(s) = sources.get(*source) {
                findings.push(compile_error(s, *document, e, severity));
            }
        }
    }
    let Some(severity) = config.rule_severity(&violated_validation_rule::RULE) else { return (findings, evaluated) };
    for source in manifests {
        for doc in &source.documents {
            let root = source.tree.node(doc.root);
            let objects: Vec<(NodeRef<'_>, Vec<Segment>)> = if root.get("kind").and_then(|k| k.str()) == Some("List") {
                root.get("items")
                    .map(|items| {
                        items
                            .items()
                            .enumerate()
                            .map(|(i, n)| (n, vec![Segment::key("items"), Segment::Index(i)]))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                vec![(root, Vec::new())]
            };
            for (node, prefix) in objects {
                let api = node.get("apiVersion").and_then(|a| a.str()).unwrap_or("");
                let kind = node.get("kind").and_then(|a| a.str()).unwrap_or("");
                let Some(version) = read.versions.iter().find(|v| v.api_version == api && v.kind == kind) else {
                    continue;
                };
                let object = node_to_json(node);
                for failure in version.validator.validate(&object) {
                    let mut f = violation(source, doc.number, node, &prefix, &object, version, &failure, severity);
                    f.suppressed = exemption(&object, &f, config).map(Box::new);
                    findings.push(f);
                }
            }
        }
    }
    (findings, evaluated)
}

/// Evaluates the CRD rules of a lint into its report (see the module's docs); `order` as
/// for [`crate::merge`].
pub fn apply(report: &mut Report, manifests: &[ParsedSource], crds: &[ParsedSource], config: &Config) {
    let (findings, evaluated) = evaluate(manifests, crds, config);
    if evaluated.is_empty() {
        return;
    }
    report.findings.retain(|f| {
        f.rule != UNEVALUATED
            || !evaluated.iter().any(|(a, k)| {
                f.resource.api_version.as_deref() == Some(a.as_str()) && f.resource.kind.as_deref() == Some(k.as_str())
            })
    });
    let order: Vec<&str> = manifests.iter().chain(crds).map(|s| s.name.as_str()).collect();
    report.summary.count(&report.findings);
    crate::merge(report, findings, &order);
}

/// The exemption of a finding, as the core applies them to its own: `kubeharden.io/ignore` on
/// the object (the rule's ID, `*` or `all`; not after `kubeharden.io/ignore-until`), else the
/// config's `exemptions`.
fn exemption(object: &Value, f: &Finding, config: &Config) -> Option<Suppression> {
    let annotation =
        |key: &str| object.pointer("/metadata/annotations").and_then(|a| a.get(key)).and_then(Value::as_str);
    if let Some(list) = annotation(IGNORE) {
        let until = annotation(IGNORE_UNTIL);
        let listed = exemptions::tokens(list).any(|t| t == f.rule || t == "*" || t == "all");
        if listed && !exemptions::expired(until, config.today.as_deref()) {
            return Some(Suppression {
                kind: "annotation".into(),
                reason: annotation(IGNORE_REASON).map(String::from),
                until: until.map(String::from),
            });
        }
    }
    let r = &f.resource;
    let subject = exemptions::Subject {
        kind: r.kind.as_deref(),
        namespace: r.namespace.as_deref(),
        name: r.name.as_deref(),
        source: Some(r.source.as_str()),
    };
    // By ID: the registry (which knows renamed IDs) is not linked into the CEL module.
    exemptions::config_exemption(config, |id| id == f.rule, subject).map(|ex| Suppression {
        kind: "config".into(),
        reason: ex.reason.clone(),
        until: None,
    })
}

fn segments(segs: &[Seg]) -> Vec<Segment> {
    segs.iter()
        .map(|s| match s {
            Seg::Field(f) | Seg::Key(f) => Segment::Key(f.clone()),
            Seg::Index(i) => Segment::Index(*i),
        })
        .collect()
}

fn span(source: &ParsedSource, span: ByteSpan) -> Span {
    Span { start: source.position(span.start), end: source.position(span.end.max(span.start)) }
}

#[allow(clippy::too_many_arguments)]
fn violation(
    source: &ParsedSource,
    document: u32,
    node: NodeRef<'_>,
    prefix: &[Segment],
    object: &Value,
    version: &Version,
    failure: &RuleFailure,
    severity: Severity,
) -> Finding {
    // At the fieldPath's target when it is written, else at the node the rule sits on (its
    // key), else the nearest field above that is written.
    let node_path = segments(&failure.node);
    let (mut found, mut at) = path::locate(node, &node_path, &source.text);
    if let Some(target) = &failure.target {
        let target = segments(target);
        let (t_found, t_at) = path::locate(node, &target, &source.text);
        if t_found.len() == target.len() {
            (found, at) = (t_found, t_at);
        }
    }
    if found.is_empty() {
        at = node.get("metadata").and_then(|m| m.entry("name")).map_or(at, |(k, _)| k.span());
    }
    let full: Vec<Segment> = prefix.iter().cloned().chain(found).collect();
    let rule = version.validator.rule(&failure.rule).map(|r| r.rule.trim().to_string()).unwrap_or_default();
    let s = |p: &str| object.pointer(p).and_then(Value::as_str).map(String::from);
    let written_ns = s("/metadata/namespace").filter(|n| !n.is_empty());
    let (namespace, defaulted) = match (version.namespaced, written_ns) {
        (false, _) => (None, false),
        (true, Some(ns)) => (Some(ns), false),
        (true, None) => (Some("default".to_string()), true),
    };
    Finding {
        rule: violated_validation_rule::RULE.id.into(),
        severity,
        message: failure.message.clone(),
        reason: None,
        detail: None,
        help: format!("the API server rejects this {}: change it so that the CRD's rule `{rule}` holds", version.kind),
        resource: ResourceRef {
            api_version: Some(version.api_version.clone()),
            kind: Some(version.kind.clone()),
            namespace,
            namespace_defaulted: defaulted,
            name: s("/metadata/name"),
            document,
            source: source.name.clone(),
        },
        path: path::render(&full),
        span: span(source, at),
        fix: None,
        pss: None,
        suppressed: None,
        policy: None,
    }
}

/// The byte offset of a line and column (in characters) inside a scalar's text.
fn offset_in(node: NodeRef<'_>, text: &str, line: u32, column: u32) -> u32 {
    let span = node.span();
    match node.style() {
        Some(ScalarStyle::Literal | ScalarStyle::Folded) => {
            CodeOrigin::of_node(0, node, text).offset(text, line, column)
        }
        style if line == 1 => {
            let quoted = matches!(style, Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted));
            let start = span.start as usize + usize::from(quoted);
            let rest = text.get(start..span.end as usize).unwrap_or("");
            let bytes: usize = rest.chars().take(column.saturating_sub(1) as usize).map(char::len_utf8).sum();
            u32::try_from(start + bytes).unwrap_or(span.start)
        }
        _ => span.start,
    }
}

fn compile_error(source: &ParsedSource, document: u32, e: &CompileError, severity: Severity) -> Finding {
    let root = source.documents.iter().find(|d| d.number == document).map(|d| source.tree.node(d.root));
    let field = path::from_pointer(&e.pointer);
    let node = root.and_then(|r| {
        field.iter().try_fold(r, |n, seg| match seg {
            Segment::Key(k) => n.get(k),
            Segment::Index(i) => n.items().nth(*i),
        })
    });
    let at = match node {
        Some(n) if n.is_scalar() => {
            let at = offset_in(n, &source.text, e.line, e.column);
            ByteSpan { start: at, end: at.saturating_add(1).min(n.span().end.max(at + 1)) }
        }
        Some(n) => n.span(),
        None => root.map_or(ByteSpan::default(), |r| r.span()),
    };
    let name = root.and_then(|r| r.get("metadata")).and_then(|m| m.get("name")).and_then(|n| n.str()).map(String::from);
    let what = field.iter().rev().find_map(|s| match s {
        Segment::Key(k) => Some(k.as_str()),
        Segment::Index(_) => None,
    });
    Finding {
        rule: INVALID_CRD_SCHEMA.into(),
        severity,
        message: format!("x-kubernetes-validations {}: {}", what.unwrap_or("rule"), e.message),
        reason: None,
        detail: None,
        help: "fix the rule: the API server refuses the CustomResourceDefinition".into(),
        resource: ResourceRef {
            api_version: Some("apiextensions.k8s.io/v1".into()),
            kind: Some("CustomResourceDefinition".into()),
            namespace: None,
            namespace_defaulted: false,
            name,
            document,
            source: source.name.clone(),
        },
        path: path::render(&field),
        span: span(source, at),
        fix: None,
        pss: None,
        suppressed: None,
        policy: None,
    }
}
