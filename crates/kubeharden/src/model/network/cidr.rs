//! `ipBlock` peers: CIDRs as the API server parses them, and `except` ranges inside them.

use std::net::IpAddr;

use super::{IpBlock, Problem, ProblemKind, head, problem};
use crate::model::join_path;
use crate::source::NodeRef;

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

pub(super) fn read_ip_block<'s>(b: NodeRef<'s>, path: &str, problems: &mut Vec<Problem<'s>>) -> Option<IpBlock<'s>> {
    if !b.is_map() {
        problem(problems, b, path.to_owned(), ProblemKind::IpBlockNotMap);
        return None;
    }
    let Some(cidr_node) = b.field("cidr") else {
        problem(problems, head(b), join_path(path, "cidr"), ProblemKind::NoCidr);
        return None;
    };
    let cidr_text = cidr_node.str().unwrap_or_default();
    let Some(net) = parse_cidr(cidr_text) else {
        problem(problems, cidr_node, join_path(path, "cidr"), ProblemKind::InvalidCidr { text: cidr_text.to_owned() });
        return None;
    };
    let mut except = Vec::new();
    if let Some(list) = b.field("except") {
        if !list.is_seq() {
            problem(problems, head(list), join_path(path, "except"), ProblemKind::ExceptNotList);
        }
        for (i, e) in list.items().enumerate() {
            let text = e.str().unwrap_or_default();
            match parse_cidr(text) {
                Some(inner) if inner.1 > net.1 && contains(net, inner.0) => except.push(text),
                Some(_) => problem(
                    problems,
                    e,
                    join_path(path, &format!("except[{i}]")),
                    ProblemKind::ExceptOutsideCidr { text: text.to_owned(), cidr: cidr_text.to_owned() },
                ),
                None => problem(
                    problems,
                    e,
                    join_path(path, &format!("except[{i}]")),
                    ProblemKind::InvalidExcept { text: text.to_owned() },
                ),
            }
        }
    }
    Some(IpBlock { cidr: cidr_node, cidr_text, prefix: net.1, except })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
