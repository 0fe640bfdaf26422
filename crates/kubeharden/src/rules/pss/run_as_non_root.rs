//! `pss-run-as-non-root`: Pod Security Standards restricted, check `runAsNonRoot`.

use super::common::{container_anchor, message};
use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-run-as-non-root",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Restricted,
    summary: "Containers may run as root: runAsNonRoot is not true on the pod or on every container.",
    docs: docs! {
        what: "Reports `runAsNonRoot: false` wherever it is set (pod or container), and otherwise every \
               container, init container and ephemeral container that does not set `runAsNonRoot: true` \
               while the pod does not set it either (one finding per container, at its securityContext or \
               name). From Kubernetes v1.35 pods in their own user namespace (`hostUsers: false`) are \
               exempt: their root is not the node's root.",
        why: "A container running as UID 0 is root in the node's user namespace: any escape (a kernel \
              bug, a writable host mount, a runtime flaw) lands as root on the node. `runAsNonRoot: true` \
              makes the kubelet refuse to start a container whose image would run as root. The Pod \
              Security Standards require it at the restricted level; the NSA/CISA guide and the CIS \
              benchmark (5.2.7) ask for non-root containers.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
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
    runAsNonRoot: true
    runAsUser: 10001
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Set `securityContext.runAsNonRoot: true` at the pod level (it covers every container) or on \
              each container, and make sure the image runs as a non-zero UID (`USER 10001` in the \
              Dockerfile, or `runAsUser`).",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[
        "runAsNonRoot",
        "CIS 5.2.7",
        "kube-linter:run-as-non-root",
        "polaris:runAsRootAllowed",
        "checkov:CKV_K8S_23",
        "kubescape:C-0013",
        "trivy:KSV012",
    ],
    pss: Some(PssCheck { id: "runAsNonRoot", level: PssLevel::Restricted, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(v1_0)), Versioned::since(35, Check::Pod(v1_35))],
    fix: Some(Applicability::Unsafe),
};

const REASON: &str = "runAsNonRoot != true";

/// Explicit `false` (or a value of the wrong type) anywhere is reported first, as upstream does;
/// only when there is none are the containers left uncovered reported.
fn v1_0(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let pod_value = pod.sc(&["runAsNonRoot"]);
    let pod_true = pod_value.and_then(|v| v.bool()) == Some(true);
    let mut explicit = false;
    if let Some(v) = pod_value.filter(|_| !pod_true) {
        explicit = true;
        sink.report(
            resource,
            v.span(),
            pod.sc_path("runAsNonRoot"),
            message(REASON, "pod must not set securityContext.runAsNonRoot=false"),
            "set securityContext.runAsNonRoot: true",
        )
        .fix("set runAsNonRoot: true", vec![(v.span(), "true".into())]);
    }
    let containers = pod.containers();
    for c in containers {
        if let Some(v) = c.sc(&["runAsNonRoot"]).filter(|v| v.bool() != Some(true)) {
            explicit = true;
            sink.report(
                resource,
                v.span(),
                c.sc_path("runAsNonRoot"),
                message(REASON, format!("{} must not set securityContext.runAsNonRoot=false", c.label())),
                "set securityContext.runAsNonRoot: true",
            )
            .fix("set runAsNonRoot: true", vec![(v.span(), "true".into())]);
        }
    }
    if explicit || pod_true {
        return;
    }
    let text = cx.text(resource);
    for c in containers.iter().filter(|c| c.sc(&["runAsNonRoot"]).is_none()) {
        let reported = sink.report(
            resource,
            container_anchor(c, &["securityContext"]),
            c.sc_path("runAsNonRoot"),
            message(REASON, format!("pod or {} must set securityContext.runAsNonRoot=true", c.label())),
            "set securityContext.runAsNonRoot: true on the pod (it covers every container) or on this container",
        );
        if let Some(edits) = fix::insert(text, c.node, &["securityContext", "runAsNonRoot"], "true") {
            reported.fix("add runAsNonRoot: true to the container", edits);
        }
    }
}

/// Pods in their own user namespace (`hostUsers: false`) are exempt.
fn v1_35(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if pod.host_users_disabled() {
        return;
    }
    v1_0(cx, resource, pod, sink);
}
