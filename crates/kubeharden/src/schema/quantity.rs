//! `resource.Quantity` syntax, exactly as apimachinery's `ParseQuantity` accepts it.
//!
//! The API server trims the text (`strings.TrimSpace`), then reads an optional sign, a decimal
//! number (`1`, `1.5`, `.5`, `1.`), and a suffix: binary SI (`Ki` … `Ei`), decimal SI (`n`, `u`,
//! `m`, none, `k`, `M`, `G`, `T`, `P`, `E`) or a decimal exponent (`e3`, `E-2`). Some oddities
//! follow from that code and are kept: `.` and `-` are zero, `1.Gi` is valid, `Ti` is zero but
//! `Pi` is rejected (the last two take a slow path that needs at least one digit).

/// Whether a quantity string parses.
pub fn is_valid(text: &str) -> bool {
    let s = text.trim();
    if s.is_empty() {
        return false;
    }
    if s == "0" {
        return true;
    }
    let Some(parts) = split(s.as_bytes()) else { return false };
    let Some((binary, exponent)) = interpret(parts.suffix) else { return false };
    // ParseQuantity's fast path works in int64 and needs no digits; the slow path parses
    // the number with inf.Dec, which rejects a number without any digit.
    let precision: i64 = if binary {
        if exponent >= 0 && parts.denominator == 0 {
            15 - parts.numerator as i64 - i64::from((exponent as f32 * 3.0 / 10.0) as i32) - 1
        } else {
            -1
        }
    } else {
        18 - parts.numerator as i64 - parts.denominator as i64
    };
    let scale = if binary { 0 } else { i64::from(exponent) } - parts.denominator as i64;
    let fast = precision >= 0 && scale >= -9;
    fast || parts.value.iter().any(u8::is_ascii_digit)
}

struct Parts<'a> {
    /// Digits of the integer part after leading zeros (at least 1: none counts as "0").
    numerator: usize,
    /// Digits after the point.
    denominator: usize,
    /// The number as written (sign, digits, point), for the slow path.
    value: &'a [u8],
    suffix: &'a [u8],
}

/// `parseQuantityString`: the number and the suffix, or `None` for a malformed string.
fn split(s: &[u8]) -> Option<Parts<'_>> {
    let end = s.len();
    let mut pos = 0;
    if matches!(s.first(), Some(b'-' | b'+')) {
        pos += 1;
    }
    let zero = Parts { numerator: 1, denominator: 0, value: b"0", suffix: b"" };
    while pos < end && s.get(pos) == Some(&b'0') {
        pos += 1;
    }
    if pos >= end {
        return Some(zero);
    }
    let digits = |from: usize| from + s.get(from..).map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count());
    let num_end = digits(pos);
    let numerator = (num_end - pos).max(1);
    pos = num_end;
    if pos >= end {
        return Some(Parts { numerator, denominator: 0, value: s, suffix: b"" });
    }
    let mut denominator = 0;
    if s.get(pos) == Some(&b'.') {
        pos += 1;
        let denom_end = digits(pos);
        denominator = denom_end - pos;
        pos = denom_end;
        if pos >= end {
            return Some(Parts { numerator, denominator, value: s, suffix: b"" });
        }
    }
    let value = s.get(..pos)?;
    let suffix_start = pos;
    while pos < end && s.get(pos).is_some_and(|b| b"eEinumkKMGTP".contains(b)) {
        pos += 1;
    }
    if pos >= end {
        return Some(Parts { numerator, denominator, value, suffix: s.get(suffix_start..)? });
    }
    if matches!(s.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    if digits(pos) < end {
        return None;
    }
    Some(Parts { numerator, denominator, value, suffix: s.get(suffix_start..)? })
}

/// The suffixer's `interpret`: whether the suffix is binary, and its exponent.
fn interpret(suffix: &[u8]) -> Option<(bool, i32)> {
    let decimal = match suffix {
        b"" => Some(0),
        b"n" => Some(-9),
        b"u" => Some(-6),
        b"m" => Some(-3),
        b"k" => Some(3),
        b"M" => Some(6),
        b"G" => Some(9),
        b"T" => Some(12),
        b"P" => Some(15),
        b"E" => Some(18),
        _ => None,
    };
    if let Some(e) = decimal {
        return Some((false, e));
    }
    let binary = match suffix {
        b"Ki" => Some(10),
        b"Mi" => Some(20),
        b"Gi" => Some(30),
        b"Ti" => Some(40),
        b"Pi" => Some(50),
        b"Ei" => Some(60),
        _ => None,
    };
    if let Some(e) = binary {
        return Some((true, e));
    }
    match suffix.split_first() {
        Some((b'e' | b'E', rest)) if !rest.is_empty() => {
            let text = std::str::from_utf8(rest).ok()?;
            // strconv.ParseInt(s, 10, 64), then a conversion to int32 that wraps.
            let parsed: i64 = text.parse().ok()?;
            Some((false, parsed as i32))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn accepts_what_parse_quantity_accepts() {
        for ok in [
            "0",
            "1",
            "100m",
            "0.5",
            ".5",
            "1.",
            "1.5Gi",
            "2Gi",
            "128974848",
            "129e6",
            "129M",
            "123Mi",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "-1",
            "+1",
            "  1Gi ",
            "1.Gi",
            "5n",
            "3u",
            "1k",
            "1E",
            "00",
            "-",
            ".",
            "Ki",
            "Ti",
            "0.000000001",
            "12345678901234567890",
        ] {
            assert!(is_valid(ok), "{ok:?} should be valid");
        }
    }

    #[test]
    fn rejects_what_parse_quantity_rejects() {
        for bad in [
            "",
            "  ",
            "1.5.0",
            "1K",
            "1KiB",
            "1 Gi",
            "1mi",
            "1e",
            "1e+",
            "abc",
            "1Gi2",
            "0x10",
            "1,5",
            "1+3",
            "1k+3",
            "Pi",
            "Ei",
            ".e-10",
            "1e99999999999999999999",
            "true",
        ] {
            assert!(!is_valid(bad), "{bad:?} should be invalid");
        }
    }
}
