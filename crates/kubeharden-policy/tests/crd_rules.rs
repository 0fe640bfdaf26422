//! The fixtures of the CEL layer's rules (`crates/kubeharden/tests/fixtures/<id>/` for the
//! rules whose check is `Check::Cel`), run as the CLI runs them: the core's lint, then
//! `crd_rules::apply`. `pass*` files give none of the layer's findings (nor the core's
//! `unevaluated-validation-rule`, the rules being evaluated); `fail*` files give some, and
//! all of them are snapshotted beside the fixtures (`findings.snap`). The rule docs'
//! examples behave as documented.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use kubeharden::rules::{Check, Rule};
use kubeharden::{Config, Finding, Limits, Report, Source};
use kubeharden_policy::crd_rules;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../kubeharden/tests/fixtures")
}

fn lint(name: &str, text: &str, crds: &[(&str, &str)]) -> Report {
    let config = Config { today: Some("2026-06-01".into()), ..Config::default() };
    let parsed = vec![kubeharden::parse_owned(Source::new(name, text), &Limits::default())];
    let crds: Vec<_> =
        crds.iter().map(|(n, t)| kubeharden::parse_owned(Source::new(*n, *t), &Limits::default())).collect();
    let mut report = kubeharden::lint_parsed_with_crds(&parsed, &crds, &config);
    crd_rules::apply(&mut report, &parsed, &crds, &config);
    report
}

/// The findings the CEL layer gives: its rule's, and the compile errors of rules (reported as
/// `invalid-crd-schema` with a message naming x-kubernetes-validations).
fn layer(report: &Report, rule: &str) -> Vec<Finding> {
    report
        .findings
        .iter()
        .filter(|f| {
            f.rule == rule || (f.rule == "invalid-crd-schema" && f.message.starts_with("x-kubernetes-validations"))
        })
        .cloned()
        .collect()
}

fn cel_rules() -> Vec<&'static Rule> {
    kubeharden::rules::all().filter(|r| matches!(r.checks.first().map(|c| c.check), Some(Check::Cel))).collect()
}

fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    out.retain(|p| {
        let name = p.file_name().unwrap().to_string_lossy();
        name.starts_with(prefix) && name.ends_with(".yaml")
    });
    out.sort();
    out
}

#[test]
fn there_is_a_cel_rule() {
    assert_eq!(cel_rules().iter().map(|r| r.id).collect::<Vec<_>>(), ["violated-validation-rule"]);
}

#[test]
fn fixtures_of_the_cel_rules() {
    for rule in cel_rules() {
        let dir = fixtures().join(rule.id);
        for path in files(&dir, "pass") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let report = lint(&name, &fs::read_to_string(&path).unwrap(), &[]);
            let hits = layer(&report, rule.id);
            assert!(hits.is_empty(), "{}/{name}: expected no finding, got {:?}", rule.id, hits);
            let notes: Vec<_> = report.findings.iter().filter(|f| f.rule == crd_rules::UNEVALUATED).collect();
            assert!(notes.is_empty(), "{}/{name}: the rules were evaluated, yet {notes:?}", rule.id);
        }
        let mut snapshot = String::new();
        for path in files(&dir, "fail") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let report = lint(&name, &fs::read_to_string(&path).unwrap(), &[]);
            let hits = layer(&report, rule.id);
            assert!(!hits.is_empty(), "{}/{name}: expected a finding, got none", rule.id);
            assert!(!report.findings.iter().any(|f| f.rule == crd_rules::UNEVALUATED), "{name}");
            writeln!(snapshot, "# {name}").unwrap();
            for f in hits {
                writeln!(
                    snapshot,
                    "{}:{}-{}:{} {} {} {}\n    path: {}\n    help: {}",
                    f.span.start.line,
                    f.span.start.column,
                    f.span.end.line,
                    f.span.end.column,
                    f.severity.as_str(),
                    f.rule,
                    f.message,
                    f.path,
                    f.help
                )
                .unwrap();
            }
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&dir);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!("findings", snapshot));
    }
}

#[test]
fn doc_examples_of_the_cel_rules() {
    for rule in cel_rules() {
        let fail = lint("fail.yaml", rule.docs.fail, &[]);
        assert!(fail.findings.iter().any(|f| f.rule == rule.id), "{}: {:?}", rule.id, fail.findings);
        let pass = lint("pass.yaml", rule.docs.pass, &[]);
        assert!(!pass.findings.iter().any(|f| f.rule == rule.id), "{}: {:?}", rule.id, pass.findings);
    }
}

#[test]
fn crds_given_apart_are_evaluated_too() {
    let path = fixtures().join("violated-validation-rule/fail-message.yaml");
    let text = fs::read_to_string(path).unwrap();
    let (crd, objects) = text.split_once("\n---\n").unwrap();
    let report = lint("objects.yaml", objects, &[("crds.yaml", crd)]);
    let got: Vec<&str> =
        report.findings.iter().filter(|f| f.rule == "violated-validation-rule").map(|f| f.message.as_str()).collect();
    assert_eq!(got, ["spec: Invalid value: \"object\": min must not exceed max"]);
    assert!(!report.findings.iter().any(|f| f.rule == crd_rules::UNEVALUATED));
}

