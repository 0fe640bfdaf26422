//! `pod-security-policy`: a PodSecurityPolicy object, deprecated in 1.21 and removed in 1.25.

use crate::model::{KubeVersion, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

/// The release that deprecated PodSecurityPolicy.
pub const DEPRECATED: KubeVersion = KubeVersion::v1(21);
/// The release that removed it.
pub const REMOVED: KubeVersion = KubeVersion::v1(25);

pub static RULE: Rule = Rule {
    id: "pod-security-policy",
    family: Family::Api,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A PodSecurityPolicy object: the API was deprecated in 1.21 and removed in 1.25; use Pod Security Admission.",
    docs: docs! {
        what: "Reports every `PodSecurityPolicy` (policy/v1beta1 or extensions/v1beta1). From v1.25 it is an \
               error: the API server does not serve the kind. From v1.21 to v1.24 it is a warning: the API is \
               deprecated. Before v1.21 PodSecurityPolicy is the built-in mechanism and is not reported \
               (`removed-api` still reports `extensions/v1beta1` from v1.16).",
        why: "A cluster that relied on PodSecurityPolicy and upgrades past 1.24 silently loses its pod \
              restrictions: nothing replaces them unless Pod Security Admission labels (or a policy engine) \
              are in place. The object in a manifest is a sign that this migration has not happened.",
        fail: r#"apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: restricted
spec:
  privileged: false
  runAsUser:
    rule: MustRunAsNonRoot
  seLinux:
    rule: RunAsAny
  supplementalGroups:
    rule: RunAsAny
  fsGroup:
    rule: RunAsAny
"#,
        pass: r#"apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
"#,
        fix: "Label each namespace with `pod-security.kubernetes.io/enforce` (baseline or restricted) and \
              remove the PodSecurityPolicy objects and their RBAC; the Kubernetes guide \"Migrate from \
              PodSecurityPolicy to the Built-In PodSecurity Admission Controller\" maps each field.",
        references: &[
            "https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/",
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
            "https://kubernetes.io/blog/2021/04/06/podsecuritypolicy-deprecation-past-present-and-future/",
        ],
    },
    aliases: &["kubescape:C-0068"],
    pss: None,
    checks: &[Versioned::since(21, Check::Resource(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if resource.kind() != "PodSecurityPolicy" || !matches!(resource.group(), "policy" | "extensions") {
        return;
    }
    let span = resource.node.entry("kind").map_or(resource.node.span(), |(_, v)| v.span());
    let help = "enforce the Pod Security Standards with pod-security.kubernetes.io/enforce namespace labels (Pod Security Admission), then delete the PodSecurityPolicy";
    if cx.version >= REMOVED {
        sink.report(
            resource,
            span,
            resource.path("kind"),
            format!(
                "PodSecurityPolicy {:?} cannot be applied: the API was removed in v1.25 (target {}), and its restrictions no longer exist",
                resource.name(),
                cx.version
            ),
            help,
        );
    } else {
        sink.report(
            resource,
            span,
            resource.path("kind"),
            format!("PodSecurityPolicy {:?} uses an API deprecated since v1.21 and removed in v1.25", resource.name()),
            help,
        )
        .severity(Severity::Warning);
    }
}
