//! `pss-sysctls`: Pod Security Standards baseline, check `sysctls`.

use super::common::{message, quote, str_or_empty};
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-sysctls",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "The pod sets a kernel parameter (sysctl) outside the safe, namespaced set.",
    docs: docs! {
        what: "Reports every `spec.securityContext.sysctls[*].name` that is not in the safe set of the \
               target Kubernetes version: `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, \
               `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, \
               `net.ipv4.ip_unprivileged_port_start`; from v1.27 `net.ipv4.ip_local_reserved_ports`; from \
               v1.29 `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`, \
               `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`; from v1.32 \
               `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem`; from v1.37 \
               `net.ipv4.tcp_slow_start_after_idle`, `net.ipv4.tcp_notsent_lowat`. Names compare exactly \
               (`net/ipv4/...` spellings are not in the set).",
        why: "Most kernel parameters are not namespaced: setting them from a pod changes the whole node \
              and every workload on it, and some disable security mechanisms. The safe set is \
              namespaced per pod and isolated from other pods. The Pod Security Standards forbid \
              everything else from the baseline level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    sysctls:
    - name: kernel.msgmax
      value: "65536"
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
    sysctls:
    - name: net.ipv4.ip_local_port_range
      value: "1024 65535"
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Remove the sysctl from the pod. Node-wide kernel tuning belongs in the node configuration (or \
              a privileged node agent), with the kubelet's `allowedUnsafeSysctls` where a namespaced \
              but unsafe sysctl is truly needed.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/",
        ],
    },
    aliases: &["sysctls", "trivy:KSV026", "kube-linter:unsafe-sysctls"],
    pss: Some(PssCheck { id: "sysctls", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[
        Versioned::always(Check::Pod(v1_0)),
        Versioned::since(27, Check::Pod(v1_27)),
        Versioned::since(29, Check::Pod(v1_29)),
        Versioned::since(32, Check::Pod(v1_32)),
        Versioned::since(37, Check::Pod(v1_37)),
    ],
    fix: Some(Applicability::Hardening),
};

const SAFE_1_0: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
];
const ADDED_1_27: &[&str] = &["net.ipv4.ip_local_reserved_ports"];
const ADDED_1_29: &[&str] = &[
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];
const ADDED_1_32: &[&str] = &["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
const ADDED_1_37: &[&str] = &["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];

fn v1_0(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    check(&[SAFE_1_0], cx, resource, pod, sink);
}

fn v1_27(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    check(&[SAFE_1_0, ADDED_1_27], cx, resource, pod, sink);
}

fn v1_29(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    check(&[SAFE_1_0, ADDED_1_27, ADDED_1_29], cx, resource, pod, sink);
}

fn v1_32(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    check(&[SAFE_1_0, ADDED_1_27, ADDED_1_29, ADDED_1_32], cx, resource, pod, sink);
}

fn v1_37(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    check(&[SAFE_1_0, ADDED_1_27, ADDED_1_29, ADDED_1_32, ADDED_1_37], cx, resource, pod, sink);
}

/// `safe` is the union of the sets in force; the help names the policy version evaluated.
fn check(safe: &[&[&str]], cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let Some(sysctls) = pod.sc(&["sysctls"]) else {
        return;
    };
    for (i, sysctl) in sysctls.items().enumerate() {
        let node = sysctl.field("name");
        let name = node.map_or("", str_or_empty);
        if safe.iter().any(|set| set.contains(&name)) {
            continue;
        }
        let reported = sink.report(
            resource,
            node.unwrap_or(sysctl).span(),
            pod.sc_path(&format!("sysctls[{i}].name")),
            message("forbidden sysctls", format!("pod must not set sysctl {}", quote(name))),
            format!("remove the sysctl: it is not in the safe set of Pod Security policy {}", cx.version),
        );
        if let Some(edits) = crate::fix::remove_item(cx.text(resource), sysctls, i) {
            reported.fix(format!("remove sysctl {name}"), edits);
        }
    }
}
