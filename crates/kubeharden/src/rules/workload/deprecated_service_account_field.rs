//! `deprecated-service-account-field`: `spec.serviceAccount` instead of `serviceAccountName`.

use crate::fix::Applicability;
use crate::fix::remove_entry_line;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "deprecated-service-account-field",
    family: Family::Workload,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "The pod sets the deprecated `serviceAccount` field instead of `serviceAccountName`.",
    docs: docs! {
        what: "Reports a pod or pod template that sets the deprecated `spec.serviceAccount` alone (the fix \
               renames the key), or together with a different `serviceAccountName` (the message says that \
               Kubernetes uses `serviceAccountName`; the fix removes `serviceAccount`). Both fields set to \
               the same value are not reported: that is what the API server writes back on every read, \
               so every object exported with `kubectl get -o yaml` carries them.",
        why: "`serviceAccount` is a deprecated alias kept for compatibility. When both fields are set, \
              `serviceAccountName` wins, so a reviewer reading `serviceAccount` can be wrong about which \
              identity, and which permissions, the pod has. Tools and policies also tend to read only \
              `serviceAccountName`.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccount: web
  containers:
  - name: app
    image: nginx:1.27
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: web
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Rename `serviceAccount` to `serviceAccountName` (or delete it when `serviceAccountName` is \
              already set).",
        references: &[
            "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec",
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
        ],
    },
    aliases: &["kube-linter:deprecated-service-account-field"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let Some((key, value)) = pod.spec.entry("serviceAccount") else { return };
    let old = value.str().unwrap_or("");
    if old.is_empty() {
        return;
    }
    let text = cx.text(resource);
    // An empty serviceAccountName is unset: the API server then takes serviceAccount.
    match pod.field("serviceAccountName").and_then(|v| v.str()).filter(|n| !n.is_empty()) {
        // What the API server writes back on every read (`kubectl get -o yaml`): nothing to say.
        Some(name) if name == old => {}
        Some(name) => {
            let reported = sink.report(
                resource,
                key.span(),
                pod.path("serviceAccount"),
                format!(
                    "deprecated field: the pod sets serviceAccount: {old:?} and serviceAccountName: {name:?}; Kubernetes uses serviceAccountName, so the pod runs as {name:?}"
                ),
                format!("remove serviceAccount (or set it to {name:?})"),
            );
            // serviceAccountName already wins: removing the other field changes nothing.
            if let Some(edits) = remove_entry_line(text, key, value) {
                reported.fix("remove serviceAccount", edits);
            }
        }
        None => {
            let reported = sink.report(
                resource,
                key.span(),
                pod.path("serviceAccount"),
                format!("deprecated field: the pod sets serviceAccount: {old:?}; use serviceAccountName"),
                "rename serviceAccount to serviceAccountName",
            );
            // Renaming is safe only when nothing else sets the account and the key is written plainly.
            let span = key.span();
            if pod.spec.get("serviceAccountName").is_none()
                && text.get(span.start as usize..span.end as usize) == Some("serviceAccount")
            {
                reported
                    .fix("rename serviceAccount to serviceAccountName", vec![(span, "serviceAccountName".to_owned())]);
            }
        }
    }
}
