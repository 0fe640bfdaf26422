//! `matches` (standard) and the Kubernetes regex library (`find`, `findAll`), on
//! regex-lite: a linear-time engine with RE2's syntax for what policies use, no
//! backtracking, so a hostile pattern costs what its input size allows and no more.

use std::cell::RefCell;
use std::rc::Rc;

use regex_lite::{Regex, RegexBuilder};

use crate::eval::{EvalError, Evaluator, Result};
use crate::value::Value;

thread_local! {
    /// Compiled patterns: policies use a handful, evaluated over many objects.
    static CACHE: RefCell<Vec<(Rc<str>, Rc<Regex>)>> = const { RefCell::new(Vec::new()) };
}

const CACHE_SIZE: usize = 64;

pub fn compile(pattern: &str) -> Result<Rc<Regex>> {
    if let Some(found) = CACHE.with(|c| c.borrow().iter().find(|(p, _)| &**p == pattern).map(|(_, r)| r.clone())) {
        return Ok(found);
    }
    let regex = RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .nest_limit(100)
        .build()
        .map_err(|e| EvalError::runtime(format!("error parsing regexp: {e}")))?;
    let regex = Rc::new(regex);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_SIZE {
            c.remove(0);
        }
        c.push((Rc::from(pattern), regex.clone()));
    });
    Ok(regex)
}

pub fn call(ev: &mut Evaluator<'_>, name: &str, _member: bool, args: &[Value]) -> Result<Option<Value>> {
    let (Some(Value::String(s)), Some(Value::String(pattern))) = (args.first(), args.get(1)) else {
        return Ok(None);
    };
    ev.charge_bytes(s.len() + pattern.len())?;
    let out = match (name, args.len()) {
        ("matches", 2) => Value::Bool(compile(pattern)?.is_match(s)),
        ("find", 2) => Value::string(compile(pattern)?.find(s).map_or("", |m| m.as_str())),
        ("findAll", 2 | 3) => {
            let limit = match args.get(2) {
                Some(Value::Int(n)) => *n,
                None => -1,
                Some(other) => return Err(EvalError::no_overload("findAll", std::slice::from_ref(other))),
            };
            if limit == 0 {
                return Ok(Some(Value::list(Vec::new())));
            }
            let regex = compile(pattern)?;
            let found = regex.find_iter(s).map(|m| Value::string(m.as_str()));
            Value::list(if limit < 0 { found.collect() } else { found.take(limit as usize).collect() })
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}
