//! The CEL standard library: operators, conversions, `size`, string tests, `type`, `dyn`,
//! durations and timestamps, with cel-go's semantics (checked integer arithmetic,
//! heterogeneous numeric equality and ordering).

use std::cmp::Ordering;

use crate::eval::{EvalError, Evaluator, Result};
use crate::library::time;
use crate::value::{Key, Value};

/// CEL equality: numbers compare by value across int, uint and double; values of
/// different types are unequal (never an error).
pub fn equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| equals(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equals(v, w)))
        }
        (Value::Type(x), Value::Type(y)) => x == y,
        (Value::Optional(x), Value::Optional(y)) => match (x, y) {
            (None, None) => true,
            (Some(x), Some(y)) => equals(x, y),
            _ => false,
        },
        (Value::Duration(x), Value::Duration(y)) | (Value::Timestamp(x), Value::Timestamp(y)) => x == y,
        (Value::Ext(x), Value::Ext(y)) => x.equals(y),
        _ => numeric_cmp(a, b) == Some(Ordering::Equal),
    }
}

/// Ordering of two numbers of any numeric types (`None`: not both numbers, or NaN).
pub fn numeric_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Uint(x), Value::Uint(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Uint(y)) => Some(if *x < 0 { Ordering::Less } else { (*x as u64).cmp(y) }),
        (Value::Uint(x), Value::Int(y)) => Some(if *y < 0 { Ordering::Greater } else { x.cmp(&(*y as u64)) }),
        (Value::Double(x), Value::Double(y)) => x.partial_cmp(y),
        (Value::Double(x), Value::Int(y)) => cmp_double_int(*x, *y),
        (Value::Int(x), Value::Double(y)) => cmp_double_int(*y, *x).map(Ordering::reverse),
        (Value::Double(x), Value::Uint(y)) => cmp_double_uint(*x, *y),
        (Value::Uint(x), Value::Double(y)) => cmp_double_uint(*y, *x).map(Ordering::reverse),
        _ => None,
    }
}

fn cmp_double_int(x: f64, y: i64) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    // cel-go compares a double with an int as doubles (lossy near 2^63), outside the int
    // range excepted.
    if x < -9.223_372_036_854_776e18 {
        return Some(Ordering::Less);
    }
    if x > 9.223_372_036_854_776e18 {
        return Some(Ordering::Greater);
    }
    x.partial_cmp(&(y as f64))
}

fn cmp_double_uint(x: f64, y: u64) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    if x < 0.0 {
        return Some(Ordering::Less);
    }
    if x > 1.844_674_407_370_955_2e19 {
        return Some(Ordering::Greater);
    }
    x.partial_cmp(&(y as f64))
}

/// `<`, `<=`, `>`, `>=`: numbers across types, strings, bytes, bools, durations, timestamps.
pub fn compare(op: &str, a: &Value, b: &Value) -> Result<Value> {
    let ordering = match (a, b) {
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bytes(x), Value::Bytes(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Duration(x), Value::Duration(y)) | (Value::Timestamp(x), Value::Timestamp(y)) => Some(x.cmp(y)),
        (Value::Int(_) | Value::Uint(_) | Value::Double(_), Value::Int(_) | Value::Uint(_) | Value::Double(_)) => {
            match numeric_cmp(a, b) {
                Some(o) => Some(o),
                // NaN compares false with everything.
                None => return Ok(Value::Bool(false)),
            }
        }
        _ => None,
    };
    let Some(o) = ordering else {
        return Err(EvalError::no_overload(op, &[a.clone(), b.clone()]));
    };
    Ok(Value::Bool(match op {
        "_<_" => o == Ordering::Less,
        "_<=_" => o != Ordering::Greater,
        "_>_" => o == Ordering::Greater,
        _ => o != Ordering::Less,
    }))
}

fn overflow() -> EvalError {
    EvalError::runtime("integer overflow")
}

