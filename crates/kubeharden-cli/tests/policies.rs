//! Custom policies through the CLI: Gatekeeper templates and Constraints, conftest files,
//! policy errors positioned in the policy file, every output format, `policy verify`, and
//! hostile policies that end in bounded time with a finding.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::*;

const TEMPLATE: &str = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sdisallowedtags
  annotations:
    description: Images must not use a disallowed tag.
spec:
  crd:
    spec:
      names:
        kind: K8sDisallowedTags
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sdisallowedtags
        violation[{"msg": msg}] {
          container := input.review.object.spec.containers[_]
          tag := split(container.image, ":")[1]
          tag == input.parameters.tags[_]
          msg := sprintf("container <%v> uses a disallowed tag <%v>", [container.name, container.image])
        }
"#;

const CONSTRAINT: &str = r#"apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDisallowedTags
metadata:
  name: no-latest
spec:
  enforcementAction: warn
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Pod"]
    excludedNamespaces: ["kube-*"]
  parameters:
    tags: ["latest"]
"#;

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: sidecar\n      image: envoy:1.30\n    - name: app\n      image: nginx:latest\n";

fn setup(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = scratch(name);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn json_report(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["lint", "--no-config", "--format", "json", "--no-schema"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn policy_findings(report: &Value) -> Vec<&Value> {
    report["findings"].as_array().unwrap().iter().filter(|f| f.get("policy").is_some()).collect()
}

#[test]
fn a_violation_points_at_the_field_it_names_with_the_constraints_action() {
    let dir =
        setup("gk", &[("policy/template.yaml", TEMPLATE), ("policy/constraint.yaml", CONSTRAINT), ("pod.yaml", POD)]);
    let report = json_report(&dir, &["--policy", "policy", "pod.yaml"]);
    let found = policy_findings(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    let f = found[0];
    assert_eq!(f["rule"], "gatekeeper/K8sDisallowedTags/no-latest");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["message"], "container <app> uses a disallowed tag <nginx:latest>");
    assert_eq!(f["path"], "spec.containers[1].image");
    assert_eq!((f["span"]["start"]["line"].as_u64(), f["span"]["start"]["column"].as_u64()), (Some(11), Some(14)));
    assert_eq!(f["policy"]["engine"], "rego");
    assert_eq!(f["policy"]["kind"], "K8sDisallowedTags");
    assert_eq!(f["policy"]["name"], "no-latest");
    assert_eq!(f["policy"]["template"], "k8sdisallowedtags");
    assert_eq!(f["policy"]["action"], "warn");
    assert_eq!(f["policy"]["file"], "policy/constraint.yaml");
    assert!(report["summary"]["warning"].as_u64().unwrap() >= 1);
}

#[test]
fn constraint_matching_excludes_namespaces_and_kinds() {
    let pod = POD.replace("namespace: shop", "namespace: kube-system");
    let dir = setup("gk-match", &[("template.yaml", TEMPLATE), ("constraint.yaml", CONSTRAINT), ("pod.yaml", &pod)]);
    let report = json_report(&dir, &["--policy", "template.yaml", "--policy", "constraint.yaml", "pod.yaml"]);
    assert!(policy_findings(&report).is_empty());
}

#[test]
fn policies_among_the_linted_files_apply_as_in_a_cluster() {
    let dir = setup("gk-gitops", &[("template.yaml", TEMPLATE), ("constraint.yaml", CONSTRAINT), ("pod.yaml", POD)]);
    let report = json_report(&dir, &["."]);
    assert_eq!(policy_findings(&report).len(), 1);
}

#[test]
fn the_config_names_policies_relative_to_its_folder() {
    let dir = setup(
        "gk-config",
        &[
            ("repo/.kubeharden.yaml", "policies: [policies]\n"),
            ("repo/policies/template.yaml", TEMPLATE),
            ("repo/policies/constraint.yaml", CONSTRAINT),
            ("repo/deploy/pod.yaml", POD),
        ],
    );
    let out = run(&dir.join("repo/deploy"), &["lint", "--format", "json", "pod.yaml"]);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(policy_findings(&report).len(), 1, "{}", stderr(&out));
}

#[test]
fn a_template_that_does_not_compile_is_a_finding_at_its_line_and_column() {
    let broken = TEMPLATE.replace("tag == input.parameters.tags[_]", "tag == undefined_var");
    let dir = setup("gk-broken", &[("template.yaml", &broken), ("constraint.yaml", CONSTRAINT), ("pod.yaml", POD)]);
    let report = json_report(&dir, &["--policy", "template.yaml", "--policy", "constraint.yaml", "pod.yaml"]);
    let found = policy_findings(&report);
    let err = found.iter().find(|f| f["rule"] == "policy-error").expect("a policy error");
    assert_eq!(err["resource"]["source"], "template.yaml");
    let line = broken.lines().position(|l| l.contains("undefined_var")).unwrap() + 1;
    let column = broken.lines().nth(line - 1).unwrap().find("undefined_var").unwrap() + 1;
    assert_eq!(err["span"]["start"]["line"].as_u64(), Some(line as u64), "{err}");
    assert_eq!(err["span"]["start"]["column"].as_u64(), Some(column as u64), "{err}");
    assert!(err["message"].as_str().unwrap().contains("undefined_var"), "{err}");
    assert!(!found.iter().any(|f| f["rule"].as_str().unwrap().starts_with("gatekeeper/")));
}

#[test]
fn a_constraint_without_its_template_and_a_bad_action_are_reported() {
    let bad = CONSTRAINT.replace("enforcementAction: warn", "enforcementAction: block");
    let dir = setup(
        "gk-orphan",
        &[
            ("template.yaml", TEMPLATE),
            ("constraint.yaml", &bad),
            ("orphan.yaml", &CONSTRAINT.replace("K8sDisallowedTags", "K8sNothing")),
            ("pod.yaml", POD),
        ],
    );
    let report = json_report(
        &dir,
        &["--policy", "template.yaml", "--policy", "constraint.yaml", "--policy", "orphan.yaml", "pod.yaml"],
    );
    let messages: Vec<&str> = policy_findings(&report).iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("unrecognized enforcementAction")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("no ConstraintTemplate defines the kind K8sNothing")), "{messages:?}");
}

#[test]
fn conftest_files_deny_and_warn() {
    let rego = "package main\n\ndeny contains msg if {\n  input.kind == \"Pod\"\n  some c in input.spec.containers\n  endswith(c.image, \":latest\")\n  msg := sprintf(\"container %s uses the latest tag\", [c.name])\n}\n\nwarn contains \"pods should be Deployments\" if input.kind == \"Pod\"\n";
    let dir = setup("conftest", &[("policy/main.rego", rego), ("pod.yaml", POD)]);
    let report = json_report(&dir, &["--policy", "policy", "pod.yaml"]);
    let found = policy_findings(&report);
    let deny = found.iter().find(|f| f["rule"] == "conftest/main/deny").expect("deny");
    assert_eq!(deny["severity"], "error");
    assert_eq!(deny["message"], "container app uses the latest tag");
    assert_eq!(deny["policy"]["file"], "policy/main.rego");
    let warn = found.iter().find(|f| f["rule"] == "conftest/main/warn").expect("warn");
    assert_eq!(warn["severity"], "warning");
}

#[test]
fn conftest_syntax_errors_are_positioned_in_the_file() {
    let dir = setup(
        "conftest-bad",
        &[("p.rego", "package main\n\ndeny contains msg if {\n  msg := \n}\n"), ("pod.yaml", POD)],
    );
    let report = json_report(&dir, &["--policy", "p.rego", "pod.yaml"]);
    let err = policy_findings(&report).into_iter().find(|f| f["rule"] == "policy-error").expect("an error");
    assert_eq!(err["resource"]["source"], "p.rego");
    assert!(err["span"]["start"]["line"].as_u64().unwrap() >= 4, "{err}");
}

/// A file that does not compile is reported and takes only its own package with it: the other
/// packages' rules still run (conftest itself would stop).
#[test]
fn a_conftest_file_that_does_not_compile_leaves_the_other_packages_running() {
    let good = "package main\n\ndeny contains \"no pods\" if input.kind == \"Pod\"\n";
    let broken = "package extra\n\ndeny contains msg if {\n  msg := \n}\n";
    let same_package = "package extra\n\nwarn contains \"extra\" if true\n";
    let dir = setup(
        "conftest-partly-bad",
        &[("policy/a.rego", good), ("policy/b.rego", broken), ("policy/c.rego", same_package), ("pod.yaml", POD)],
    );
    let report = json_report(
        &dir,
        &["--policy", "policy", "--policy-namespace", "main", "--policy-namespace", "extra", "pod.yaml"],
    );
    let found = policy_findings(&report);
    let rules: Vec<&str> = found.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"conftest/main/deny"), "{rules:?}");
    assert!(!rules.contains(&"conftest/extra/warn"), "the broken file's package does not run: {rules:?}");
    let err = found.iter().find(|f| f["rule"] == "policy-error").expect("the error");
    assert_eq!(err["resource"]["source"], "policy/b.rego");
}

