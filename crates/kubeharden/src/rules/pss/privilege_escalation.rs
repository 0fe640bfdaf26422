//! `pss-privilege-escalation`: Pod Security Standards restricted, check `allowPrivilegeEscalation`.

use super::common::{container_anchor, is_windows, message};
use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-privilege-escalation",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Restricted,
    summary: "A container does not set allowPrivilegeEscalation: false, so setuid binaries can gain privileges.",
    docs: docs! {
        what: "From Kubernetes v1.8: reports every container, init container and ephemeral container \
               whose `securityContext.allowPrivilegeEscalation` is not `false`: at the value when it is \
               set otherwise, at the container's securityContext (or name) when it is missing. From \
               v1.25 pods with `spec.os.name: windows` are exempt (the field does not exist on Windows).",
        why: "Unless the container sets `allowPrivilegeEscalation: false` (the kernel's `no_new_privs`), a \
              process can gain more privileges than its parent through setuid or setgid binaries or file \
              capabilities, which turns a foothold as a normal user into root inside the container. The \
              Pod Security Standards require `false` at the restricted level; the NSA/CISA guide and \
              the CIS benchmark (5.2.6) ask for it too.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      runAsNonRoot: true
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      runAsNonRoot: true
      allowPrivilegeEscalation: false
"#,
        fix: "Set `securityContext.allowPrivilegeEscalation: false` on every container (there is no pod-level \
              setting).",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
            "https://www.kernel.org/doc/html/latest/userspace-api/no_new_privs.html",
        ],
    },
    aliases: &[
        "allowPrivilegeEscalation",
        "CIS 5.2.6",
        "kube-linter:privilege-escalation-container",
        "polaris:privilegeEscalationAllowed",
        "checkov:CKV_K8S_20",
        "kubescape:C-0016",
        "trivy:KSV001",
    ],
    pss: Some(PssCheck { id: "allowPrivilegeEscalation", level: PssLevel::Restricted, overrides: &[] }),
    checks: &[Versioned::since(8, Check::Pod(v1_8)), Versioned::since(25, Check::Pod(v1_25))],
    fix: Some(Applicability::Hardening),
};

const REASON: &str = "allowPrivilegeEscalation != false";

fn v1_8(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let detail = format!("{} must set securityContext.allowPrivilegeEscalation=false", c.label());
        let help = "set securityContext.allowPrivilegeEscalation: false on the container";
        match c.sc(&["allowPrivilegeEscalation"]) {
            Some(v) if v.bool() == Some(false) => {}
            Some(v) => {
                sink.report(resource, v.span(), c.sc_path("allowPrivilegeEscalation"), message(REASON, detail), help)
                    .fix("set allowPrivilegeEscalation: false", vec![(v.span(), "false".into())]);
            }
            None => {
                let reported = sink.report(
                    resource,
                    container_anchor(c, &["securityContext"]),
                    c.sc_path("allowPrivilegeEscalation"),
                    message(REASON, detail),
                    help,
                );
                if let Some(edits) =
                    fix::insert(cx.text(resource), c.node, &["securityContext", "allowPrivilegeEscalation"], "false")
                {
                    reported.fix("add allowPrivilegeEscalation: false", edits);
                }
            }
        }
    }
}

/// Windows pods are exempt: API validation forbids the field on them.
fn v1_25(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if is_windows(pod) {
        return;
    }
    v1_8(cx, resource, pod, sink);
}
