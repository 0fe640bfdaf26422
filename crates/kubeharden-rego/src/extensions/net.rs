//! `net.cidr_*` as OPA has them, on the standard library's address types (regorus' `net`
//! feature needs its `std` build, which would take away the work budget's hook):
//! `cidr_contains`, `cidr_intersects`, `cidr_is_valid`, `cidr_expand` (bounded),
//! `cidr_contains_matches`, and the deprecated `cidr_overlap`. `net.lookup_ip_addr` needs DNS:
//! not available offline.

use core::net::IpAddr;
use std::collections::BTreeSet;

use regorus::Value;

use super::bounded::MAX_ELEMENTS;
use super::{add, needs_cluster};

pub(super) fn register(engine: &mut regorus::Engine) {
    add(engine, "net.cidr_contains", 2, contains);
    add(engine, "net.cidr_overlap", 2, contains);
    add(engine, "net.cidr_intersects", 2, intersects);
    add(engine, "net.cidr_is_valid", 1, is_valid);
    add(engine, "net.cidr_expand", 1, expand);
    add(engine, "net.cidr_contains_matches", 2, contains_matches);
    add(engine, "net.lookup_ip_addr", 1, lookup);
}

/// A network as (address bits, prefix length, is IPv6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Net {
    bits: u128,
    prefix: u32,
    v6: bool,
}

impl Net {
    fn width(self) -> u32 {
        if self.v6 { 128 } else { 32 }
    }

    fn mask(self) -> u128 {
        if self.prefix == 0 { 0 } else { (u128::MAX << (self.width() - self.prefix)) & self.all() }
    }

    fn all(self) -> u128 {
        if self.v6 { u128::MAX } else { u128::from(u32::MAX) }
    }

    fn first(self) -> u128 {
        self.bits & self.mask()
    }

    fn last(self) -> u128 {
        self.first() | (!self.mask() & self.all())
    }
}

fn addr_bits(ip: IpAddr) -> (u128, bool) {
    match ip {
        IpAddr::V4(a) => (u128::from(u32::from(a)), false),
        IpAddr::V6(a) => (u128::from(a), true),
    }
}

/// A CIDR (`10.0.0.0/8`, `fd00::/8`), as Go's `net.ParseCIDR` reads it.
fn cidr(s: &str) -> Option<Net> {
    let (addr, prefix) = s.split_once('/')?;
    let ip: IpAddr = addr.parse().ok()?;
    if prefix.is_empty()
        || prefix.len() > 3
        || !prefix.bytes().all(|b| b.is_ascii_digit())
        || (prefix.len() > 1 && prefix.starts_with('0'))
    {
        return None;
    }
    let prefix: u32 = prefix.parse().ok()?;
    let (bits, v6) = addr_bits(ip);
    let net = Net { bits, prefix, v6 };
    (prefix <= net.width()).then_some(net)
}

/// A CIDR, or a single address as a full-length network.
fn cidr_or_ip(s: &str) -> Option<Net> {
    if s.contains('/') {
        return cidr(s);
    }
    let (bits, v6) = addr_bits(s.parse().ok()?);
    Some(Net { bits, prefix: if v6 { 128 } else { 32 }, v6 })
}

fn string(v: Option<&Value>) -> Option<&str> {
    if let Some(Value::String(s)) = v { Some(s) } else { None }
}

fn contains(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(outer), Some(inner)) = (string(args.first()).and_then(cidr), string(args.get(1)).and_then(cidr_or_ip))
    else {
        return Err(anyhow::anyhow!("net.cidr_contains: invalid CIDR or IP"));
    };
    Ok(Value::from(covers(outer, inner)))
}

fn covers(outer: Net, inner: Net) -> bool {
    outer.v6 == inner.v6 && inner.prefix >= outer.prefix && inner.first() & outer.mask() == outer.first()
}

fn intersects(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(a), Some(b)) = (string(args.first()).and_then(cidr), string(args.get(1)).and_then(cidr)) else {
        return Err(anyhow::anyhow!("net.cidr_intersects: invalid CIDR"));
    };
    Ok(Value::from(a.v6 == b.v6 && a.first() <= b.last() && b.first() <= a.last()))
}

fn is_valid(args: Vec<Value>) -> anyhow::Result<Value> {
    Ok(Value::from(string(args.first()).and_then(cidr).is_some()))
}

