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

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::pod::PodSpec;
use super::resource::{Resource, ResourceId};
use super::selector::{Absent, Labels, NAMESPACE_NAME_LABEL, Selector, SelectorError, Tri};
use super::{Model, join_path};
use crate::source::NodeRef;
use crate::source::scalar::Scalar;

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

/// A problem the API server rejects, at the offending node.
#[derive(Clone, Debug)]
pub struct Problem<'s> {
    pub node: NodeRef<'s>,
    pub path: String,
    pub message: String,
    pub help: String,
    /// A mapping written where a list is required: wrapping it in a list fixes it.
    pub wrap: Option<NodeRef<'s>>,
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

/// The labels a workload's pods carry: the template's, plus the ones the controller adds.
pub fn pod_labels<'s>(resource: &Resource<'s>, pod: &PodSpec<'s>) -> Labels<'s> {
    const DEPLOYMENT: &[&str] = &["pod-template-hash"];
    const STATEFULSET: &[&str] =
        &["controller-revision-hash", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index"];
    const DAEMONSET: &[&str] = &["controller-revision-hash", "pod-template-generation"];
    const JOB: &[&str] = &[
        "controller-uid",
        "job-name",
        "batch.kubernetes.io/controller-uid",
        "batch.kubernetes.io/job-name",
        "batch.kubernetes.io/job-completion-index",
    ];
    let unknown: &'static [&'static str] = match resource.kind() {
        "Deployment" | "Rollout" => DEPLOYMENT,
        "StatefulSet" => STATEFULSET,
        "DaemonSet" => DAEMONSET,
        "Job" | "CronJob" => JOB,
        _ => &[],
    };
    Labels { map: pod.labels(), fixed: Vec::new(), unknown, open: false }
}

/// The labels of a namespace: the Namespace object's when the input has it (plus the
/// automatic name label), else only the name label with every other label unknown.
pub fn namespace_labels<'s>(model: &Model<'s>, ns: &'s str) -> Labels<'s> {
    let object = model.index.namespaces.get(ns).and_then(|id| model.resource(*id));
    Labels {
        map: object.and_then(|o| o.labels()),
        fixed: vec![(NAMESPACE_NAME_LABEL, ns)],
        unknown: &[],
        open: object.is_none(),
    }
}

/// Workloads whose pods run (not `PodTemplate`, which only stores a template).
pub fn runs_pods(resource: &Resource<'_>) -> bool {
    !resource.is("", "PodTemplate")
}

/// API groups whose kinds run no pods of their own beyond the workload kinds the model
/// knows, and well-known custom resources that run no pods: a namespace holding only these
/// shows all its pods in the input.
pub fn may_run_unseen_pods(resource: &Resource<'_>) -> bool {
    let group = resource.group();
    let builtin = group.is_empty()
        || !group.contains('.')
        || group.ends_with(".k8s.io")
        || group == "argoproj.io" && resource.kind() == "Rollout";
    if builtin {
        return false;
    }
    let kind = resource.kind();
    let passive = match group {
        "monitoring.coreos.com" => {
            matches!(
                kind,
                "ServiceMonitor" | "PodMonitor" | "Probe" | "PrometheusRule" | "AlertmanagerConfig" | "ScrapeConfig"
            )
        }
        "cert-manager.io" => matches!(kind, "Certificate" | "Issuer" | "ClusterIssuer" | "CertificateRequest"),
        "networking.istio.io" | "security.istio.io" | "telemetry.istio.io" => true,
        "gateway.networking.k8s.io" | "policy.linkerd.io" => true,
        "apiextensions.k8s.io" | "admissionregistration.k8s.io" => true,
        "argoproj.io" => matches!(kind, "AppProject" | "Application" | "ApplicationSet"),
        _ => false,
    };
    !passive
}

fn problem<'s>(out: &mut Vec<Problem<'s>>, node: NodeRef<'s>, path: String, message: String, help: &str) {
    out.push(Problem { node, path, message, help: help.to_owned(), wrap: None });
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

