//! NetworkPolicies of the input: their structure as the API server validates it, which pods
//! they select, which directions they isolate, and what each namespace's defaults are.
//!
//! Semantics (networking.k8s.io/v1):
//! - `spec.podSelector` selects pods in the policy's namespace; absent or `{}` selects all.
//! - `policyTypes` unset means `[Ingress]`, plus `Egress` when `egress` has at least one rule.
//! - A pod selected by a policy for a direction is isolated in that direction: only what some
//!   rule of some policy selecting it admits gets through. Rules add up.
//! - A rule without `from`/`to` (or with an empty list) admits every peer; without `ports`,
//!   every port.
//! - A peer with `namespaceSelector` selects pods in the namespaces it matches (with
//!   `podSelector`, only those pods); `podSelector` alone selects pods of the policy's
//!   namespace; `ipBlock` selects addresses.
//!
//! A policy the API server would reject never exists in the cluster: it isolates nothing and
//! admits nothing, so the other network rules leave it out and `invalid-network-policy` says why.

mod cidr;
mod read;

use std::collections::BTreeMap;

pub use read::is_port_name;
use read::read_policy;

use super::Model;
use super::resource::ResourceId;
use super::selector::{Labels, Selector, Tri};
use crate::source::NodeRef;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub const BOTH: [Direction; 2] = [Direction::Ingress, Direction::Egress];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }

    pub fn lower(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// `from` or `to`.
    pub fn peers_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

/// A problem the API server rejects, at the offending node. The model says what is wrong;
/// `invalid-network-policy` says it in words.
#[derive(Clone, Debug)]
pub struct Problem<'s> {
    pub node: NodeRef<'s>,
    pub path: String,
    pub kind: ProblemKind,
    /// A mapping written where a list is required: wrapping it in a list fixes it.
    pub wrap: Option<NodeRef<'s>>,
}

/// What the API server rejects in a NetworkPolicy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    SpecNotMap,
    /// `ingress` or `egress` is not a list (`mapping`: it is a mapping, else a single value).
    RulesNotList {
        direction: Direction,
        mapping: bool,
    },
    PolicyTypesNotList,
    TooManyPolicyTypes,
    UnknownPolicyType {
        value: String,
    },
    /// A label selector the API server rejects, as the selector model describes it.
    Selector {
        message: String,
    },
    RuleNotMap {
        direction: Direction,
    },
    /// `from` or `to` is not a list.
    PeersNotList {
        direction: Direction,
        mapping: bool,
    },
    PortsNotList {
        mapping: bool,
    },
    PeerNotMap,
    EmptyPeer,
    IpBlockWithSelector,
    PortNotMap,
    UnknownProtocol {
        value: String,
    },
    PortOutOfRange {
        port: i64,
    },
    /// A string port that is no valid port name; `quoted_number` when it is a quoted number.
    InvalidPortName {
        name: String,
        quoted_number: bool,
    },
    PortNotNumberOrName,
    EndPortNotInteger,
    EndPortWithoutPort,
    EndPortOutOfRange {
        end: i64,
        start: i64,
    },
    IpBlockNotMap,
    NoCidr,
    InvalidCidr {
        text: String,
    },
    ExceptNotList,
    ExceptOutsideCidr {
        text: String,
        cidr: String,
    },
    InvalidExcept {
        text: String,
    },
}

#[derive(Clone, Debug)]
pub struct IpBlock<'s> {
    pub cidr: NodeRef<'s>,
    pub cidr_text: &'s str,
    pub prefix: u8,
    pub except: Vec<&'s str>,
}

#[derive(Clone, Debug)]
pub struct Peer<'s> {
    pub node: NodeRef<'s>,
    pub path: String,
    /// `None` when absent (nil pointer).
    pub pod_selector: Option<Selector<'s>>,
    pub namespace_selector: Option<Selector<'s>>,
    pub namespace_selector_node: Option<NodeRef<'s>>,
    pub ip_block: Option<IpBlock<'s>>,
}

impl Peer<'_> {
    /// Every pod of every namespace: a namespaceSelector matching every namespace, with no
    /// podSelector or an empty one.
    pub fn all_pods_everywhere(&self) -> bool {
        self.namespace_selector.as_ref().is_some_and(Selector::selects_every_namespace)
            && self.pod_selector.as_ref().is_none_or(Selector::is_everything)
    }
}

#[derive(Clone, Debug)]
pub struct Port<'s> {
    pub node: NodeRef<'s>,
    /// `80/TCP`, `8000-9000/TCP`, `http/TCP`, `all/UDP`.
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct NetRule<'s> {
    pub node: NodeRef<'s>,
    pub path: String,
    /// `None`: no `from`/`to` or an empty list, which admits every peer.
    pub peers: Option<Vec<Peer<'s>>>,
    /// Empty: every port.
    pub ports: Vec<Port<'s>>,
}

