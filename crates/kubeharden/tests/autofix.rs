//! Autofix over every input we have: the fixture folders, the shared corpus of real manifests
//! and the Pod Security Admission conformance fixtures. Fixing (with the unsafe fixes too)
//! must converge within the bound on passes, never add syntax, duplicate-key or invalid-resource
//! findings, keep every comment, change the decoded objects only at the fixed paths, and be
//! idempotent: fixing the fixed text changes nothing. The corpus and PSA figures are printed
//! (`cargo test -p kubeharden --test autofix -- --nocapture`).

#[path = "support/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use kubeharden::fix::{Applicability, FixOptions, FixOutcome};
use kubeharden::source::to_json::node_to_json;
use kubeharden::{Config, KubeVersion, Limits, Profile, Source};
use serde_json::Value;

const ALL: FixOptions = FixOptions { applicability: Applicability::Unsafe, max_passes: 12 };

/// What went wrong fixing one text, if anything.
fn check(name: &str, text: &str, config: &Config) -> (FixOutcome, Vec<String>) {
    let outcome = kubeharden::fix::fix_str(name, text, config, ALL);
    let mut problems = Vec::new();
    let fixed = &outcome.sources[0].text;
    if outcome.passes > ALL.max_passes {
        problems.push(format!("{name}: fixing does not converge in {} passes", ALL.max_passes));
    }
    let again = kubeharden::fix::fix_str(name, fixed, config, ALL);
    if again.sources[0].changed {
        problems.push(format!(
            "{name}: a second fix changes the text:\n{}",
            kubeharden::fix::diff::unified(name, fixed, &again.sources[0].text)
        ));
    }
    for line in text.lines().filter(|l| l.trim_start().starts_with('#')) {
        if !fixed.contains(line.trim()) {
            problems.push(format!("{name}: the comment {line:?} is lost"));
        }
    }
    problems.extend(decoded_differences(name, text, fixed, &outcome));
    (outcome, problems)
}

fn documents(text: &str) -> Vec<Value> {
    let parsed = kubeharden::parse(&Source::new("t", text), &Limits::default());
    parsed.documents.iter().map(|d| node_to_json(parsed.tree.node(d.root))).collect()
}

/// The decoded documents differ only at (or below) the paths of the fixes applied to them;
/// documents may be appended (a default-deny policy).
fn decoded_differences(name: &str, before: &str, after: &str, outcome: &FixOutcome) -> Vec<String> {
    // A fix through an alias edits the anchored node, which also shows where it is anchored.
    if before.contains(" &") || before.contains("<<:") {
        return Vec::new();
    }
    let (old, new) = (documents(before), documents(after));
    let mut allowed: Vec<String> = Vec::new();
    for applied in &outcome.applied {
        let path = normalise(&applied.path);
        // A list item removed moves the items after it: the list is what changed.
        let removed = applied.description.starts_with("remove");
        let list = path.rfind('[').map(|i| path[..i].to_owned()).filter(|_| removed);
        allowed.extend(list);
        // A key renamed: its new name is a sibling.
        for map in [".labels", ".annotations"] {
            if applied.description.starts_with("rename the") && path.contains(&format!("{map}.")) {
                allowed.push(path[..path.find(&format!("{map}.")).unwrap_or(0) + map.len()].to_owned());
            }
        }
        if applied.description.starts_with("rename") {
            allowed.push(path.rsplit_once('.').map_or(String::new(), |(parent, _)| parent.to_owned()));
        }
        allowed.push(path);
    }
    let mut problems = Vec::new();
    if new.len() < old.len() {
        problems.push(format!("{name}: documents were lost"));
    }
    for (a, b) in old.iter().zip(&new) {
        let mut diffs = Vec::new();
        differences(a, b, String::new(), &mut diffs);
        for d in diffs {
            let covered = allowed.iter().any(|p| {
                d == *p
                    || d.starts_with(&format!("{p}."))
                    || d.starts_with(&format!("{p}["))
                    // A key added below `d` where `d` did not exist (a new securityContext).
                    || p.starts_with(&format!("{d}."))
                    // A list whose length changed (an item inserted before the one fixed,
                    // such as an audit rule placed first) differs as a whole.
                    || p.starts_with(&format!("{d}["))
                    || p.is_empty()
            });
            if !covered {
                problems.push(format!("{name}: {d} changed, but no fix applied there (fixed: {allowed:?})"));
            }
        }
    }
    problems
}

/// `metadata.annotations["a.b/c"]` as `metadata.annotations.a.b/c`, the form [`differences`] writes.
fn normalise(path: &str) -> String {
    path.replace("[\"", ".").replace("\"]", "")
}

