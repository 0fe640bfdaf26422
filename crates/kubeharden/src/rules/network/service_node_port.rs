//! `service-node-port`: a Service of type NodePort or LoadBalancer exposes pods outside the cluster.

use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "service-node-port",
    family: Family::Network,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "A Service of type NodePort or LoadBalancer exposes its pods outside the cluster.",
    docs: docs! {
        what: "Reports Services whose `spec.type` is `NodePort` or `LoadBalancer`, at the type, naming the ports, \
               whether the load balancer is internal (by the usual cloud annotations) and any \
               `loadBalancerSourceRanges`. A LoadBalancer also opens node ports unless \
               `allocateLoadBalancerNodePorts: false`.",
        why: "A NodePort opens the port on every node's address, bypassing any ingress controller and its \
              authentication or TLS; a LoadBalancer puts the pods on the network the load balancer faces, \
              often the internet. The NSA/CISA hardening guide asks to expose only what must be reachable \
              from outside and to restrict who can reach it. This is information to review, not a defect.",
        fail: r#"apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
"#,
        pass: r#"apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
"#,
        fix: "Use a ClusterIP Service behind an Ingress or Gateway that terminates TLS. When a LoadBalancer is \
              intended, restrict `loadBalancerSourceRanges` and consider an internal load balancer.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["kube-linter:exposed-services", "checkov:CKV_K8S_152"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: None,
};

const INTERNAL_LB: &[(&str, &str)] = &[
    ("service.beta.kubernetes.io/aws-load-balancer-internal", "true"),
    ("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"),
    ("service.beta.kubernetes.io/azure-load-balancer-internal", "true"),
    ("networking.gke.io/load-balancer-type", "Internal"),
    ("cloud.google.com/load-balancer-type", "Internal"),
    ("service.beta.kubernetes.io/openstack-internal-load-balancer", "true"),
];

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if !resource.is("", "Service") {
        return;
    }
    let Some(spec) = resource.node.field("spec") else { return };
    let Some(ty) = spec.field("type") else { return };
    let kind = ty.str().unwrap_or_default();
    if kind != "NodePort" && kind != "LoadBalancer" {
        return;
    }
    let ports: Vec<String> = spec
        .field("ports")
        .map(|l| {
            l.items()
                .filter_map(|p| {
                    let port = p.field("port").and_then(|v| v.str())?;
                    Some(match p.field("nodePort").and_then(|v| v.str()) {
                        Some(np) if kind == "NodePort" => format!("{port} (node port {np})"),
                        _ => port.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let ports = if ports.is_empty() { "its ports".to_owned() } else { format!("port {}", ports.join(", ")) };
    let message = if kind == "NodePort" {
        format!("Service type NodePort exposes {ports} on every node's address")
    } else {
        let internal =
            INTERNAL_LB.iter().any(|(k, v)| resource.annotation(k).is_some_and(|a| a.eq_ignore_ascii_case(v)));
        let ranges: Vec<&str> = spec
            .field("loadBalancerSourceRanges")
            .map(|l| l.items().filter_map(|v| v.str()).collect())
            .unwrap_or_default();
        let nodes = spec.field("allocateLoadBalancerNodePorts").and_then(|v| v.bool()) != Some(false);
        format!(
            "Service type LoadBalancer exposes {ports} through {} load balancer{}{}",
            if internal { "an internal" } else { "an external" },
            if ranges.is_empty() { String::new() } else { format!(" (limited to {})", ranges.join(", ")) },
            if nodes { " and on every node's address" } else { "" }
        )
    };
    sink.report(
        resource,
        ty.span(),
        resource.path("spec.type"),
        message,
        "use a ClusterIP Service behind an Ingress or Gateway, or restrict loadBalancerSourceRanges if the exposure is intended",
    );
}
