//! `pss-host-process`: Pod Security Standards baseline, check `windowsHostProcess`.

use super::common::message;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-host-process",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "A Windows pod or container runs as a HostProcess, with full access to the node.",
    docs: docs! {
        what: "Reports `securityContext.windowsOptions.hostProcess: true` on the pod and on every \
               container, init container and ephemeral container, each at its own value.",
        why: "A Windows HostProcess container runs directly on the node as a host process, outside any \
              container isolation: it can reach the node's file system, network and every other \
              workload. It exists for node administration (CNI, storage, log agents), which belongs in \
              a privileged namespace, not in application workloads. The Pod Security Standards forbid \
              it from the baseline level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  os:
    name: windows
  hostNetwork: true
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: "NT AUTHORITY\\SYSTEM"
  containers:
  - name: agent
    image: mcr.microsoft.com/windows/nanoserver:ltsc2022
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  os:
    name: windows
  containers:
  - name: agent
    image: mcr.microsoft.com/windows/nanoserver:ltsc2022
"#,
        fix: "Remove `windowsOptions.hostProcess` (or set it to `false`) on the pod and its containers. Run \
              node agents that truly need host access in a dedicated namespace labelled \
              `pod-security.kubernetes.io/enforce: privileged`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/",
        ],
    },
    aliases: &["windowsHostProcess", "CIS 5.2.11"],
    pss: Some(PssCheck { id: "windowsHostProcess", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

const REASON: &str = "hostProcess";

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if let Some(value) = pod.sc(&["windowsOptions", "hostProcess"]).filter(|v| v.bool() == Some(true)) {
        sink.report(
            resource,
            value.span(),
            pod.sc_path("windowsOptions.hostProcess"),
            message(REASON, "pod must not set securityContext.windowsOptions.hostProcess=true"),
            "set securityContext.windowsOptions.hostProcess to false, or remove it",
        )
        .fix("set hostProcess: false", vec![(value.span(), "false".into())]);
    }
    for c in pod.containers() {
        if let Some(value) = c.sc(&["windowsOptions", "hostProcess"]).filter(|v| v.bool() == Some(true)) {
            sink.report(
                resource,
                value.span(),
                c.sc_path("windowsOptions.hostProcess"),
                message(REASON, format!("{} must not set securityContext.windowsOptions.hostProcess=true", c.label())),
                "set securityContext.windowsOptions.hostProcess to false, or remove it",
            )
            .fix("set hostProcess: false", vec![(value.span(), "false".into())]);
        }
    }
}
