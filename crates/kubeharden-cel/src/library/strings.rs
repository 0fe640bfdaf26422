//! cel-go's strings extension (`ext.Strings`) as the API server enables it: indices count
//! code points, `split` is Go's `strings.SplitN`, `trim` is Go's `strings.TrimSpace`.
//! Plus the standard string tests (`contains`, `startsWith`, `endsWith`).

use crate::eval::{EvalError, Evaluator, Result};
use crate::library::stdlib;
use crate::value::Value;

fn int_arg(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

fn out_of_range(i: i64) -> EvalError {
    EvalError::runtime(format!("index out of range: {i}"))
}

/// Code point index of the byte offset `byte` in `s`.
fn char_index(s: &str, byte: usize) -> i64 {
    s.get(..byte).map_or(0, |p| p.chars().count() as i64)
}

/// Byte offset of the code point index `i` (`None` past the end).
fn byte_offset(s: &str, i: i64) -> Option<usize> {
    let i = usize::try_from(i).ok()?;
    if i == 0 {
        return Some(0);
    }
    match s.char_indices().nth(i) {
        Some((b, _)) => Some(b),
        None if s.chars().count() == i => Some(s.len()),
        None => None,
    }
}

pub fn call(ev: &mut Evaluator<'_>, name: &str, member: bool, args: &[Value]) -> Result<Option<Value>> {
    if !member {
        return Ok(None);
    }
    let Some(Value::String(s)) = args.first() else {
        if let (Some(Value::List(items)), "join") = (args.first(), name) {
            let sep = match args.get(1) {
                Some(Value::String(sep)) => sep.to_string(),
                None => String::new(),
                Some(other) => return Err(EvalError::no_overload("join", std::slice::from_ref(other))),
            };
            let mut parts = Vec::with_capacity(items.len());
            for item in items.iter() {
                match item {
                    Value::String(p) => parts.push(p.to_string()),
                    other => return Err(EvalError::no_overload("join", std::slice::from_ref(other))),
                }
            }
            let out = parts.join(&sep);
            ev.charge_bytes(out.len())?;
            return Ok(Some(Value::string(&out)));
        }
        return Ok(None);
    };
    let s: &str = s;
    let arg_str = |i: usize| match args.get(i) {
        Some(Value::String(x)) => Some(x.to_string()),
        _ => None,
    };
    ev.charge_bytes(s.len())?;
    let out = match (name, args.len()) {
        ("contains", 2) => Value::Bool(s.contains(&*arg_str(1).ok_or_else(|| EvalError::no_overload(name, args))?)),
        ("startsWith", 2) => {
            Value::Bool(s.starts_with(&*arg_str(1).ok_or_else(|| EvalError::no_overload(name, args))?))
        }
        ("endsWith", 2) => Value::Bool(s.ends_with(&*arg_str(1).ok_or_else(|| EvalError::no_overload(name, args))?)),
        ("charAt", 2) => {
            let i = int_arg(args.get(1)).ok_or_else(|| EvalError::no_overload(name, args))?;
            let len = s.chars().count() as i64;
            if i < 0 || i > len {
                return Err(out_of_range(i));
            }
            Value::string(&s.chars().nth(i as usize).map(String::from).unwrap_or_default())
        }
        ("indexOf", 2 | 3) => {
            let sub = arg_str(1).ok_or_else(|| EvalError::no_overload(name, args))?;
            let offset = if args.len() == 3 {
                int_arg(args.get(2)).ok_or_else(|| EvalError::no_overload(name, args))?
            } else {
                0
            };
            let len = s.chars().count() as i64;
            if offset < 0 || offset > len {
                return Err(out_of_range(offset));
            }
            let start = byte_offset(s, offset).unwrap_or(s.len());
            match s.get(start..).and_then(|rest| rest.find(&*sub)) {
                Some(b) => Value::Int(char_index(s, start + b)),
                None => Value::Int(-1),
            }
        }
        ("lastIndexOf", 2 | 3) => {
            let sub = arg_str(1).ok_or_else(|| EvalError::no_overload(name, args))?;
            let len = s.chars().count() as i64;
            let offset = if args.len() == 3 {
                int_arg(args.get(2)).ok_or_else(|| EvalError::no_overload(name, args))?
            } else {
                len
            };
            if offset < 0 || offset > len {
                return Err(out_of_range(offset));
            }
            if sub.is_empty() {
                return Ok(Some(Value::Int(offset)));
            }
            // The match may start at `offset` at the latest; a match ends on a character
            // boundary, so the haystack's end comes back to one.
            let mut end = (byte_offset(s, offset).unwrap_or(s.len()) + sub.len()).min(s.len());
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            let hay = s.get(..end).unwrap_or(s);
            match hay.rfind(&*sub) {
                Some(b) => Value::Int(char_index(s, b)),
                None => Value::Int(-1),
            }
        }
        ("lowerAscii", 1) => Value::string(&s.to_ascii_lowercase()),
        ("upperAscii", 1) => Value::string(&s.to_ascii_uppercase()),
        ("replace", 3 | 4) => {
            let (old, new) = (arg_str(1), arg_str(2));
            let (Some(old), Some(new)) = (old, new) else { return Err(EvalError::no_overload(name, args)) };
            let n = if args.len() == 4 {
                int_arg(args.get(3)).ok_or_else(|| EvalError::no_overload(name, args))?
            } else {
                -1
            };
            // Bound the result before building it.
            let count = if old.is_empty() { s.chars().count() + 1 } else { s.matches(&*old).count() };
            let count = if n < 0 { count } else { count.min(n as usize) };
            ev.charge_bytes(s.len() + count * new.len())?;
            let out = if n < 0 { s.replace(&*old, &new) } else { s.replacen(&*old, &new, n as usize) };
            Value::string(&out)
        }
        ("split", 2 | 3) => {
            let sep = arg_str(1).ok_or_else(|| EvalError::no_overload(name, args))?;
            let n = if args.len() == 3 {
                int_arg(args.get(2)).ok_or_else(|| EvalError::no_overload(name, args))?
            } else {
                -1
            };
            Value::list(split_n(s, &sep, n).into_iter().map(|p| Value::string(&p)).collect())
        }
        ("substring", 2 | 3) => {
            let len = s.chars().count() as i64;
            let start = int_arg(args.get(1)).ok_or_else(|| EvalError::no_overload(name, args))?;
            let end = if args.len() == 3 {
                int_arg(args.get(2)).ok_or_else(|| EvalError::no_overload(name, args))?
            } else {
                len
            };
            if start < 0 || start > len {
                return Err(out_of_range(start));
            }
            if end < 0 || end > len {
                return Err(out_of_range(end));
            }
            if start > end {
                return Err(EvalError::runtime(format!("invalid substring range. start: {start}, end: {end}")));
            }
            Value::string(&s.chars().skip(start as usize).take((end - start) as usize).collect::<String>())
        }
        ("trim", 1) => Value::string(s.trim()),
        ("format", 2) => {
            let Some(Value::List(items)) = args.get(1) else { return Err(EvalError::no_overload(name, args)) };
            let out = format(s, items)?;
            ev.charge_bytes(out.len())?;
            Value::string(&out)
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}

/// Go's `strings.SplitN`.
fn split_n(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = s.chars().map(String::from).collect();
        if n < 0 || chars.len() <= n as usize {
            return chars;
        }
        let mut out: Vec<String> = chars.iter().take(n as usize - 1).cloned().collect();
        out.push(chars.iter().skip(n as usize - 1).cloned().collect());
        return out;
    }
    if n < 0 {
        return s.split(sep).map(String::from).collect();
    }
    s.splitn(n as usize, sep).map(String::from).collect()
}

/// `strings.quote`: a CEL string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `string.format(list)`: `%s %d %f %.Nf %e %x %X %o %b %%`.
fn format(template: &str, args: &[Value]) -> Result<String> {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    let mut next = args.iter();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut precision: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            precision = digits.parse().ok();
        }
        let Some(verb) = chars.next() else { return Err(EvalError::runtime("unexpected end of format string")) };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = next.next() else {
            return Err(EvalError::runtime(format!("index {} out of range", args.len())));
        };
        let piece = match verb {
            's' => format_s(arg)?,
            'd' => match arg {
                Value::Int(i) => i.to_string(),
                Value::Uint(u) => u.to_string(),
                Value::Double(d) if !d.is_finite() => non_finite(*d),
                other => {
                    return Err(EvalError::runtime(format!(
                        "error during formatting: decimal clause can only be used on integers, was given {}",
                        other.type_name()
                    )));
                }
            },
            'f' | 'e' => {
                let d = match arg {
                    Value::Double(d) => *d,
                    Value::Int(i) => *i as f64,
                    Value::Uint(u) => *u as f64,
                    other => {
                        return Err(EvalError::runtime(format!(
                            "error during formatting: fixed-point clause can only be used on doubles, was given {}",
                            other.type_name()
                        )));
                    }
                };
                let p = precision.unwrap_or(6);
                if !d.is_finite() {
                    non_finite(d)
                } else if verb == 'f' {
                    format!("{d:.p$}")
                } else {
                    go_exponent(&format!("{d:.p$e}"))
                }
            }
            'x' | 'X' | 'o' | 'b' => {
                let n: i128 = match arg {
                    Value::Int(i) => i128::from(*i),
                    Value::Uint(u) => i128::from(*u),
                    Value::Bool(b) if verb == 'b' => i128::from(*b),
                    Value::String(_) | Value::Bytes(_) if matches!(verb, 'x' | 'X') => {
                        let bytes: &[u8] = match arg {
                            Value::String(s) => s.as_bytes(),
                            Value::Bytes(b) => b,
                            _ => &[],
                        };
                        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                        out.push_str(&if verb == 'X' { hex.to_uppercase() } else { hex });
                        continue;
                    }
                    other => {
                        return Err(EvalError::runtime(format!(
                            "error during formatting: only integers can be formatted, was given {}",
                            other.type_name()
                        )));
                    }
                };
                let (neg, m) = (n < 0, n.unsigned_abs());
                let body = match verb {
                    'x' => format!("{m:x}"),
                    'X' => format!("{m:X}"),
                    'o' => format!("{m:o}"),
                    _ => format!("{m:b}"),
                };
                if neg { format!("-{body}") } else { body }
            }
            other => {
                return Err(EvalError::runtime(format!(
                    "could not parse formatting clause: unrecognized formatting clause \"{other}\""
                )));
            }
        };
        out.push_str(&piece);
    }
    Ok(out)
}

/// `%s`: lists and maps element by element (map entries in the order of their keys' text),
/// doubles as CEL spells them (`Infinity`, not Go's `+Inf`), the rest as `string()` gives it.
fn format_s(v: &Value) -> Result<String> {
    match v {
        Value::List(items) => {
            let parts: Result<Vec<String>> = items.iter().map(format_s).collect();
            Ok(format!("[{}]", parts?.join(", ")))
        }
        Value::Map(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (k, v) in map.iter() {
                entries.push((format_s(&k.to_value())?, format_s(v)?));
            }
            entries.sort();
            let parts: Vec<String> = entries.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
            Ok(format!("{{{}}}", parts.join(", ")))
        }
        Value::Double(d) if !d.is_finite() => Ok(non_finite(*d)),
        other => stdlib::to_string(other),
    }
}

fn non_finite(d: f64) -> String {
    if d.is_nan() {
        "NaN".into()
    } else if d > 0.0 {
        "Infinity".into()
    } else {
        "-Infinity".into()
    }
}

/// Rust writes `1.5e3`, Go (and cel-go's `%e`) `1.5e+03`.
fn go_exponent(rust: &str) -> String {
    match rust.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => rust.to_string(),
    }
}
