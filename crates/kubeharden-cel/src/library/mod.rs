//! The functions of the Kubernetes CEL environment, each known from the release that
//! introduced it (k8s.io/apiserver/pkg/cel/environment/base.go):
//!
//! | since | library |
//! | --- | --- |
//! | 1.0 | standard, strings (ext v0), Kubernetes lists, regex, URLs |
//! | 1.27 | authorizer (not evaluable offline) |
//! | 1.28 | optionals, quantity, cross-type numeric comparisons |
//! | 1.29 | sets, strings v2 (`format`, `strings.quote`) |
//! | 1.30 | IP and CIDR |
//! | 1.31 | format (`format.dns1123Label()`, ...) |
//! | 1.32 | two-variable comprehensions |
//! | 1.33 | semver |

pub mod ext;
pub mod kyverno;
pub mod lists;
pub mod net;
pub mod operator;
pub mod quantity;
pub mod regex;
pub mod semver;
pub mod stdlib;
pub mod strings;
pub mod time;
pub mod url;

use std::rc::Rc;

use cel::common::ast::{Expr, IdedExpr};

use crate::compile::Scope;
use crate::eval::{EvalError, Evaluator, Result};
use crate::value::Value;
pub use operator::Op;

/// Receivers that name a library, not a value: `optional.of(x)`, `sets.contains(a, b)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Namespace {
    Optional,
    Sets,
    Strings,
    Format,
    Math,
}

impl Namespace {
    pub fn from_name(name: &str) -> Option<Namespace> {
        Some(match name {
            "optional" => Namespace::Optional,
            "sets" => Namespace::Sets,
            "strings" => Namespace::Strings,
            "format" => Namespace::Format,
            "math" => Namespace::Math,
            _ => return None,
        })
    }
}

/// Identifiers that are type names.
pub fn type_ident(name: &str) -> Option<&'static str> {
    Some(match name {
        "int" => "int",
        "uint" => "uint",
        "double" => "double",
        "string" => "string",
        "bool" => "bool",
        "bytes" => "bytes",
        "list" => "list",
        "map" => "map",
        "null_type" => "null_type",
        "type" => "type",
        "optional_type" => "optional_type",
        "google.protobuf.Timestamp" => "google.protobuf.Timestamp",
        "google.protobuf.Duration" => "google.protobuf.Duration",
        _ => return None,
    })
}

/// A type named by a qualified identifier (`google.protobuf.Timestamp`): the identifier at
/// its root and the type's name, when `e` is one.
pub fn qualified_type(e: &IdedExpr) -> Option<(&str, &'static str)> {
    // The only qualified type names are `google.protobuf.<Name>` ([`type_ident`]): matched on
    // the tree, without building the dotted name, since the interpreter asks at every field
    // selection it evaluates.
    let Expr::Select(name) = &e.expr else { return None };
    let Expr::Select(package) = &name.operand.expr else { return None };
    let Expr::Ident(root) = &package.operand.expr else { return None };
    if name.test || package.test || root != "google" || package.field != "protobuf" {
        return None;
    }
    let full = match name.field.as_str() {
        "Timestamp" => "google.protobuf.Timestamp",
        "Duration" => "google.protobuf.Duration",
        _ => return None,
    };
    Some((root.as_str(), full))
}

