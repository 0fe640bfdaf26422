//! `share-process-namespace`: the containers of a pod share one process namespace.

use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "share-process-namespace",
    family: Family::Workload,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "The pod sets shareProcessNamespace: true, so its containers see, signal and can inspect each other's processes.",
    docs: docs! {
        what: "Reports `shareProcessNamespace: true` (in any YAML 1.1 spelling) on a pod or pod template.",
        why: "With one process namespace, every container of the pod sees the others' processes, can \
              signal them, and (as the same user, or with SYS_PTRACE) reads their environment and files \
              through `/proc/<pid>/environ` and `/proc/<pid>/root`: a compromised sidecar reads the \
              main container's secrets, and the pause container is no longer PID 1. Useful for \
              debugging; rarely needed in production.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  shareProcessNamespace: true
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
        fix: "Remove `shareProcessNamespace` (or set it to `false`). For debugging, attach an ephemeral \
              container with `kubectl debug --target=<container>` instead.",
        references: &[
            "https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/",
            "https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Hardening),
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let Some(value) = pod.field("shareProcessNamespace") else { return };
    if value.bool() != Some(true) {
        return;
    }
    sink.report(
        resource,
        value.span(),
        pod.path("shareProcessNamespace"),
        "shared process namespace: the pod sets shareProcessNamespace: true, so every container sees the others' processes",
        "remove shareProcessNamespace or set it to false",
    )
    .fix("set shareProcessNamespace: false", fix::replace(value, "false"));
}
