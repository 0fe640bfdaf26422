//! Custom policies in the CLI: the files `--policy` and `policies:` name (folders walked for
//! `.yaml`, `.yml`, `.json` and `.rego` files), and `kubeharden policy verify` over gator
//! suites. Evaluation itself is kubeharden-policy's.

use std::fs;
use std::path::{Path, PathBuf};

use kubeharden::{Limits, ParsedSource, Source};
use kubeharden_policy::verify::{Outcome, verify_suite};
use kubeharden_policy::{EngineKind, Engines, Options, Preference};

use crate::files;

const POLICY_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "rego"];

/// `--policy-engine`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineArg {
    /// As Gatekeeper: CEL code when the template has it and this build has the CEL engine, else Rego.
    #[default]
    Auto,
    Rego,
    Cel,
}

impl EngineArg {
    pub fn preference(self) -> Preference {
        match self {
            EngineArg::Auto => Preference::Gatekeeper,
            EngineArg::Rego => Preference::Only(EngineKind::Rego),
            EngineArg::Cel => Preference::Only(EngineKind::Cel),
        }
    }
}

pub fn options(engine: EngineArg, namespaces: &[String]) -> Options {
    Options { preference: engine.preference(), conftest_namespaces: namespaces.to_vec(), ..Options::default() }
}

/// The policy files under `paths`, in a deterministic order (paths as given, folders in byte
/// order of names, hidden entries skipped), read and parsed. Unreadable paths are errors.
pub fn load(paths: &[PathBuf], limits: &Limits) -> (Vec<ParsedSource>, Vec<String>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        walk(path, true, &mut found, &mut errors);
    }
    let mut sources = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in found {
        if !seen.insert(path.clone()) {
            continue;
        }
        let name = files::display(&path);
        match fs::read(&path).map_err(|e| crate::io_reason(&e)).and_then(crate::load::decode) {
            Ok(text) => sources.push(kubeharden::parse_owned(Source::new(name, text), limits)),
            Err(e) => errors.push(format!("cannot read the policy `{name}`: {e}")),
        }
    }
    (sources, errors)
}

fn walk(path: &Path, explicit: bool, out: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            errors.push(format!("cannot read the policy `{}`: {}", files::display(path), crate::io_reason(&e)));
            return;
        }
    };
    if meta.is_file() {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if explicit || ext.is_some_and(|e| POLICY_EXTENSIONS.contains(&e.as_str())) {
            out.push(path.to_path_buf());
        }
        return;
    }
    let mut entries: Vec<PathBuf> = match fs::read_dir(path) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(e) => {
            errors.push(format!("cannot read the policy folder `{}`: {}", files::display(path), crate::io_reason(&e)));
            return;
        }
    };
    entries.sort();
    for entry in entries {
        if entry.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        walk(&entry, false, out, errors);
    }
}

/// The suite files under `paths`: files named, and in folders the `.yaml`/`.yml` files whose
/// documents include a `kind: Suite`.
fn suites(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for path in paths {
        let mut all = Vec::new();
        walk(path, true, &mut all, errors);
        for p in all {
            let named = p == *path;
            let yaml = p.extension().and_then(|e| e.to_str()).is_some_and(|e| e == "yaml" || e == "yml");
            if named
                || (yaml
                    && fs::read_to_string(&p)
                        .is_ok_and(|t| t.contains("Suite") && kubeharden_policy::verify::is_suite(&t)))
            {
                found.push(p);
            }
        }
    }
    found
}

/// `kubeharden policy verify`: every case of every suite, one line each; exit 1 when a case
/// fails.
pub fn verify(paths: &[PathBuf], engine: EngineArg, verbose: bool, json: bool) -> Result<bool, String> {
    let mut errors = Vec::new();
    let paths = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let found = suites(&paths, &mut errors);
    if let Some(e) = errors.first() {
        return Err(e.clone());
    }
    if found.is_empty() {
        return Err("no gator suites (kind: Suite) found".into());
    }
    let engines = Engines::built_in();
    let options = options(engine, &[]);
    let read = |p: &str| fs::read_to_string(p).map_err(|e| format!("cannot read `{p}`: {}", crate::io_reason(&e)));
    let (mut passed, mut skipped, mut failed) = (0usize, 0usize, 0usize);
    let mut out = String::new();
    let mut cases = Vec::new();
    for suite in &found {
        let name = files::display(suite);
        let results = verify_suite(&name, &read, &engines, &options, &Limits::default())?;
        for r in results {
            cases.push(serde_json::json!({
                "suite": name, "test": r.test, "case": r.case,
                "outcome": match &r.outcome { Outcome::Pass => "pass", Outcome::Skip => "skip", Outcome::Fail(_) => "fail" },
                "error": match &r.outcome { Outcome::Fail(e) => Some(e.clone()), _ => None },
                "template": r.template, "constraint": r.constraint, "object": r.object, "inventory": r.inventory,
            }));
            match r.outcome {
                Outcome::Pass => {
                    passed += 1;
                    if verbose {
                        out.push_str(&format!("ok    {name}: {} / {}\n", r.test, r.case));
                    }
                }
                Outcome::Skip => {
                    skipped += 1;
                    if verbose {
                        out.push_str(&format!("skip  {name}: {} / {}\n", r.test, r.case));
                    }
                }
                Outcome::Fail(e) => {
                    failed += 1;
                    out.push_str(&format!("FAIL  {name}: {} / {}: {e}\n", r.test, r.case));
                }
            }
        }
    }
    out.push_str(&format!("{} suites: {passed} passed, {failed} failed, {skipped} skipped\n", found.len()));
    if json {
        let report = serde_json::json!({"suites": found.len(), "passed": passed, "failed": failed, "skipped": skipped, "cases": cases});
        out = format!("{report}\n");
    }
    crate::write_output(None, &out)?;
    Ok(failed == 0)
}

