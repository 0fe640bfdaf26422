//! `invalid-network-policy`: a NetworkPolicy the API server rejects.

use crate::fix::Applicability;
use crate::model::network::ProblemKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "invalid-network-policy",
    family: Family::Network,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A NetworkPolicy has a structure the API server rejects, so it never takes effect.",
    docs: docs! {
        what: "Checks NetworkPolicies the way the API server decodes and validates them and reports each \
               problem at the offending line: `ingress`, `egress`, `from`, `to` or `ports` written as a mapping \
               where a list is required; a rule, peer or port that is not a mapping; an empty peer; an \
               `ipBlock` combined with selectors, with an invalid cidr, or with an `except` outside its \
               cidr; a port outside 1-65535, a quoted number (read as a port name), an invalid port name, an \
               `endPort` without a numeric port or below it; a protocol other than TCP, UDP or SCTP; \
               `policyTypes` values other than Ingress and Egress; invalid label selectors (unknown \
               operators, `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values). The other network \
               rules ignore a rejected policy: it isolates nothing, so a namespace that relies on it has no \
               default deny.",
        why: "A rejected policy does not exist in the cluster. When it is applied in a batch, the apply fails \
              (or, with server-side apply of many objects, the rest goes through), and the pods it was meant \
              to protect stay open. Copied examples carry such mistakes: the NSA/CISA hardening guide's \
              egress example writes `egress:` as a mapping.",
        fail: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-external-egress
spec:
  podSelector: {}
  policyTypes:
  - Egress
  egress:
    to:
    - namespaceSelector: {}
"#,
        pass: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-external-egress
spec:
  podSelector: {}
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector: {}
"#,
        fix: "Write `ingress`, `egress`, `from`, `to` and `ports` as lists (`- ` items), ports as unquoted numbers \
              or container port names, and one kind of peer per list item. The automatic fix turns a \
              mapping written where a list is required into a one-item list.",
        references: &[
            "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for policy in &cx.model.network().policies {
        let Some(resource) = cx.model.resource(policy.resource) else { continue };
        for p in &policy.problems {
            let (message, help) = describe(&p.kind);
            let reported = sink.report(resource, p.node.span(), p.path.clone(), message, help);
            if let Some(edits) = p.wrap.and_then(|map| crate::fix::wrap_in_list(cx.text(resource), map)) {
                reported.fix("make it a one-item list", edits);
            }
        }
    }
}

