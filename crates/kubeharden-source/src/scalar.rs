//! Scalar typing exactly as the API server sees it.
//!
//! Manifests reach the API server through sigs.k8s.io/yaml, which decodes with go-yaml v2 and
//! therefore with YAML 1.1 scalar resolution (`resolve.go`). A linter that types `privileged: yes`
//! as a string misses a privileged container, so this module is the one place that decides what a
//! plain scalar means.

/// How a scalar was written. Quoted and block scalars are always strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl ScalarStyle {
    pub fn is_plain(self) -> bool {
        self == ScalarStyle::Plain
    }
}

/// The typed value of a scalar after YAML 1.1 resolution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    /// Integers above `i64::MAX` (go-yaml falls back to `ParseUint`).
    UInt(u64),
    Float(f64),
    /// An unquoted `YYYY-MM-DD…` value: go-yaml turns it into a timestamp, JSON into a string.
    Timestamp,
    Str,
}

/// The explicit tag on a scalar, reduced to what changes its resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagHint {
    None,
    /// `!!str` or `!!binary`: the text is taken verbatim.
    Str,
    /// Any other core-schema tag (`!!int`, `!!bool`, …): resolved like a plain scalar.
    Core,
    /// A local or unknown tag: go-yaml leaves such values as strings.
    Other,
}

/// Resolves a scalar the way go-yaml v2 does.
pub fn resolve(text: &str, style: ScalarStyle, tag: TagHint) -> Scalar {
    if !style.is_plain() {
        return Scalar::Str;
    }
    match tag {
        TagHint::Str | TagHint::Other => return Scalar::Str,
        TagHint::None | TagHint::Core => {}
    }
    if let Some(v) = lookup_table(text) {
        return v;
    }
    let Some(&first) = text.as_bytes().first() else {
        return Scalar::Null;
    };
    match first {
        b'.' => match parse_go_float(text) {
            Some(f) => Scalar::Float(f),
            None => Scalar::Str,
        },
        b'+' | b'-' | b'0'..=b'9' => resolve_number_like(text, tag),
        _ => Scalar::Str,
    }
}

/// The fixed spellings of go-yaml v2's `resolveMap`.
fn lookup_table(text: &str) -> Option<Scalar> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Scalar::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Scalar::Bool(false),
        ".nan" | ".NaN" | ".NAN" => Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn resolve_number_like(text: &str, tag: TagHint) -> Scalar {
    if tag == TagHint::None && is_timestamp(text) {
        return Scalar::Timestamp;
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Scalar::Int(i);
    }
    if let Some(u) = parse_go_uint(&plain) {
        return Scalar::UInt(u);
    }
    if let Some(f) = parse_go_float(&plain) {
        return Scalar::Float(f);
    }
    Scalar::Str
}

/// Splits a Go base-0 integer literal into (negative, radix, digits).
fn go_int_parts(s: &str) -> Option<(bool, u32, &str)> {
    let (neg, rest) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let lower = |p: &str| rest.len() > 2 && rest.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let (radix, digits) = if lower("0x") {
        (16, rest.get(2..)?)
    } else if lower("0b") {
        (2, rest.get(2..)?)
    } else if lower("0o") {
        (8, rest.get(2..)?)
    } else if rest.len() > 1 && rest.starts_with('0') {
        (8, rest.get(1..)?)
    } else {
        (10, rest)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some((neg, radix, digits))
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, radix, digits) = go_int_parts(s)?;
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if magnitude == 1u64 << 63 { Some(i64::MIN) } else { i64::try_from(magnitude).ok().map(|m| -m) }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `strconv.ParseUint(s, 0, 64)`: no sign allowed.
fn parse_go_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    let (_, radix, digits) = go_int_parts(s)?;
    u64::from_str_radix(digits, radix).ok()
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms YAML can reach here.
fn parse_go_float(s: &str) -> Option<f64> {
    if !is_yaml_style_float(s) {
        return None;
    }
    s.parse::<f64>().ok()
}

/// go-yaml v2 `parseTimestamp`: exactly four digits, a dash, then one of the allowed layouts.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let year_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year_digits != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    // Layouts: "2006-1-2", "2006-1-2 15:4:5.999999999", "2006-1-2T15:4:5.999999999Z07:00"
    // (also with a lower-case t). Months and days take one or two digits.
    let rest = s.get(5..).unwrap_or("");
    let Some((month, rest)) = take_number(rest, 1, 2) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('-') else {
        return false;
    };
    let Some((day, rest)) = take_number(rest, 1, 2) else {
        return false;
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let (rest, zoned) = if let Some(r) = rest.strip_prefix(['T', 't']) {
        (r, true)
    } else if let Some(r) = rest.strip_prefix(' ') {
        (r, false)
    } else {
        return false;
    };
    let Some((h, rest)) = take_number(rest, 1, 2) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(':') else {
        return false;
    };
    let Some((m, rest)) = take_number(rest, 1, 2) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(':') else {
        return false;
    };
    let Some((sec, mut rest)) = take_number(rest, 1, 2) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 9 {
            return false;
        }
        rest = r.get(n..).unwrap_or("");
    }
    if !zoned {
        return rest.is_empty();
    }
    if rest == "Z" {
        return true;
    }
    let Some(r) = rest.strip_prefix(['+', '-']) else {
        return false;
    };
    matches!(take_number(r, 2, 2), Some((zh, tail)) if zh <= 23 && matches!(
        tail.strip_prefix(':').and_then(|t| take_number(t, 2, 2)), Some((zm, "")) if zm <= 59))
}