fn expand(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some(net) = string(args.first()).and_then(cidr) else {
        return Err(anyhow::anyhow!("net.cidr_expand: invalid CIDR"));
    };
    let count = (net.last() - net.first()).saturating_add(1);
    if count > u128::from(MAX_ELEMENTS) {
        return Err(anyhow::anyhow!("net.cidr_expand: {count} addresses exceed what a policy may build"));
    }
    let mut out = BTreeSet::new();
    let mut a = net.first();
    loop {
        out.insert(Value::from(format_addr(a, net.v6)));
        if a >= net.last() {
            break;
        }
        a += 1;
    }
    Ok(Value::from(out))
}

fn format_addr(bits: u128, v6: bool) -> String {
    if v6 { core::net::Ipv6Addr::from(bits).to_string() } else { core::net::Ipv4Addr::from(bits as u32).to_string() }
}

/// The (key, value) pairs of a `cidr_contains_matches` operand: a string (key itself), an
/// array (index), a set (element) or an object (key); array elements may be `[cidr, ...]`.
fn entries(v: &Value) -> Option<Vec<(Value, String)>> {
    let first_string = |x: &Value| match x {
        Value::String(s) => Some(s.to_string()),
        Value::Array(a) => match a.first() {
            Some(Value::String(s)) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    };
    Some(match v {
        Value::String(s) => vec![(v.clone(), s.to_string())],
        Value::Array(a) => {
            a.iter().enumerate().map(|(i, x)| first_string(x).map(|s| (Value::from(i), s))).collect::<Option<_>>()?
        }
        Value::Set(s) => s.iter().map(|x| first_string(x).map(|s| (x.clone(), s))).collect::<Option<_>>()?,
        Value::Object(o) => o.iter().map(|(k, x)| first_string(x).map(|s| (k.clone(), s))).collect::<Option<_>>()?,
        _ => return None,
    })
}

fn contains_matches(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(a), Some(b)) = (args.first().and_then(entries), args.get(1).and_then(entries)) else {
        return Err(anyhow::anyhow!(
            "net.cidr_contains_matches: operands must be strings, arrays, sets or objects of CIDRs"
        ));
    };
    let mut out = BTreeSet::new();
    for (ka, ca) in &a {
        let Some(outer) = cidr(ca) else {
            return Err(anyhow::anyhow!("net.cidr_contains_matches: invalid CIDR {ca:?}"));
        };
        for (kb, cb) in &b {
            let Some(inner) = cidr_or_ip(cb) else {
                return Err(anyhow::anyhow!("net.cidr_contains_matches: invalid CIDR or IP {cb:?}"));
            };
            if covers(outer, inner) {
                out.insert(Value::from(vec![ka.clone(), kb.clone()]));
            }
        }
    }
    Ok(Value::from(out))
}

fn lookup(_: Vec<Value>) -> anyhow::Result<Value> {
    needs_cluster("net.lookup_ip_addr");
    Err(anyhow::anyhow!("net.lookup_ip_addr needs DNS: not available offline"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: fn(Vec<Value>) -> anyhow::Result<Value>, a: &str, b: &str) -> Value {
        f(vec![Value::from(a), Value::from(b)]).unwrap_or(Value::Undefined)
    }

    #[test]
    fn cidrs_like_go() {
        assert_eq!(call(contains, "10.0.0.0/8", "10.1.2.3"), Value::from(true));
        assert_eq!(call(contains, "10.0.0.0/8", "11.0.0.0/16"), Value::from(false));
        assert_eq!(call(contains, "10.0.0.0/8", "10.2.0.0/16"), Value::from(true));
        assert_eq!(call(contains, "fd00::/8", "fd12::1"), Value::from(true));
        assert_eq!(call(intersects, "10.0.0.0/8", "10.255.0.0/16"), Value::from(true));
        assert_eq!(call(intersects, "10.0.0.0/8", "192.168.0.0/16"), Value::from(false));
        assert_eq!(is_valid(vec![Value::from("10.0.0.0/33")]).ok(), Some(Value::from(false)));
        assert_eq!(is_valid(vec![Value::from("10.0.0.0/08")]).ok(), Some(Value::from(false)));
        let four = expand(vec![Value::from("192.168.1.0/30")]).ok();
        assert_eq!(four.as_ref().and_then(|v| v.as_set().ok()).map(|s| s.len()), Some(4));
        assert!(expand(vec![Value::from("10.0.0.0/8")]).is_err());
    }
}
