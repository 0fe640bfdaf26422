//! Builtins whose result can be far larger than their arguments, replaced by versions that
//! compute the size first and refuse (an evaluation error) beyond a bound, so that one call
//! cannot exhaust memory between two budget checks: `numbers.range` and
//! `numbers.range_step` (a count from two numbers), `concat`, `replace` and
//! `strings.replace_n` (a product of two lengths), `json.marshal` of a value built from
//! shared parts (exponential in its size in memory). Results are those of OPA.

use regorus::Value;

use super::add;

/// The longest string one builtin call may produce.
pub(crate) const MAX_STRING: usize = 16 << 20;
/// The most elements one builtin call may produce.
pub(crate) const MAX_ELEMENTS: u64 = 1_000_000;

pub(super) fn register(engine: &mut regorus::Engine) {
    add(engine, "numbers.range", 2, range);
    add(engine, "numbers.range_step", 3, range_step);
    add(engine, "concat", 2, concat);
    add(engine, "replace", 3, replace);
    add(engine, "strings.replace_n", 2, replace_n);
    add(engine, "json.marshal", 1, json_marshal);
}

fn too_big(what: &str) -> anyhow::Error {
    anyhow::anyhow!("{what}: the result would exceed the size a policy may build")
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) if n.is_integer() => n.as_i64(),
        _ => None,
    }
}

fn range(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(a), Some(b)) = (args.first().and_then(int), args.get(1).and_then(int)) else {
        return Ok(Value::Undefined);
    };
    stepped(a, b, 1, "numbers.range")
}

fn range_step(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(a), Some(b), Some(step)) =
        (args.first().and_then(int), args.get(1).and_then(int), args.get(2).and_then(int))
    else {
        return Ok(Value::Undefined);
    };
    if step <= 0 {
        return Err(anyhow::anyhow!("numbers.range_step: step must be a positive integer"));
    }
    stepped(a, b, step, "numbers.range_step")
}

fn stepped(a: i64, b: i64, step: i64, what: &str) -> anyhow::Result<Value> {
    let span = (i128::from(b) - i128::from(a)).unsigned_abs() / step.unsigned_abs() as u128 + 1;
    if span > u128::from(MAX_ELEMENTS) {
        return Err(too_big(what));
    }
    let mut out = Vec::with_capacity(span as usize);
    let mut x = i128::from(a);
    for _ in 0..span {
        out.push(Value::from(x as i64));
        x += if a <= b { i128::from(step) } else { -i128::from(step) };
    }
    Ok(Value::from(out))
}

fn strings_of(v: &Value) -> Option<Vec<&str>> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Set(s) => s.iter().collect(),
        _ => return None,
    };
    items.into_iter().map(|i| if let Value::String(s) = i { Some(&**s) } else { None }).collect()
}

fn concat(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(Value::String(delim)), Some(parts)) = (args.first(), args.get(1).and_then(strings_of)) else {
        return Ok(Value::Undefined);
    };
    let total = parts
        .iter()
        .map(|p| p.len())
        .sum::<usize>()
        .saturating_add(delim.len().saturating_mul(parts.len().saturating_sub(1)));
    if total > MAX_STRING {
        return Err(too_big("concat"));
    }
    Ok(Value::from(parts.join(delim)))
}

fn replace(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(Value::String(s)), Some(Value::String(old)), Some(Value::String(new))) =
        (args.first(), args.get(1), args.get(2))
    else {
        return Ok(Value::Undefined);
    };
    // Go's strings.Replace(s, old, new, -1): an empty `old` matches before every character
    // and at the end.
    let hits = if old.is_empty() { s.chars().count() + 1 } else { s.matches(&**old).count() };
    let size = s.len().saturating_sub(hits.saturating_mul(old.len())).saturating_add(hits.saturating_mul(new.len()));
    if size > MAX_STRING {
        return Err(too_big("replace"));
    }
    Ok(Value::from(s.replace(&**old, new)))
}

/// Go's `strings.NewReplacer(k1, v1, k2, v2, ...).Replace(s)` with the pattern keys in
/// sorted order: at each position the first pattern that matches wins, matches do not
/// overlap, an empty pattern matches at every position where no other does.
fn replace_n(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(Value::Object(patterns)), Some(Value::String(s))) = (args.first(), args.get(1)) else {
        return Ok(Value::Undefined);
    };
    let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(patterns.len());
    for (k, v) in patterns.iter() {
        let (Value::String(k), Value::String(v)) = (k, v) else { return Ok(Value::Undefined) };
        pairs.push((k, v));
    }
    let longest = pairs.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    let bound = s.len().saturating_add((s.len() + 1).saturating_mul(longest));
    let mut out = String::with_capacity(s.len().min(MAX_STRING));
    let mut i = 0usize;
    let empty = pairs.iter().find(|(k, _)| k.is_empty()).map(|(_, v)| *v);
    loop {
        let rest = s.get(i..).unwrap_or("");
        if let Some((k, v)) = pairs.iter().find(|(k, _)| !k.is_empty() && rest.starts_with(*k)) {
            out.push_str(v);
            i += k.len();
        } else {
            if let Some(v) = empty {
                out.push_str(v);
            }
            let Some(c) = rest.chars().next() else { break };
            out.push(c);
            i += c.len_utf8();
        }
        if bound > MAX_STRING && out.len() > MAX_STRING {
            return Err(too_big("strings.replace_n"));
        }
    }
    Ok(Value::from(out))
}

/// Counts a value's nodes as a traversal would meet them (shared parts once per use), and
/// stops at `limit`.
pub(crate) fn logical_size(v: &Value, limit: u64) -> u64 {
    fn walk(v: &Value, seen: &mut u64, limit: u64) {
        if *seen > limit {
            return;
        }
        *seen += match v {
            Value::String(s) => 1 + s.len() as u64 / 16,
            _ => 1,
        };
        match v {
            Value::Array(a) => a.iter().for_each(|x| walk(x, seen, limit)),
            Value::Set(s) => s.iter().for_each(|x| walk(x, seen, limit)),
            Value::Object(o) => o.iter().for_each(|(k, x)| {
                walk(k, seen, limit);
                walk(x, seen, limit);
            }),
            _ => {}
        }
    }
    let mut seen = 0;
    walk(v, &mut seen, limit);
    seen
}

/// OPA's `json.marshal`: Go's encoding/json of the value (object keys sorted, sets as
/// sorted arrays, `<`, `>`, `&`, U+2028 and U+2029 escaped).
fn json_marshal(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some(v) = args.first() else { return Ok(Value::Undefined) };
    if logical_size(v, MAX_ELEMENTS) > MAX_ELEMENTS {
        return Err(too_big("json.marshal"));
    }
    let text = serde_json::to_string(v).map_err(|e| anyhow::anyhow!("json.marshal: {e}"))?;
    Ok(Value::from(go_json_escapes(&text)))
}

pub(crate) fn go_json_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}
