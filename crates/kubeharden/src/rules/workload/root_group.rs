//! `root-group`: a container runs with the root group (GID 0).

use super::helpers::settings;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "root-group",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A container runs with group 0 (root): runAsGroup, fsGroup or supplementalGroups contains 0.",
    docs: docs! {
        what: "Reports `runAsGroup: 0` (a container's own, or the pod-level value the containers inherit, \
               reported once), `fsGroup: 0`, and each `0` in `supplementalGroups`.",
        why: "Group 0 owns many sensitive files on the node and in images (`/etc/shadow` is often \
              root-group readable, device nodes, runtime sockets). A process in the root group can read \
              or write them through any host mount or after an escape, even when its UID is not 0. \
              `fsGroup: 0` also makes every file of the pod's volumes root-group owned. The NSA/CISA \
              hardening guide and the Kubernetes security-context guidance ask for non-root users and \
              groups.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsUser: 10001
    runAsGroup: 0
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
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Use a dedicated non-zero group for `runAsGroup` and `fsGroup` (such as 10001) and remove 0 from \
              `supplementalGroups`; give that group ownership of the files the application needs.",
        references: &[
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["kube-score:container-security-context-user-group-id"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for s in settings(pod, &["runAsGroup"]) {
        if s.value.int() == Some(0) {
            sink.report(
                resource,
                s.value.span(),
                s.path.clone(),
                format!("root group: {} sets runAsGroup=0{}", s.owner(), s.users()),
                "set runAsGroup to a dedicated non-zero group, such as 10001",
            )
            .fix("set runAsGroup: 10001", crate::fix::replace(s.value, "10001"));
        }
    }
    if let Some(v) = pod.sc(&["fsGroup"]).filter(|v| v.int() == Some(0)) {
        sink.report(
            resource,
            v.span(),
            pod.sc_path("fsGroup"),
            "root group: the pod sets fsGroup=0, so its volumes are owned by the root group",
            "set fsGroup to a dedicated non-zero group, such as 10001",
        )
        .fix("set fsGroup: 10001", crate::fix::replace(v, "10001"));
    }
    if let Some(groups) = pod.sc(&["supplementalGroups"]) {
        for (i, v) in groups.items().enumerate() {
            if v.int() == Some(0) {
                let reported = sink.report(
                    resource,
                    v.span(),
                    pod.sc_path(&format!("supplementalGroups[{i}]")),
                    "root group: the pod adds supplemental group 0 to every container",
                    "remove 0 from supplementalGroups",
                );
                if let Some(edits) = crate::fix::remove_item(cx.text(resource), groups, i) {
                    reported.fix("remove 0 from supplementalGroups", edits);
                }
            }
        }
    }
}
