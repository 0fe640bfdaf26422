//! Go's `fmt` verbs for the four kinds of value OPA passes: `int`, `*big.Int`, `float64`
//! and `string` (the behaviour of `fmt/print.go` and `fmt/format.go`).

use super::Arg;
use crate::extensions::rego_string::go_quote;

/// A directive's flags, width and precision.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flags {
    pub sharp: bool,
    pub zero: bool,
    pub plus: bool,
    pub minus: bool,
    pub space: bool,
    pub sharp_v: bool,
    pub plus_v: bool,
    pub wid: i64,
    pub wid_present: bool,
    pub prec: i64,
    pub prec_present: bool,
}

/// Go's `printArg` for one argument.
pub(crate) fn format_arg(out: &mut String, arg: &Arg, verb: char, f: &Flags) {
    if verb == 'T' {
        pad(out, arg.type_name(), f);
        return;
    }
    match arg {
        Arg::Int(n) => fmt_integer(out, &n.unsigned_abs().to_string(), *n < 0, verb, f, arg),
        Arg::Big(digits) => {
            let (neg, abs) = digits.strip_prefix('-').map_or((false, digits.as_str()), |d| (true, d));
            fmt_integer(out, abs, neg, verb, f, arg);
        }
        Arg::Float(x) => fmt_float(out, *x, verb, f, arg),
        Arg::Str(s) => fmt_string(out, s, verb, f, arg),
    }
}

/// Go's `badVerb`: `%!verb(type=value)`.
fn bad_verb(out: &mut String, verb: char, f: &Flags, arg: &Arg) {
    out.push_str("%!");
    out.push(verb);
    out.push('(');
    out.push_str(arg.type_name());
    out.push('=');
    format_arg(out, arg, 'v', f);
    out.push(')');
}

fn fmt_string(out: &mut String, s: &str, verb: char, f: &Flags, arg: &Arg) {
    match verb {
        'v' if f.sharp_v => pad(out, &go_quote(truncate(s, f), false), f),
        'v' | 's' => pad(out, truncate(s, f), f),
        'x' | 'X' => fmt_sx(out, s, verb == 'X', f),
        'q' => {
            let t = truncate(s, f);
            let quoted = if f.sharp && can_backquote(t) { format!("`{t}`") } else { go_quote(t, f.plus) };
            pad(out, &quoted, f);
        }
        _ => bad_verb(out, verb, f, arg),
    }
}

fn truncate<'a>(s: &'a str, f: &Flags) -> &'a str {
    if f.prec_present {
        let n = usize::try_from(f.prec).unwrap_or(0);
        if let Some((i, _)) = s.char_indices().nth(n) {
            return s.get(..i).unwrap_or(s);
        }
    }
    s
}

fn can_backquote(s: &str) -> bool {
    s.chars().all(|c| c != '`' && c != '\u{FFFD}' && (c == '\t' || !c.is_control()))
}

/// `%x` of a string: hex of its bytes (the precision limits the bytes), `#` adds `0x`,
/// a space separates bytes.
fn fmt_sx(out: &mut String, s: &str, upper: bool, f: &Flags) {
    let mut bytes = s.as_bytes();
    if f.prec_present {
        let n = usize::try_from(f.prec).unwrap_or(0).min(bytes.len());
        bytes = bytes.get(..n).unwrap_or(bytes);
    }
    let digits: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    let mut buf = String::new();
    for (i, b) in bytes.iter().enumerate() {
        if f.space && i > 0 {
            buf.push(' ');
        }
        if f.sharp && (f.space || i == 0) {
            buf.push('0');
            buf.push(if upper { 'X' } else { 'x' });
        }
        for nibble in [b >> 4, b & 15] {
            buf.push(digits.get(usize::from(nibble)).map_or('0', |d| char::from(*d)));
        }
    }
    pad(out, &buf, f);
}