/// The message and help of a problem.
fn describe(kind: &ProblemKind) -> (String, String) {
    const REJECTS: &str = "the API server rejects this NetworkPolicy";
    let shape = |mapping: bool| if mapping { "a mapping" } else { "a single value" };
    let (message, help): (String, &str) = match kind {
        ProblemKind::SpecNotMap => (
            "`spec` must be a mapping".into(),
            "write spec as a mapping with podSelector, policyTypes, ingress and egress",
        ),
        ProblemKind::RulesNotList { direction, mapping } => {
            let key = direction.lower();
            return (
                format!("`{key}` must be a list of rules, not {}: {REJECTS}", shape(*mapping)),
                format!(
                    "write each {key} rule as a list item: `{key}:` then `- {}: [...]` (and `ports:` in the same item)",
                    direction.peers_field()
                ),
            );
        }
        ProblemKind::PolicyTypesNotList => (
            "`policyTypes` must be a list (`[Ingress]`, `[Egress]` or `[Ingress, Egress]`)".into(),
            "write policyTypes as a list, such as `policyTypes: [Ingress, Egress]`",
        ),
        ProblemKind::TooManyPolicyTypes => (
            "`policyTypes` holds at most two values, Ingress and Egress".into(),
            "list Ingress and/or Egress once each",
        ),
        ProblemKind::UnknownPolicyType { value } => (
            format!("policy type {value:?} is not supported: the values are `Ingress` and `Egress` (case-sensitive)"),
            "write Ingress or Egress",
        ),
        ProblemKind::Selector { message } => (
            format!("invalid label selector: {message}"),
            "write a label selector: `{}` (everything), `matchLabels: {key: value}` or `matchExpressions`",
        ),
        ProblemKind::RuleNotMap { direction } => {
            return (
                format!(
                    "a {} rule must be a mapping with `{}` and `ports`",
                    direction.lower(),
                    direction.peers_field()
                ),
                format!("write the rule as `- {}: [...]`", direction.peers_field()),
            );
        }
        ProblemKind::PeersNotList { direction, mapping } => {
            let key = direction.peers_field();
            return (
                format!("`{key}` must be a list of peers, not {}: {REJECTS}", shape(*mapping)),
                format!("write each peer as a list item: `{key}:` then `- podSelector: ...`"),
            );
        }
        ProblemKind::PortsNotList { mapping } => (
            format!("`ports` must be a list, not {}: {REJECTS}", shape(*mapping)),
            "write each port as a list item: `ports:` then `- port: 443` and `protocol: TCP`",
        ),
        ProblemKind::PeerNotMap => (
            "a peer must be a mapping with podSelector, namespaceSelector or ipBlock".into(),
            "write the peer as `- podSelector: {...}`, `- namespaceSelector: {...}` or `- ipBlock: {cidr: ...}`",
        ),
        ProblemKind::EmptyPeer => (
            "a peer must set podSelector, namespaceSelector or ipBlock: an empty peer is rejected".into(),
            "to admit every peer, leave the rule's peer list out; otherwise name the pods, namespaces or addresses",
        ),
        ProblemKind::IpBlockWithSelector => (
            "`ipBlock` cannot be combined with podSelector or namespaceSelector in one peer".into(),
            "put the ipBlock in a peer of its own (a separate `- ipBlock:` item)",
        ),
        ProblemKind::PortNotMap => {
            ("a port must be a mapping with `port` and `protocol`".into(), "write `- port: 443` and `protocol: TCP`")
        }
        ProblemKind::UnknownProtocol { value } => (
            format!("protocol {value:?} is not supported: use TCP, UDP or SCTP (upper case)"),
            "write TCP, UDP or SCTP",
        ),
        ProblemKind::PortOutOfRange { port } => (
            format!("port {port} is outside 1-65535: {REJECTS}"),
            "use a port number between 1 and 65535, or a named container port",
        ),
        ProblemKind::InvalidPortName { name, quoted_number: true } => (
            format!(
                "port {name:?} is quoted, so it is read as a port name, and a name needs a letter: the API server rejects it"
            ),
            "write the port number without quotes",
        ),
        ProblemKind::InvalidPortName { name, quoted_number: false } => (
            format!(
                "port {name:?} is neither a number nor a valid port name (lowercase letters, digits and hyphens, at most 15)"
            ),
            "use a port number or the name of a container port",
        ),
        ProblemKind::PortNotNumberOrName => (
            "`port` must be a number or a port name".into(),
            "write the port number (443) or a container port name (https)",
        ),
        ProblemKind::EndPortNotInteger => {
            ("`endPort` must be an integer".into(), "write the last port of the range, unquoted")
        }
        ProblemKind::EndPortWithoutPort => (
            "`endPort` needs a numeric `port` (the first port of the range)".into(),
            "set port to the first port number of the range",
        ),
        ProblemKind::EndPortOutOfRange { end, start } => (
            format!("endPort {end} must be between port {start} and 65535"),
            "set endPort to the last port of the range, not below port",
        ),
        ProblemKind::IpBlockNotMap => (
            "`ipBlock` must be a mapping with `cidr` (and optional `except`)".into(),
            "write `ipBlock: {cidr: 10.0.0.0/8}`",
        ),
        ProblemKind::NoCidr => ("`ipBlock` needs a `cidr`".into(), "add `cidr: <address>/<prefix>`"),
        ProblemKind::InvalidCidr { text } => (
            format!("{text:?} is not a CIDR: {REJECTS}"),
            "write an address and a prefix length, such as 10.0.0.0/8 or 2001:db8::/32",
        ),
        ProblemKind::ExceptNotList => ("`except` must be a list of CIDRs".into(), "write `except: [10.0.0.0/24]`"),
        ProblemKind::ExceptOutsideCidr { text, cidr } => (
            format!("{text:?} must be a strict subset of the cidr {cidr}"),
            "list only ranges inside the cidr, with a longer prefix",
        ),
        ProblemKind::InvalidExcept { text } => {
            (format!("{text:?} is not a CIDR"), "write an address and a prefix length, such as 10.0.0.0/24")
        }
    };
    (message, help.to_owned())
}
