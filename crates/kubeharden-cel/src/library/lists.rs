//! The Kubernetes lists library (k8s.io/apiserver/pkg/cel/library/lists.go): `isSorted`,
//! `sum`, `min`, `max`, `indexOf`, `lastIndexOf` on lists of comparable elements.

use std::cmp::Ordering;

use crate::eval::{EvalError, Evaluator, Result};
use crate::library::stdlib;
use crate::value::Value;

fn order(a: &Value, b: &Value) -> Result<Ordering> {
    match stdlib::compare("_<_", a, b)? {
        Value::Bool(true) => Ok(Ordering::Less),
        _ => match stdlib::compare("_>_", a, b)? {
            Value::Bool(true) => Ok(Ordering::Greater),
            _ => Ok(Ordering::Equal),
        },
    }
}

pub fn call(ev: &mut Evaluator<'_>, name: &str, member: bool, args: &[Value]) -> Result<Option<Value>> {
    let (true, Some(Value::List(items))) = (member, args.first()) else { return Ok(None) };
    ev.charge(items.len() as u64)?;
    let out = match (name, args.len()) {
        ("isSorted", 1) => {
            let mut sorted = true;
            for pair in items.windows(2) {
                if let [a, b] = pair
                    && order(a, b)? == Ordering::Greater
                {
                    sorted = false;
                    break;
                }
            }
            Value::Bool(sorted)
        }
        ("sum", 1) => {
            let mut it = items.iter();
            let Some(first) = it.next() else { return Ok(Some(Value::Int(0))) };
            let mut total = first.clone();
            for x in it {
                total = stdlib::arithmetic(ev, "_+_", &total, x)?;
            }
            total
        }
        ("min" | "max", 1) => {
            let mut it = items.iter();
            let Some(first) = it.next() else {
                return Err(EvalError::runtime(format!("{name} called on empty list")));
            };
            let mut best = first;
            for x in it {
                let o = order(x, best)?;
                if (name == "min" && o == Ordering::Less) || (name == "max" && o == Ordering::Greater) {
                    best = x;
                }
            }
            best.clone()
        }
        ("indexOf", 2) => {
            let needle = args.get(1).unwrap_or(&Value::Null);
            Value::Int(items.iter().position(|x| stdlib::equals(x, needle)).map_or(-1, |i| i as i64))
        }
        ("lastIndexOf", 2) => {
            let needle = args.get(1).unwrap_or(&Value::Null);
            Value::Int(items.iter().rposition(|x| stdlib::equals(x, needle)).map_or(-1, |i| i as i64))
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}