/// The Kyverno test files under `paths`: files named, and in folders (hidden ones too, as
/// `kyverno test` finds `.kyverno-test/`; `.git` and `node_modules` skipped) the files named
/// `kyverno-test.yaml`. Sorted by path.
fn kyverno_tests(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
        let entries = match fs::read_dir(dir) {
            Ok(rd) => rd.flatten().map(|e| e.path()),
            Err(e) => {
                errors.push(format!("cannot read the folder `{}`: {}", files::display(dir), crate::io_reason(&e)));
                return;
            }
        };
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if path.is_dir() {
                if name != ".git" && name != "node_modules" {
                    walk(&path, out, errors);
                }
            } else if name == kubeharden_cel::kyverno_test::FILE_NAME {
                out.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for path in paths {
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let mut inside = Vec::new();
                walk(path, &mut inside, errors);
                inside.sort();
                found.extend(inside);
            }
            Ok(_) => found.push(path.clone()),
            Err(e) => errors.push(format!("cannot read `{}`: {}", files::display(path), crate::io_reason(&e))),
        }
    }
    found.dedup();
    found
}

/// The JSON documents of a YAML or JSON file (empty documents left out).
fn read_documents(path: &Path) -> Result<Vec<serde_json::Value>, String> {
    let name = files::display(path);
    let text = fs::read(path)
        .map_err(|e| crate::io_reason(&e))
        .and_then(crate::load::decode)
        .map_err(|e| format!("cannot read `{name}`: {e}"))?;
    let parsed = kubeharden::parse_owned(Source::new(name.clone(), text), &Limits::default());
    if let Some(issue) = parsed.issues.iter().find(|i| i.kind == kubeharden::source::IssueKind::InvalidYaml) {
        let at = parsed.lines.position(&parsed.text, issue.span.start);
        return Err(format!("{name}:{}:{}: not valid YAML: {}", at.line, at.column, issue.message));
    }
    Ok(parsed
        .documents
        .iter()
        .map(|d| kubeharden::source::to_json::node_to_json(parsed.tree.node(d.root)))
        .filter(|d| !d.is_null())
        .collect())
}

/// `kubeharden policy test`: every result of every Kyverno test file, one line each; exit 1
/// when a case fails or cannot be evaluated offline.
pub fn kyverno_test(paths: &[PathBuf], verbose: bool, json: bool) -> Result<bool, String> {
    use kubeharden_cel::kyverno_test::{CaseOutcome, is_test, run};
    let mut errors = Vec::new();
    let paths = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let found = kyverno_tests(&paths, &mut errors);
    if let Some(e) = errors.first() {
        return Err(e.clone());
    }
    if found.is_empty() {
        return Err(format!("no Kyverno test files ({}) found", kubeharden_cel::kyverno_test::FILE_NAME));
    }
    let options = kubeharden_cel::CompileOptions::default();
    let (mut passed, mut failed, mut unknown) = (0usize, 0usize, 0usize);
    let mut out = String::new();
    let mut cases = Vec::new();
    for file in &found {
        let name = files::display(file);
        let base = file.parent().unwrap_or(Path::new("."));
        let docs = read_documents(file)?;
        let Some(test) = docs.iter().find(|d| is_test(d)) else {
            return Err(format!("`{name}` has no Kyverno test (kind: Test, apiVersion: cli.kyverno.io/v1alpha1)"));
        };
        let test_name = test["metadata"]["name"].as_str().unwrap_or_default();
        let results =
            run(test, &mut |p| read_documents(&base.join(p)), &options).map_err(|e| format!("{name}: {e}"))?;
        for c in results {
            let label = format!("{name}: {} / {} {} ({})", c.policy, c.kind, c.resource, c.expected);
            let (outcome, error) = match &c.outcome {
                CaseOutcome::Pass => ("pass", None),
                CaseOutcome::Fail(e) => ("fail", Some(e.as_str())),
                CaseOutcome::NotEvaluable(e) => ("not-evaluable", Some(e.as_str())),
            };
            cases.push(serde_json::json!({
                "file": name, "test": test_name, "policy": c.policy, "rule": c.rule, "kind": c.kind,
                "resource": c.resource, "expected": c.expected, "got": c.got, "outcome": outcome, "error": error,
            }));
            match &c.outcome {
                CaseOutcome::Pass => {
                    passed += 1;
                    if verbose {
                        out.push_str(&format!("ok    {label}\n"));
                    }
                }
                CaseOutcome::Fail(e) => {
                    failed += 1;
                    out.push_str(&format!("FAIL  {label}: {e}\n"));
                }
                CaseOutcome::NotEvaluable(e) => {
                    unknown += 1;
                    out.push_str(&format!("N/A   {label}: not evaluable offline: {e}\n"));
                }
            }
        }
    }
    out.push_str(&format!(
        "{} tests: {passed} passed, {failed} failed, {unknown} not evaluable offline\n",
        found.len()
    ));
    if json {
        let report = serde_json::json!({"tests": found.len(), "passed": passed, "failed": failed,
            "notEvaluable": unknown, "cases": cases});
        out = format!("{report}\n");
    }
    crate::write_output(None, &out)?;
    Ok(failed == 0 && unknown == 0)
}
