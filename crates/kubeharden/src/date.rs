//! Calendar dates as the configuration and the exemption annotations write them. A leaf.

/// Parses `YYYY-MM-DD` into a comparable triple.
pub fn parse_date(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().splitn(3, '-');
    let y: u32 = parts.next().filter(|p| p.len() == 4)?.parse().ok()?;
    let m: u32 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let d: u32 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-01-31"), Some((2026, 1, 31)));
        assert_eq!(parse_date(" 2026-12-01 "), Some((2026, 12, 1)));
        assert!(parse_date("2026-1-31").is_none());
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("2026-01-32").is_none());
        assert!(parse_date("tomorrow").is_none());
    }
}
