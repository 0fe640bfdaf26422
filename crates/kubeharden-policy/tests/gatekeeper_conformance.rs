//! The Gatekeeper library's `gator verify` suites (../shared/conformance/gatekeeper), every
//! case through the policy layer with both engines (auto: a template's CEL code first, as
//! Gatekeeper): the same path a lint takes (document
//! reading, Constraint matching, reviews, findings).

use std::path::{Path, PathBuf};

use kubeharden::Limits;
use kubeharden_policy::verify::{Outcome, verify_suite};
use kubeharden_policy::{Engines, Options};

/// The shared data beside the repository (`../shared`), found from the repository's folder
/// upwards so worktrees find it too.
fn library() -> PathBuf {
    let rel = "shared/conformance/gatekeeper/library/general";
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(2)
        .map(|a| a.join(rel))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from(rel))
}

#[test]
fn every_suite_case_passes_with_the_rego_engine() {
    let engines = Engines::built_in();
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let mut suites: Vec<PathBuf> = std::fs::read_dir(library())
        .expect("the shared conformance suites")
        .flatten()
        .map(|e| e.path().join("suite.yaml"))
        .filter(|p| p.exists())
        .collect();
    suites.sort();
    let (mut passed, mut skipped, mut failed) = (0, 0, Vec::new());
    for suite in &suites {
        let path = suite.to_string_lossy();
        let results = verify_suite(&path, &read, &engines, &Options::default(), &Limits::default()).unwrap();
        for r in results {
            match r.outcome {
                Outcome::Pass => passed += 1,
                Outcome::Skip => skipped += 1,
                Outcome::Fail(e) => failed.push(format!("{path} {}/{}: {e}", r.test, r.case)),
            }
        }
    }
    println!("{} suites: {passed} cases pass, {skipped} skipped, {} fail", suites.len(), failed.len());
    for f in &failed {
        println!("  {f}");
    }
    assert!(suites.len() >= 30);
    assert!(failed.is_empty(), "{} cases fail", failed.len());
}
