//! Fixture tests, one test per rule (named by its ID: `cargo test -p kubeharden --test fixtures
//! -- --exact pss-privileged` runs one): every rule has `tests/fixtures/<rule-id>/` with
//! `pass*.yaml` files that must give none of its findings and `fail*.yaml` files that must give
//! at least one, and the examples of its docs behave as documented. The findings of the failing
//! fixtures are snapshotted (insta), so any change in message, span or path is reviewed; each
//! fix is applied and must remove its finding without breaking the document. Every fixture
//! folder belongs to a rule.
//!
//! The tests are generated from the registry (a test harness of its own, `libtest-mimic`), so a
//! new rule gets its test without a line here.
//!
//! A fixture may start with a comment line `# config: {json}` to lint with a specific
//! configuration (for example `{"kubernetesVersion": "v1.24"}`); otherwise the rule is forced
//! on over the profile that contains it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use kubeharden::rules::{Check, Rule, Tier};
use kubeharden::{Config, Profile, RuleSetting};
use libtest_mimic::{Arguments, Failed, Trial};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn config_for(rule: &kubeharden::rules::Rule, text: &str) -> Config {
    let mut config = match text.lines().next().and_then(|l| l.strip_prefix("# config:")) {
        Some(json) => Config::from_json(json.trim()).unwrap_or_else(|e| panic!("bad fixture config: {e}")),
        None => Config {
            profile: if rule.tier == Tier::Baseline { Profile::Baseline } else { Profile::Hardened },
            ..Config::default()
        },
    };
    config.today.get_or_insert_with(|| "2026-06-01".to_owned());
    config.rules.entry(rule.id.to_owned()).or_insert(RuleSetting::On);
    config
}

fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    out.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.starts_with(prefix) && (name.ends_with(".yaml") || name.ends_with(".json"))
    });
    out.sort();
    out
}

/// Applies a finding's fix and lints again: the text must still parse, and the rule must
/// report fewer findings.
fn check_fix(rule: &str, name: &str, text: &str, finding: &kubeharden::Finding, config: &Config) -> Option<String> {
    let fix = finding.fix.as_ref()?;
    let Some(fixed) = fix.apply(text) else {
        return Some(format!("{rule}/{name}: the edits of fix `{}` do not fit the text", fix.description));
    };
    if Some(fix.applicability) != kubeharden::registry::find(rule).and_then(|r| r.fix) && !declared_safer(rule, fix) {
        return Some(format!(
            "{rule}/{name}: fix `{}` is {:?}, the rule declares {:?}",
            fix.description,
            fix.applicability,
            kubeharden::registry::find(rule).and_then(|r| r.fix)
        ));
    }
    let before = kubeharden::lint_str(name, text, config);
    let after = kubeharden::lint_str(name, &fixed, config);
    let count = |r: &kubeharden::Report, id: &str| r.active().filter(|f| f.rule == id).count();
    for structural in ["invalid-yaml", "duplicate-key", "invalid-resource"] {
        if count(&after, structural) > count(&before, structural) {
            return Some(format!("{rule}/{name}: fix `{}` breaks the document:\n{fixed}", fix.description));
        }
    }
    (count(&after, rule) >= count(&before, rule))
        .then(|| format!("{rule}/{name}: fix `{}` does not remove the finding:\n{fixed}", fix.description))
}

/// A fix may be safer than its rule's declared applicability (never less safe), and only a
/// rule that declares fixes attaches them.
fn declared_safer(rule: &str, fix: &kubeharden::report::Fix) -> bool {
    kubeharden::registry::find(rule).and_then(|r| r.fix).is_some_and(|declared| fix.applicability < declared)
}

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> =
        kubeharden::rules::all().map(|rule| Trial::test(rule.id, move || outcome(check_rule(rule)))).collect();
    trials.push(Trial::test("every-fixture-folder-belongs-to-a-rule", || outcome(folders_match_rules())));
    libtest_mimic::run(&args, trials).exit_code()
}

fn outcome(failures: Vec<String>) -> Result<(), Failed> {
    if failures.is_empty() { Ok(()) } else { Err(failures.join("\n").into()) }
}

/// Every folder of `tests/fixtures` is a rule's, and every rule has one (with pass and fail
/// fixtures: see [`check_rule`]).
fn folders_match_rules() -> Vec<String> {
    let ids: Vec<&str> = kubeharden::rules::all().map(|r| r.id).collect();
    let mut failures = Vec::new();
    for entry in fs::read_dir(fixtures_dir()).unwrap().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !ids.contains(&name.as_str()) {
            failures.push(format!("tests/fixtures/{name} belongs to no rule (renamed or removed?)"));
        }
    }
    for id in ids {
        if !fixtures_dir().join(id).is_dir() {
            failures.push(format!("{id} has no folder tests/fixtures/{id}"));
        }
    }
    failures
}