/// (name, first minor version, Kyverno only) of every global or member function.
const FUNCTIONS: &[(&str, u32, bool)] = &[
    ("size", 0, false),
    ("contains", 0, false),
    ("startsWith", 0, false),
    ("endsWith", 0, false),
    ("matches", 0, false),
    ("int", 0, false),
    ("uint", 0, false),
    ("double", 0, false),
    ("string", 0, false),
    ("bool", 0, false),
    ("bytes", 0, false),
    ("type", 0, false),
    ("dyn", 0, false),
    ("duration", 0, false),
    ("timestamp", 0, false),
    ("getFullYear", 0, false),
    ("getMonth", 0, false),
    ("getDayOfMonth", 0, false),
    ("getDate", 0, false),
    ("getDayOfWeek", 0, false),
    ("getDayOfYear", 0, false),
    ("getHours", 0, false),
    ("getMinutes", 0, false),
    ("getSeconds", 0, false),
    ("getMilliseconds", 0, false),
    // strings
    ("charAt", 0, false),
    ("indexOf", 0, false),
    ("lastIndexOf", 0, false),
    ("lowerAscii", 0, false),
    ("upperAscii", 0, false),
    ("replace", 0, false),
    ("split", 0, false),
    ("substring", 0, false),
    ("trim", 0, false),
    ("join", 0, false),
    ("format", 29, false),
    // Kubernetes lists
    ("isSorted", 0, false),
    ("sum", 0, false),
    ("min", 0, false),
    ("max", 0, false),
    // regex
    ("find", 0, false),
    ("findAll", 0, false),
    // URLs
    ("url", 0, false),
    ("isURL", 0, false),
    ("getScheme", 0, false),
    ("getHost", 0, false),
    ("getHostname", 0, false),
    ("getPort", 0, false),
    ("getEscapedPath", 0, false),
    ("getQuery", 0, false),
    // optionals
    ("hasValue", 28, false),
    ("value", 28, false),
    ("orValue", 28, false),
    ("or", 28, false),
    ("optMap", 28, false),
    ("optFlatMap", 28, false),
    // quantity
    ("quantity", 28, false),
    ("isQuantity", 28, false),
    ("sign", 28, false),
    ("isGreaterThan", 28, false),
    ("isLessThan", 28, false),
    ("compareTo", 28, false),
    ("add", 28, false),
    ("sub", 28, false),
    ("asInteger", 28, false),
    ("isInteger", 28, false),
    ("asApproximateFloat", 28, false),
    // IP and CIDR
    ("ip", 30, false),
    ("isIP", 30, false),
    ("family", 30, false),
    ("isUnspecified", 30, false),
    ("isLoopback", 30, false),
    ("isLinkLocalMulticast", 30, false),
    ("isLinkLocalUnicast", 30, false),
    ("isGlobalUnicast", 30, false),
    ("cidr", 30, false),
    ("isCIDR", 30, false),
    ("containsIP", 30, false),
    ("containsCIDR", 30, false),
    ("masked", 30, false),
    ("prefixLength", 30, false),
    // format
    ("validate", 31, false),
    // semver
    ("semver", 33, false),
    ("isSemver", 33, false),
    ("major", 33, false),
    ("minor", 33, false),
    ("patch", 33, false),
    // Kyverno's image library
    ("image", 0, true),
    ("isImage", 0, true),
    ("registry", 0, true),
    ("repository", 0, true),
    ("identifier", 0, true),
    ("tag", 0, true),
    ("digest", 0, true),
    ("containsDigest", 0, true),
];

fn is_operator(name: &str) -> bool {
    name.starts_with('_') || name.starts_with('@') || name == "!_" || name == "-_"
}

/// Whether the environment of `scope` declares `name`.
pub fn function_known(name: &str, _member: bool, scope: &Scope) -> bool {
    if is_operator(name) {
        return true;
    }
    FUNCTIONS.iter().any(|(n, since, kyverno_only)| {
        *n == name && scope.version.at_least(*since) && (!kyverno_only || scope.kyverno)
    }) || (scope.kyverno && kyverno::known(name))
}

/// Whether `ns.name(...)` is declared.
pub fn namespaced_known(ns: &str, name: &str, scope: &Scope) -> bool {
    let v = scope.version;
    match (ns, name) {
        ("optional", "of" | "ofNonZeroValue" | "none") => v.at_least(28),
        ("sets", "contains" | "equivalent" | "intersects") => v.at_least(29),
        ("strings", "quote") => v.at_least(29),
        ("format", _) => v.at_least(31) && ext::Format::named(name).is_some(),
        _ => scope.kyverno && kyverno::namespaced_known(ns, name),
    }
}

