//! `pss-host-ports`: Pod Security Standards baseline, check `hostPorts`.

use super::common::message;
use crate::fix::Applicability;
use crate::fix::remove_entry_line;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-host-ports",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "A container binds a port of the node (hostPort).",
    docs: docs! {
        what: "Reports every `ports[*].hostPort` other than 0 on every container, init container and \
               ephemeral container, at the value.",
        why: "A hostPort opens a port on the node's own address, bypassing Services and NetworkPolicies \
              that select pods, and pins the pod to nodes where the port is free. It exposes the workload \
              outside the cluster's intended entry points. The Pod Security Standards forbid host ports \
              from the baseline level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    ports:
    - containerPort: 8080
      hostPort: 80
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    ports:
    - containerPort: 8080
"#,
        fix: "Remove `hostPort` and expose the pod through a Service (ClusterIP behind an Ingress or a \
              Gateway, or a LoadBalancer).",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/concepts/configuration/overview/#services",
        ],
    },
    aliases: &["hostPorts", "CIS 5.2.13", "checkov:CKV_K8S_26", "polaris:hostPortSet", "kubescape:C-0044"],
    pss: Some(PssCheck { id: "hostPorts", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let Some(ports) = c.node.field("ports") else {
            continue;
        };
        for (i, port) in ports.items().enumerate() {
            let Some((key, value)) = port.entry("hostPort") else {
                continue;
            };
            let Some(number) = value.int().filter(|&n| n != 0) else {
                continue;
            };
            let reported = sink.report(
                resource,
                value.span(),
                c.field_path(&format!("ports[{i}].hostPort")),
                message("hostPort", format!("{} must not use hostPort {number}", c.label())),
                "remove hostPort and expose the port through a Service",
            );
            if let Some(edits) = remove_entry_line(cx.text(resource), key, value) {
                reported.fix("remove hostPort", edits);
            }
        }
    }
}
