//! `low-user-id`: a container runs with a UID or GID below 10000.

use super::helpers::settings;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

/// IDs below this are the range distributions give to host users and system accounts.
pub const MIN_ID: i64 = 10000;

pub static RULE: Rule = Rule {
    id: "low-user-id",
    family: Family::Workload,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "A container runs with an explicit runAsUser or runAsGroup below 10000, an ID that host accounts may also use.",
    docs: docs! {
        what: "Reports every `runAsUser` and `runAsGroup` between 1 and 9999 that a container runs with: \
               its own securityContext value, or the pod-level value it inherits (reported once, at the pod \
               level, naming the containers that use it). Only written IDs are checked: an unset UID \
               (the image's user) is left to `pss-run-as-non-root`, and ID 0 is left to `pss-run-as-user` \
               and `root-group`. Pods in a user namespace (`hostUsers: false`) are not reported: their \
               IDs are mapped to unprivileged host IDs.",
        why: "Without a user namespace, a container UID is the same number on the node. Low UIDs and GIDs \
              belong to host users and system daemons, so a process that escapes the container, or \
              reaches host files through a volume, acts with the rights of that host account. IDs of \
              10000 and above are outside the ranges distributions allocate. The NSA/CISA hardening guide \
              asks containers to run as non-root users with dedicated IDs.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsUser: 1000
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
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Run as an ID of 10000 or more (`runAsUser: 10001`, `runAsGroup: 10001`) and build the image \
              so that this ID owns the files it writes; or run the pod in a user namespace \
              (`hostUsers: false`).",
        references: &[
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
            "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["kube-score:container-security-context-user-group-id", "checkov:CKV_K8S_40"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if pod.host_users_disabled() {
        return;
    }
    for (field, reason) in [("runAsUser", "low user ID"), ("runAsGroup", "low group ID")] {
        for s in settings(pod, &[field]) {
            let Some(id) = s.value.int() else { continue };
            if !(1..MIN_ID).contains(&id) {
                continue;
            }
            sink.report(
                resource,
                s.value.span(),
                s.path.clone(),
                format!("{reason}: {} sets {field}={id}, below {MIN_ID}{}", s.owner(), s.users()),
                format!("set {field} to {MIN_ID} or more, or run the pod with hostUsers: false"),
            )
            .fix(format!("set {field}: 10001"), crate::fix::replace(s.value, "10001"));
        }
    }
}