/// Go's `fmtInteger` over the magnitude's decimal digits.
fn fmt_integer(out: &mut String, decimal: &str, negative: bool, verb: char, f: &Flags, arg: &Arg) {
    let (base, upper) = match verb {
        'v' | 'd' | 's' if !matches!(arg, Arg::Int(_)) || verb != 's' => (10, false),
        'b' => (2, false),
        'o' | 'O' => (8, false),
        'x' => (16, false),
        'X' => (16, true),
        'c' | 'q' | 'U' if matches!(arg, Arg::Int(_)) => {
            fmt_rune(out, decimal, negative, verb, f);
            return;
        }
        _ => {
            bad_verb(out, verb, f, arg);
            return;
        }
    };
    let mut digits = to_base(decimal, base);
    if upper {
        digits = digits.to_ascii_uppercase();
    }
    let mut prec = 0usize;
    if f.prec_present {
        prec = usize::try_from(f.prec).unwrap_or(0);
        if prec == 0 && digits == "0" {
            let spaces = Flags { zero: false, ..f.clone() };
            pad(out, "", &spaces);
            return;
        }
    } else if f.zero && !f.minus && f.wid_present {
        prec = usize::try_from(f.wid).unwrap_or(0);
        if negative || f.plus || f.space {
            prec = prec.saturating_sub(1);
        }
    }
    let mut s = String::new();
    if negative {
        s.push('-');
    } else if f.plus {
        s.push('+');
    } else if f.space {
        s.push(' ');
    }
    if f.sharp {
        match base {
            2 => s.push_str("0b"),
            8 if !digits.starts_with('0') || prec > digits.len() => s.push('0'),
            16 => s.push_str(if upper { "0X" } else { "0x" }),
            _ => {}
        }
    }
    if verb == 'O' {
        s.push_str("0o");
    }
    for _ in digits.len()..prec {
        s.push('0');
    }
    s.push_str(&digits);
    let no_zero = Flags { zero: false, ..f.clone() };
    pad(out, &s, &no_zero);
}

/// `%c`, `%q` and `%U` of an integer (a code point).
fn fmt_rune(out: &mut String, decimal: &str, negative: bool, verb: char, f: &Flags) {
    let code = if negative { None } else { decimal.parse::<u32>().ok() };
    let c = code.and_then(char::from_u32).unwrap_or('\u{FFFD}');
    match verb {
        'c' => pad(out, &c.to_string(), f),
        'q' => {
            let q = go_quote(&c.to_string(), f.plus);
            let inner = q.get(1..q.len().saturating_sub(1)).unwrap_or("").replace("\\\"", "\"");
            let body = if c == '\'' { "\\'".to_string() } else { inner };
            pad(out, &format!("'{body}'"), f);
        }
        _ => {
            let n = code.unwrap_or(0xFFFD);
            let mut s = format!("U+{n:04X}");
            if f.sharp && !c.is_control() {
                s.push_str(&format!(" '{c}'"));
            }
            pad(out, &s, f);
        }
    }
}

/// Digits of a non-negative decimal number in `base`.
fn to_base(decimal: &str, base: u32) -> String {
    if base == 10 {
        return decimal.to_string();
    }
    if let Ok(n) = decimal.parse::<u128>() {
        return match base {
            2 => format!("{n:b}"),
            8 => format!("{n:o}"),
            _ => format!("{n:x}"),
        };
    }
    // Beyond 128 bits: long division on the decimal digits.
    let mut digits: Vec<u32> = decimal.bytes().map(|b| u32::from(b - b'0')).collect();
    let mut out = Vec::new();
    while !(digits.is_empty() || digits.iter().all(|&d| d == 0)) {
        let mut rem = 0u32;
        let mut next = Vec::with_capacity(digits.len());
        for d in &digits {
            let cur = rem * 10 + d;
            let q = cur / base;
            rem = cur % base;
            if !(next.is_empty() && q == 0) {
                next.push(q);
            }
        }
        out.push(char::from_digit(rem, base).unwrap_or('0'));
        digits = next;
    }
    if out.is_empty() {
        return "0".into();
    }
    out.iter().rev().collect()
}