#[test]
fn without_the_cel_layer_the_core_says_the_rules_are_not_evaluated() {
    let path = fixtures().join("violated-validation-rule/fail-message.yaml");
    let text = fs::read_to_string(path).unwrap();
    let config = Config { today: Some("2026-06-01".into()), ..Config::default() };
    let report = kubeharden::lint_str("x.yaml", &text, &config);
    let notes: Vec<&Finding> = report.findings.iter().filter(|f| f.rule == crd_rules::UNEVALUATED).collect();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].help.contains("readyPolicies()"), "{}", notes[0].help);
    assert!(!report.findings.iter().any(|f| f.rule == "violated-validation-rule"));
}

#[test]
fn the_rule_follows_the_config() {
    let path = fixtures().join("violated-validation-rule/fail-message.yaml");
    let text = fs::read_to_string(path).unwrap();
    let parsed = vec![kubeharden::parse_owned(Source::new("x.yaml", text), &Limits::default())];
    for (setting, expected) in [("off", None), ("warning", Some("warning"))] {
        let config =
            Config::from_json(&format!(r#"{{"rules": {{"violated-validation-rule": "{setting}"}}}}"#)).unwrap();
        let mut report = kubeharden::lint_parsed(&parsed, &config);
        crd_rules::apply(&mut report, &parsed, &[], &config);
        let got: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.rule == "violated-validation-rule")
            .map(|f| f.severity.as_str())
            .collect();
        assert_eq!(got, expected.into_iter().collect::<Vec<_>>(), "{setting}");
    }
}

/// `crd_rules` gives `invalid-crd-schema` its registry severity by ID (without linking the
/// rule's check into the CEL module): the registry must still say error, on in every profile.
#[test]
fn invalid_crd_schema_is_read_as_the_registry_has_it() {
    let rule = kubeharden::registry::find(crd_rules::INVALID_CRD_SCHEMA).unwrap();
    assert_eq!(rule.severity, kubeharden::Severity::Error);
    assert_eq!(rule.tier, kubeharden::rules::Tier::Always);
    let path = fixtures().join("violated-validation-rule/fail-compile-error.yaml");
    let text = fs::read_to_string(path).unwrap();
    let parsed = vec![kubeharden::parse_owned(Source::new("x.yaml", text), &Limits::default())];
    for (setting, expected) in [("off", 0), ("warning", 2)] {
        let config = Config::from_json(&format!(r#"{{"rules": {{"invalid-crd-schema": "{setting}"}}}}"#)).unwrap();
        let mut report = kubeharden::lint_parsed(&parsed, &config);
        crd_rules::apply(&mut report, &parsed, &[], &config);
        let got = report.findings.iter().filter(|f| f.rule == "invalid-crd-schema").count();
        assert_eq!(got, expected, "{setting}");
    }
}

/// `kubeharden.io/ignore: violated-validation-rule` suppresses the finding (still reported,
/// marked), and the core does not call the exemption unused; so does a config exemption.
#[test]
fn exemptions_apply_to_the_findings() {
    let path = fixtures().join("violated-validation-rule/fail-message.yaml");
    let text = fs::read_to_string(path).unwrap();
    let annotated = text.replace(
        "metadata:\n  name: w\n",
        "metadata:\n  name: w\n  annotations:\n    kubeharden.io/ignore: violated-validation-rule\n    kubeharden.io/ignore-reason: known\n",
    );
    assert_ne!(annotated, text);
    let report = lint("x.yaml", &annotated, &[]);
    let f = report.findings.iter().find(|f| f.rule == "violated-validation-rule").unwrap();
    let s = f.suppressed.as_ref().unwrap();
    assert_eq!((s.kind.as_str(), s.reason.as_deref()), ("annotation", Some("known")));
    assert!(!report.findings.iter().any(|f| f.rule == "unused-exemption"), "{:?}", report.findings);
    assert_eq!(report.summary.suppressed, 1);

    let parsed = vec![kubeharden::parse_owned(Source::new("x.yaml", text), &Limits::default())];
    let config = Config::from_json(
        r#"{"exemptions": [{"rules": ["violated-validation-rule"], "kind": "Widget", "reason": "later"}]}"#,
    )
    .unwrap();
    let mut report = kubeharden::lint_parsed(&parsed, &config);
    crd_rules::apply(&mut report, &parsed, &[], &config);
    let f = report.findings.iter().find(|f| f.rule == "violated-validation-rule").unwrap();
    assert_eq!(f.suppressed.as_ref().map(|s| s.kind.as_str()), Some("config"));
}