fn read_policy<'s>(r: &Resource<'s>) -> Policy<'s> {
    let mut problems = Vec::new();
    let spec_entry = r.node.entry("spec");
    let spec = spec_entry.map(|(_, v)| v).filter(|v| !v.is_null());
    let spec_path = r.path("spec");
    let anchor_default = spec_entry.map_or_else(|| head(r.node), |(k, _)| k);
    let mut policy = Policy {
        resource: r.id,
        namespace: r.namespace(),
        name: r.name(),
        pod_selector: Selector::everything(),
        pod_selector_anchor: anchor_default,
        spec_path: spec_path.clone(),
        ingress_isolated: true,
        egress_isolated: false,
        ingress: Vec::new(),
        egress: Vec::new(),
        problems: Vec::new(),
    };
    let Some(spec) = spec else {
        // `spec` absent: every field takes its zero value (select all, isolate ingress).
        policy.problems = problems;
        return policy;
    };
    if !spec.is_map() {
        problem(
            &mut problems,
            spec,
            spec_path,
            "`spec` must be a mapping".into(),
            "write spec as a mapping with podSelector, policyTypes, ingress and egress",
        );
        policy.problems = problems;
        return policy;
    }
    let ps_node = spec.get("podSelector");
    let (selector, errors) = Selector::parse(ps_node, Absent::Everything);
    selector_problems(&mut problems, errors, &join_path(&spec_path, "podSelector"));
    policy.pod_selector = selector;
    if let Some(n) = ps_node.filter(|n| !n.is_null()) {
        policy.pod_selector_anchor = n;
    }
    for d in Direction::BOTH {
        let key = d.lower();
        let path = join_path(&spec_path, key);
        let Some(list) = spec.field(key) else { continue };
        if !list.is_seq() {
            let shape = if list.is_map() { "a mapping" } else { "a single value" };
            problem(
                &mut problems,
                head(list),
                path,
                format!("`{key}` must be a list of rules, not {shape}: the API server rejects this NetworkPolicy"),
                &format!(
                    "write each {key} rule as a list item: `{key}:` then `- {}: [...]` (and `ports:` in the same item)",
                    d.peers_field()
                ),
            );
            if let Some(p) = problems.last_mut().filter(|_| list.is_map()) {
                p.wrap = Some(list);
            }
            continue;
        }
        let mut rules = Vec::new();
        for (i, item) in list.items().enumerate() {
            if let Some(rule) = read_rule(item, &format!("{path}[{i}]"), d, &mut problems) {
                rules.push(rule);
            }
        }
        match d {
            Direction::Ingress => policy.ingress = rules,
            Direction::Egress => policy.egress = rules,
        }
    }
    // policyTypes and its defaulting.
    let egress_written = spec.field("egress").is_some_and(|e| e.is_seq() && !e.is_empty());
    match spec.field("policyTypes") {
        None => {
            policy.ingress_isolated = true;
            policy.egress_isolated = egress_written;
        }
        Some(types) if !types.is_seq() => problem(
            &mut problems,
            head(types),
            join_path(&spec_path, "policyTypes"),
            "`policyTypes` must be a list (`[Ingress]`, `[Egress]` or `[Ingress, Egress]`)".into(),
            "write policyTypes as a list, such as `policyTypes: [Ingress, Egress]`",
        ),
        Some(types) if types.is_empty() => {
            policy.ingress_isolated = true;
            policy.egress_isolated = egress_written;
        }
        Some(types) => {
            policy.ingress_isolated = false;
            policy.egress_isolated = false;
            if types.len() > 2 {
                problem(
                    &mut problems,
                    types,
                    join_path(&spec_path, "policyTypes"),
                    "`policyTypes` holds at most two values, Ingress and Egress".into(),
                    "list Ingress and/or Egress once each",
                );
            }
            for (i, t) in types.items().enumerate() {
                match t.string() {
                    Some("Ingress") => policy.ingress_isolated = true,
                    Some("Egress") => policy.egress_isolated = true,
                    _ => problem(
                        &mut problems,
                        t,
                        join_path(&spec_path, &format!("policyTypes[{i}]")),
                        format!(
                            "policy type {:?} is not supported: the values are `Ingress` and `Egress` (case-sensitive)",
                            t.str().unwrap_or_default()
                        ),
                        "write Ingress or Egress",
                    ),
                }
            }
        }
    }
    policy.problems = problems;
    policy
}

fn selector_problems<'s>(out: &mut Vec<Problem<'s>>, errors: Vec<SelectorError<'s>>, base: &str) {
    for e in errors {
        problem(
            out,
            e.node,
            join_path(base, &e.rel),
            format!("invalid label selector: {}", e.message),
            "write a label selector: `{}` (everything), `matchLabels: {key: value}` or `matchExpressions`",
        );
    }
}

