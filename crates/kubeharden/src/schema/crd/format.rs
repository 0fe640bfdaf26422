//! The string `format`s the API server checks in custom resources (the kube-openapi format
//! registry). Formats not listed here are accepted as the API server accepts unknown ones:
//! without a check. Each check follows the Go function the registry calls, leniently where the
//! Go parser is lenient, so that a valid value is never reported.

use crate::schema::value;

/// Why `text` is not of `format`, or `None` when it is (or the format is not checked).
pub fn check(format: &str, text: &str) -> Option<&'static str> {
    let ok = match format {
        "date-time" | "datetime" => is_date_time(text),
        "date" => is_date(text),
        "byte" => value::is_base64(text),
        "uuid" => is_uuid(text, None),
        "uuid3" => is_uuid(text, Some(b'3')),
        "uuid4" => is_uuid(text, Some(b'4')),
        "uuid5" => is_uuid(text, Some(b'5')),
        "ipv4" => is_ipv4(text),
        "ipv6" => text.contains(':') && text.parse::<std::net::Ipv6Addr>().is_ok(),
        "cidr" => is_cidr(text),
        "mac" => is_mac(text),
        _ => return None,
    };
    (!ok).then_some(match format {
        "date-time" | "datetime" => "an RFC 3339 time such as 2024-01-31T10:00:00Z",
        "date" => "a date such as 2024-01-31",
        "byte" => "base64-encoded",
        "uuid" | "uuid3" | "uuid4" | "uuid5" => "a UUID such as 123e4567-e89b-12d3-a456-426614174000",
        "ipv4" => "an IPv4 address such as 10.0.0.1",
        "ipv6" => "an IPv6 address such as fd00::1",
        "cidr" => "a CIDR such as 10.0.0.0/8",
        _ => "a MAC address such as 02:42:ac:11:00:02",
    })
}

/// strfmt's date-time: RFC 3339, or the same without a time zone.
fn is_date_time(text: &str) -> bool {
    value::is_rfc3339(text) || value::is_rfc3339(&format!("{text}Z"))
}

fn is_date(text: &str) -> bool {
    text.len() == 10 && value::is_rfc3339(&format!("{text}T00:00:00Z"))
}

fn is_uuid(text: &str, version: Option<u8>) -> bool {
    let b = text.as_bytes();
    let groups = [8, 4, 4, 4, 12];
    let mut at = 0;
    for (i, len) in groups.iter().enumerate() {
        if i > 0 {
            if b.get(at) != Some(&b'-') {
                return false;
            }
            at += 1;
        }
        if !b.get(at..at + len).is_some_and(|g| g.iter().all(u8::is_ascii_hexdigit)) {
            return false;
        }
        at += len;
    }
    at == b.len() && version.is_none_or(|v| b.get(14) == Some(&v))
}

fn is_ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|c| c.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn is_cidr(text: &str) -> bool {
    let Some((addr, prefix)) = text.split_once('/') else { return false };
    let Ok(prefix) = prefix.parse::<u8>() else { return false };
    if is_ipv4(addr) { prefix <= 32 } else { addr.parse::<std::net::Ipv6Addr>().is_ok() && prefix <= 128 }
}

/// Go's `net.ParseMAC`: 6, 8 or 20 octets separated by `:` or `-`, or dotted groups of four
/// hex digits.
fn is_mac(text: &str) -> bool {
    let octets = |sep: char| {
        let parts: Vec<&str> = text.split(sep).collect();
        matches!(parts.len(), 6 | 8 | 20)
            && parts.iter().all(|p| p.len() == 2 && p.bytes().all(|c| c.is_ascii_hexdigit()))
    };
    let dotted = || {
        let parts: Vec<&str> = text.split('.').collect();
        matches!(parts.len(), 3 | 4 | 10)
            && parts.iter().all(|p| p.len() == 4 && p.bytes().all(|c| c.is_ascii_hexdigit()))
    };
    octets(':') || octets('-') || dotted()
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn formats() {
        for (format, ok) in [
            ("date-time", "2024-01-31T10:00:00Z"),
            ("date-time", "2024-01-31T10:00:00"),
            ("date", "2024-02-29"),
            ("byte", "aGVsbG8="),
            ("uuid", "123e4567-e89b-12d3-a456-426614174000"),
            ("uuid4", "123e4567-e89b-42d3-a456-426614174000"),
            ("ipv4", "10.0.0.1"),
            ("ipv6", "fd00::1"),
            ("cidr", "10.0.0.0/8"),
            ("cidr", "fd00::/64"),
            ("mac", "02:42:ac:11:00:02"),
            ("hostname", "anything goes"),
            ("int32", "x"),
        ] {
            assert_eq!(check(format, ok), None, "{format} {ok}");
        }
        for (format, bad) in [
            ("date-time", "yesterday"),
            ("date", "2023-02-29"),
            ("byte", "not base64!"),
            ("uuid", "123e4567"),
            ("uuid4", "123e4567-e89b-12d3-a456-426614174000"),
            ("ipv4", "10.0.0.256"),
            ("ipv6", "10.0.0.1"),
            ("cidr", "10.0.0.0/33"),
            ("mac", "02:42:ac"),
        ] {
            assert!(check(format, bad).is_some(), "{format} {bad}");
        }
    }
}
