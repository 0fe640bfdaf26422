//! `apiserver-profiling-enabled`: the API server exposes its profiling endpoints.

use crate::fix::Applicability;
use crate::model::component::ComponentKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-profiling-enabled",
    family: Family::ControlPlane,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "kube-apiserver serves profiling data (--profiling is not false).",
    docs: docs! {
        what: "Reports a kube-apiserver that does not set `--profiling=false`: the flag defaults to true, which \
               serves Go's pprof handlers under `/debug/pprof`.",
        why: "Profiles reveal the program's internals and can be used to slow the API server down; they are \
              only needed to investigate performance. CIS Kubernetes Benchmark 1.2.15 (and 1.3.2, 1.4.1 for \
              the controller manager and scheduler).",
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
    - --anonymous-auth=false
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
    - --anonymous-auth=false
    - --profiling=false
"#,
        fix: "Add `--profiling=false`; turn it on for a limited time when investigating performance.",
        references: &[
            "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 1.2.15", "kube-bench:1.2.15"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Hardening),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        let setting = comp.setting("profiling");
        if setting.bool_or(true) == Some(false) {
            return;
        }
        let detail = super::describe(comp, "profiling", "true");
        super::report_flag(
            cx,
            sink,
            resource,
            comp,
            "profiling",
            (
                format!("profiling is enabled: {detail}"),
                format!("set {} in {}", comp.spell("profiling", "false"), comp.where_flags()),
            ),
            Some("false"),
        );
    });
}
