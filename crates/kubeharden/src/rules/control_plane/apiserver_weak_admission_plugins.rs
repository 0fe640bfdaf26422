//! `apiserver-weak-admission-plugins`: admission plugins that protect the cluster are off, or
//! AlwaysAdmit is on.

use crate::fix::Applicability;
use crate::model::component::{Component, ComponentKind, Flag, Setting};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-weak-admission-plugins",
    family: Family::ControlPlane,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "kube-apiserver enables AlwaysAdmit, or runs without NodeRestriction or PodSecurity.",
    docs: docs! {
        what: "Reads `--enable-admission-plugins` (and the older `--admission-control`) and \
               `--disable-admission-plugins` of a kube-apiserver and reports: `AlwaysAdmit` enabled; \
               `NodeRestriction` not enabled (it is not on by default; kubeadm enables it) or disabled; \
               `PodSecurity` disabled (from Kubernetes 1.23, where it is on by default).",
        why: "`NodeRestriction` limits what each kubelet may change to its own Node and the pods bound to it: \
              without it, one compromised node can relabel other nodes and attract workloads. `PodSecurity` \
              enforces the Pod Security Standards namespace labels. `AlwaysAdmit` admits everything and is \
              deprecated. CIS Kubernetes Benchmark 1.2.9, 1.2.14 and 1.2.10.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command:
    - kube-apiserver
    - --enable-admission-plugins=AlwaysAdmit
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command:
    - kube-apiserver
    - --enable-admission-plugins=NodeRestriction
"#,
        fix: "Set `--enable-admission-plugins=NodeRestriction` (plus any others you need, never \
              `AlwaysAdmit`) and remove `PodSecurity` and `NodeRestriction` from \
              `--disable-admission-plugins`.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/",
            "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 1.2.9", "CIS 1.2.10", "CIS 1.2.14", "kube-bench:1.2.14"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check)), Versioned::since(23, Check::Global(check_with_pod_security))],
    fix: Some(Applicability::Hardening),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    run(cx, sink, false);
}

/// From 1.23 PodSecurity is on by default: disabling it is a finding.
fn check_with_pod_security(cx: &Cx<'_, '_>, sink: &mut Sink) {
    run(cx, sink, true);
}

/// Plugin names, each with the flag that lists it (`None` when kubeadm implies it).
type Plugins<'c> = Vec<(String, Option<&'c Flag>)>;

/// The plugins a component enables (with the flag that lists each) and disables.
fn plugins<'c>(comp: &'c Component<'_>) -> (Plugins<'c>, Plugins<'c>) {
    let mut enabled = comp.list("enable-admission-plugins");
    enabled.extend(comp.list("admission-control"));
    (enabled, comp.list("disable-admission-plugins"))
}

fn run(cx: &Cx<'_, '_>, sink: &mut Sink, pod_security_default: bool) {
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        let (enabled, disabled) = plugins(comp);
        for (plugin, flag) in &enabled {
            if plugin == "AlwaysAdmit" {
                let (span, path) = flag.map_or((comp.anchor, comp.anchor_path.clone()), |f| (f.span, f.path.clone()));
                sink.report(
                    resource,
                    span,
                    path,
                    format!("the AlwaysAdmit admission plugin admits every request: {} enables it", comp.label()),
                    "remove AlwaysAdmit from --enable-admission-plugins",
                );
            }
        }
        let off = |name: &str| disabled.iter().find(|(p, _)| p == name).and_then(|(_, f)| *f);
        if let Some(f) = off("NodeRestriction") {
            sink.report(
                resource,
                f.span,
                f.path.clone(),
                format!("kubelets are not restricted to their own node: {} disables NodeRestriction", comp.label()),
                "remove NodeRestriction from --disable-admission-plugins",
            );
        } else if !enabled.iter().any(|(p, _)| p == "NodeRestriction") {
            let setting = comp.setting("enable-admission-plugins");
            let (detail, value) = match setting {
                Setting::Flag(f) => (
                    format!("{} sets {} without NodeRestriction", comp.label(), f.display()),
                    format!("{},NodeRestriction", f.value()),
                ),
                _ => (
                    format!(
                        "{} does not set --enable-admission-plugins, and NodeRestriction is off by default",
                        comp.label()
                    ),
                    "NodeRestriction".to_owned(),
                ),
            };
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "enable-admission-plugins",
                (
                    format!("kubelets are not restricted to their own node: {detail}"),
                    format!("add NodeRestriction to --enable-admission-plugins in {}", comp.where_flags()),
                ),
                (comp.all("enable-admission-plugins").count() <= 1 && comp.all("admission-control").count() == 0)
                    .then_some(value.as_str()),
            );
        }
        if pod_security_default && let Some(f) = off("PodSecurity") {
            sink.report(
                resource,
                f.span,
                f.path.clone(),
                format!(
                    "Pod Security Standards are not enforced: {} disables the PodSecurity admission plugin",
                    comp.label()
                ),
                "remove PodSecurity from --disable-admission-plugins",
            );
        }
    });
}