impl NetRule<'_> {
    /// `" on 80/TCP, 443/TCP"` or `""` for every port.
    pub fn ports_note(&self) -> String {
        if self.ports.is_empty() {
            String::new()
        } else {
            let labels: Vec<&str> = self.ports.iter().map(|p| p.label.as_str()).collect();
            format!(" on {}", labels.join(", "))
        }
    }
}

#[derive(Debug)]
pub struct Policy<'s> {
    pub resource: ResourceId,
    pub namespace: &'s str,
    pub name: &'s str,
    pub pod_selector: Selector<'s>,
    /// The `podSelector` value, or the `spec` key when it is absent.
    pub pod_selector_anchor: NodeRef<'s>,
    pub spec_path: String,
    pub ingress_isolated: bool,
    pub egress_isolated: bool,
    pub ingress: Vec<NetRule<'s>>,
    pub egress: Vec<NetRule<'s>>,
    /// What the API server rejects; a policy with problems is left out of the analysis.
    pub problems: Vec<Problem<'s>>,
}

impl<'s> Policy<'s> {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn isolates(&self, d: Direction) -> bool {
        match d {
            Direction::Ingress => self.ingress_isolated,
            Direction::Egress => self.egress_isolated,
        }
    }

    pub fn rules(&self, d: Direction) -> &[NetRule<'s>] {
        match d {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// A rule of this direction admits every peer on every port.
    pub fn admits_all(&self, d: Direction) -> bool {
        self.isolates(d) && self.rules(d).iter().any(rule_admits_all)
    }
}

/// Every peer on every port: no peers, or a peer that is every address.
pub fn rule_admits_all(rule: &NetRule<'_>) -> bool {
    rule.ports.is_empty()
        && match &rule.peers {
            None => true,
            Some(peers) => {
                peers.iter().any(|p| p.ip_block.as_ref().is_some_and(|b| b.prefix == 0 && b.except.is_empty()))
            }
        }
}

/// What a namespace's policies do by default in one direction.
#[derive(Debug, Clone, Copy)]
pub enum Default<'a, 's> {
    /// Every pod is isolated and no policy selecting every pod admits everything.
    Deny(&'a Policy<'s>),
    /// A policy selects every pod but admits everything in that direction.
    AllowAll(&'a Policy<'s>),
    /// No policy selects every pod for that direction.
    Missing,
}

#[derive(Debug, Default)]
pub struct Network<'s> {
    pub policies: Vec<Policy<'s>>,
    by_namespace: BTreeMap<&'s str, Vec<usize>>,
}

impl<'s> Network<'s> {
    pub fn build(model: &Model<'s>) -> Self {
        let mut net = Network::default();
        for r in model.resources.iter().filter(|r| r.is("networking.k8s.io", "NetworkPolicy")) {
            let policy = read_policy(r);
            net.by_namespace.entry(policy.namespace).or_default().push(net.policies.len());
            net.policies.push(policy);
        }
        net
    }

    /// Every policy of a namespace, valid or not.
    pub fn in_namespace<'a>(&'a self, ns: &str) -> impl Iterator<Item = &'a Policy<'s>> + 'a {
        self.by_namespace.get(ns).map(Vec::as_slice).unwrap_or(&[]).iter().filter_map(|&i| self.policies.get(i))
    }

    /// The policies of a namespace the API server accepts.
    pub fn valid_in<'a>(&'a self, ns: &str) -> impl Iterator<Item = &'a Policy<'s>> + 'a {
        self.in_namespace(ns).filter(|p| p.is_valid())
    }

    pub fn default_for(&self, ns: &str, d: Direction) -> Default<'_, 's> {
        let all: Vec<&Policy<'s>> =
            self.valid_in(ns).filter(|p| p.isolates(d) && p.pod_selector.is_everything()).collect();
        if let Some(p) = all.iter().find(|p| p.admits_all(d)) {
            return Default::AllowAll(p);
        }
        all.first().map_or(Default::Missing, |p| Default::Deny(p))
    }

    /// Whether some valid policy of the namespace selects pods with these labels.
    pub fn selected(&self, ns: &str, labels: &Labels<'_>) -> Tri {
        self.valid_in(ns).fold(Tri::No, |acc, p| acc.or(p.pod_selector.matches(labels)))
    }
}

pub(super) fn problem<'s>(out: &mut Vec<Problem<'s>>, node: NodeRef<'s>, path: String, kind: ProblemKind) {
    out.push(Problem { node, path, kind, wrap: None });
}

