//! The `regex.*` builtins (and the deprecated `re_match`) on regex-lite: a linear-time engine
//! without Unicode tables, whose `\d`, `\w`, `\s` and `\b` are ASCII as in Go's RE2, and whose
//! compiled size is bounded, so a pattern cannot make a policy slow. regorus' own `regex`
//! feature brings the full `regex` crate (about 100 KB gzip in wasm); this keeps the engine the
//! CEL module uses. Not supported: Unicode classes (`\pL`) and Unicode case folding; such a
//! pattern is invalid here, and the call undefined (what OPA does with an invalid pattern).

use core::cell::RefCell;
use std::collections::HashMap;

use regex_lite::{Regex, RegexBuilder};
use regorus::Value;

use super::add;
use super::bounded::{MAX_ELEMENTS, MAX_STRING};

/// Compiled-program size per pattern, as regorus bounds its own.
const SIZE_LIMIT: usize = 100 * 1024;
/// Patterns kept compiled per thread (policies match a few patterns over many objects).
const CACHE: usize = 64;

thread_local! {
    static COMPILED: RefCell<HashMap<String, Option<Regex>>> = RefCell::new(HashMap::new());
}

pub(super) fn register(engine: &mut regorus::Engine) {
    add(engine, "regex.match", 2, matches);
    add(engine, "re_match", 2, matches);
    add(engine, "regex.is_valid", 1, is_valid);
    add(engine, "regex.split", 2, split);
    add(engine, "regex.find_n", 3, find_n);
    add(engine, "regex.find_all_string_submatch_n", 3, submatches);
    add(engine, "regex.replace", 3, replace);
}

/// The compiled pattern, or `None` when it is invalid (or too large).
pub(crate) fn compiled(pattern: &str) -> Option<Regex> {
    COMPILED.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(r) = c.get(pattern) {
            return r.clone();
        }
        let r = RegexBuilder::new(pattern).size_limit(SIZE_LIMIT).nest_limit(100).build().ok();
        if c.len() >= CACHE {
            c.clear();
        }
        c.insert(pattern.to_string(), r.clone());
        r
    })
}

fn strs(args: &[Value]) -> Option<(&str, &str)> {
    match (args.first(), args.get(1)) {
        (Some(Value::String(a)), Some(Value::String(b))) => Some((a, b)),
        _ => None,
    }
}

fn count(v: Option<&Value>) -> Option<usize> {
    let Some(Value::Number(n)) = v else { return None };
    let n = n.as_i64()?;
    Some(if n < 0 { usize::MAX } else { n as usize })
}

fn matches(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some((pattern, value)) = strs(&args) else { return Ok(Value::Undefined) };
    Ok(compiled(pattern).map_or(Value::Undefined, |r| Value::from(r.is_match(value))))
}

fn is_valid(args: Vec<Value>) -> anyhow::Result<Value> {
    Ok(match args.first() {
        Some(Value::String(p)) => Value::from(compiled(p).is_some()),
        _ => Value::from(false),
    })
}

/// Go's `Regexp.Split(s, -1)`: an empty match at the very start splits nothing off, and no
/// empty tail follows a match at the very end.
fn split(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some((pattern, value)) = strs(&args) else { return Ok(Value::Undefined) };
    let Some(r) = compiled(pattern) else { return Ok(Value::Undefined) };
    if !pattern.is_empty() && value.is_empty() {
        return Ok(Value::from(vec![Value::from("")]));
    }
    let mut out = Vec::new();
    let (mut beg, mut end) = (0usize, 0usize);
    for m in r.find_iter(value) {
        end = m.start();
        if m.end() != 0 {
            out.push(Value::from(value.get(beg..end).unwrap_or("")));
        }
        beg = m.end();
        if out.len() as u64 > MAX_ELEMENTS {
            return Err(anyhow::anyhow!("regex.split: too many parts"));
        }
    }
    if end != value.len() {
        out.push(Value::from(value.get(beg..).unwrap_or("")));
    }
    Ok(Value::from(out))
}

fn find_n(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some((pattern, value)) = strs(&args) else { return Ok(Value::Undefined) };
    let (Some(r), Some(n)) = (compiled(pattern), count(args.get(2))) else { return Ok(Value::Undefined) };
    let found: Vec<Value> =
        r.find_iter(value).take(n.min(MAX_ELEMENTS as usize)).map(|m| Value::from(m.as_str())).collect();
    Ok(Value::from(found))
}

fn submatches(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some((pattern, value)) = strs(&args) else { return Ok(Value::Undefined) };
    let (Some(r), Some(n)) = (compiled(pattern), count(args.get(2))) else { return Ok(Value::Undefined) };
    let mut out = Vec::new();
    for caps in r.captures_iter(value).take(n.min(MAX_ELEMENTS as usize)) {
        let groups: Vec<Value> = caps.iter().map(|g| Value::from(g.map_or("", |g| g.as_str()))).collect();
        out.push(Value::from(groups));
    }
    Ok(Value::from(out))
}

/// Go's `ReplaceAllString`: `$1` and `${name}` in the replacement expand.
fn replace(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(Value::String(s)), Some(Value::String(pattern)), Some(Value::String(with))) =
        (args.first(), args.get(1), args.get(2))
    else {
        return Ok(Value::Undefined);
    };
    let Some(r) = compiled(pattern) else { return Ok(Value::Undefined) };
    let hits = r.find_iter(s).count();
    if s.len().saturating_add(hits.saturating_mul(with.len().saturating_mul(2))) > MAX_STRING {
        return Err(anyhow::anyhow!("regex.replace: the result would exceed the size a policy may build"));
    }
    Ok(Value::from(r.replace_all(s, &**with).into_owned()))
}
