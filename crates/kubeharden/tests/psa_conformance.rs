//! Pod Security Admission conformance: every fixture of the upstream conformance suite
//! (`../shared/conformance/psa`, k8s.io/pod-security-admission `test/testdata`) is linted at its
//! own level and policy version, and only `pss-*` findings are considered:
//!
//! - `pass/` fixtures must give no `pss-*` finding;
//! - `fail/` fixtures must give at least one, among them the check named in `fixtures.csv`
//!   (`psa_reporting_checks`, which accounts for restricted checks overriding their baseline
//!   twins), read from the finding's `pss.check`;
//! - and, as the upstream runner asserts on the API server's message, the messages of the
//!   `pss-*` findings must contain the fixture's `expect_error_substring`.
//!
//! A fixture's expectation holds for the versions listed in `identical_in_minors` (byte-identical
//! copies of it) and no others; each distinct document is parsed once and linted once per level
//! and version that holds a copy of it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use kubeharden::{Config, KubeVersion, Limits, Profile, Source};

fn psa_dir() -> PathBuf {
    // The repository root is two levels above this crate; shared data sits beside it.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/psa")
}

#[derive(Debug)]
struct Row {
    path: String,
    level: String,
    minor: u16,
    allow: bool,
    reporting: String,
    substring: String,
    sha: String,
}

fn rows() -> Vec<Row> {
    let csv = fs::read_to_string(psa_dir().join("fixtures.csv"))
        .unwrap_or_else(|e| panic!("{}: {e} (the shared PSA fixtures are required)", psa_dir().display()));
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (path, level, version, expect, reporting, substring, sha) = (
        col("path"),
        col("level"),
        col("version"),
        col("expect"),
        col("psa_reporting_checks"),
        col("expect_error_substring"),
        col("sha256"),
    );
    lines
        .filter(|l| !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Row {
                path: f[path].to_owned(),
                level: f[level].to_owned(),
                minor: f[version].strip_prefix("v1.").unwrap().parse().unwrap(),
                allow: match f[expect] {
                    "allow" => true,
                    "deny" => false,
                    other => panic!("{line}: unknown expectation {other}"),
                },
                reporting: f[reporting].to_owned(),
                substring: f[substring].to_owned(),
                sha: f[sha].to_owned(),
            }
        })
        .collect()
}

/// `identical_in_minors` of every fixture, by path.
fn identical_in_minors() -> BTreeMap<String, Vec<u16>> {
    let text = fs::read_to_string(psa_dir().join("fixtures.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let minors = f["identical_in_minors"].as_array().unwrap().iter().map(|m| m.as_u64().unwrap() as u16);
            (f["path"].as_str().unwrap().to_owned(), minors.collect())
        })
        .collect()
}

#[test]
fn every_psa_fixture_agrees() {
    let started = Instant::now();
    let rows = rows();
    let identical = identical_in_minors();
    assert_eq!(rows.len(), 4537, "fixtures.csv rows");

    // Expectations by (level, minor, outcome, file name): the copies `identical_in_minors`
    // lists must be exactly the rows holding the same bytes, so linting each row at its own
    // version asserts each expectation at exactly those versions.
    let key = |r: &Row| {
        let name = r.path.rsplit('/').next().unwrap().to_owned();
        (r.level.clone(), r.allow, name)
    };
    let by_place: BTreeMap<(String, bool, String, u16), &Row> =
        rows.iter().map(|r| ((key(r).0, key(r).1, key(r).2, r.minor), r)).collect();
    for r in &rows {
        let minors = identical.get(&r.path).unwrap_or_else(|| panic!("{} missing from fixtures.json", r.path));
        assert!(minors.contains(&r.minor), "{}: its own version is not listed", r.path);
        for m in minors {
            let (level, allow, name) = key(r);
            let copy =
                by_place.get(&(level, allow, name, *m)).unwrap_or_else(|| panic!("{}: no copy at v1.{m}", r.path));
            assert_eq!(copy.sha, r.sha, "{}: copy at v1.{m} differs", r.path);
        }
    }

    // Parse each distinct document once.
    let mut parsed = BTreeMap::new();
    for r in &rows {
        if !parsed.contains_key(&r.sha) {
            let text = fs::read_to_string(psa_dir().join(&r.path)).unwrap();
            parsed.insert(r.sha.clone(), kubeharden::parse(&Source::new(&r.path, text), &Limits::default()));
        }
    }

    let mut failures = Vec::new();
    let (mut pass, mut fail, mut agree, mut check_agree, mut message_agree) = (0, 0, 0, 0, 0);
    for r in &rows {
        let config = Config {
            profile: Profile::parse(&r.level).unwrap(),
            kubernetes_version: KubeVersion::v1(r.minor),
            ..Config::default()
        };
        let report = kubeharden::lint_parsed(std::slice::from_ref(&parsed[&r.sha]), &config);
        let pss: Vec<_> = report.findings.iter().filter(|f| f.rule.starts_with("pss-")).collect();
        let checks: BTreeSet<&str> = pss.iter().filter_map(|f| f.pss.as_ref().map(|p| p.check.as_str())).collect();
        if r.allow {
            pass += 1;
            if pss.is_empty() {
                agree += 1;
            } else {
                failures.push(format!(
                    "{} (allow at {}:v1.{}): got {:?}",
                    r.path,
                    r.level,
                    r.minor,
                    pss.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
            continue;
        }
        fail += 1;
        let denied = !pss.is_empty();
        let checked = checks.contains(r.reporting.as_str());
        let all_messages: String = pss.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("\n");
        let worded = all_messages.contains(&r.substring);
        agree += usize::from(denied);
        check_agree += usize::from(checked);
        message_agree += usize::from(worded);
        if !(denied && checked && worded) {
            failures.push(format!(
                "{} (deny at {}:v1.{} by {}, message containing {:?}): got checks {checks:?}, messages {all_messages:?}",
                r.path, r.level, r.minor, r.reporting, r.substring
            ));
        }
    }
    let total = rows.len();
    println!(
        "psa conformance: {total} files ({pass} pass, {fail} fail), {} distinct documents; \
         allow/deny agreement {agree}/{total} ({:.2}%); reporting check {check_agree}/{fail}; \
         message substring {message_agree}/{fail}; {:.2?}",
        parsed.len(),
        100.0 * agree as f64 / total as f64,
        started.elapsed()
    );
    assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
    assert_eq!((pass, fail), (1051, 3486));
    assert_eq!((agree, check_agree, message_agree), (total, fail, fail));
}