pub fn arithmetic(ev: &mut Evaluator<'_>, op: &str, a: &Value, b: &Value) -> Result<Value> {
    use Value::*;
    Ok(match (op, a, b) {
        ("_+_", Int(x), Int(y)) => Int(x.checked_add(*y).ok_or_else(overflow)?),
        ("_-_", Int(x), Int(y)) => Int(x.checked_sub(*y).ok_or_else(overflow)?),
        ("_*_", Int(x), Int(y)) => Int(x.checked_mul(*y).ok_or_else(overflow)?),
        ("_/_", Int(_), Int(0)) | ("_/_", Uint(_), Uint(0)) => return Err(EvalError::runtime("division by zero")),
        ("_%_", Int(_), Int(0)) | ("_%_", Uint(_), Uint(0)) => return Err(EvalError::runtime("modulus by zero")),
        ("_/_", Int(x), Int(y)) => Int(x.checked_div(*y).ok_or_else(overflow)?),
        ("_%_", Int(x), Int(y)) => Int(x.checked_rem(*y).ok_or_else(overflow)?),
        ("_+_", Uint(x), Uint(y)) => Uint(x.checked_add(*y).ok_or_else(overflow)?),
        ("_-_", Uint(x), Uint(y)) => Uint(x.checked_sub(*y).ok_or_else(overflow)?),
        ("_*_", Uint(x), Uint(y)) => Uint(x.checked_mul(*y).ok_or_else(overflow)?),
        ("_/_", Uint(x), Uint(y)) => Uint(x / y),
        ("_%_", Uint(x), Uint(y)) => Uint(x % y),
        ("_+_", Double(x), Double(y)) => Double(x + y),
        ("_-_", Double(x), Double(y)) => Double(x - y),
        ("_*_", Double(x), Double(y)) => Double(x * y),
        ("_/_", Double(x), Double(y)) => Double(x / y),
        ("_+_", String(x), String(y)) => {
            ev.charge_bytes(x.len() + y.len())?;
            let mut s = std::string::String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            Value::string(&s)
        }
        ("_+_", Bytes(x), Bytes(y)) => {
            ev.charge_bytes(x.len() + y.len())?;
            Bytes(x.iter().chain(y.iter()).copied().collect::<Vec<u8>>().into())
        }
        ("_+_", List(x), List(y)) => {
            ev.charge((x.len() + y.len()) as u64 / 10 + 1)?;
            let mut items = Vec::with_capacity(x.len() + y.len());
            items.extend(x.iter().cloned());
            items.extend(y.iter().cloned());
            Value::list(items)
        }
        // Out of range results are errors, as cel-go's overflow checks make them.
        ("_+_", Duration(x), Duration(y)) => time::duration(x + y)?,
        ("_-_", Duration(x), Duration(y)) => time::duration(x - y)?,
        ("_+_", Timestamp(x), Duration(y)) | ("_+_", Duration(y), Timestamp(x)) => time::timestamp(x + y)?,
        ("_-_", Timestamp(x), Duration(y)) => time::timestamp(x - y)?,
        ("_-_", Timestamp(x), Timestamp(y)) => time::duration(x - y)?,
        _ => return Err(EvalError::no_overload(op, &[a.clone(), b.clone()])),
    })
}

/// `x in list` (by CEL equality) and `key in map`.
pub fn contains_element(element: &Value, container: &Value) -> Result<Value> {
    match container {
        Value::List(items) => Ok(Value::Bool(items.iter().any(|i| equals(element, i)))),
        Value::Map(map) => Ok(Value::Bool(Key::from_value(element).is_some_and(|k| map.get(&k).is_some()))),
        _ => Err(EvalError::no_overload("@in", &[element.clone(), container.clone()])),
    }
}

pub fn size(v: &Value) -> Result<Value> {
    Ok(Value::Int(match v {
        Value::String(s) => s.chars().count() as i64,
        Value::Bytes(b) => b.len() as i64,
        Value::List(l) => l.len() as i64,
        Value::Map(m) => m.len() as i64,
        other => return Err(EvalError::no_overload("size", std::slice::from_ref(other))),
    }))
}

/// How `string()` and `format`'s `%s` print a value.
pub fn to_string(v: &Value) -> Result<String> {
    Ok(match v {
        Value::String(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Double(d) => format_double(*d),
        Value::Bytes(b) => String::from_utf8(b.to_vec()).map_err(|_| EvalError::runtime("invalid UTF-8 in bytes"))?,
        Value::Duration(ns) => format_duration(*ns),
        Value::Timestamp(ns) => format_timestamp(*ns),
        Value::Type(t) => t.to_string(),
        Value::Null => "null".into(),
        Value::Ext(e) => e.to_string(),
        other => return Err(EvalError::no_overload("string", std::slice::from_ref(other))),
    })
}

/// Go's `strconv.FormatFloat(d, 'g', -1, 64)` as cel-go prints doubles.
pub fn format_double(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let exp = if d == 0.0 { 0 } else { d.abs().log10().floor() as i32 };
    if !(-4..21).contains(&exp) {
        let s = format!("{d:e}");
        // Rust writes 1e21, Go 1e+21.
        return match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e:0>2}"),
            Some((m, e)) => format!("{m}e-{:0>2}", e.trim_start_matches('-')),
            None => s,
        };
    }
    format!("{d}")
}