/// Go's `fmtFloat` for `%v %e %E %f %F %g %G`.
fn fmt_float(out: &mut String, x: f64, verb: char, f: &Flags, arg: &Arg) {
    let prec = if f.prec_present { Some(usize::try_from(f.prec).unwrap_or(0)) } else { None };
    let body = match verb {
        'v' | 'g' | 'G' => format_g(x.abs(), prec, verb == 'G'),
        'e' | 'E' => format_e(x.abs(), prec.unwrap_or(6), verb == 'E'),
        'f' | 'F' => format!("{:.*}", prec.unwrap_or(6), x.abs()),
        _ => {
            bad_verb(out, verb, f, arg);
            return;
        }
    };
    let sign = if x.is_sign_negative() && x != 0.0 {
        "-"
    } else if f.plus {
        "+"
    } else if f.space {
        " "
    } else {
        ""
    };
    if f.zero && !f.minus && f.wid_present {
        let width = usize::try_from(f.wid).unwrap_or(0);
        let len = sign.len() + body.chars().count();
        out.push_str(sign);
        for _ in len..width {
            out.push('0');
        }
        out.push_str(&body);
        return;
    }
    let s = format!("{sign}{body}");
    pad(out, &s, f);
}

/// The significant digits (no trailing zeros) and decimal point position of `x`, rounded
/// to `sig` significant digits, or the shortest that round-trips when `None`.
fn digits_of(x: f64, sig: Option<usize>) -> (String, i32) {
    let e = match sig {
        Some(p) => format!("{:.*e}", p.saturating_sub(1), x),
        None => format!("{x:e}"),
    };
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    (digits, exp + 1)
}

/// strconv's `%e` from digits: one digit, the point, `prec` digits, a signed exponent of
/// at least two digits.
fn fmt_e(digits: &str, dp: i32, prec: usize, upper: bool) -> String {
    let mut s = String::new();
    let mut chars = digits.chars();
    s.push(chars.next().unwrap_or('0'));
    if prec > 0 {
        s.push('.');
        let rest: String = chars.collect();
        for i in 0..prec {
            s.push(rest.chars().nth(i).unwrap_or('0'));
        }
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    s.push(if upper { 'E' } else { 'e' });
    s.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        s.push('0');
    }
    s.push_str(&a.to_string());
    s
}

fn format_e(x: f64, prec: usize, upper: bool) -> String {
    let (digits, dp) = digits_of(x, Some(prec + 1));
    fmt_e(&digits, dp, prec, upper)
}

/// strconv's `%g`: shortest digits (or `prec` significant), `%e` form when the exponent is
/// below -4 or at least the precision (6 for the shortest form).
fn format_g(x: f64, prec: Option<usize>, upper: bool) -> String {
    let (digits, dp) = digits_of(x, prec.map(|p| p.max(1)));
    let nd = digits.len() as i32;
    let mut eprec = prec.map_or(nd, |p| p.max(1) as i32);
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if prec.is_none() {
        eprec = 6;
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    if exp < -4 || exp >= eprec {
        return fmt_e(&digits, dp, (nd - 1).max(0) as usize, upper);
    }
    // Fixed notation with exactly the significant digits.
    let frac = (nd - dp).max(0) as usize;
    format!("{x:.frac$}")
}

/// Go's `pad`: the width counts characters; `-` pads on the right; `0` pads with zeros
/// (only to the left).
pub(crate) fn pad(out: &mut String, s: &str, f: &Flags) {
    let width = if f.wid_present { usize::try_from(f.wid).unwrap_or(0) } else { 0 };
    let len = s.chars().count();
    if width <= len {
        out.push_str(s);
        return;
    }
    let fill = if f.zero && !f.minus { '0' } else { ' ' };
    if f.minus {
        out.push_str(s);
        out.extend(core::iter::repeat_n(' ', width - len));
    } else {
        out.extend(core::iter::repeat_n(fill, width - len));
        out.push_str(s);
    }
}
