//! `pss-selinux`: Pod Security Standards baseline, check `seLinuxOptions`.

use super::common::{message, quote, str_or_empty};
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};
use crate::source::NodeRef;

pub static RULE: Rule = Rule {
    id: "pss-selinux",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "The pod or a container sets a custom SELinux user or role, or a type outside the container types.",
    docs: docs! {
        what: "Reports `securityContext.seLinuxOptions` on the pod and on every container (including init \
               and ephemeral containers) that sets `user` or `role`, or a `type` other than \
               `container_t`, `container_init_t` and `container_kvm_t` (plus `container_engine_t` from \
               Kubernetes v1.31), each at its value.",
        why: "SELinux labels decide what a container's processes may touch on the node. A custom user or \
              role, or a type such as `spc_t` (super-privileged container) or `unconfined_t`, lifts that \
              confinement. The Pod Security Standards allow only the standard container types from the \
              baseline level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    seLinuxOptions:
      type: spc_t
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
    seLinuxOptions:
      level: "s0:c123,c456"
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and remove `type` or set it to one of \
              the container types. Setting `level` (the MCS categories) is allowed.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container",
        ],
    },
    aliases: &["seLinuxOptions", "trivy:KSV025"],
    pss: Some(PssCheck { id: "seLinuxOptions", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(v1_0)), Versioned::since(31, Check::Pod(v1_31))],
    fix: Some(Applicability::Unsafe),
};

const TYPES_1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
const TYPES_1_31: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

fn v1_0(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    check(TYPES_1_0, cx.text(resource), resource, pod, sink);
}

fn v1_31(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    check(TYPES_1_31, cx.text(resource), resource, pod, sink);
}

fn check(types: &[&str], text: &str, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if let Some(options) = pod.sc(&["seLinuxOptions"]) {
        check_options((types, text), resource, options, "pod", &pod.sc_path("seLinuxOptions"), sink);
    }
    for c in pod.containers() {
        if let Some(options) = c.sc(&["seLinuxOptions"]) {
            check_options((types, text), resource, options, &c.label(), &c.sc_path("seLinuxOptions"), sink);
        }
    }
}

/// The fix for a forbidden option: its line removed (the runtime's default applies).
fn remove_option(text: &str, options: NodeRef<'_>, field: &str) -> Option<crate::fix::Edits> {
    let (key, value) = options.entry(field)?;
    crate::fix::remove_entry_line(text, key, value)
}

fn check_options(
    (types, text): (&[&str], &str),
    resource: &Resource<'_>,
    options: NodeRef<'_>,
    setter: &str,
    path: &str,
    sink: &mut Sink,
) {
    let allowed = types.iter().filter(|t| !t.is_empty()).copied().collect::<Vec<_>>().join(", ");
    if let Some(t) = options.field("type") {
        let value = str_or_empty(t);
        if !types.contains(&value) {
            let reported = sink.report(
                resource,
                t.span(),
                format!("{path}.type"),
                message(
                    "seLinuxOptions",
                    format!("{setter} must not set securityContext.seLinuxOptions.type to {}", quote(value)),
                ),
                format!("remove seLinuxOptions.type, or set it to one of {allowed}"),
            );
            if let Some(edits) = remove_option(text, options, "type") {
                reported.fix("remove seLinuxOptions.type", edits);
            }
        }
    }
    for field in ["user", "role"] {
        let Some(value) = options.field(field).filter(|v| !str_or_empty(*v).is_empty()) else {
            continue;
        };
        let reported = sink.report(
            resource,
            value.span(),
            format!("{path}.{field}"),
            message(
                "seLinuxOptions",
                format!(
                    "{setter} must not set securityContext.seLinuxOptions.{field} (set to {})",
                    quote(str_or_empty(value))
                ),
            ),
            format!("remove seLinuxOptions.{field}"),
        );
        if let Some(edits) = remove_option(text, options, field) {
            reported.fix(format!("remove seLinuxOptions.{field}"), edits);
        }
    }
}
