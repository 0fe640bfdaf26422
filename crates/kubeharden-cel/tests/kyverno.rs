//! Kyverno's ValidatingPolicy suites (../shared/conformance/kyverno, read in place): every
//! `kyverno test` result (`fail`: the policy denies the resource, `pass`: it admits it,
//! `skip`: it does not apply) must agree with this engine, autogen included. The cases are
//! read and run by the library's `kyverno_test`, as `kubeharden policy test` runs them.

mod support;

use std::path::{Path, PathBuf};

use kubeharden_cel::CompileOptions;
use kubeharden_cel::kyverno_test::{self, CaseOutcome};
use support::read_docs;

fn suite() -> PathBuf {
    support::shared("conformance/kyverno")
}

fn tests(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            tests(&path, out);
        } else if path.file_name().is_some_and(|n| n == kyverno_test::FILE_NAME) {
            out.push(path);
        }
    }
}

#[test]
fn every_kyverno_test_result_agrees() {
    let mut files = Vec::new();
    tests(&suite(), &mut files);
    files.sort();
    let (mut passed, mut failed) = (0, Vec::new());
    for file in &files {
        let base = file.parent().expect("parent");
        let test = &read_docs(file).expect("test file")[0];
        assert!(kyverno_test::is_test(test), "{}", file.display());
        let cases = kyverno_test::run(test, &mut |p| read_docs(&base.join(p)), &CompileOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in cases {
            match case.outcome {
                CaseOutcome::Pass => passed += 1,
                CaseOutcome::Fail(e) | CaseOutcome::NotEvaluable(e) => {
                    failed.push(format!("{} {} {}: {e}", case.policy, case.kind, case.resource))
                }
            }
        }
    }
    println!("kyverno: {} tests, {passed} passed, {} failed", files.len(), failed.len());
    assert_eq!(files.len(), 31);
    assert!(
        failed.is_empty(),
        "{} of {} results disagree:\n{}",
        failed.len(),
        passed + failed.len(),
        failed.join("\n")
    );
}
