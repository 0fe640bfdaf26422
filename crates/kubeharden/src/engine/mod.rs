//! Runs the enabled rules over a model and assembles the report: severities from the config,
//! exemptions, positions in UTF-16, deterministic order.

pub mod exemptions;
mod source_fixes;

use std::collections::BTreeSet;

use crate::config::{Config, RuleSetting};
use crate::model::{Model, ResourceId};
use crate::report::{
    Edit, Finding, Fix, PssRef, Report, ReportConfig, ResourceRef, SCHEMA_VERSION, Severity, Span, Summary, Tool,
};
use crate::rules::{self, Check, Cx, Diagnostic, Omitted, Rule, Settings, Sink};
use crate::source::{ByteSpan, IssueKind, ParsedSource};

/// A diagnostic with the rule that produced it, before positions are computed.
#[derive(Debug)]
pub(crate) struct Raw {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub diagnostic: Diagnostic,
    pub suppression: Option<crate::report::Suppression>,
}

/// The rules that run under `config`, with their severity.
pub fn active_rules(config: &Config) -> Vec<(&'static Rule, Severity)> {
    let enabled: Vec<(&'static Rule, Severity)> =
        rules::all().filter_map(|r| config.rule_severity(r).map(|s| (r, s))).collect();
    // A restricted Pod Security check replaces its baseline twin at versions where it applies
    // (upstream `overrides`), so each violation is reported once, by the stricter check.
    let overridden: BTreeSet<&str> = enabled
        .iter()
        .filter(|(r, _)| r.check_at(config.kubernetes_version).is_some())
        .filter_map(|(r, _)| r.pss.as_ref())
        .flat_map(|p| p.overrides.iter().copied())
        .collect();
    enabled.into_iter().filter(|(r, _)| !overridden.contains(r.id)).collect()
}

/// Lints parsed sources.
pub fn run(sources: &[ParsedSource], config: &Config) -> Report {
    run_with_crds(sources, &[], config)
}

/// Lints parsed sources, with extra sources read only for their CustomResourceDefinitions.
pub fn run_with_crds(sources: &[ParsedSource], crds: &[ParsedSource], config: &Config) -> Report {
    let model = Model::build(sources).with_crds(crds);
    let cx = Cx { model: &model, version: config.kubernetes_version, settings: Settings::of(config) };
    let active = active_rules(config);
    let mut raws: Vec<Raw> = Vec::new();
    for &(rule, severity) in &active {
        let Some(check) = rule.check_at(config.kubernetes_version) else {
            continue;
        };
        let mut sink = Sink::with_cap(config.limits.max_findings_per_rule);
        match check {
            Check::Source(kind) => source_issues(&model, kind, &mut sink),
            Check::Resource(f) => {
                for resource in &model.resources {
                    f(&cx, resource, &mut sink);
                }
            }
            Check::Pod(f) => {
                for (resource, pod) in model.workloads() {
                    f(&cx, resource, pod, &mut sink);
                }
            }
            Check::Global(f) => f(&cx, &mut sink),
            Check::Exemption(_) | Check::Engine | Check::Cel => {}
        }
        let (kept, omitted) = sink.finish();
        let summaries = omitted.into_iter().map(|o| summary(rule, o, config.limits.max_findings_per_rule));
        raws.extend(kept.into_iter().chain(summaries).map(|d| Raw {
            rule,
            // An explicit level in the config wins over a check's per-finding severity.
            severity: match config.rules.get(rule.id) {
                Some(RuleSetting::Level(_)) => severity,
                _ => d.severity.unwrap_or(severity),
            },
            diagnostic: d,
            suppression: None,
        }));
    }
    exemptions::apply(&model, config, &active, &mut raws);
    assemble(&model, config, raws)
}

/// The diagnostic that stands for what a sink left out on one object.
fn summary(rule: &Rule, omitted: Omitted, cap: usize) -> Diagnostic {
    let Omitted { first, count } = omitted;
    let (what, there) =
        if first.resource.is_some() { ("object", "on this object") } else { ("document", "in this document") };
    Diagnostic {
        message: format!(
            "{count} more {} {there}, from here on, are not listed: a rule reports at most {cap} per {what}",
            if count == 1 { format!("{} finding", rule.id) } else { format!("{} findings", rule.id) }
        )
        .into(),
        help: "they likely repeat one mistake: fix the findings listed, then lint again (or raise limits.maxFindingsPerRule)"
            .into(),
        fix: None,
        ..first
    }
}

fn source_issues(model: &Model<'_>, kind: IssueKind, sink: &mut Sink) {
    for (index, source) in model.sources.iter().enumerate() {
        let diagnostic = |document: u32, span: ByteSpan, message: &str, help: &str| {
            let resource = resource_at(model, index, document, span.start);
            let path = resource
                .and_then(|id| model.resource(id))
                .map(|r| r.path(&r.node.path_to(span.start)))
                .unwrap_or_default();
            Diagnostic::new(index, document, resource, span, path, message.to_owned(), help.to_owned())
        };
        for issue in source.issues.iter().filter(|i| i.kind == kind) {
            let mut d = diagnostic(issue.document, issue.span, &issue.message, &issue.help);
            d.fix = source_fixes::fix(source, issue).map(|(description, edits)| rules::RawFix {
                description,
                edits,
                applicability: None,
            });
            sink.push(d);
        }
        // What the source layer only counted: the summary points at the first of them.
        for o in source.omitted.iter().filter(|o| o.kind == kind) {
            sink.omit(diagnostic(o.document, o.span, "", ""), o.count);
        }
    }
}

/// The resource whose text contains `byte` in a document, if any (resources are in source and
/// document order).
fn resource_at(model: &Model<'_>, source: usize, document: u32, byte: u32) -> Option<ResourceId> {
    let first = model.resources.partition_point(|r| (r.source, r.document) < (source, document));
    model
        .resources
        .get(first..)?
        .iter()
        .take_while(|r| r.source == source && r.document == document)
        .find(|r| {
            let span = r.node.span();
            span.start <= byte && byte <= span.end
        })
        .map(|r| r.id)
}

fn resource_ref(model: &Model<'_>, d: &Diagnostic) -> ResourceRef {
    let source = model.sources.get(d.source).map(|s| s.name.clone()).unwrap_or_default();
    match d.resource.and_then(|ResourceId(i)| model.resources.get(i)) {
        Some(r) => ResourceRef {
            api_version: r.api_version.map(str::to_owned),
            kind: r.kind.map(str::to_owned),
            namespace: r.namespace.map(str::to_owned),
            namespace_defaulted: r.namespace_defaulted,
            name: r.name.map(str::to_owned),
            document: r.document,
            source,
        },
        None => ResourceRef {
            api_version: None,
            kind: None,
            namespace: None,
            namespace_defaulted: false,
            name: None,
            document: d.document,
            source,
        },
    }
}

/// Sort key: source, document, start, end, rule.
type OrderKey = (usize, u32, u32, u32, &'static str);

fn assemble(model: &Model<'_>, config: &Config, raws: Vec<Raw>) -> Report {
    let mut keyed: Vec<(OrderKey, Finding)> = raws
        .into_iter()
        .filter_map(|raw| {
            let d = &raw.diagnostic;
            let source = model.sources.get(d.source)?;
            let span = Span { start: source.position(d.span.start), end: source.position(d.span.end) };
            let fix = d.fix.as_ref().map(|f| Fix {
                description: f.description.clone(),
                // A rule that attaches fixes declares their applicability (a registry test
                // checks it); a fix without one is treated as the least safe.
                applicability: f.applicability.or(raw.rule.fix).unwrap_or(crate::fix::Applicability::Unsafe),
                edits: f
                    .edits
                    .iter()
                    .map(|(s, text)| Edit {
                        start: source.position(s.start).offset,
                        end: source.position(s.end).offset,
                        text: text.clone(),
                    })
                    .collect(),
            });
            let finding = Finding {
                rule: raw.rule.id.to_owned(),
                severity: raw.severity,
                message: d.message.text.clone(),
                reason: d.message.reason().map(str::to_owned),
                detail: d.message.detail().map(str::to_owned),
                help: d.help.clone(),
                resource: resource_ref(model, d),
                path: d.path.clone(),
                span,
                fix,
                pss: raw
                    .rule
                    .pss
                    .as_ref()
                    .map(|p| Box::new(PssRef { check: p.id.to_owned(), level: p.level.as_str().to_owned() })),
                suppressed: raw.suppression.map(Box::new),
                policy: None,
            };
            Some(((d.source, finding.resource.document, d.span.start, d.span.end, raw.rule.id), finding))
        })
        .collect();
    keyed.sort_by(|(a, fa), (b, fb)| {
        a.cmp(b).then_with(|| fa.message.cmp(&fb.message)).then_with(|| fa.path.cmp(&fb.path))
    });
    // The same node reached twice (through an alias) gives the same finding twice.
    keyed.dedup_by(|(a, fa), (b, fb)| a == b && fa.message == fb.message && fa.path == fb.path);
    let findings: Vec<Finding> = keyed.into_iter().map(|(_, f)| f).collect();
    let mut summary = Summary {
        sources: model.sources.len(),
        documents: model.sources.iter().map(|s| s.documents.len()).sum(),
        resources: model.resources.len(),
        ..Summary::default()
    };
    summary.count(&findings);
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "kubeharden".into(), version: crate::VERSION.into() },
        config: ReportConfig {
            profile: config.profile.as_str().into(),
            kubernetes_version: config.kubernetes_version.to_string(),
        },
        findings,
        summary,
    }
}