fn arg_count(name: &str, args: &[Value], n: usize) -> Result<()> {
    if args.len() == n { Ok(()) } else { Err(EvalError::no_overload(name, args)) }
}

/// Calls a global or member function (for a member function, `args` starts with the
/// receiver); `op` is the operator the name spells, if any ([`Op::of`]).
pub fn call(ev: &mut Evaluator<'_>, name: &str, op: Option<Op>, member: bool, args: &[Value]) -> Result<Value> {
    use stdlib::*;
    if let Some(op) = op
        && !member
    {
        match (op, args) {
            (Op::Equals, [a, b]) => return Ok(Value::Bool(equals(a, b))),
            (Op::NotEquals, [a, b]) => return Ok(Value::Bool(!equals(a, b))),
            (Op::Less | Op::LessEquals | Op::Greater | Op::GreaterEquals, [a, b]) => {
                if let (Value::Ext(x), Value::Ext(y)) = (a, b) {
                    return ext::compare_op(name, x, y);
                }
                return compare(name, a, b);
            }
            (Op::Add | Op::Subtract | Op::Multiply | Op::Divide | Op::Modulo, [a, b]) => {
                return arithmetic(ev, name, a, b);
            }
            (Op::Not, [a]) => {
                return match a {
                    Value::Bool(b) => Ok(Value::Bool(!b)),
                    other => Err(EvalError::no_overload("!_", std::slice::from_ref(other))),
                };
            }
            (Op::Negate, [a]) => {
                return match a {
                    Value::Int(i) => {
                        i.checked_neg().map(Value::Int).ok_or_else(|| EvalError::runtime("integer overflow"))
                    }
                    Value::Double(d) => Ok(Value::Double(-d)),
                    Value::Duration(d) => Ok(Value::Duration(-d)),
                    other => Err(EvalError::no_overload("-_", std::slice::from_ref(other))),
                };
            }
            (Op::In, [e, c]) => return contains_element(e, c),
            _ => {}
        }
    }
    match name {
        "size" => {
            arg_count(name, args, 1)?;
            return size(args.first().unwrap_or(&Value::Null));
        }
        "int" | "uint" | "double" | "string" | "bool" | "bytes" | "dyn" | "type" | "duration" | "timestamp"
            if !member =>
        {
            arg_count(name, args, 1)?;
            let a = args.first().unwrap_or(&Value::Null);
            return match name {
                "int" => to_int(a),
                "uint" => to_uint(a),
                "double" => to_double(a),
                "string" => {
                    let s = to_string(a)?;
                    ev.charge_bytes(s.len())?;
                    Ok(Value::string(&s))
                }
                "bool" => to_bool(a),
                "bytes" => match a {
                    Value::String(s) => Ok(Value::Bytes(Rc::from(s.as_bytes()))),
                    Value::Bytes(_) => Ok(a.clone()),
                    other => Err(EvalError::no_overload("bytes", std::slice::from_ref(other))),
                },
                "dyn" => Ok(a.clone()),
                "type" => Ok(Value::Type(Rc::from(a.type_name()))),
                "duration" => match a {
                    Value::String(s) => time::duration(
                        parse_duration(s).ok_or_else(|| EvalError::runtime(format!("invalid duration: {s}")))?,
                    ),
                    Value::Duration(_) => Ok(a.clone()),
                    other => Err(EvalError::no_overload("duration", std::slice::from_ref(other))),
                },
                _ => match a {
                    Value::String(s) => time::timestamp(
                        parse_timestamp(s).ok_or_else(|| EvalError::runtime(format!("invalid timestamp: {s}")))?,
                    ),
                    Value::Int(i) => time::timestamp(i128::from(*i) * 1_000_000_000),
                    Value::Timestamp(_) => Ok(a.clone()),
                    other => Err(EvalError::no_overload("timestamp", std::slice::from_ref(other))),
                },
            };
        }
        _ => {}
    }
    if let (true, Some(Value::Optional(opt))) = (member, args.first()) {
        let out = match (name, opt, args.get(1)) {
            ("hasValue", o, None) => Value::Bool(o.is_some()),
            ("value", Some(v), None) => (**v).clone(),
            ("value", None, None) => return Err(EvalError::runtime("optional.none() dereference")),
            ("orValue", Some(v), Some(_)) => (**v).clone(),
            ("orValue", None, Some(d)) => d.clone(),
            ("or", Some(_), Some(_)) => Value::Optional(opt.clone()),
            ("or", None, Some(other @ Value::Optional(_))) => other.clone(),
            _ => return Err(EvalError::no_overload(name, args)),
        };
        return Ok(out);
    }
    if member
        && name == "orValue"
        && args.len() == 2
        && ev.lenient_or_value()
        && let Some(receiver) = args.first()
    {
        return Ok(receiver.clone());
    }
    if let Some(out) = strings::call(ev, name, member, args)? {
        return Ok(out);
    }
    if let Some(out) = lists::call(ev, name, member, args)? {
        return Ok(out);
    }
    if let Some(out) = time::call(name, member, args)? {
        return Ok(out);
    }
    if let Some(out) = regex::call(ev, name, member, args)? {
        return Ok(out);
    }
    if let Some(out) = ext::call(ev, name, member, args)? {
        return Ok(out);
    }
    if let Some(out) = kyverno::call(ev, name, member, args)? {
        return Ok(out);
    }
    Err(EvalError::no_overload(name, args))
}

