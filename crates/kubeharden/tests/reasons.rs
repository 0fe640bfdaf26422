//! Findings carry their reason and detail as fields when the rule builds its message from
//! them, and the message text is unchanged: `reason: detail`.

use kubeharden::{Config, lint_str};

const POD: &str = "apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  containers:
  - name: app
    image: nginx:latest
    securityContext: {privileged: true}
";

#[test]
fn a_pod_security_finding_has_a_reason_and_a_detail() {
    let report = lint_str("p.yaml", POD, &Config::default());
    let f = report.findings.iter().find(|f| f.rule == "pss-privileged").expect("pss-privileged");
    assert_eq!(f.reason.as_deref(), Some("privileged"));
    assert_eq!(f.detail.as_deref(), Some("container \"app\" must not set securityContext.privileged=true"));
    assert_eq!(f.message, format!("{}: {}", f.reason.as_deref().unwrap(), f.detail.as_deref().unwrap()));
    let json = serde_json::to_value(f).unwrap();
    assert_eq!(json["reason"], "privileged");
    assert_eq!(json["detail"], f.detail.as_deref().unwrap());
}

#[test]
fn a_plain_message_has_neither_field() {
    let report = lint_str("p.yaml", POD, &Config::default());
    let f = report.findings.iter().find(|f| f.rule == "image-tag-latest").expect("image-tag-latest");
    assert_eq!((f.reason.as_deref(), f.detail.as_deref()), (None, None));
    let json = serde_json::to_value(f).unwrap();
    assert!(json.get("reason").is_none() && json.get("detail").is_none(), "{json}");
}

#[test]
fn the_admission_summary_is_built_from_the_reasons() {
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: baseline}\n---\n";
    let report = lint_str("p.yaml", &format!("{namespace}{POD}"), &Config::default());
    let f = report.findings.iter().find(|f| f.rule == "rejected-by-pod-security").expect("rejected-by-pod-security");
    let detail = "privileged (container \"app\" must not set securityContext.privileged=true)";
    assert!(f.message.ends_with(detail), "{}", f.message);
}