/// Debug rendering used in error messages.
pub fn display(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => to_string(other).unwrap_or_else(|_| other.type_name().to_string()),
    }
}

pub fn format_duration(ns: i128) -> String {
    let secs = ns as f64 / 1e9;
    format!("{}s", format_double(secs))
}

pub fn format_timestamp(ns: i128) -> String {
    let secs = ns.div_euclid(1_000_000_000) as i64;
    let nanos = ns.rem_euclid(1_000_000_000) as u32;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let frac = if nanos == 0 { String::new() } else { format!(".{:09}", nanos).trim_end_matches('0').to_string() };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{frac}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// RFC 3339 timestamps (`2024-01-02T03:04:05Z`, with fraction and offset).
pub fn parse_timestamp(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)? as u32, num(8..10)? as u32);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !matches!(b.get(10), Some(b'T' | b't')) {
        return None;
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    let mut nanos: i128 = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        nanos = format!("{digits:0<9}").parse().ok()?;
        rest = frac.get(digits.len()..)?;
    }
    let offset: i64 = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            if rest.len() != 6 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset;
    Some(i128::from(secs) * 1_000_000_000 + nanos)
}

/// Go durations: `1h30m`, `-1.5s`, `300ms`, `2us`, `10ns`.
pub fn parse_duration(s: &str) -> Option<i128> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest.get(..n_end)?.parse().ok()?;
        rest = rest.get(n_end..)?;
        let u_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = match rest.get(..u_end)? {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = rest.get(u_end..)?;
        total += number * unit;
    }
    if total > 9.3e18 {
        return None;
    }
    Some(if neg { -(total as i128) } else { total as i128 })
}

pub fn to_int(v: &Value) -> Result<Value> {
    Ok(Value::Int(match v {
        Value::Int(i) => *i,
        Value::Uint(u) => i64::try_from(*u).map_err(|_| EvalError::runtime("int overflow"))?,
        Value::Double(d) => {
            if !d.is_finite() || *d <= -9.223_372_036_854_776e18 || *d >= 9.223_372_036_854_776e18 {
                return Err(EvalError::runtime("int overflow"));
            }
            d.trunc() as i64
        }
        Value::String(s) => s.parse().map_err(|_| EvalError::runtime(format!("cannot convert '{s}' to int")))?,
        Value::Timestamp(ns) => ns.div_euclid(1_000_000_000) as i64,
        Value::Duration(ns) => *ns as i64,
        other => return Err(EvalError::no_overload("int", std::slice::from_ref(other))),
    }))
}

pub fn to_uint(v: &Value) -> Result<Value> {
    Ok(Value::Uint(match v {
        Value::Uint(u) => *u,
        Value::Int(i) => u64::try_from(*i).map_err(|_| EvalError::runtime("uint overflow"))?,
        Value::Double(d) => {
            if !d.is_finite() || *d < 0.0 || *d >= 1.844_674_407_370_955_2e19 {
                return Err(EvalError::runtime("uint overflow"));
            }
            d.trunc() as u64
        }
        Value::String(s) => s.parse().map_err(|_| EvalError::runtime(format!("cannot convert '{s}' to uint")))?,
        other => return Err(EvalError::no_overload("uint", std::slice::from_ref(other))),
    }))
}

pub fn to_double(v: &Value) -> Result<Value> {
    Ok(Value::Double(match v {
        Value::Double(d) => *d,
        Value::Int(i) => *i as f64,
        Value::Uint(u) => *u as f64,
        Value::String(s) => match s.as_ref() {
            "NaN" => f64::NAN,
            "Inf" | "+Inf" | "Infinity" => f64::INFINITY,
            "-Inf" | "-Infinity" => f64::NEG_INFINITY,
            _ => s.parse().map_err(|_| EvalError::runtime(format!("cannot convert '{s}' to double")))?,
        },
        other => return Err(EvalError::no_overload("double", std::slice::from_ref(other))),
    }))
}

pub fn to_bool(v: &Value) -> Result<Value> {
    Ok(Value::Bool(match v {
        Value::Bool(b) => *b,
        Value::String(s) => match s.as_ref() {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
            "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
            _ => return Err(EvalError::runtime(format!("type conversion error from 'string' to 'bool': {s}"))),
        },
        other => return Err(EvalError::no_overload("bool", std::slice::from_ref(other))),
    }))
}
