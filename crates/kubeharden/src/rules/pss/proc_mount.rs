//! `pss-proc-mount`: Pod Security Standards baseline, check `procMount`.

use super::common::{message, quote, str_or_empty};
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-proc-mount",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "A container unmasks /proc (procMount other than Default).",
    docs: docs! {
        what: "Reports `securityContext.procMount` values other than `Default` on every container, init \
               container and ephemeral container. From Kubernetes v1.35 a pod in its own user namespace \
               (`hostUsers: false`) may use any value at the baseline level; the restricted level keeps \
               the rule unconditional (`pss-proc-mount-restricted`).",
        why: "The container runtime masks and makes read-only the parts of /proc that expose the node \
              (kernel tunables, other processes' details, `/proc/sys`). `Unmasked` removes that \
              protection, which only makes sense inside a user namespace where the container's root is \
              not the node's root. The Pod Security Standards require the default /proc mount from the \
              baseline level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      procMount: Unmasked
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostUsers: false
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      procMount: Unmasked
"#,
        fix: "Remove `procMount` or set it to `Default`. Workloads that need an unmasked /proc (nested \
              containers) should run with `hostUsers: false`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
        ],
    },
    aliases: &["procMount", "trivy:KSV027"],
    pss: Some(PssCheck { id: "procMount", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(v1_0)), Versioned::since(35, Check::Pod(v1_35))],
    fix: Some(Applicability::Hardening),
};

/// Every container must leave procMount unset or `Default`, whatever the pod's user namespace.
/// Also the whole of `pss-proc-mount-restricted`.
pub fn v1_0(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let Some(value) = c.sc(&["procMount"]) else {
            continue;
        };
        let kind = str_or_empty(value);
        if kind == "Default" {
            continue;
        }
        sink.report(
            resource,
            value.span(),
            c.sc_path("procMount"),
            message("procMount", format!("{} must not set securityContext.procMount to {}", c.label(), quote(kind))),
            "remove procMount or set it to Default",
        )
        .fix("set procMount: Default", vec![(value.span(), "Default".into())]);
    }
}

/// Pods in their own user namespace (`hostUsers: false`) may use any procMount.
fn v1_35(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if pod.host_users_disabled() {
        return;
    }
    v1_0(cx, resource, pod, sink);
}
