//! `pss-proc-mount-restricted`: Pod Security Standards restricted, check `procMount_restricted`.

use super::proc_mount;
use crate::fix::Applicability;
use crate::report::Severity;
use crate::rules::{Check, Docs, Family, PssCheck, PssLevel, Rule, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-proc-mount-restricted",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Restricted,
    summary: "A container unmasks /proc, even in a pod with its own user namespace (restricted level).",
    docs: docs! {
        what: "From Kubernetes v1.35: reports `securityContext.procMount` values other than `Default` on \
               every container, init container and ephemeral container, whether or not the pod runs in \
               its own user namespace (`hostUsers: false`). It replaces `pss-proc-mount`, whose v1.35 \
               baseline version allows any value in a user namespace; before v1.35 `pss-proc-mount` is \
               already unconditional at every level.",
        why: "An unmasked /proc exposes kernel interfaces that the runtime normally hides. A user \
              namespace makes that much less dangerous, which is why the baseline level allows it there, \
              but the restricted level keeps the default /proc mount for every pod.",
        fail: r#"apiVersion: v1
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
      procMount: Default
"#,
        fix: "Remove `procMount` or set it to `Default`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
            "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
        ],
    },
    aliases: &["procMount_restricted"],
    pss: Some(PssCheck { id: "procMount_restricted", level: PssLevel::Restricted, overrides: &["pss-proc-mount"] }),
    // Upstream reuses the unconditional check of the baseline rule.
    checks: &[Versioned::since(35, Check::Pod(proc_mount::v1_0))],
    fix: Some(Applicability::Hardening),
};
