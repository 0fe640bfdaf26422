//! `service-account-token-automount`: the pod gets an API token it probably does not need.

use super::helpers::is_static_pod;
use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "service-account-token-automount",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "The pod gets a ServiceAccount token mounted: neither the pod nor its ServiceAccount sets automountServiceAccountToken: false.",
    docs: docs! {
        what: "Reports pods and pod templates whose containers receive a ServiceAccount API token. The \
               pod's `automountServiceAccountToken` wins when set; otherwise the ServiceAccount's setting \
               applies, when that ServiceAccount is part of the input (same namespace, \
               `serviceAccountName`, `default` when unset). An explicit `true` on the pod wins over the \
               ServiceAccount: it is reported at its value with severity info, as a deliberate choice to \
               review rather than an oversight. Static pods are not reported: they get no token.",
        why: "Every container of such a pod can talk to the API server as the ServiceAccount. Most \
              applications never call the Kubernetes API, and a stolen token is the usual first step \
              from a compromised container to the cluster. The NSA/CISA guide and the CIS benchmark \
              (5.1.6) ask to mount tokens only where they are needed.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
"#,
        pass: r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: web
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Set `automountServiceAccountToken: false` on the pod spec, or on its ServiceAccount. A pod \
              that calls the API needs the token: give its own ServiceAccount least-privilege RBAC, and \
              record the decision with a `kubeharden.io/ignore` annotation and a reason (or mount a \
              `serviceAccountToken` projected volume with a short `expirationSeconds` and an audience).",
        references: &[
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[
        "CIS 5.1.6",
        "kube-score:pod-automount-service-account-token",
        "polaris:automountServiceAccountToken",
        "checkov:CKV_K8S_38",
    ],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Hardening),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if is_static_pod(resource) {
        return;
    }
    let setting = pod.spec.entry("automountServiceAccountToken");
    match setting.map(|(k, v)| (k, v, v.bool())) {
        Some((_, _, Some(false))) => {}
        Some((_, v, Some(true))) => {
            // A deliberate, visible choice (operators and controllers need the API): reported,
            // but as information.
            sink.report(
                resource,
                v.span(),
                pod.path("automountServiceAccountToken"),
                "the pod explicitly sets automountServiceAccountToken: true, so every container gets an API token",
                "keep it only if the application calls the Kubernetes API, with least-privilege RBAC for its ServiceAccount",
            )
            .severity(Severity::Info);
        }
        _ => {
            let account = pod.service_account();
            let namespace = resource.namespace();
            let sa = cx.model.index.service_accounts.get(&(namespace, account)).and_then(|id| cx.model.resource(*id));
            let detail = match sa {
                Some(sa) if sa.node.field("automountServiceAccountToken").and_then(|v| v.bool()) == Some(false) => {
                    return;
                }
                Some(_) => format!("its ServiceAccount {account:?} (in the input) does not disable it either"),
                None => format!("and its ServiceAccount {account:?} is not in the input to say otherwise"),
            };
            let reported = sink.report(
                resource,
                pod.spec_key.span(),
                pod.path("automountServiceAccountToken"),
                format!("the pod does not set automountServiceAccountToken: false, {detail}"),
                "set automountServiceAccountToken: false on the pod spec or on its ServiceAccount",
            );
            if let Some(edits) = fix::insert(cx.text(resource), pod.spec, &["automountServiceAccountToken"], "false") {
                reported.fix("add automountServiceAccountToken: false to the pod spec", edits);
            }
        }
    }
}
