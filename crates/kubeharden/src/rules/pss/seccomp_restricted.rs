//! `pss-seccomp-restricted`: Pod Security Standards restricted, check `seccompProfile_restricted`.

use super::common::{container_anchor, is_windows, message};
use super::seccomp_baseline::{REASON, report_bad_profile};
use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-seccomp-restricted",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Restricted,
    summary: "A container runs without a seccomp profile: RuntimeDefault or Localhost is not set on the pod or the container.",
    docs: docs! {
        what: "From Kubernetes v1.19: reports `seccompProfile.type` values other than `RuntimeDefault` and \
               `Localhost` wherever they are set (pod or container), and otherwise every container, init \
               container and ephemeral container that sets no seccomp profile while the pod sets no valid \
               one either (one finding per container, at its securityContext or name). From v1.25 pods \
               with `spec.os.name: windows` are exempt. Where it applies it replaces \
               `pss-seccomp-baseline`.",
        why: "Without a profile, containers run `Unconfined` by default: every system call of the kernel is \
              reachable, including the ones most container escapes use. `RuntimeDefault` blocks them \
              with no effect on ordinary applications. The Pod Security Standards require a profile at \
              the restricted level; the CIS benchmark (5.7.2) asks for the same.",
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
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Set `securityContext.seccompProfile.type: RuntimeDefault` at the pod level (it covers every \
              container), or on each container; use `Localhost` with a profile installed on the nodes \
              when the default profile is too strict.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
            "https://kubernetes.io/docs/tutorials/security/seccomp/",
        ],
    },
    aliases: &["seccompProfile_restricted", "CIS 5.7.2", "checkov:CKV_K8S_31", "trivy:KSV030"],
    pss: Some(PssCheck {
        id: "seccompProfile_restricted",
        level: PssLevel::Restricted,
        overrides: &["pss-seccomp-baseline"],
    }),
    checks: &[Versioned::since(19, Check::Pod(v1_19)), Versioned::since(25, Check::Pod(v1_25))],
    fix: Some(Applicability::Hardening),
};

/// Explicitly bad profiles are reported first, as upstream does; only when there is none are
/// the containers left without a profile reported.
fn v1_19(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let text = cx.text(resource);
    let mut explicit = false;
    let mut pod_valid = false;
    if let Some((key, profile)) =
        pod.security_context().and_then(|sc| sc.entry("seccompProfile")).filter(|(_, v)| !v.is_null())
    {
        if report_bad_profile(text, resource, key, profile, "pod", &pod.sc_path("seccompProfile"), sink) {
            explicit = true;
        } else {
            pod_valid = true;
        }
    }
    let containers = pod.containers();
    for c in containers {
        if let Some((key, profile)) =
            c.security_context().and_then(|sc| sc.entry("seccompProfile")).filter(|(_, v)| !v.is_null())
        {
            explicit |=
                report_bad_profile(text, resource, key, profile, &c.label(), &c.sc_path("seccompProfile"), sink);
        }
    }
    if explicit || pod_valid {
        return;
    }
    for c in containers.iter().filter(|c| c.sc(&["seccompProfile"]).is_none()) {
        let reported = sink.report(
            resource,
            container_anchor(c, &["securityContext"]),
            c.sc_path("seccompProfile.type"),
            message(
                REASON,
                format!(
                    "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                    c.label()
                ),
            ),
            "set securityContext.seccompProfile.type: RuntimeDefault on the pod (it covers every container) or on this container",
        );
        if let Some(edits) = fix::insert(text, c.node, &["securityContext", "seccompProfile", "type"], "RuntimeDefault")
        {
            reported.fix("add seccompProfile.type: RuntimeDefault to the container", edits);
        }
    }
}

/// Windows pods are exempt: seccomp does not apply to them.
fn v1_25(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if is_windows(pod) {
        return;
    }
    v1_19(cx, resource, pod, sink);
}