fn read_rule<'s>(item: NodeRef<'s>, path: &str, d: Direction, problems: &mut Vec<Problem<'s>>) -> Option<NetRule<'s>> {
    if !item.is_map() && !item.is_null() {
        problem(
            problems,
            item,
            path.to_owned(),
            format!("a {} rule must be a mapping with `{}` and `ports`", d.lower(), d.peers_field()),
            &format!("write the rule as `- {}: [...]`", d.peers_field()),
        );
        return None;
    }
    let peers_key = d.peers_field();
    let peers = match item.field(peers_key) {
        None => None,
        Some(list) if !list.is_seq() => {
            let shape = if list.is_map() { "a mapping" } else { "a single value" };
            problem(
                problems,
                head(list),
                join_path(path, peers_key),
                format!(
                    "`{peers_key}` must be a list of peers, not {shape}: the API server rejects this NetworkPolicy"
                ),
                &format!("write each peer as a list item: `{peers_key}:` then `- podSelector: ...`"),
            );
            if let Some(p) = problems.last_mut().filter(|_| list.is_map()) {
                p.wrap = Some(list);
            }
            None
        }
        Some(list) if list.is_empty() => None,
        Some(list) => Some(
            list.items()
                .enumerate()
                .filter_map(|(i, p)| read_peer(p, &join_path(path, &format!("{peers_key}[{i}]")), problems))
                .collect(),
        ),
    };
    let mut ports = Vec::new();
    if let Some(list) = item.field("ports") {
        if list.is_seq() {
            for (i, p) in list.items().enumerate() {
                if let Some(port) = read_port(p, &join_path(path, &format!("ports[{i}]")), problems) {
                    ports.push(port);
                }
            }
        } else {
            let shape = if list.is_map() { "a mapping" } else { "a single value" };
            problem(
                problems,
                head(list),
                join_path(path, "ports"),
                format!("`ports` must be a list, not {shape}: the API server rejects this NetworkPolicy"),
                "write each port as a list item: `ports:` then `- port: 443` and `protocol: TCP`",
            );
            if let Some(p) = problems.last_mut().filter(|_| list.is_map()) {
                p.wrap = Some(list);
            }
        }
    }
    Some(NetRule { node: item, path: path.to_owned(), peers, ports })
}

fn read_peer<'s>(p: NodeRef<'s>, path: &str, problems: &mut Vec<Problem<'s>>) -> Option<Peer<'s>> {
    if !p.is_map() {
        problem(
            problems,
            p,
            path.to_owned(),
            "a peer must be a mapping with podSelector, namespaceSelector or ipBlock".into(),
            "write the peer as `- podSelector: {...}`, `- namespaceSelector: {...}` or `- ipBlock: {cidr: ...}`",
        );
        return None;
    }
    let read_sel = |key: &str, problems: &mut Vec<Problem<'s>>| {
        let node = p.field(key)?;
        let (s, errors) = Selector::parse(Some(node), Absent::Nothing);
        selector_problems(problems, errors, &join_path(path, key));
        Some(s)
    };
    let pod_selector = read_sel("podSelector", problems);
    let namespace_selector = read_sel("namespaceSelector", problems);
    let ip_node = p.field("ipBlock");
    let ip_block = ip_node.and_then(|b| read_ip_block(b, &join_path(path, "ipBlock"), problems));
    if pod_selector.is_none() && namespace_selector.is_none() && ip_node.is_none() {
        problem(
            problems,
            p,
            path.to_owned(),
            "a peer must set podSelector, namespaceSelector or ipBlock: an empty peer is rejected".into(),
            "to admit every peer, leave the rule's peer list out; otherwise name the pods, namespaces or addresses",
        );
    }
    if ip_node.is_some() && (pod_selector.is_some() || namespace_selector.is_some()) {
        problem(
            problems,
            ip_node.map_or(p, head),
            join_path(path, "ipBlock"),
            "`ipBlock` cannot be combined with podSelector or namespaceSelector in one peer".into(),
            "put the ipBlock in a peer of its own (a separate `- ipBlock:` item)",
        );
    }
    Some(Peer {
        node: p,
        path: path.to_owned(),
        pod_selector,
        namespace_selector,
        namespace_selector_node: p.field("namespaceSelector"),
        ip_block,
    })
}

/// An address and prefix length.
fn parse_cidr(text: &str) -> Option<(IpAddr, u8)> {
    let (ip, len) = text.split_once('/')?;
    let ip: IpAddr = ip.parse().ok()?;
    let len: u8 = len.parse().ok().filter(|_| !len.starts_with('+'))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (len <= max).then_some((ip, len))
}