/// One rule: its fixtures, their snapshot and fixes, and the examples of its docs. The CEL
/// layer's rules ([`Check::Cel`]) have their fixtures here too, run through that layer by
/// crates/kubeharden-policy/tests/crd_rules.rs: the core alone never gives their findings.
fn check_rule(rule: &'static Rule) -> Vec<String> {
    let mut failures = Vec::new();
    if matches!(rule.checks.first().map(|c| c.check), Some(Check::Cel)) {
        let dir = fixtures_dir().join(rule.id);
        if files(&dir, "pass").is_empty() || files(&dir, "fail").is_empty() {
            failures.push(format!("{}: no pass and fail fixtures in tests/fixtures/{}", rule.id, rule.id));
        }
        return failures;
    }
    let dir = fixtures_dir().join(rule.id);
    if files(&dir, "pass").is_empty() || files(&dir, "fail").is_empty() {
        failures.push(format!("{}: no pass and fail fixtures in tests/fixtures/{}", rule.id, rule.id));
    }
    for path in files(&dir, "pass") {
        let text = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = kubeharden::lint_str(&name, &text, &config_for(rule, &text));
        let hits: Vec<String> = report
            .active()
            .filter(|f| f.rule == rule.id)
            .map(|f| format!("{}:{} {}", f.span.start.line, f.span.start.column, f.message))
            .collect();
        if !hits.is_empty() {
            failures.push(format!("{}/{name}: expected no finding, got {hits:?}", rule.id));
        }
    }
    let mut snapshot = String::new();
    for path in files(&dir, "fail") {
        let text = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = kubeharden::lint_str(&name, &text, &config_for(rule, &text));
        let hits: Vec<_> = report.active().filter(|f| f.rule == rule.id).collect();
        if hits.is_empty() {
            failures.push(format!("{}/{name}: expected a finding, got none", rule.id));
        }
        writeln!(snapshot, "# {name}").unwrap();
        for f in hits {
            writeln!(
                snapshot,
                "{}:{}-{}:{} {} {}\n    path: {}\n    help: {}{}",
                f.span.start.line,
                f.span.start.column,
                f.span.end.line,
                f.span.end.column,
                f.severity.as_str(),
                f.message,
                f.path,
                f.help,
                f.fix
                    .as_ref()
                    .map(|x| format!(
                        "\n    fix ({}): {} {:?}",
                        x.applicability.as_str(),
                        x.description,
                        x.edits.iter().map(|e| (e.start, e.end, e.text.as_str())).collect::<Vec<_>>()
                    ))
                    .unwrap_or_default()
            )
            .unwrap();
            if let Some(problem) = check_fix(rule.id, &name, &text, f, &config_for(rule, &text)) {
                failures.push(problem);
            }
        }
    }
    failures.extend(check_doc_examples(rule));
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(fixtures_dir().join(rule.id));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("findings", snapshot));
    failures
}

/// The examples in the docs are executed: the failing one must produce the rule's finding, the
/// passing one must not.
fn check_doc_examples(rule: &Rule) -> Vec<String> {
    if matches!(rule.checks.first().map(|c| c.check), Some(Check::Engine | Check::Exemption(_)))
        && rule.docs.fail.is_empty()
    {
        return Vec::new();
    }
    let mut config = Config {
        profile: if rule.tier == Tier::Baseline { Profile::Baseline } else { Profile::Hardened },
        today: Some("2026-06-01".into()),
        ..Config::default()
    };
    config.rules.insert(rule.id.to_owned(), RuleSetting::On);
    let mut failures = Vec::new();
    let fail = kubeharden::lint_str("fail.yaml", rule.docs.fail, &config);
    if !fail.findings.iter().any(|f| f.rule == rule.id) {
        let got: Vec<&str> = fail.findings.iter().map(|f| f.rule.as_str()).collect();
        failures.push(format!("{}: the failing example of the docs gives no finding; findings: {got:?}", rule.id));
    }
    let pass = kubeharden::lint_str("pass.yaml", rule.docs.pass, &config);
    let unexpected: Vec<&str> =
        pass.findings.iter().filter(|f| f.rule == rule.id).map(|f| f.message.as_str()).collect();
    if !unexpected.is_empty() {
        failures.push(format!("{}: the passing example of the docs gives {unexpected:?}", rule.id));
    }
    failures
}
