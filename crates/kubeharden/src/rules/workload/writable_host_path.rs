//! `writable-host-path`: a container mounts a hostPath volume read-write.

use super::helpers::{HostPathVolume, host_path_volumes, mounts};
use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "writable-host-path",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A container mounts a hostPath volume without readOnly: true, so it can write to the node's filesystem.",
    docs: docs! {
        what: "Reports each `volumeMounts` entry, in every container kind, that mounts a `hostPath` volume \
               without `readOnly: true`: at the `readOnly: false` value, or at the mount's `name` when \
               `readOnly` is missing. Sockets and device nodes (`type: Socket`, `CharDevice`, \
               `BlockDevice`, `*.sock`, `/dev/log`, Windows named pipes) are left out: a read-only \
               mount does not stop a process from using them, and `sensitive-host-path` reports the \
               dangerous ones.",
        why: "A writable host mount lets a compromised container change files the node and other pods \
              trust: binaries and scripts the node runs, kubelet or runtime state, logs that hide its \
              tracks, or a symlink that makes the kubelet read a host file for it. The NSA/CISA \
              hardening guide asks for immutable containers and minimal host access, and the Kubernetes \
              documentation recommends mounting hostPath volumes read-only when they cannot be avoided.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: logs
spec:
  containers:
  - name: shipper
    image: shipper:1.0
    volumeMounts:
    - name: logs
      mountPath: /var/log
  volumes:
  - name: logs
    hostPath:
      path: /var/log
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: logs
spec:
  containers:
  - name: shipper
    image: shipper:1.0
    volumeMounts:
    - name: logs
      mountPath: /var/log
      readOnly: true
  volumes:
  - name: logs
    hostPath:
      path: /var/log
"#,
        fix: "Set `readOnly: true` on the volume mount. If the workload must write, write to a \
              dedicated directory (not a system one), or use a PersistentVolume instead of a host path.",
        references: &[
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.2.12", "kube-linter:writable-host-mount"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

/// Sockets and device nodes: a read-only mount does not stop a process from connecting to a
/// socket or writing to a device, so `readOnly` is no remedy (sensitive-host-path reports the
/// dangerous ones).
fn is_socket_or_device(volume: &HostPathVolume<'_>) -> bool {
    let path = volume.path.trim().trim_end_matches('/');
    matches!(volume.kind, Some("Socket" | "CharDevice" | "BlockDevice"))
        || path.ends_with(".sock")
        || path.ends_with(".socket")
        || path == "/dev/log"
        || path.replace('\\', "/").to_ascii_lowercase().starts_with("//./pipe/")
}

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let containers = pod.containers();
    for v in host_path_volumes(pod) {
        if is_socket_or_device(&v) {
            continue;
        }
        for m in mounts(containers, v.name) {
            if m.read_only() {
                continue;
            }
            let message = format!(
                "writable host path: {} mounts hostPath {} (volume {:?}) at {} without readOnly: true",
                m.container.label(),
                v.path,
                v.name,
                m.mount_path()
            );
            let help = "set readOnly: true on the volume mount";
            match m.node.entry("readOnly") {
                Some((_, value)) if value.bool() == Some(false) => {
                    sink.report(resource, value.span(), m.path("readOnly"), message, help)
                        .fix("set readOnly: true", fix::replace(value, "true"));
                }
                Some((_, value)) => {
                    // A wrong type is reported by invalid-resource.
                    sink.report(resource, value.span(), m.path("readOnly"), message, help);
                }
                None => {
                    let at = m.node.get("name").map_or(m.node.span(), |n| n.span());
                    let reported = sink.report(resource, at, m.path("readOnly"), message, help);
                    if let Some(edits) = fix::insert(cx.text(resource), m.node, &["readOnly"], "true") {
                        reported.fix("add readOnly: true", edits);
                    }
                }
            }
        }
    }
}
