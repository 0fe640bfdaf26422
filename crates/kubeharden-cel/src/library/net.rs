//! IP addresses and CIDRs for the Kubernetes ip and cidr libraries (1.30+), parsed as the
//! API server's `netip`-based parsing does: no zones, no IPv4-mapped IPv6, no leading zeros.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub fn parse_ip(s: &str) -> Option<IpAddr> {
    if s.contains('%') {
        return None;
    }
    if s.contains(':') {
        let v6: Ipv6Addr = s.parse().ok()?;
        if v6.to_ipv4_mapped().is_some() {
            return None;
        }
        return Some(IpAddr::V6(v6));
    }
    // Rust's parser already refuses leading zeros and shorthand forms.
    s.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub ip: IpAddr,
    pub prefix: u8,
}

pub fn parse_cidr(s: &str) -> Option<Cidr> {
    let (ip, prefix) = s.split_once('/')?;
    let ip = parse_ip(ip)?;
    if prefix.is_empty() || (prefix.len() > 1 && prefix.starts_with('0')) || !prefix.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let prefix: u8 = prefix.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if prefix > max {
        return None;
    }
    Some(Cidr { ip, prefix })
}

fn bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

fn mask(width: u8, prefix: u8) -> u128 {
    if prefix == 0 {
        return 0;
    }
    let all: u128 = if width == 128 { u128::MAX } else { (1u128 << width) - 1 };
    all & !((1u128 << (width - prefix)) - 1) | if prefix == width { all } else { 0 }
}

impl Cidr {
    pub fn contains_ip(&self, ip: IpAddr) -> bool {
        if self.ip.is_ipv4() != ip.is_ipv4() {
            return false;
        }
        let (a, width) = bits(self.ip);
        let (b, _) = bits(ip);
        let m = mask(width, self.prefix);
        a & m == b & m
    }

    pub fn contains_cidr(&self, other: &Cidr) -> bool {
        other.prefix >= self.prefix && self.contains_ip(other.ip)
    }

    pub fn masked(&self) -> Cidr {
        let (a, width) = bits(self.ip);
        let m = a & mask(width, self.prefix);
        let ip = if width == 32 { IpAddr::V4(Ipv4Addr::from(m as u32)) } else { IpAddr::V6(Ipv6Addr::from(m)) };
        Cidr { ip, prefix: self.prefix }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.ip, self.prefix)
    }
}

pub fn is_link_local_multicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.segments()[0] & 0xff0f == 0xff02,
    }
}

pub fn is_link_local_unicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}

/// Go's `netip.Addr.IsGlobalUnicast`.
pub fn is_global_unicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_unspecified() || v4.is_loopback() || v4.is_multicast() || v4.is_link_local() || v4.is_broadcast())
        }
        IpAddr::V6(v6) => !(v6.is_unspecified() || v6.is_loopback() || v6.is_multicast() || is_link_local_unicast(ip)),
    }
}
