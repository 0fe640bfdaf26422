//! `controller-manager-shared-credentials`: controllers share one powerful identity.

use crate::fix::Applicability;
use crate::model::component::ComponentKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "controller-manager-shared-credentials",
    family: Family::ControlPlane,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "kube-controller-manager runs every controller with the controller manager's own credentials (--use-service-account-credentials is not true).",
    docs: docs! {
        what: "Reports a kube-controller-manager (static Pod command, or kubeadm `controllerManager.extraArgs`) \
               that does not set `--use-service-account-credentials=true`: the flag defaults to false. kubeadm \
               sets it.",
        why: "Without it, every controller acts with the controller manager's own identity, which must then \
              hold the union of all their permissions. With it, each controller uses its own ServiceAccount \
              in kube-system (bound by the `system:controller:*` roles), so a compromised or buggy controller \
              is limited to what it needs. CIS Kubernetes Benchmark 1.3.3.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-controller-manager
  namespace: kube-system
spec:
  containers:
  - name: kube-controller-manager
    image: registry.k8s.io/kube-controller-manager:v1.33.1
    command:
    - kube-controller-manager
    - --kubeconfig=/etc/kubernetes/controller-manager.conf
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-controller-manager
  namespace: kube-system
spec:
  containers:
  - name: kube-controller-manager
    image: registry.k8s.io/kube-controller-manager:v1.33.1
    command:
    - kube-controller-manager
    - --kubeconfig=/etc/kubernetes/controller-manager.conf
    - --use-service-account-credentials=true
"#,
        fix: "Add `--use-service-account-credentials=true` (the RBAC roles `system:controller:*` are created by \
              the API server by default).",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#controller-roles",
            "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 1.3.3", "kube-bench:1.3.3"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Hardening),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::ControllerManager, |resource, comp| {
        let setting = comp.setting("use-service-account-credentials");
        if setting.bool_or(false) == Some(true) {
            return;
        }
        let detail = super::describe(comp, "use-service-account-credentials", "false");
        super::report_flag(
            cx,
            sink,
            resource,
            comp,
            "use-service-account-credentials",
            (
                format!("controllers share the controller manager's credentials: {detail}"),
                format!("set {} in {}", comp.spell("use-service-account-credentials", "true"), comp.where_flags()),
            ),
            Some("true"),
        );
    });
}
