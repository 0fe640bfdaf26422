//! `sprintf` as OPA computes it: the arguments become Go values (an integer that fits in 64
//! bits an `int`, a larger one a `*big.Int`, another number a `float64`, a string a
//! `string`, anything else the string of its Rego value) and Go's `fmt.Sprintf` formats
//! them. regorus has its own `sprintf` that errs where Go writes `%!v(MISSING)` (a message
//! with one argument too few then vanishes, and with it the violation), ignores flags, and
//! panics on some widths; this one follows Go's `fmt` directive by directive, and bounds
//! its output.

mod verbs;

use regorus::Value;

use super::rego_string::rego_string;
use verbs::{Flags, format_arg};

/// The longest result `sprintf` builds (Go caps widths at 10^6, but a format string can
/// repeat them).
const MAX_OUTPUT: usize = 4 << 20;

pub(super) fn register(engine: &mut regorus::Engine) {
    super::add(engine, "sprintf", 2, sprintf);
}

/// A `sprintf` argument as OPA hands it to Go.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Arg {
    Int(i64),
    /// An integer beyond 64 bits, by its decimal digits (with a leading `-` if negative).
    Big(String),
    Float(f64),
    Str(String),
}

impl Arg {
    fn of(v: &Value) -> Arg {
        match v {
            Value::String(s) => Arg::Str(s.to_string()),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Arg::Int(i)
                } else if n.is_integer() && n.as_f64().is_none_or(|f| f.fract() == 0.0) {
                    let text = n.format_decimal();
                    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                        Arg::Big(text)
                    } else {
                        Arg::Float(n.as_f64().unwrap_or(0.0))
                    }
                } else {
                    Arg::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            other => Arg::Str(rego_string(other)),
        }
    }

    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Arg::Int(_) => "int",
            Arg::Big(_) => "*big.Int",
            Arg::Float(_) => "float64",
            Arg::Str(_) => "string",
        }
    }
}

fn sprintf(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(Value::String(format)), Some(Value::Array(values))) = (args.first(), args.get(1)) else {
        // A type error: OPA (without strict builtin errors) leaves the call undefined.
        return Ok(Value::Undefined);
    };
    let values: Vec<Arg> = values.iter().map(Arg::of).collect();
    let out = go_sprintf(format, &values)?;
    Ok(Value::from(out))
}

