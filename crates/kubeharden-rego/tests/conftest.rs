//! conftest policies: rule names, results, exceptions, namespaces and both Rego syntaxes, as
//! conftest's engine evaluates them over one object.

use kubeharden_rego::{Budget, Conftest, ConftestRule, Module, RegoVersion};
use serde_json::json;

fn deployment(run_as_root: bool) -> serde_json::Value {
    json!({"kind": "Deployment", "metadata": {"name": "web"},
           "spec": {"template": {"spec": {"securityContext": {"runAsNonRoot": !run_as_root},
                    "containers": [{"name": "app", "image": "nginx:latest"}]}}}})
}

fn results(c: &mut Conftest, object: &serde_json::Value, namespaces: &[&str]) -> Vec<(String, ConftestRule, String)> {
    let ns: Vec<String> = namespaces.iter().map(|s| s.to_string()).collect();
    c.evaluate(object, &ns, &Budget::default())
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_iter()
        .map(|r| (r.rule, r.kind, r.msg))
        .collect()
}

const V1: &str = r#"package main
import rego.v1

deny contains msg if {
  input.kind == "Deployment"
  not input.spec.template.spec.securityContext.runAsNonRoot
  msg := "Containers must not run as root"
}

warn_latest contains msg if {
  some c in input.spec.template.spec.containers
  endswith(c.image, ":latest")
  msg := sprintf("container %s uses the latest tag", [c.name])
}

violation_labels contains {"msg": "no labels", "severity": "low"} if {
  not input.metadata.labels
}
"#;

#[test]
fn deny_warn_and_violation_rules_in_main() {
    let mut c = Conftest::compile(&[Module::new("policy/deployment.rego", V1)], None).unwrap();
    assert_eq!(c.versions(), &[RegoVersion::V1]);
    let got = results(&mut c, &deployment(true), &[]);
    assert_eq!(
        got,
        vec![
            ("deny".into(), ConftestRule::Failure, "Containers must not run as root".into()),
            ("warn_latest".into(), ConftestRule::Warning, "container app uses the latest tag".into()),
            ("violation_labels".into(), ConftestRule::Failure, "no labels".into()),
        ]
    );
    let found = c.evaluate(&deployment(false), &[], &Budget::default()).unwrap();
    assert_eq!(found.len(), 2);
    let labels = found.iter().find(|r| r.rule == "violation_labels").unwrap();
    assert_eq!(labels.metadata, json!({"severity": "low"}));
}

#[test]
fn v0_files_still_work_and_exceptions_silence_rules() {
    let v0 = r#"package main

deny_run_as_root[msg] {
  not input.spec.template.spec.securityContext.runAsNonRoot
  msg := "runs as root"
}

deny[msg] {
  input.metadata.name == "web"
  msg := "web is reserved"
}

exception[rules] {
  input.metadata.name == "web"
  rules := ["run_as_root"]
}
"#;
    let mut c = Conftest::compile(&[Module::new("policy/v0.rego", v0)], None).unwrap();
    assert_eq!(c.versions(), &[RegoVersion::V0]);
    let got = results(&mut c, &deployment(true), &[]);
    assert_eq!(got, vec![("deny".into(), ConftestRule::Failure, "web is reserved".into())]);
    // An exception for "" covers the bare deny, violation and warn rules.
    let all = v0.replace("[\"run_as_root\"]", "[\"\", \"run_as_root\"]");
    let mut c = Conftest::compile(&[Module::new("policy/v0.rego", all)], None).unwrap();
    assert!(results(&mut c, &deployment(true), &[]).is_empty());
}

#[test]
fn namespaces_pick_the_packages() {
    let k8s = "package kubernetes.security\nimport rego.v1\ndeny contains \"from kubernetes.security\" if { true }\n";
    let main = "package main\nimport rego.v1\ndeny contains \"from main\" if { true }\n";
    let mut c = Conftest::compile(&[Module::new("a.rego", k8s), Module::new("b.rego", main)], None).unwrap();
    let msgs = |r: Vec<(String, ConftestRule, String)>| r.into_iter().map(|x| x.2).collect::<Vec<_>>();
    assert_eq!(msgs(results(&mut c, &json!({}), &[])), vec!["from main"]);
    assert_eq!(msgs(results(&mut c, &json!({}), &["kubernetes.security"])), vec!["from kubernetes.security"]);
    assert_eq!(c.namespaces(), vec!["kubernetes.security".to_string(), "main".to_string()]);
}

#[test]
fn syntax_errors_name_the_file_line_and_column() {
    let bad = "package main\nimport rego.v1\n\ndeny contains msg if {\n  msg := \n}\n";
    let errors = Conftest::compile(&[Module::new("ok.rego", V1), Module::new("bad.rego", bad)], None).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].module, 1);
    assert!(errors[0].line >= 5, "{:?}", errors[0]);
}
