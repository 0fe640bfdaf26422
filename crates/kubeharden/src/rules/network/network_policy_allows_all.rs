//! `network-policy-allows-all`: a NetworkPolicy rule admits every source or destination.

use crate::model::network::{Direction, head};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "network-policy-allows-all",
    family: Family::Network,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A NetworkPolicy rule admits every source or destination: no from/to, an ipBlock of 0.0.0.0/0 or ::/0, or every pod of every namespace.",
    docs: docs! {
        what: "Reports, in NetworkPolicies the API server accepts, each rule of a direction the policy applies \
               to that admits every peer: a rule without `from`/`to` (or with an empty list, as in `- {}`), \
               at the rule; an `ipBlock` whose cidr is `0.0.0.0/0` or `::/0`, at the cidr; a peer whose \
               `namespaceSelector` matches every namespace (`{}`, or `Exists` on \
               `kubernetes.io/metadata.name`) with no or an empty `podSelector`, at the namespaceSelector. \
               A warning when the rule also admits every port; info when `ports` limits it, and for the \
               every-pod-of-every-namespace peer (traffic from outside the cluster stays blocked). Rules of a \
               direction the policy's `policyTypes` leaves out have no effect and are not reported.",
        why: "A NetworkPolicy that admits everything isolates nothing: the pods it selects look protected in \
              reviews while accepting (or opening) any connection. The NSA/CISA hardening guide asks for \
              policies that allow only the traffic each workload needs.",
        fail: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: gateway}}
  egress:
  - {}
"#,
        pass: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: gateway}}
  egress:
  - to:
    - podSelector: {matchLabels: {app: db}}
    ports:
    - {port: 5432, protocol: TCP}
"#,
        fix: "Name the peers the workload talks to (pods, namespaces, or the narrowest address ranges) and the \
              ports it uses. For internet egress, prefer an egress gateway or proxy over `0.0.0.0/0`.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    let net = cx.model.network();
    for policy in net.policies.iter().filter(|p| p.is_valid()) {
        let Some(resource) = cx.model.resource(policy.resource) else { continue };
        for d in Direction::BOTH {
            if !policy.isolates(d) {
                continue;
            }
            let (noun, prep, every) = match d {
                Direction::Ingress => {
                    ("ingress rule admits connections", "from", "every source, inside and outside the cluster")
                }
                Direction::Egress => {
                    ("egress rule allows connections", "to", "every destination, inside and outside the cluster")
                }
            };
            for rule in policy.rules(d) {
                let ports = rule.ports_note();
                let severity = if rule.ports.is_empty() { Severity::Warning } else { Severity::Info };
                let help = format!(
                    "list the peers in `{}` (pods, namespaces or narrow ipBlocks) and the ports they use",
                    d.peers_field()
                );
                let Some(peers) = &rule.peers else {
                    let why = if rule.node.is_null() || rule.node.field(d.peers_field()).is_none() {
                        format!("no `{}`", d.peers_field())
                    } else {
                        format!("an empty `{}`", d.peers_field())
                    };
                    sink.report(
                        resource,
                        head(rule.node).span(),
                        rule.path.clone(),
                        format!("{noun}{ports} {prep} {every} ({why})"),
                        help.clone(),
                    )
                    .severity(severity);
                    continue;
                };
                for peer in peers {
                    if let Some(block) = peer.ip_block.as_ref().filter(|b| b.prefix == 0) {
                        let except = if block.except.is_empty() {
                            String::new()
                        } else {
                            format!(" except {}", block.except.join(", "))
                        };
                        let family = if block.cidr_text.contains(':') { "IPv6" } else { "IPv4" };
                        sink.report(
                            resource,
                            block.cidr.span(),
                            format!("{}.ipBlock.cidr", peer.path),
                            format!("{noun}{ports} {prep} every {family} address ({}{except})", block.cidr_text),
                            help.clone(),
                        )
                        .severity(severity);
                    } else if peer.all_pods_everywhere() {
                        let Some(node) = peer.namespace_selector_node else { continue };
                        sink.report(
                            resource,
                            head(node).span(),
                            format!("{}.namespaceSelector", peer.path),
                            format!("{noun}{ports} {prep} every pod of every namespace"),
                            help.clone(),
                        )
                        .severity(Severity::Info);
                    }
                }
            }
        }
    }
}