fn ip_bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

fn contains(net: (IpAddr, u8), ip: IpAddr) -> bool {
    let ((a, width), (b, width_b)) = (ip_bits(net.0), ip_bits(ip));
    if width != width_b {
        return false;
    }
    let shift = u32::from(width.saturating_sub(net.1));
    a.checked_shr(shift).unwrap_or(0) == b.checked_shr(shift).unwrap_or(0)
}

fn read_ip_block<'s>(b: NodeRef<'s>, path: &str, problems: &mut Vec<Problem<'s>>) -> Option<IpBlock<'s>> {
    if !b.is_map() {
        problem(
            problems,
            b,
            path.to_owned(),
            "`ipBlock` must be a mapping with `cidr` (and optional `except`)".into(),
            "write `ipBlock: {cidr: 10.0.0.0/8}`",
        );
        return None;
    }
    let Some(cidr_node) = b.field("cidr") else {
        problem(
            problems,
            head(b),
            join_path(path, "cidr"),
            "`ipBlock` needs a `cidr`".into(),
            "add `cidr: <address>/<prefix>`",
        );
        return None;
    };
    let cidr_text = cidr_node.str().unwrap_or_default();
    let Some(net) = parse_cidr(cidr_text) else {
        problem(
            problems,
            cidr_node,
            join_path(path, "cidr"),
            format!("{cidr_text:?} is not a CIDR: the API server rejects this NetworkPolicy"),
            "write an address and a prefix length, such as 10.0.0.0/8 or 2001:db8::/32",
        );
        return None;
    };
    let mut except = Vec::new();
    if let Some(list) = b.field("except") {
        if !list.is_seq() {
            problem(
                problems,
                head(list),
                join_path(path, "except"),
                "`except` must be a list of CIDRs".into(),
                "write `except: [10.0.0.0/24]`",
            );
        }
        for (i, e) in list.items().enumerate() {
            let text = e.str().unwrap_or_default();
            match parse_cidr(text) {
                Some(inner) if inner.1 > net.1 && contains(net, inner.0) => except.push(text),
                Some(_) => problem(
                    problems,
                    e,
                    join_path(path, &format!("except[{i}]")),
                    format!("{text:?} must be a strict subset of the cidr {cidr_text}"),
                    "list only ranges inside the cidr, with a longer prefix",
                ),
                None => problem(
                    problems,
                    e,
                    join_path(path, &format!("except[{i}]")),
                    format!("{text:?} is not a CIDR"),
                    "write an address and a prefix length, such as 10.0.0.0/24",
                ),
            }
        }
    }
    Some(IpBlock { cidr: cidr_node, cidr_text, prefix: net.1, except })
}

/// A port name as Kubernetes accepts it (IANA_SVC_NAME): 1-15 lowercase letters, digits and
/// single inner hyphens, with at least one letter.
pub fn is_port_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 15
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
}