/// Calls `ns.name(args)`.
pub fn call_namespaced(ev: &mut Evaluator<'_>, ns: Namespace, name: &str, args: Vec<Value>) -> Result<Value> {
    match (ns, name, args.as_slice()) {
        (Namespace::Optional, "of", [v]) => Ok(Value::Optional(Some(Rc::new(v.clone())))),
        (Namespace::Optional, "none", []) => Ok(Value::Optional(None)),
        (Namespace::Optional, "ofNonZeroValue", [v]) => {
            Ok(Value::Optional(if is_zero(v) { None } else { Some(Rc::new(v.clone())) }))
        }
        (Namespace::Sets, "contains", [Value::List(a), Value::List(b)]) => {
            ev.charge((a.len() * b.len()) as u64)?;
            Ok(Value::Bool(b.iter().all(|x| a.iter().any(|y| stdlib::equals(x, y)))))
        }
        (Namespace::Sets, "equivalent", [Value::List(a), Value::List(b)]) => {
            ev.charge((a.len() * b.len()) as u64)?;
            Ok(Value::Bool(
                b.iter().all(|x| a.iter().any(|y| stdlib::equals(x, y)))
                    && a.iter().all(|x| b.iter().any(|y| stdlib::equals(x, y))),
            ))
        }
        (Namespace::Sets, "intersects", [Value::List(a), Value::List(b)]) => {
            ev.charge((a.len() * b.len()) as u64)?;
            Ok(Value::Bool(b.iter().any(|x| a.iter().any(|y| stdlib::equals(x, y)))))
        }
        (Namespace::Strings, "quote", [Value::String(s)]) => {
            ev.charge_bytes(s.len())?;
            Ok(Value::string(&strings::quote(s)))
        }
        (Namespace::Format, _, []) => match ext::Format::named(name) {
            Some(f) => Ok(Value::Ext(Rc::new(ext::Ext::Format(f)))),
            None => Err(EvalError::runtime(format!("no such format: {name}"))),
        },
        _ => Err(EvalError::no_overload(&format!("{ns:?}.{name}").to_lowercase(), &args)),
    }
}

/// The zero value of a type, for `optional.ofNonZeroValue`.
fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Uint(u) => *u == 0,
        Value::Double(d) => *d == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Duration(d) | Value::Timestamp(d) => *d == 0,
        _ => false,
    }
}
