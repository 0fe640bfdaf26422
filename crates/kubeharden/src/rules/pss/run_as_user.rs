//! `pss-run-as-user`: Pod Security Standards restricted, check `runAsUser`.

use super::common::message;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-run-as-user",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Restricted,
    summary: "The pod or a container sets runAsUser: 0 (root).",
    docs: docs! {
        what: "From Kubernetes v1.23: reports `securityContext.runAsUser: 0` on the pod and on every \
               container, init container and ephemeral container, at the value. From v1.35 pods in their \
               own user namespace (`hostUsers: false`) are exempt. An unset UID is left to \
               `pss-run-as-non-root`.",
        why: "UID 0 is root. With `runAsNonRoot: true` the kubelet refuses such a container at start, but \
              an explicit `runAsUser: 0` states the intent to run as root, which the Pod Security \
              Standards forbid at the restricted level.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsUser: 0
  containers:
  - name: app
    image: nginx:1.27
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsUser: 10001
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Set `runAsUser` to a non-zero UID the image can run as (10000 or above avoids collisions with \
              users of the node), or remove it and let the image's `USER` apply with \
              `runAsNonRoot: true`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        ],
    },
    aliases: &["runAsUser", "CIS 5.2.7"],
    pss: Some(PssCheck { id: "runAsUser", level: PssLevel::Restricted, overrides: &[] }),
    checks: &[Versioned::since(23, Check::Pod(v1_23)), Versioned::since(35, Check::Pod(v1_35))],
    fix: Some(Applicability::Unsafe),
};

const REASON: &str = "runAsUser=0";
const HELP: &str = "set runAsUser to a non-zero UID (such as 10001), or remove it and set runAsNonRoot: true";

fn v1_23(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if let Some(v) = pod.sc(&["runAsUser"]).filter(|v| v.int() == Some(0)) {
        sink.report(
            resource,
            v.span(),
            pod.sc_path("runAsUser"),
            message(REASON, "pod must not set runAsUser=0"),
            HELP,
        )
        .fix("set runAsUser: 10001", crate::fix::replace(v, "10001"));
    }
    for c in pod.containers() {
        if let Some(v) = c.sc(&["runAsUser"]).filter(|v| v.int() == Some(0)) {
            sink.report(
                resource,
                v.span(),
                c.sc_path("runAsUser"),
                message(REASON, format!("{} must not set runAsUser=0", c.label())),
                HELP,
            )
            .fix("set runAsUser: 10001", crate::fix::replace(v, "10001"));
        }
    }
}

/// Pods in their own user namespace (`hostUsers: false`) are exempt.
fn v1_35(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if pod.host_users_disabled() {
        return;
    }
    v1_23(cx, resource, pod, sink);
}
