//! `kubeharden policy test`: Kyverno `kyverno test` files for ValidatingPolicies, one line
//! per case, exit 1 when a case fails or cannot be evaluated offline; the shared Kyverno
//! suites all pass.

mod support;

use support::*;

const POLICY: &str = "apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: max-replicas
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
  validations:
  - expression: object.spec.replicas <= 5
    message: at most 5 replicas
---
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: lookup
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
  validations:
  - expression: resource.Get('v1', 'configmaps', 'default', 'allowed') != null
";

const RESOURCES: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: small
spec:
  replicas: 2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  replicas: 9
---
apiVersion: v1
kind: Pod
metadata:
  name: pod
";

const TEST: &str = "apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: replicas
policies:
- ../policy.yaml
resources:
- resources.yaml
results:
- policy: max-replicas
  kind: Deployment
  resources: [small]
  result: pass
- policy: max-replicas
  kind: Deployment
  resources: [big]
  result: fail
- policy: max-replicas
  kind: Pod
  resources: [pod]
  result: skip
";

fn setup(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = scratch(name);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn passing_cases_exit_0_and_print_with_verbose() {
    let dir = setup(
        "kyverno-pass",
        &[
            ("policy.yaml", POLICY),
            (".kyverno-test/resources.yaml", RESOURCES),
            (".kyverno-test/kyverno-test.yaml", TEST),
        ],
    );
    let out = run(&dir, &["policy", "test", "-v", "."]);
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "{text}{}", stderr(&out));
    assert!(text.contains("ok    .kyverno-test/kyverno-test.yaml: max-replicas / Deployment big (fail)"), "{text}");
    assert!(text.contains("ok    .kyverno-test/kyverno-test.yaml: max-replicas / Pod pod (skip)"), "{text}");
    assert!(text.contains("1 tests: 3 passed, 0 failed, 0 not evaluable offline"), "{text}");
}

#[test]
fn a_wrong_expectation_fails_and_an_offline_lookup_is_not_evaluable() {
    let test = format!(
        "{TEST}- policy: max-replicas\n  kind: Deployment\n  resources: [small]\n  result: fail\n\
         - policy: lookup\n  kind: Deployment\n  resources: [small]\n  result: pass\n\
         - policy: missing\n  kind: Deployment\n  resources: [small]\n  result: pass\n"
    );
    let dir = setup(
        "kyverno-fail",
        &[("policy.yaml", POLICY), ("t/resources.yaml", RESOURCES), ("t/kyverno-test.yaml", &test)],
    );
    // `t/` with `../policy.yaml` relative to the test file.
    let out = run(&dir, &["policy", "test", "t/kyverno-test.yaml", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!((report["passed"].as_u64(), report["failed"].as_u64()), (Some(3), Some(2)), "{report}");
    assert_eq!(report["notEvaluable"], 1, "{report}");
    let cases = report["cases"].as_array().unwrap();
    let wrong = &cases[3];
    assert_eq!((&wrong["outcome"], &wrong["got"]), (&"fail".into(), &"pass".into()), "{wrong}");
    let lookup = &cases[4];
    assert_eq!(lookup["outcome"], "not-evaluable", "{lookup}");
    assert!(lookup["error"].as_str().unwrap().contains("offline"), "{lookup}");
    assert!(cases[5]["error"].as_str().unwrap().contains("no policy `missing`"), "{}", cases[5]);

    let out = run(&dir, &["policy", "test", "t"]);
    let text = stdout(&out);
    assert!(
        text.contains("FAIL  t/kyverno-test.yaml: max-replicas / Deployment small (fail): expected fail, got pass"),
        "{text}"
    );
    assert!(
        text.contains("N/A   t/kyverno-test.yaml: lookup / Deployment small (pass): not evaluable offline"),
        "{text}"
    );
    assert!(text.contains("1 tests: 3 passed, 2 failed, 1 not evaluable offline"), "{text}");
}

#[test]
fn no_test_files_is_an_error() {
    let dir = setup("kyverno-none", &[("policy.yaml", POLICY)]);
    let out = run(&dir, &["policy", "test", "."]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no Kyverno test files"), "{}", stderr(&out));
}

#[test]
fn policy_test_passes_the_shared_kyverno_suites() {
    let suites = shared_dir("conformance/kyverno");
    for folder in ["best-practices-vpol", "pod-security-vpol"] {
        assert!(suites.join(folder).is_dir(), "{folder}");
    }
    let out = run(&suites, &["policy", "test", "best-practices-vpol", "pod-security-vpol"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("31 tests: 928 passed, 0 failed, 0 not evaluable offline"), "{}", stdout(&out));
}
