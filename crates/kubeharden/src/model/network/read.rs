//! Reading a NetworkPolicy as the API server decodes and validates it: its selectors, rules,
//! peers and ports, and every problem that makes the API server reject it.

use super::cidr::read_ip_block;
use super::{Direction, NetRule, Peer, Policy, Port, Problem, ProblemKind, head, problem};
use crate::model::Resource;
use crate::model::join_path;
use crate::model::selector::{Absent, Selector, SelectorError};
use crate::source::NodeRef;
use crate::source::scalar::Scalar;

pub(super) fn read_policy<'s>(r: &Resource<'s>) -> Policy<'s> {
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
        problem(&mut problems, spec, spec_path, ProblemKind::SpecNotMap);
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
            problem(
                &mut problems,
                head(list),
                path,
                ProblemKind::RulesNotList { direction: d, mapping: list.is_map() },
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
        Some(types) if !types.is_seq() => {
            problem(&mut problems, head(types), join_path(&spec_path, "policyTypes"), ProblemKind::PolicyTypesNotList)
        }
        Some(types) if types.is_empty() => {
            policy.ingress_isolated = true;
            policy.egress_isolated = egress_written;
        }
        Some(types) => {
            policy.ingress_isolated = false;
            policy.egress_isolated = false;
            if types.len() > 2 {
                problem(&mut problems, types, join_path(&spec_path, "policyTypes"), ProblemKind::TooManyPolicyTypes);
            }
            for (i, t) in types.items().enumerate() {
                match t.string() {
                    Some("Ingress") => policy.ingress_isolated = true,
                    Some("Egress") => policy.egress_isolated = true,
                    _ => problem(
                        &mut problems,
                        t,
                        join_path(&spec_path, &format!("policyTypes[{i}]")),
                        ProblemKind::UnknownPolicyType { value: t.str().unwrap_or_default().to_owned() },
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
        problem(out, e.node, join_path(base, &e.rel), ProblemKind::Selector { message: e.message });
    }
}

fn read_rule<'s>(item: NodeRef<'s>, path: &str, d: Direction, problems: &mut Vec<Problem<'s>>) -> Option<NetRule<'s>> {
    if !item.is_map() && !item.is_null() {
        problem(problems, item, path.to_owned(), ProblemKind::RuleNotMap { direction: d });
        return None;
    }
    let peers_key = d.peers_field();
    let peers = match item.field(peers_key) {
        None => None,
        Some(list) if !list.is_seq() => {
            problem(
                problems,
                head(list),
                join_path(path, peers_key),
                ProblemKind::PeersNotList { direction: d, mapping: list.is_map() },
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
            problem(
                problems,
                head(list),
                join_path(path, "ports"),
                ProblemKind::PortsNotList { mapping: list.is_map() },
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
        problem(problems, p, path.to_owned(), ProblemKind::PeerNotMap);
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
        problem(problems, p, path.to_owned(), ProblemKind::EmptyPeer);
    }
    if ip_node.is_some() && (pod_selector.is_some() || namespace_selector.is_some()) {
        problem(problems, ip_node.map_or(p, head), join_path(path, "ipBlock"), ProblemKind::IpBlockWithSelector);
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
        problem(problems, p, path.to_owned(), ProblemKind::PortNotMap);
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
                    ProblemKind::UnknownProtocol { value: v.str().unwrap_or_default().to_owned() },
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
                    problem(problems, v, join_path(path, "port"), ProblemKind::PortOutOfRange { port: n });
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
                        ProblemKind::InvalidPortName { name: name.to_owned(), quoted_number },
                    );
                }
                format!("{name}/{protocol}")
            }
            _ => {
                problem(problems, v, join_path(path, "port"), ProblemKind::PortNotNumberOrName);
                format!("?/{protocol}")
            }
        },
    };
    if let Some(end) = p.field("endPort") {
        let end_path = join_path(path, "endPort");
        match (end.int(), number) {
            (None, _) => problem(problems, end, end_path, ProblemKind::EndPortNotInteger),
            (Some(_), None) => problem(problems, end, end_path, ProblemKind::EndPortWithoutPort),
            (Some(e), Some(start)) if e < start || e > 65535 => {
                problem(problems, end, end_path, ProblemKind::EndPortOutOfRange { end: e, start })
            }
            (Some(e), Some(start)) => {
                return Some(Port { node: p, label: format!("{start}-{e}/{protocol}") });
            }
        }
    }
    Some(Port { node: p, label })
}
