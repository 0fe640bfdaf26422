//! `default-service-account`: a pod runs as its namespace's `default` ServiceAccount.

use super::helpers::is_static_pod;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "default-service-account",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "The pod runs as its namespace's `default` ServiceAccount instead of one of its own.",
    docs: docs! {
        what: "Reports pods and pod templates whose `serviceAccountName` is `default`, or unset (which \
               means `default`; the deprecated `serviceAccount` field is read when `serviceAccountName` \
               is absent). Static pods are not reported: they cannot use a ServiceAccount.",
        why: "Every pod of a namespace that does not name an account shares `default`: any permission \
              granted to it (by a well-meaning binding, a Helm chart or an operator) goes to all of them, \
              and an audit log cannot tell them apart. The CIS Kubernetes Benchmark (5.1.5) and the \
              NSA/CISA hardening guide ask for a dedicated ServiceAccount per application, with only \
              the permissions it needs.",
        fail: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
"#,
        pass: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      containers:
      - name: app
        image: nginx:1.27
"#,
        fix: "Create a ServiceAccount for the application (with `automountServiceAccountToken: false` \
              unless it calls the API) and set `serviceAccountName` on the pod template.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/service-accounts/",
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.1.5", "kube-linter:default-service-account"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if pod.service_account() != "default" || is_static_pod(resource) {
        return;
    }
    let help = "create a ServiceAccount for this application and set serviceAccountName";
    // The field that names `default` explicitly, if any.
    let written = ["serviceAccountName", "serviceAccount"]
        .into_iter()
        .find_map(|f| pod.field(f).filter(|v| v.str().is_some_and(|s| !s.is_empty())).map(|v| (f, v)));
    match written {
        Some((field, value)) => {
            sink.report(
                resource,
                value.span(),
                pod.path(field),
                format!("default ServiceAccount: the pod sets {field}: default"),
                help,
            );
        }
        None => {
            sink.report(
                resource,
                pod.spec_key.span(),
                pod.path("serviceAccountName"),
                "default ServiceAccount: the pod does not set serviceAccountName, so it runs as \"default\"",
                help,
            );
        }
    }
}