fn read_port<'s>(p: NodeRef<'s>, path: &str, problems: &mut Vec<Problem<'s>>) -> Option<Port<'s>> {
    if !p.is_map() {
        problem(
            problems,
            p,
            path.to_owned(),
            "a port must be a mapping with `port` and `protocol`".into(),
            "write `- port: 443` and `protocol: TCP`",
        );
        return None;
    }
    let protocol = match p.field("protocol") {
        None => "TCP",
        Some(v) => match v.string() {
            Some(proto @ ("TCP" | "UDP" | "SCTP")) => proto,
            _ => {
                problem(
                    problems,
                    v,
                    join_path(path, "protocol"),
                    format!(
                        "protocol {:?} is not supported: use TCP, UDP or SCTP (upper case)",
                        v.str().unwrap_or_default()
                    ),
                    "write TCP, UDP or SCTP",
                );
                "TCP"
            }
        },
    };
    let mut number = None;
    let label = match p.field("port") {
        None => format!("all/{protocol}"),
        Some(v) => match v.scalar() {
            Some(Scalar::Int(_) | Scalar::UInt(_)) | Some(Scalar::Float(_)) if v.int().is_some() => {
                let n = v.int().unwrap_or(0);
                if !(1..=65535).contains(&n) {
                    problem(
                        problems,
                        v,
                        join_path(path, "port"),
                        format!("port {n} is outside 1-65535: the API server rejects this NetworkPolicy"),
                        "use a port number between 1 and 65535, or a named container port",
                    );
                }
                number = Some(n);
                format!("{n}/{protocol}")
            }
            Some(Scalar::Str) => {
                let name = v.text().unwrap_or_default();
                if !is_port_name(name) {
                    let quoted_number = name.parse::<u32>().is_ok();
                    problem(
                        problems,
                        v,
                        join_path(path, "port"),
                        if quoted_number {
                            format!(
                                "port {name:?} is quoted, so it is read as a port name, and a name needs a letter: the API server rejects it"
                            )
                        } else {
                            format!(
                                "port {name:?} is neither a number nor a valid port name (lowercase letters, digits and hyphens, at most 15)"
                            )
                        },
                        if quoted_number {
                            "write the port number without quotes"
                        } else {
                            "use a port number or the name of a container port"
                        },
                    );
                }
                format!("{name}/{protocol}")
            }
            _ => {
                problem(
                    problems,
                    v,
                    join_path(path, "port"),
                    "`port` must be a number or a port name".into(),
                    "write the port number (443) or a container port name (https)",
                );
                format!("?/{protocol}")
            }
        },
    };
    if let Some(end) = p.field("endPort") {
        let end_path = join_path(path, "endPort");
        match (end.int(), number) {
            (None, _) => problem(
                problems,
                end,
                end_path,
                "`endPort` must be an integer".into(),
                "write the last port of the range, unquoted",
            ),
            (Some(_), None) => problem(
                problems,
                end,
                end_path,
                "`endPort` needs a numeric `port` (the first port of the range)".into(),
                "set port to the first port number of the range",
            ),
            (Some(e), Some(start)) if e < start || e > 65535 => problem(
                problems,
                end,
                end_path,
                format!("endPort {e} must be between port {start} and 65535"),
                "set endPort to the last port of the range, not below port",
            ),
            (Some(e), Some(start)) => {
                return Some(Port { node: p, label: format!("{start}-{e}/{protocol}") });
            }
        }
    }
    Some(Port { node: p, label })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Limits, ParsedSource, Source, parse};

    fn sources(text: &str) -> Vec<ParsedSource> {
        vec![parse(&Source::new("t.yaml", text), &Limits::default())]
    }

    const HEAD: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\n";

    fn policy(spec: &str) -> (bool, bool, Vec<String>) {
        let src = sources(&format!("{HEAD}spec:\n{spec}"));
        let model = Model::build(&src);
        let p = &model.network().policies[0];
        (p.ingress_isolated, p.egress_isolated, p.problems.iter().map(|x| x.message.clone()).collect())
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
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("`egress` must be a list"));
        for bad in [
            "  ingress:\n  - from: {podSelector: {}}\n",
            "  ingress:\n  - ports: {port: 80}\n",
            "  ingress:\n  - ports: [{port: 70000}]\n",
            "  ingress:\n  - ports: [{port: \"80\"}]\n",
            "  ingress:\n  - ports: [{port: 80, protocol: tcp}]\n",
            "  ingress:\n  - ports: [{port: http, endPort: 90}]\n",
            "  ingress:\n  - ports: [{port: 90, endPort: 80}]\n",
            "  ingress:\n  - from: [{}]\n",
            "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]\n",
            "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}}]\n",
            "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]\n",
            "  policyTypes: [ingress]\n",
            "  policyTypes: Ingress\n",
            "  podSelector: {matchExpressions: [{key: a, operator: In}]}\n",
        ] {
            assert!(!policy(bad).2.is_empty(), "{bad}");
        }
        for good in [
            "  ingress:\n  - ports: [{port: 8000, endPort: 9000}, {port: http-alt}, {protocol: UDP}]\n",
            "  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}, {ipBlock: {cidr: '::/0'}}]\n",
            "  ingress:\n  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {a: b}}}]\n",
        ] {
            assert_eq!(policy(good).2, Vec::<String>::new(), "{good}");
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
    fn cidrs() {
        let net = parse_cidr("10.0.0.0/8").unwrap();
        assert!(contains(net, "10.2.3.4".parse().unwrap()));
        assert!(!contains(net, "11.0.0.0".parse().unwrap()));
        assert_eq!(parse_cidr("0.0.0.0/0").map(|n| n.1), Some(0));
        assert_eq!(parse_cidr("::/0").map(|n| n.1), Some(0));
        assert!(parse_cidr("10.0.0.0").is_none());
        assert!(parse_cidr("::/129").is_none());
        assert!(contains(parse_cidr("::/0").unwrap(), "2001:db8::1".parse().unwrap()));
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