#[test]
fn sarif_has_one_rule_per_policy_and_text_shows_the_policy_file_line() {
    let dir = setup("gk-sarif", &[("template.yaml", TEMPLATE), ("constraint.yaml", CONSTRAINT), ("pod.yaml", POD)]);
    let args = ["lint", "--no-config", "--policy", "template.yaml", "--policy", "constraint.yaml", "pod.yaml"];
    let out = run(&dir, &[&args[..], &["--format", "sarif"]].concat());
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let index =
        rules.iter().position(|r| r["id"] == "gatekeeper/K8sDisallowedTags/no-latest").expect("a rule for the policy");
    assert_eq!(rules[index]["fullDescription"]["text"], "Images must not use a disallowed tag.");
    let result =
        sarif["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == rules[index]["id"]).unwrap();
    assert_eq!(result["ruleIndex"].as_u64(), Some(index as u64));
    for format in ["github", "gitlab", "text"] {
        let out = run(&dir, &[&args[..], &["--format", format]].concat());
        assert!(stdout(&out).contains("uses a disallowed tag"), "{format}: {}", stdout(&out));
    }
    let broken = TEMPLATE.replace("tag == input.parameters.tags[_]", "tag == undefined_var");
    std::fs::write(dir.join("template.yaml"), broken).unwrap();
    let out = run(&dir, &[&args[..], &["--format", "text", "--color", "never"]].concat());
    assert!(stdout(&out).contains("template.yaml:19:18: error[policy-error]"), "{}", stdout(&out));
    assert!(stdout(&out).contains("tag == undefined_var"), "{}", stdout(&out));
}

#[test]
fn hostile_policies_end_in_bounded_time_with_a_finding() {
    let hostile = [
        // Nested comprehensions: 10^12 steps if unbounded.
        "x := count([1 | some a in numbers.range(1, 10000); some b in numbers.range(1, 10000); some c in numbers.range(1, 10000)])",
        // Recursion through a function that calls itself.
        "x := f(1)",
        // A string that doubles at each step.
        "x := concat(\"\", [s | some i in numbers.range(1, 100000000); s := \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"])",
    ];
    for (i, body) in hostile.iter().enumerate() {
        let rego = format!(
            "package main\n\nf(n) := f(n + 1)\n\ndeny contains msg if {{\n  {body}\n  msg := sprintf(\"%v\", [x])\n}}\n"
        );
        let dir = setup(&format!("hostile-{i}"), &[("p.rego", &rego), ("pod.yaml", POD)]);
        let started = Instant::now();
        let report = json_report(&dir, &["--policy", "p.rego", "pod.yaml"]);
        assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
        let found = policy_findings(&report);
        let error = found.iter().find(|f| f["rule"] == "policy-error").unwrap_or_else(|| panic!("{body}: {found:?}"));
        assert_eq!(error["resource"]["source"], "p.rego");
        println!("{body}: {} in {:?}", error["message"], started.elapsed());
    }
}

