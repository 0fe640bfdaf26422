//! `service-external-ips`: a Service sets `spec.externalIPs`.

use crate::fix::Applicability;
use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "service-external-ips",
    family: Family::Network,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A Service sets externalIPs, which can intercept traffic to any address (CVE-2020-8554).",
    docs: docs! {
        what: "Reports Services with a non-empty `spec.externalIPs`, at the field, naming the addresses.",
        why: "kube-proxy routes traffic for every address in `externalIPs` to the Service's pods, on every node, \
              without checking who owns the address. Anyone who can create or update Services can therefore \
              intercept traffic meant for another service or an outside host (CVE-2020-8554, unfixed by \
              design). Kubernetes recommends denying the field with the `DenyServiceExternalIPs` admission \
              plugin or a policy.",
        fail: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
  externalIPs:
  - 203.0.113.10
"#,
        pass: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - port: 80
"#,
        fix: "Remove `externalIPs`; expose the Service with a LoadBalancer, an Ingress or a Gateway. Enable the \
              `DenyServiceExternalIPs` admission plugin on the API server.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/service/#external-ips",
            "https://github.com/kubernetes/kubernetes/issues/97076",
        ],
    },
    aliases: &["CVE-2020-8554"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if !resource.is("", "Service") {
        return;
    }
    let Some((key, list)) = resource.node.field("spec").and_then(|s| s.entry("externalIPs")) else { return };
    let ips: Vec<&str> = list.items().filter_map(|v| v.str()).collect();
    if ips.is_empty() {
        return;
    }
    let reported = sink.report(
        resource,
        key.span(),
        resource.path("spec.externalIPs"),
        format!("Service routes traffic for {} to its pods on every node (externalIPs)", ips.join(", ")),
        "remove externalIPs and expose the Service with a LoadBalancer, an Ingress or a Gateway",
    );
    if let Some(edits) = crate::fix::remove_entry_line(cx.text(resource), key, list) {
        reported.fix("remove externalIPs", edits);
    }
}
