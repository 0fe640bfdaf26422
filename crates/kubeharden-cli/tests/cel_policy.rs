//! `--policy` with CEL admission policies: a ValidatingAdmissionPolicy and its binding give
//! a finding at the field the failing expression read; a CEL syntax error is a policy error
//! at its line in the policy file.

mod support;

use support::*;

const POLICY: &str = "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  validations:
  - expression: |
      object.spec.replicas <= 5
    message: at most 5 replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-replicas
spec:
  policyName: max-replicas
  validationActions: [Deny]
";

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 9
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
";

#[test]
fn a_vap_denial_is_a_finding_at_the_field_it_read() {
    let dir = scratch("cel-vap");
    write(&dir.join("policy.yaml"), POLICY);
    write(&dir.join("deploy.yaml"), DEPLOYMENT);
    let out = run(&dir, &["lint", "--no-config", "--format", "json", "--policy", "policy.yaml", "deploy.yaml"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["message"] == "at most 5 replicas")
        .unwrap_or_else(|| panic!("no policy finding in {}", stdout(&out)));
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["policy"]["engine"], "cel");
    assert_eq!(finding["policy"]["kind"], "ValidatingAdmissionPolicy");
    assert_eq!(finding["policy"]["binding"], "max-replicas");
    // `replicas: 9` is line 7.
    assert_eq!(finding["span"]["start"]["line"], 7, "{finding}");
}

#[test]
fn a_cel_syntax_error_is_a_policy_error_in_the_policy_file() {
    let dir = scratch("cel-syntax");
    write(&dir.join("policy.yaml"), &POLICY.replace("object.spec.replicas <= 5", "object.spec.replicas <= "));
    write(&dir.join("deploy.yaml"), DEPLOYMENT);
    let out = run(&dir, &["lint", "--no-config", "--format", "json", "--policy", "policy.yaml", "deploy.yaml"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["message"].as_str().is_some_and(|m| m.contains("Syntax error")))
        .unwrap_or_else(|| panic!("no policy error in {}", stdout(&out)));
    assert!(finding["resource"]["source"].as_str().is_some_and(|s| s.ends_with("policy.yaml")), "{finding}");
    // The end of the expression: `|` keeps the newline, so line 2 of the expression (file line 15).
    assert_eq!(finding["span"]["start"]["line"], 15, "{finding}");
}

const TEMPLATE: &str = "apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8smaxreplicas
spec:
  crd:
    spec:
      names:
        kind: K8sMaxReplicas
  targets:
  - target: admission.k8s.gatekeeper.sh
    code:
    - engine: K8sNativeValidation
      source:
        variables:
        - name: replicas
          expression: object.spec.replicas
        validations:
        - expression: |
            variables.replicas <= 5 &&
              variables.replicas >= )
          message: too many replicas
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sMaxReplicas
metadata:
  name: max
spec:
  match:
    kinds:
    - apiGroups: [apps]
      kinds: [Deployment]
";

#[test]
fn a_cel_error_in_a_gatekeeper_template_is_at_its_line_and_column() {
    let dir = scratch("cel-gatekeeper-syntax");
    write(&dir.join("template.yaml"), TEMPLATE);
    write(&dir.join("deploy.yaml"), DEPLOYMENT);
    let run_with = |engine: &str| {
        let out = run(
            &dir,
            &[
                "lint",
                "--no-config",
                "--format",
                "json",
                "--policy-engine",
                engine,
                "--policy",
                "template.yaml",
                "deploy.yaml",
            ],
        );
        let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| {
                f["rule"] == "policy-error" && f["message"].as_str().is_some_and(|m| m.contains("k8smaxreplicas"))
            })
            .cloned()
            .unwrap_or_else(|| panic!("no policy error in {}", stdout(&out)))
    };
    let finding = run_with("cel");
    assert!(finding["resource"]["source"].as_str().is_some_and(|s| s.ends_with("template.yaml")), "{finding}");
    // `)` on line 2 of the expression, file line 21, column 37 (not the `source:` block at 14).
    assert_eq!(
        (&finding["span"]["start"]["line"], &finding["span"]["start"]["column"]),
        (&21.into(), &37.into()),
        "{finding}"
    );
}
