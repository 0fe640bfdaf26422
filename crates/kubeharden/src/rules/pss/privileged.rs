//! `pss-privileged`: Pod Security Standards baseline, check `privileged`.

use super::common::message;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-privileged",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "A container runs privileged, with every capability and access to the host's devices.",
    docs: docs! {
        what: "Reports every container, init container and ephemeral container that sets \
               `securityContext.privileged: true` (in any YAML 1.1 spelling, such as `yes` or `on`).",
        why: "A privileged container disables nearly all isolation: it gets all Linux capabilities, sees \
              the host's devices and can load kernel modules, so escaping to the node is trivial. The Pod \
              Security Standards forbid it from the baseline level up, and the NSA/CISA hardening guide \
              lists it first among container settings to avoid.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: yes
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
      privileged: false
"#,
        fix: "Remove `privileged` or set it to `false`; grant the specific capabilities the workload needs \
              instead (`capabilities.add`), if any.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[
        "privileged",
        "CIS 5.2.2",
        "kube-linter:privileged-container",
        "kube-score:container-security-context-privileged",
        "polaris:runAsPrivileged",
        "checkov:CKV_K8S_16",
        "kubescape:C-0057",
    ],
    pss: Some(PssCheck { id: "privileged", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let Some(value) = c.sc(&["privileged"]) else {
            continue;
        };
        if value.bool() == Some(true) {
            sink.report(
                resource,
                value.span(),
                c.sc_path("privileged"),
                message("privileged", format!("{} must not set securityContext.privileged=true", c.label())),
                "set securityContext.privileged to false, or remove it",
            )
            .fix("set privileged: false", vec![(value.span(), "false".into())]);
        }
    }
}