fn differences(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let here = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => differences(p, q, here, out),
                    _ => out.push(here),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, format!("{at}[{i}]"), out);
            }
        }
        _ if a != b => out.push(at),
        _ => {}
    }
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The configuration a fixture is linted with (as in tests/fixtures.rs).
fn fixture_config(rule: &kubeharden::rules::Rule, text: &str) -> Config {
    let mut config = match text.lines().next().and_then(|l| l.strip_prefix("# config:")) {
        Some(json) => Config::from_json(json.trim()).unwrap(),
        None => Config {
            profile: if rule.tier == kubeharden::rules::Tier::Baseline { Profile::Baseline } else { Profile::Hardened },
            ..Config::default()
        },
    };
    config.today.get_or_insert_with(|| "2026-06-01".to_owned());
    config.rules.entry(rule.id.to_owned()).or_insert(kubeharden::RuleSetting::On);
    config
}

#[test]
fn every_fixture_fixes_cleanly_and_idempotently() {
    let mut problems = Vec::new();
    let mut files = 0;
    for rule in kubeharden::rules::all() {
        let dir = fixtures_dir().join(rule.id);
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.retain(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json")));
        paths.sort();
        for path in paths {
            let text = fs::read_to_string(&path).unwrap();
            let name = format!("{}/{}", rule.id, path.file_name().unwrap().to_string_lossy());
            let (_, found) = check(&name, &text, &fixture_config(rule, &text));
            problems.extend(found);
            files += 1;
        }
    }
    assert!(files > 300, "{files} fixtures");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_corpus_fixes_cleanly_and_idempotently() {
    let config = Config { today: Some("2026-06-01".into()), ..Config::default() };
    let mut problems = Vec::new();
    let (mut fixable, mut fixed_count) = (0usize, 0usize);
    let mut left: BTreeMap<String, usize> = BTreeMap::new();
    let mut left_in: Vec<String> = Vec::new();
    for path in corpus::corpus_files() {
        let Ok(text) = fs::read_to_string(&path) else { continue };
        let name = path.strip_prefix(corpus::corpus_root()).unwrap().to_string_lossy().into_owned();
        let before = kubeharden::lint_str(&name, &text, &config);
        let (outcome, found) = check(&name, &text, &config);
        problems.extend(found);
        let with_fix = |r: &kubeharden::Report| {
            r.active().filter(|f| f.fix.is_some()).map(|f| (f.rule.clone(), f.path.clone())).collect::<Vec<_>>()
        };
        let was = with_fix(&before);
        let still = with_fix(&outcome.report);
        fixable += was.len();
        fixed_count += was.iter().filter(|k| !still.contains(k)).count();
        for (rule, _) in &still {
            *left.entry(rule.clone()).or_default() += 1;
        }
        if !still.is_empty() {
            left_in.push(name.clone());
        }
    }
    println!(
        "corpus: {fixable} findings with a fix, {fixed_count} fixed ({:.1}%); left with a fix by rule: {left:?}, in {left_in:?}",
        100.0 * fixed_count as f64 / fixable.max(1) as f64
    );
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// With the restricted profile and the unsafe fixes, every pod of the PSA `fail` fixtures
/// passes its level afterwards, except for what is reported and never removed: the volume
/// types and host paths the pod depends on.
#[test]
fn psa_failures_pass_their_level_after_fixing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/psa");
    let csv = fs::read_to_string(root.join("fixtures.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (path_col, level_col, version_col, expect_col) = (col("path"), col("level"), col("version"), col("expect"));
    let (mut total, mut passed, mut not_removed) = (0, 0, 0);
    let mut problems = Vec::new();
    let kept = ["pss-volume-types", "pss-host-path-volumes"];
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f[expect_col] != "deny" {
            continue;
        }
        let minor: u16 = f[version_col].strip_prefix("v1.").unwrap().parse().unwrap();
        let config = Config {
            profile: Profile::parse(f[level_col]).unwrap(),
            kubernetes_version: KubeVersion::v1(minor),
            ..Config::default()
        };
        let text = fs::read_to_string(root.join(f[path_col])).unwrap();
        let outcome = kubeharden::fix::fix_str(f[path_col], &text, &config, ALL);
        total += 1;
        let left: Vec<&str> =
            outcome.report.active().filter(|x| x.rule.starts_with("pss-")).map(|x| x.rule.as_str()).collect();
        if left.is_empty() {
            passed += 1;
        } else if left.iter().all(|r| kept.contains(r)) {
            not_removed += 1;
        } else {
            for rule in left.iter().filter(|r| !kept.contains(r)) {
                *by_rule.entry(rule.to_string()).or_insert(0usize) += 1;
            }
            problems.push(format!("{} at {}:v1.{minor}: {left:?} remain", f[path_col], f[level_col]));
        }
    }
    println!(
        "psa: {total} failing fixtures; {passed} pass their level after --fix --unsafe-fixes ({:.1}%), \
         {not_removed} keep only a volume the pod depends on, {} other ({by_rule:?})",
        100.0 * passed as f64 / total as f64,
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} fixtures still fail:\n{}",
        problems.len(),
        problems.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}
