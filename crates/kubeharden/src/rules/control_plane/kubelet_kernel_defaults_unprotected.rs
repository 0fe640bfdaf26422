//! `kubelet-kernel-defaults-unprotected`: the kubelet changes kernel settings it disagrees with.

use super::kubelet::{self, KubeletSetting};
use crate::fix::Applicability;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "kubelet-kernel-defaults-unprotected",
    family: Family::ControlPlane,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "The kubelet does not protect the node's kernel settings (protectKernelDefaults is not true).",
    docs: docs! {
        what: "Reports a `KubeletConfiguration` without `protectKernelDefaults: true` (the default is \
               `false`), and a kubelet command line without `--protect-kernel-defaults=true` when the kubelet \
               runs without `--config`, or with it set to false.",
        why: "Without it the kubelet silently rewrites kernel parameters (such as `vm.overcommit_memory` and \
              `kernel.panic`) that differ from what it expects, overriding the node's hardening. With it, \
              the kubelet refuses to start on a node whose kernel settings differ, so drift is visible. CIS \
              Kubernetes Benchmark 4.2.6.",
        fail: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
"#,
        pass: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
protectKernelDefaults: true
"#,
        fix: "Set the kernel parameters the kubelet expects on the node (`vm.overcommit_memory=1`, \
              `vm.panic_on_oom=0`, `kernel.panic=10`, `kernel.panic_on_oops=1`, …), then set \
              `protectKernelDefaults: true`.",
        references: &[
            "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 4.2.6", "kube-bench:4.2.6"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Unsafe),
};

static SETTING: KubeletSetting = KubeletSetting {
    field: &["protectKernelDefaults"],
    flag: "protect-kernel-defaults",
    config_default: "false",
    flag_default: "false",
    wanted: "true",
    insecure: |v| v != "true",
    reason: "the kubelet may rewrite kernel settings",
    why: "set the kernel parameters the kubelet expects on the node first, or it will not start",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    kubelet::check(cx, sink, &SETTING);
}
