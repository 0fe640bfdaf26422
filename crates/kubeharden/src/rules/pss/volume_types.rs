//! `pss-volume-types`: Pod Security Standards restricted, check `restrictedVolumes`.

use super::common::{message, quote};
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-volume-types",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Restricted,
    summary: "The pod uses a volume type outside the restricted set (hostPath, nfs, iscsi, gitRepo...).",
    docs: docs! {
        what: "Reports every entry of `spec.volumes` whose source is none of `configMap`, `csi`, \
               `downwardAPI`, `emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`, `projected` and \
               `secret`, at the key of its source (`hostPath`, `nfs`, `gitRepo`, `iscsi`, `rbd`, \
               `cephfs`, `flexVolume`, the in-tree cloud disks...). A volume written with no source at all \
               is an `emptyDir` (the API server's default) and passes. Where it applies it replaces \
               `pss-host-path-volumes`.",
        why: "Inline volume sources other than the restricted set let a pod reach storage directly, \
              bypassing the PersistentVolume model and its administrator-controlled access: the node's \
              files (hostPath), network file systems and block devices with credentials in the pod spec, \
              or code fetched at start (gitRepo, with a history of CVEs). The Pod Security Standards \
              allow only the listed types at the restricted level; PersistentVolumeClaims cover durable \
              storage.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
  volumes:
  - name: shared
    nfs:
      server: nfs.example.com
      path: /exports
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
  volumes:
  - name: shared
    persistentVolumeClaim:
      claimName: shared
"#,
        fix: "Use a `persistentVolumeClaim` (backed by a PersistentVolume or a StorageClass the cluster \
              administrator controls), or an `emptyDir`, `configMap`, `secret`, `projected`, `csi` or \
              `ephemeral` volume.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
            "https://kubernetes.io/docs/concepts/storage/volumes/",
        ],
    },
    aliases: &["restrictedVolumes", "trivy:KSV028"],
    pss: Some(PssCheck { id: "restrictedVolumes", level: PssLevel::Restricted, overrides: &["pss-host-path-volumes"] }),
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

/// Volume sources allowed at the restricted level.
const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Every other volume source of the Pod API, in upstream's order (the first one present names
/// the volume's type).
const RESTRICTED: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let Some(volumes) = pod.field("volumes") else {
        return;
    };
    for (i, volume) in volumes.items().enumerate() {
        if !volume.is_map() {
            continue;
        }
        let has = |key: &str| volume.field(key).is_some();
        if ALLOWED.iter().any(|k| has(k)) {
            continue;
        }
        // No source at all: the API server defaults the volume to an emptyDir.
        let Some((kind, key)) =
            RESTRICTED.iter().find_map(|k| volume.entry(k).filter(|(_, v)| !v.is_null()).map(|(key, _)| (*k, key)))
        else {
            continue;
        };
        let name = volume.field("name").and_then(|n| n.str()).unwrap_or("");
        sink.report(
            resource,
            key.span(),
            pod.path(&format!("volumes[{i}].{kind}")),
            message(
                "restricted volume types",
                format!("volume {} must not use restricted volume type {}", quote(name), quote(kind)),
            ),
            "use a persistentVolumeClaim, emptyDir, configMap, secret, projected, csi or ephemeral volume",
        );
    }
}