fn take_number(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n < min || n > max {
        return None;
    }
    let value = s.get(..n)?.parse().ok()?;
    Some((value, s.get(n..)?))
}

/// Why a plain scalar reads differently in YAML 1.1 (Kubernetes) and YAML 1.2 (most editors and
/// tools): `None` when both agree.
pub fn yaml11_ambiguity(text: &str, value: Scalar) -> Option<&'static str> {
    match value {
        Scalar::Bool(_) => {
            let core_1_2 = matches!(text, "true" | "True" | "TRUE" | "false" | "False" | "FALSE");
            (!core_1_2).then_some("a boolean in YAML 1.1 (Kubernetes) but a string in YAML 1.2")
        }
        Scalar::Int(_) | Scalar::UInt(_) => {
            let digits = text.trim_start_matches(['+', '-']);
            if text.contains('_') {
                Some("a number in YAML 1.1 (Kubernetes, underscores ignored) but a string in YAML 1.2")
            } else if digits.len() > 2 && digits.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0b")) {
                Some("a binary number in YAML 1.1 (Kubernetes) but a string in YAML 1.2")
            } else if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|c| c.is_ascii_digit()) {
                Some("an octal number in YAML 1.1 (Kubernetes) but a decimal number in YAML 1.2")
            } else {
                None
            }
        }
        Scalar::Float(_) if text.contains('_') => {
            Some("a number in YAML 1.1 (Kubernetes, underscores ignored) but a string in YAML 1.2")
        }
        Scalar::Timestamp => Some("a timestamp in YAML 1.1 (Kubernetes turns it into an RFC 3339 string)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Scalar {
        resolve(s, ScalarStyle::Plain, TagHint::None)
    }

    #[test]
    fn yaml11_booleans() {
        for t in ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"] {
            assert_eq!(plain(t), Scalar::Bool(true), "{t}");
        }
        for f in ["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"] {
            assert_eq!(plain(f), Scalar::Bool(false), "{f}");
        }
        // Mixed case outside the table stays a string, as in go-yaml.
        assert_eq!(plain("yEs"), Scalar::Str);
        assert_eq!(plain("oN"), Scalar::Str);
    }

    #[test]
    fn quoted_and_tagged_scalars_are_strings() {
        assert_eq!(resolve("yes", ScalarStyle::DoubleQuoted, TagHint::None), Scalar::Str);
        assert_eq!(resolve("true", ScalarStyle::SingleQuoted, TagHint::None), Scalar::Str);
        assert_eq!(resolve("123", ScalarStyle::Plain, TagHint::Str), Scalar::Str);
        assert_eq!(resolve("123", ScalarStyle::Literal, TagHint::None), Scalar::Str);
    }

    #[test]
    fn go_base_zero_integers() {
        assert_eq!(plain("0x1F"), Scalar::Int(31));
        assert_eq!(plain("0755"), Scalar::Int(0o755));
        assert_eq!(plain("0o17"), Scalar::Int(15));
        assert_eq!(plain("0b101"), Scalar::Int(5));
        assert_eq!(plain("-0x10"), Scalar::Int(-16));
        assert_eq!(plain("1_000"), Scalar::Int(1000));
        assert_eq!(plain("+12"), Scalar::Int(12));
        assert_eq!(plain("0"), Scalar::Int(0));
        assert_eq!(plain("18446744073709551615"), Scalar::UInt(u64::MAX));
        // 08 is not octal, so go-yaml falls through to the float form.
        assert_eq!(plain("08"), Scalar::Float(8.0));
    }

    #[test]
    fn floats_nulls_and_strings() {
        assert_eq!(plain("1.5"), Scalar::Float(1.5));
        assert_eq!(plain(".5"), Scalar::Float(0.5));
        assert_eq!(plain("1e3"), Scalar::Float(1000.0));
        assert!(matches!(plain(".nan"), Scalar::Float(f) if f.is_nan()));
        assert_eq!(plain("-.inf"), Scalar::Float(f64::NEG_INFINITY));
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(n), Scalar::Null, "{n:?}");
        }
        for s in ["nginx", "1.2.3", "10Mi", "500m", "-", "+", "0x", "1e", "nul"] {
            assert_eq!(plain(s), Scalar::Str, "{s}");
        }
    }

    #[test]
    fn timestamps_only_when_unquoted_and_well_formed() {
        assert_eq!(plain("2001-12-14"), Scalar::Timestamp);
        assert_eq!(plain("2001-12-14t21:59:43.10Z"), Scalar::Timestamp);
        assert_eq!(plain("2001-12-14 21:59:43.10"), Scalar::Timestamp);
        assert_eq!(plain("2001-1-4T1:2:3+05:00"), Scalar::Timestamp);
        assert_eq!(plain("2001-13-14"), Scalar::Str);
        assert_eq!(plain("20011-12-14"), Scalar::Str);
        assert_eq!(resolve("2001-12-14", ScalarStyle::DoubleQuoted, TagHint::None), Scalar::Str);
    }

    #[test]
    fn ambiguity_between_yaml_versions() {
        assert!(yaml11_ambiguity("yes", plain("yes")).is_some());
        assert!(yaml11_ambiguity("on", plain("on")).is_some());
        assert!(yaml11_ambiguity("true", plain("true")).is_none());
        assert!(yaml11_ambiguity("0644", plain("0644")).is_some());
        assert!(yaml11_ambiguity("0x1F", plain("0x1F")).is_none());
        assert!(yaml11_ambiguity("644", plain("644")).is_none());
        assert!(yaml11_ambiguity("0", plain("0")).is_none());
        assert!(yaml11_ambiguity("nginx", plain("nginx")).is_none());
    }
}
