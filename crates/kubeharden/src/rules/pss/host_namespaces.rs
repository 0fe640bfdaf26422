//! `pss-host-namespaces`: Pod Security Standards baseline, check `hostNamespaces`.

use super::common::message;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-host-namespaces",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "The pod shares the node's network, process or IPC namespace.",
    docs: docs! {
        what: "Reports `hostNetwork: true`, `hostPID: true` and `hostIPC: true` on a pod spec, each at its \
               own line.",
        why: "Host namespaces remove the boundary between the pod and the node: with `hostNetwork` the \
              pod can reach services bound to the node's loopback and sniff its traffic, with `hostPID` \
              it can see and signal every process on the node (and read their environment), with \
              `hostIPC` it can read shared memory of other workloads. The Pod Security Standards forbid \
              them from the baseline level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: On
  containers:
  - name: app
    image: nginx:1.27
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to `false`). Expose network \
              services through a Service instead of the node's network.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/concepts/security/linux-kernel-security-constraints/",
        ],
    },
    aliases: &[
        "hostNamespaces",
        "CIS 5.2.3",
        "CIS 5.2.4",
        "CIS 5.2.5",
        "kube-linter:host-network",
        "kube-linter:host-pid",
        "kube-linter:host-ipc",
        "polaris:hostNetworkSet",
        "polaris:hostPIDSet",
        "polaris:hostIPCSet",
        "checkov:CKV_K8S_17",
        "checkov:CKV_K8S_18",
        "checkov:CKV_K8S_19",
    ],
    pss: Some(PssCheck { id: "hostNamespaces", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for field in ["hostNetwork", "hostPID", "hostIPC"] {
        let Some(value) = pod.field(field) else {
            continue;
        };
        if value.bool() == Some(true) {
            sink.report(
                resource,
                value.span(),
                pod.path(field),
                message("host namespaces", format!("pod must not set {field}=true")),
                format!("remove {field}, or set it to false"),
            )
            .fix(format!("set {field}: false"), vec![(value.span(), "false".into())]);
        }
    }
}
