//! `writable-root-filesystem`: a container whose root filesystem is writable.

use super::helpers::is_windows;
use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "writable-root-filesystem",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A container can write to its root filesystem; immutable containers set readOnlyRootFilesystem: true.",
    docs: docs! {
        what: "Reports every container and init container that does not set \
               `securityContext.readOnlyRootFilesystem: true`: at the value when it is `false`, at the \
               container's securityContext (or name) when it is missing. Ephemeral debug containers are \
               not reported, nor Windows pods (`spec.os.name: windows`), where the field is not \
               supported.",
        why: "The NSA/CISA hardening guide asks for immutable containers: an attacker who gets code \
              execution in a container with a writable root filesystem can drop tools, modify binaries and \
              persist for the container's lifetime. A read-only root filesystem with explicit writable \
              volumes (an `emptyDir` for /tmp) makes that much harder and makes drift visible.",
        fail: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
"#,
        pass: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          readOnlyRootFilesystem: true
        volumeMounts:
        - {name: tmp, mountPath: /tmp}
      volumes:
      - name: tmp
        emptyDir: {}
"#,
        fix: "Set `securityContext.readOnlyRootFilesystem: true` on the container and mount an `emptyDir` \
              volume at each path the application writes to (such as /tmp or a cache directory).",
        references: &[
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        ],
    },
    aliases: &[
        "CIS 5.7.3",
        "kube-linter:no-read-only-root-fs",
        "kube-score:container-security-context-readonlyrootfilesystem",
        "polaris:notReadOnlyRootFilesystem",
        "checkov:CKV_K8S_22",
    ],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if is_windows(pod) {
        return;
    }
    for c in pod.containers() {
        if c.kind == crate::model::ContainerKind::Ephemeral {
            continue;
        }
        match c.sc(&["readOnlyRootFilesystem"]) {
            Some(v) if v.bool() == Some(true) => {}
            Some(v) if v.bool() == Some(false) => {
                sink.report(
                    resource,
                    v.span(),
                    c.sc_path("readOnlyRootFilesystem"),
                    format!("{} sets readOnlyRootFilesystem: false", c.label()),
                    "set readOnlyRootFilesystem: true and mount an emptyDir where the app writes",
                )
                .fix("set readOnlyRootFilesystem: true", vec![(v.span(), "true".into())]);
            }
            // A wrong type is reported by invalid-resource; treat it as unset here.
            _ => {
                let reported = sink.report(
                    resource,
                    c.anchor(),
                    c.sc_path("readOnlyRootFilesystem"),
                    format!("{} does not set readOnlyRootFilesystem: true", c.label()),
                    "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes",
                );
                if let Some(edits) =
                    fix::insert(cx.text(resource), c.node, &["securityContext", "readOnlyRootFilesystem"], "true")
                {
                    reported.fix("add readOnlyRootFilesystem: true", edits);
                }
            }
        }
    }
}
