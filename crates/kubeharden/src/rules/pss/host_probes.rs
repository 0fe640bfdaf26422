//! `pss-host-probes`: Pod Security Standards baseline, check `hostProbesAndHostLifecycle`.

use super::common::{message, quote, str_or_empty};
use crate::fix::Applicability;
use crate::fix::remove_entry_line;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-host-probes",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "A probe or lifecycle hook sends the kubelet to another host (httpGet.host or tcpSocket.host).",
    docs: docs! {
        what: "From Kubernetes v1.34: reports a non-empty `host` in the `httpGet` and `tcpSocket` handlers of \
               `livenessProbe`, `readinessProbe`, `startupProbe`, `lifecycle.postStart` and \
               `lifecycle.preStop`, on every container, init container and ephemeral container.",
        why: "Probes and lifecycle hooks are requests the kubelet makes from the node. With `host` set they \
              go to any address the node can reach, including the node's own loopback services and \
              cloud metadata endpoints, which makes them a server-side request forgery channel for \
              whoever can create pods. Without `host` they target the pod's own IP. The Pod Security \
              Standards forbid the field from the baseline level at policy v1.34.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    livenessProbe:
      httpGet:
        host: 169.254.169.254
        path: /latest/meta-data/
        port: 80
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    livenessProbe:
      httpGet:
        path: /healthz
        port: 80
"#,
        fix: "Remove `host` from the handler: the kubelet then probes the pod's own IP. To check another \
              service, do it from inside the container (an `exec` probe) or monitor it separately.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        ],
    },
    aliases: &["hostProbesAndHostLifecycle"],
    pss: Some(PssCheck { id: "hostProbesAndHostLifecycle", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::since(34, Check::Pod(v1_34))],
    fix: Some(Applicability::Unsafe),
};

const HANDLERS: &[&[&str]] = &[
    &["livenessProbe"],
    &["readinessProbe"],
    &["startupProbe"],
    &["lifecycle", "postStart"],
    &["lifecycle", "preStop"],
];

fn v1_34(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        for handler_path in HANDLERS {
            let Some(handler) = c.node.at(handler_path) else {
                continue;
            };
            for action in ["httpGet", "tcpSocket"] {
                let Some(action_map) = handler.field(action) else {
                    continue;
                };
                let Some((key, host)) = action_map.entry("host") else {
                    continue;
                };
                let value = str_or_empty(host);
                if value.is_empty() {
                    continue;
                }
                let field = format!("{}.{action}.host", handler_path.join("."));
                let reported = sink.report(
                    resource,
                    host.span(),
                    c.field_path(&field),
                    message(
                        "probe or lifecycle host",
                        format!("{} must not set {field} (set to {})", c.label(), quote(value)),
                    ),
                    format!("remove {field}: the kubelet then targets the pod's own IP"),
                );
                // Only when the handler keeps other fields (its port), so it stays a handler.
                if action_map.len() > 1
                    && let Some(edits) = remove_entry_line(cx.text(resource), key, host)
                {
                    reported.fix(format!("remove {action}.host"), edits);
                }
            }
        }
    }
}