#[test]
fn policy_verify_runs_gator_suites() {
    let suite = "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests:\n- name: tags\n  template: template.yaml\n  constraint: constraint.yaml\n  cases:\n  - name: latest\n    object: pod.yaml\n    assertions:\n    - violations: 1\n      message: disallowed tag\n  - name: wrong\n    object: pod.yaml\n    assertions:\n    - violations: no\n";
    let dir = setup(
        "verify",
        &[("suite.yaml", suite), ("template.yaml", TEMPLATE), ("constraint.yaml", CONSTRAINT), ("pod.yaml", POD)],
    );
    let out = run(&dir, &["policy", "verify", "-v", "."]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stdout(&out).contains("ok    suite.yaml: tags / latest"), "{}", stdout(&out));
    assert!(stdout(&out).contains("FAIL  suite.yaml: tags / wrong"), "{}", stdout(&out));
    assert!(stdout(&out).contains("1 suites: 1 passed, 1 failed, 0 skipped"), "{}", stdout(&out));
}

#[test]
fn policy_verify_passes_the_gatekeeper_library() {
    let library = shared_dir("conformance/gatekeeper/library/general");
    let out = run(&library, &["policy", "verify", "."]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("30 suites: 130 passed, 0 failed, 0 skipped"), "{}", stdout(&out));
}