/// Where a finding about a node points: a block mapping or list is long, so its first key
/// (or item) stands for it.
pub fn head(node: NodeRef<'_>) -> NodeRef<'_> {
    if node.is_map()
        && let Some((k, _)) = node.entries().next()
    {
        return k;
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Limits, ParsedSource, Source, parse};

    fn sources(text: &str) -> Vec<ParsedSource> {
        vec![parse(&Source::new("t.yaml", text), &Limits::default())]
    }

    const HEAD: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\n";

    fn policy(spec: &str) -> (bool, bool, Vec<ProblemKind>) {
        let src = sources(&format!("{HEAD}spec:\n{spec}"));
        let model = Model::build(&src);
        let p = &model.network().policies[0];
        (p.ingress_isolated, p.egress_isolated, p.problems.iter().map(|x| x.kind.clone()).collect())
    }

    #[test]
    fn policy_types_default_from_rules() {
        assert_eq!(policy("  podSelector: {}\n"), (true, false, vec![]));
        assert_eq!(policy("  podSelector: {}\n  egress: [{}]\n"), (true, true, vec![]));
        assert_eq!(policy("  podSelector: {}\n  egress: []\n"), (true, false, vec![]));
        assert_eq!(policy("  podSelector: {}\n  policyTypes: [Egress]\n"), (false, true, vec![]));
        assert_eq!(policy("  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n"), (false, true, vec![]));
    }

    #[test]
    fn structure_errors() {
        let (_, _, p) = policy("  podSelector: {}\n  egress:\n    to:\n    - namespaceSelector: {}\n");
        assert_eq!(p, vec![ProblemKind::RulesNotList { direction: Direction::Egress, mapping: true }]);
        let s = |t: &str| t.to_owned();
        for (bad, expected) in [
            (
                "  ingress:\n  - from: {podSelector: {}}\n",
                ProblemKind::PeersNotList { direction: Direction::Ingress, mapping: true },
            ),
            ("  ingress:\n  - ports: {port: 80}\n", ProblemKind::PortsNotList { mapping: true }),
            ("  ingress:\n  - ports: [{port: 70000}]\n", ProblemKind::PortOutOfRange { port: 70000 }),
            (
                "  ingress:\n  - ports: [{port: \"80\"}]\n",
                ProblemKind::InvalidPortName { name: s("80"), quoted_number: true },
            ),
            ("  ingress:\n  - ports: [{port: 80, protocol: tcp}]\n", ProblemKind::UnknownProtocol { value: s("tcp") }),
            ("  ingress:\n  - ports: [{port: http, endPort: 90}]\n", ProblemKind::EndPortWithoutPort),
            (
                "  ingress:\n  - ports: [{port: 90, endPort: 80}]\n",
                ProblemKind::EndPortOutOfRange { end: 80, start: 90 },
            ),
            ("  ingress:\n  - from: [{}]\n", ProblemKind::EmptyPeer),
            (
                "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]\n",
                ProblemKind::InvalidCidr { text: s("10.0.0.0/33") },
            ),
            (
                "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}}]\n",
                ProblemKind::ExceptOutsideCidr { text: s("192.168.0.0/16"), cidr: s("10.0.0.0/8") },
            ),
            (
                "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]\n",
                ProblemKind::IpBlockWithSelector,
            ),
            ("  policyTypes: [ingress]\n", ProblemKind::UnknownPolicyType { value: s("ingress") }),
            ("  policyTypes: Ingress\n", ProblemKind::PolicyTypesNotList),
        ] {
            let problems = policy(bad).2;
            assert!(problems.contains(&expected), "{bad}: {problems:?}");
        }
        let selector = policy("  podSelector: {matchExpressions: [{key: a, operator: In}]}\n").2;
        assert!(matches!(selector.as_slice(), [ProblemKind::Selector { .. }]), "{selector:?}");
        for good in [
            "  ingress:\n  - ports: [{port: 8000, endPort: 9000}, {port: http-alt}, {protocol: UDP}]\n",
            "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}, {ipBlock: {cidr: '::/0'}}]\n",
            "  ingress:\n  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {a: b}}}]\n",
        ] {
            assert_eq!(policy(good).2, Vec::<ProblemKind>::new(), "{good}");
        }
    }

    #[test]
    fn port_names() {
        assert!(is_port_name("http"));
        assert!(is_port_name("h2c-1"));
        assert!(!is_port_name("80"));
        assert!(!is_port_name("HTTP"));
        assert!(!is_port_name("-a"));
        assert!(!is_port_name("a--b"));
        assert!(!is_port_name("abcdefghijklmnop"));
    }

    #[test]
    fn default_deny_needs_every_pod_and_no_allow_all() {
        let text = format!(
            "{HEAD}spec:\n  podSelector: {{}}\n  policyTypes: [Ingress, Egress]\n---\n{}spec:\n  podSelector: {{}}\n  egress: [{{}}]\n",
            HEAD.replace("name: p,", "name: q,")
        );
        let src = sources(&text);
        let model = Model::build(&src);
        let net = model.network();
        assert!(matches!(net.default_for("a", Direction::Ingress), Default::Deny(_)));
        assert!(matches!(net.default_for("a", Direction::Egress), Default::AllowAll(_)));
        assert!(matches!(net.default_for("b", Direction::Ingress), Default::Missing));
    }
}