/// Go's `fmt.Sprintf(format, args...)`.
pub(crate) fn go_sprintf(format: &str, args: &[Arg]) -> anyhow::Result<String> {
    let f = format.as_bytes();
    let end = f.len();
    let mut out = String::with_capacity(format.len() + 16 * args.len());
    let mut arg_num = 0usize;
    let mut reordered = false;
    let mut i = 0usize;
    while i < end {
        let mut good_arg_num = true;
        let lasti = i;
        while i < end && f.get(i) != Some(&b'%') {
            i += 1;
        }
        out.push_str(format.get(lasti..i).unwrap_or(""));
        if i >= end {
            break;
        }
        i += 1; // the '%'
        let mut flags = Flags::default();
        while let Some(&c) = f.get(i) {
            match c {
                b'#' => flags.sharp = true,
                b'0' => flags.zero = !flags.minus,
                b'+' => flags.plus = true,
                b'-' => {
                    flags.minus = true;
                    flags.zero = false;
                }
                b' ' => flags.space = true,
                _ => break,
            }
            i += 1;
        }
        // An explicit argument index, then the width.
        let (n, ni, mut after_index) = arg_number(arg_num, f, i, args.len(), &mut good_arg_num, &mut reordered);
        arg_num = n;
        i = ni;
        if f.get(i) == Some(&b'*') {
            i += 1;
            let (w, present, next) = int_from_arg(args, arg_num);
            arg_num = next;
            flags.wid = w;
            flags.wid_present = present;
            if !present {
                out.push_str("%!(BADWIDTH)");
            }
            if flags.wid < 0 {
                flags.wid = -flags.wid;
                flags.minus = true;
                flags.zero = false;
            }
            after_index = false;
        } else {
            let (w, present, next) = parse_num(f, i, end);
            flags.wid = w;
            flags.wid_present = present;
            i = next;
            if after_index && present {
                good_arg_num = false;
            }
        }
        // The precision.
        if i + 1 < end && f.get(i) == Some(&b'.') {
            i += 1;
            if after_index {
                good_arg_num = false;
            }
            let (n, ni, found) = arg_number(arg_num, f, i, args.len(), &mut good_arg_num, &mut reordered);
            arg_num = n;
            i = ni;
            after_index = found;
            if f.get(i) == Some(&b'*') {
                i += 1;
                let (p, present, next) = int_from_arg(args, arg_num);
                arg_num = next;
                flags.prec = p;
                flags.prec_present = present;
                if flags.prec < 0 {
                    flags.prec = 0;
                    flags.prec_present = false;
                }
                if !present {
                    out.push_str("%!(BADPREC)");
                }
                after_index = false;
            } else {
                let (p, present, next) = parse_num(f, i, end);
                i = next;
                flags.prec = if present { p } else { 0 };
                flags.prec_present = true;
            }
        }
        if !after_index {
            let (n, ni, _) = arg_number(arg_num, f, i, args.len(), &mut good_arg_num, &mut reordered);
            arg_num = n;
            i = ni;
        }
        if i >= end {
            out.push_str("%!(NOVERB)");
            break;
        }
        let verb = format.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
        } else if !good_arg_num {
            out.push_str(&format!("%!{verb}(BADINDEX)"));
        } else if let Some(arg) = args.get(arg_num) {
            if verb == 'v' {
                flags.sharp_v = flags.sharp;
                flags.sharp = false;
                flags.plus_v = flags.plus;
                flags.plus = false;
            }
            format_arg(&mut out, arg, verb, &flags);
            arg_num += 1;
        } else {
            out.push_str(&format!("%!{verb}(MISSING)"));
        }
        if out.len() > MAX_OUTPUT {
            return Err(anyhow::anyhow!("sprintf: the result would exceed {} MiB", MAX_OUTPUT >> 20));
        }
    }
    if !reordered && arg_num < args.len() {
        out.push_str("%!(EXTRA ");
        for (n, arg) in args.iter().skip(arg_num).enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            out.push_str(arg.type_name());
            out.push('=');
            format_arg(&mut out, arg, 'v', &Flags::default());
        }
        out.push(')');
    }
    if out.len() > MAX_OUTPUT {
        return Err(anyhow::anyhow!("sprintf: the result would exceed {} MiB", MAX_OUTPUT >> 20));
    }
    Ok(out)
}

/// Go's `tooLarge`: widths and precisions beyond a million are not numbers.
fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

/// Go's `parsenum`: digits at `start`; on overflow, "no number" and the end of the format.
fn parse_num(f: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num = 0i64;
    let mut is_num = false;
    let mut i = start;
    while let Some(&c) = f.get(i).filter(|c| c.is_ascii_digit()) {
        if i >= end {
            break;
        }
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(c - b'0');
        is_num = true;
        i += 1;
    }
    (num, is_num, i)
}

/// Go's `argNumber`: an optional `[n]` (1-based) at `i`.
fn arg_number(
    arg_num: usize,
    f: &[u8],
    i: usize,
    num_args: usize,
    good: &mut bool,
    reordered: &mut bool,
) -> (usize, usize, bool) {
    if f.len() <= i || f.get(i) != Some(&b'[') {
        return (arg_num, i, false);
    }
    *reordered = true;
    let rest = f.get(i..).unwrap_or(&[]);
    let (index, wid, ok) = parse_arg_number(rest);
    if ok && index >= 0 && (index as usize) < num_args {
        return (index as usize, i + wid, true);
    }
    *good = false;
    (arg_num, i + wid, ok)
}

fn parse_arg_number(f: &[u8]) -> (i64, usize, bool) {
    if f.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..f.len() {
        if f.get(i) == Some(&b']') {
            let (width, ok, newi) = parse_num(f, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Go's `intFromArg`: the argument as a width or precision (only `int` arguments count).
fn int_from_arg(args: &[Arg], arg_num: usize) -> (i64, bool, usize) {
    match args.get(arg_num) {
        Some(Arg::Int(n)) if !too_large(*n) => (*n, true, arg_num + 1),
        Some(_) => (0, false, arg_num + 1),
        None => (0, false, arg_num),
    }
}

#[cfg(test)]
mod tests;
