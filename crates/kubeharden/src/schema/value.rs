//! Scalar syntaxes the API server's JSON decoding enforces: base64 (`[]byte` fields) and RFC 3339
//! times (`metav1.Time`).

/// `base64.StdEncoding.Decode` as encoding/json applies it to a `[]byte` field: the standard
/// alphabet with `=` padding; line breaks (`\r`, `\n`) are skipped.
pub fn is_base64(text: &str) -> bool {
    let bytes: Vec<u8> = text.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
    if !bytes.len().is_multiple_of(4) {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 {
        return false;
    }
    let body = bytes.get(..bytes.len() - padding).unwrap_or(&[]);
    body.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    bytes.iter().try_fold(0u32, |n, &b| n.checked_mul(10)?.checked_add(u32::from(b - b'0')))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `time.Parse(time.RFC3339, s)`: `2006-01-02T15:04:05Z07:00`, with an optional fraction of a
/// second and `Z` or a `±hh:mm` offset.
pub fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    let field = |from: usize, len: usize| b.get(from..from + len).and_then(number);
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    let (Some(year), Some(month), Some(day)) = (field(0, 4), field(5, 2), field(8, 2)) else { return false };
    let (Some(hour), Some(minute), Some(second)) = (field(11, 2), field(14, 2), field(17, 2)) else { return false };
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return false;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return false;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut at = 19;
    if sep(at, b'.') {
        let digits = b.get(at + 1..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
        if digits == 0 {
            return false;
        }
        at += 1 + digits;
    }
    match b.get(at) {
        Some(b'Z') => at + 1 == b.len(),
        Some(b'+' | b'-') => {
            let (Some(zh), Some(zm)) = (field(at + 1, 2), field(at + 4, 2)) else { return false };
            sep(at + 3, b':') && at + 6 == b.len() && zh <= 23 && zm <= 59
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        for ok in ["", "YQ==", "YWI=", "YWJj", "cGFz\nc3dvcmQ=", "+/+/"] {
            assert!(is_base64(ok), "{ok:?}");
        }
        for bad in ["YQ", "YQ=", "YQ===", "not base64!", "YW=j", "a"] {
            assert!(!is_base64(bad), "{bad:?}");
        }
    }

    #[test]
    fn rfc3339() {
        for ok in [
            "2024-01-31T10:00:00Z",
            "2024-02-29T23:59:59.123456Z",
            "2024-01-31T10:00:00+05:30",
            "2023-12-31T00:00:00-00:00",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2024-01-31",
            "2023-02-29T00:00:00Z",
            "2024-01-31 10:00:00Z",
            "2024-01-31T24:00:00Z",
            "2024-01-31T10:00:00",
            "2024-01-31T10:00:00.Z",
            "2024-13-01T00:00:00Z",
            "",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }
}
