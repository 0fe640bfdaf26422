//! `pss-host-path-volumes`: Pod Security Standards baseline, check `hostPathVolumes`.

use super::common::{message, quote};
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-host-path-volumes",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "The pod mounts a directory of the node through a hostPath volume.",
    docs: docs! {
        what: "Reports every entry of `spec.volumes` that has a `hostPath` source, at its `hostPath` key. \
               At the restricted level `pss-volume-types` replaces this rule (it reports hostPath among \
               the other volume types it forbids).",
        why: "A hostPath volume gives the container the node's files: the kubelet's credentials, the \
              container runtime socket, other pods' data, or `/` itself. Write access is an immediate \
              escape to the node, and even read access leaks secrets. The Pod Security Standards forbid \
              hostPath volumes from the baseline level up; the NSA/CISA guide and the CIS benchmark \
              (5.2.12) ask for the same.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    volumeMounts:
    - {name: logs, mountPath: /var/log/app}
  volumes:
  - name: logs
    hostPath:
      path: /var/log
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    volumeMounts:
    - {name: logs, mountPath: /var/log/app}
  volumes:
  - name: logs
    emptyDir: {}
"#,
        fix: "Replace the hostPath volume with an `emptyDir`, a `persistentVolumeClaim`, a `configMap` or a \
              `secret`. Node agents that must read the host run in a namespace labelled \
              `pod-security.kubernetes.io/enforce: privileged`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        ],
    },
    aliases: &["hostPathVolumes", "CIS 5.2.12", "kubescape:C-0048"],
    pss: Some(PssCheck { id: "hostPathVolumes", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let Some(volumes) = pod.field("volumes") else {
        return;
    };
    for (i, volume) in volumes.items().enumerate() {
        let Some((key, _)) = volume.entry("hostPath").filter(|(_, v)| !v.is_null()) else {
            continue;
        };
        let name = volume.field("name").and_then(|n| n.str()).unwrap_or("");
        sink.report(
            resource,
            key.span(),
            pod.path(&format!("volumes[{i}].hostPath")),
            message("hostPath volumes", format!("volume {} must not use a hostPath source", quote(name))),
            "replace the hostPath volume with an emptyDir, a persistentVolumeClaim, a configMap or a secret",
        );
    }
}
