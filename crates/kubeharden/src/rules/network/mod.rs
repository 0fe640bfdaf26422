//! Rules of the `network` family, and what they share: which namespaces have workloads in the
//! input, and where a finding about a namespace points.
//!
//! A namespace-level finding (`missing-default-deny-*`) points at the Namespace object's
//! `metadata.name` when the input has it; otherwise at the first workload of that namespace in
//! the input, at its `metadata.namespace` (or at its `metadata` key when the namespace is
//! defaulted), since that is where the namespace is named.

pub mod ingress_without_tls;
pub mod invalid_network_policy;
pub mod mesh_mtls_not_strict;
pub mod missing_default_deny_egress;
pub mod missing_default_deny_ingress;
pub mod network_policy_allows_all;
pub mod network_policy_selects_nothing;
pub mod node_port_out_of_range;
pub mod pod_not_isolated;
pub mod service_external_ips;
pub mod service_node_port;

use std::collections::BTreeMap;

use super::{Cx, Rule, Sink};
use crate::model::network::{Default, Direction};
use crate::model::pod::runs_pods;
use crate::model::{Model, Resource};
use crate::source::{ByteSpan, NodeRef};

pub static RULES: &[&Rule] = &[
    &missing_default_deny_ingress::RULE,
    &missing_default_deny_egress::RULE,
    &pod_not_isolated::RULE,
    &network_policy_allows_all::RULE,
    &network_policy_selects_nothing::RULE,
    &invalid_network_policy::RULE,
    &service_node_port::RULE,
    &node_port_out_of_range::RULE,
    &service_external_ips::RULE,
    &ingress_without_tls::RULE,
    &mesh_mtls_not_strict::RULE,
];

/// Workloads whose pods NetworkPolicies can isolate (they run pods, not on the host network),
/// by namespace, in input order.
pub fn workloads_by_namespace<'m, 's>(model: &'m Model<'s>) -> BTreeMap<&'s str, Vec<&'m Resource<'s>>> {
    let mut out: BTreeMap<&'s str, Vec<&'m Resource<'s>>> = BTreeMap::new();
    let isolatable = |r: &Resource<'_>, p: &crate::model::PodSpec<'_>| {
        runs_pods(r) && p.field("hostNetwork").and_then(|v| v.bool()) != Some(true)
    };
    for (r, _) in model.workloads().filter(|(r, p)| isolatable(r, p)) {
        out.entry(r.namespace()).or_default().push(r);
    }
    out
}

/// Where a finding about a namespace points: the resource, span and path.
pub fn namespace_anchor<'m, 's>(
    model: &'m Model<'s>,
    ns: &str,
    first_workload: &'m Resource<'s>,
) -> (&'m Resource<'s>, ByteSpan, String) {
    if let Some(object) = model.index.namespaces.get(ns).and_then(|id| model.resource(*id))
        && let Some(name) = object.metadata().and_then(|m| m.get("name"))
    {
        return (object, name.span(), object.path("metadata.name"));
    }
    let r = first_workload;
    if let Some(value) = r.metadata().and_then(|m| m.get("namespace")).filter(|v| !v.is_null()) {
        return (r, value.span(), r.path("metadata.namespace"));
    }
    let at = r.node.entry("metadata").map_or_else(|| first_key(r.node), |(k, _)| k);
    (r, at.span(), r.path("metadata.namespace"))
}

fn first_key(node: NodeRef<'_>) -> NodeRef<'_> {
    node.entries().next().map_or(node, |(k, _)| k)
}

/// `missing-default-deny-ingress` and `-egress`: one check, two directions.
pub fn report_missing_default_deny(cx: &Cx<'_, '_>, sink: &mut Sink, d: Direction) {
    let net = cx.model.network();
    for (ns, workloads) in workloads_by_namespace(cx.model) {
        let Some(first) = workloads.first() else { continue };
        let default = net.default_for(ns, d);
        let detail = match default {
            Default::Deny(_) => continue,
            Default::AllowAll(p) => {
                format!("NetworkPolicy {:?} selects every pod but admits all {} traffic", p.name, d.lower())
            }
            Default::Missing => {
                let count = workloads.len();
                let what = match d {
                    Direction::Ingress => "pods that no policy selects accept connections from anywhere",
                    Direction::Egress => "pods that no policy selects can connect anywhere",
                };
                let mut parts =
                    vec![format!("{what} ({count} workload{} in the input)", if count == 1 { "" } else { "s" })];
                for p in net.in_namespace(ns) {
                    if !p.is_valid() {
                        parts.push(format!("NetworkPolicy {:?} would be rejected by the API server", p.name));
                    } else if p.pod_selector.is_everything() && !p.isolates(d) {
                        parts.push(format!("NetworkPolicy {:?} selects every pod but not for {}", p.name, d.as_str()));
                    }
                }
                parts.join("; ")
            }
        };
        let (resource, span, path) = namespace_anchor(cx.model, ns, first);
        let reported = sink.report(
            resource,
            span,
            path,
            format!("namespace {ns} has no default-deny {} policy: {detail}", d.lower()),
            match d {
                Direction::Ingress => {
                    "add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]`, then allow what each workload must receive"
                }
                Direction::Egress => {
                    "add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Egress]`, then allow DNS and what each workload must reach"
                }
            },
        );
        let name = format!("default-deny-{}", d.lower());
        let taken = net.in_namespace(ns).any(|p| p.name == name);
        let text = cx.text(resource);
        let yaml = !text.trim_start().starts_with(['{', '[']);
        // Adding a deny policy does not help while another policy admits everything.
        if !taken && yaml && matches!(default, Default::Missing) {
            let lines = [
                "apiVersion: networking.k8s.io/v1",
                "kind: NetworkPolicy",
                "metadata:",
                &format!("  name: {name}"),
                &format!("  namespace: {ns}"),
                "spec:",
                "  podSelector: {}",
                "  policyTypes:",
                &format!("  - {}", d.as_str()),
            ];
            reported.fix(
                format!("add a default-deny {} NetworkPolicy for namespace {ns}", d.lower()),
                crate::fix::append_document(text, &lines),
            );
        }
    }
}
