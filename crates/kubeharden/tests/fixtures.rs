//! Fixture tests: every rule has `tests/fixtures/<rule-id>/` with `pass*.yaml` files that must
//! give none of its findings and `fail*.yaml` files that must give at least one. The findings
//! of the failing fixtures are snapshotted (insta), so any change in message, span or path is
//! reviewed.
//!
//! A fixture may start with a comment line `# config: {json}` to lint with a specific
//! configuration (for example `{"kubernetesVersion": "v1.24"}`); otherwise the rule is forced
//! on over the profile that contains it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use kubeharden::rules::Tier;
use kubeharden::{Config, Profile, RuleSetting};

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
    let mut units: Vec<u16> = text.encode_utf16().collect();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    for e in &edits {
        units.splice(e.start as usize..e.end as usize, e.text.encode_utf16());
    }
    let fixed = String::from_utf16(&units).ok()?;
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

#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let mut missing = Vec::new();
    for rule in kubeharden::rules::all() {
        let dir = fixtures_dir().join(rule.id);
        if files(&dir, "pass").is_empty() || files(&dir, "fail").is_empty() {
            missing.push(rule.id);
        }
    }
    assert!(missing.is_empty(), "rules without pass and fail fixtures: {missing:?}");
}

#[test]
fn fixtures_behave_and_match_snapshots() {
    let mut failures = Vec::new();
    for rule in kubeharden::rules::all() {
        let dir = fixtures_dir().join(rule.id);
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
                            "\n    fix: {} {:?}",
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
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(fixtures_dir().join(rule.id));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!("findings", snapshot));
    }
    assert!(failures.is_empty(), "fixture failures:\n{}", failures.join("\n"));
}
