//! What cel-go's type checker refuses in a CRD rule before any object is seen, as far as the
//! engine can tell without a full checker: a field of `self` the schema does not have
//! (`undefined field 'x'`), and a rule (or `messageExpression`) whose result is known to be of
//! the wrong type. Types flow from `self` through field selections, indexing, literals,
//! operators and the comprehension macros; anything else is `dyn` and is left to run time,
//! so a valid rule is never refused.

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};

use super::types::Ty;

/// Names in scope with their types.
struct Env<'a> {
    locals: Vec<(String, Ty<'a>)>,
    problems: Vec<(u64, String)>,
}

/// The type of `expr` where `self` (and `oldSelf`) has type `root`, and the problems found,
/// by node id.
pub fn infer<'a>(expr: &IdedExpr, root: &Ty<'a>) -> (Ty<'a>, Vec<(u64, String)>) {
    let mut env = Env {
        locals: vec![("self".to_string(), root.clone()), ("oldSelf".to_string(), root.clone())],
        problems: Vec::new(),
    };
    let ty = env.ty(expr);
    (ty, env.problems)
}

impl<'a> Env<'a> {
    fn lookup(&self, name: &str) -> Ty<'a> {
        self.locals.iter().rev().find(|(n, _)| n == name).map_or(Ty::Dyn, |(_, t)| t.clone())
    }

    fn ty(&mut self, e: &IdedExpr) -> Ty<'a> {
        match &e.expr {
            Expr::Literal(l) => match l {
                LiteralValue::Boolean(_) => Ty::Bool,
                LiteralValue::Bytes(_) => Ty::Bytes,
                LiteralValue::Double(_) => Ty::Double,
                LiteralValue::Int(_) => Ty::Int,
                LiteralValue::Null => Ty::Null,
                LiteralValue::String(_) => Ty::String,
                LiteralValue::UInt(_) => Ty::Uint,
            },
            Expr::Ident(name) => self.lookup(name),
            Expr::Select(select) => {
                let operand = self.ty(&select.operand);
                let field = match operand.field(&select.field) {
                    Ok(t) => t,
                    Err(()) => {
                        self.problems.push((e.id, format!("undefined field '{}'", select.field)));
                        Ty::Dyn
                    }
                };
                if select.test { Ty::Bool } else { field }
            }
            Expr::Call(call) => {
                let target = call.target.as_deref().map(|t| self.ty(t));
                let args: Vec<Ty<'a>> = call.args.iter().map(|a| self.ty(a)).collect();
                call_type(&call.func_name, target.as_ref(), &args)
            }
            Expr::List(list) => {
                for element in &list.elements {
                    self.ty(element);
                }
                Ty::List(Box::new(Ty::Dyn))
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let EntryExpr::MapEntry(entry) = &entry.expr {
                        self.ty(&entry.key);
                        self.ty(&entry.value);
                    }
                }
                Ty::Map(Box::new(Ty::Dyn))
            }
            Expr::Comprehension(c) => {
                let range = self.ty(&c.iter_range);
                let accu = self.ty(&c.accu_init);
                let (first, second) = match (&range, &c.iter_var2) {
                    // Two variables: index and element of a list, key and value of a map.
                    (Ty::List(items), Some(_)) => (Ty::Int, (**items).clone()),
                    (Ty::Map(values), Some(_)) => (Ty::String, (**values).clone()),
                    (_, Some(_)) => (Ty::Dyn, Ty::Dyn),
                    (r, None) => (r.element(), Ty::Dyn),
                };
                let mark = self.locals.len();
                self.locals.push((c.iter_var.clone(), first));
                if let Some(v2) = &c.iter_var2 {
                    self.locals.push((v2.clone(), second));
                }
                // The accumulator's type is its initial value's; a step may widen a list's.
                let accu = match accu {
                    Ty::List(_) => Ty::List(Box::new(Ty::Dyn)),
                    Ty::Map(_) => Ty::Map(Box::new(Ty::Dyn)),
                    other => other,
                };
                self.locals.push((c.accu_var.clone(), accu));
                self.ty(&c.loop_cond);
                self.ty(&c.loop_step);
                let result = self.ty(&c.result);
                self.locals.truncate(mark);
                result
            }
            Expr::Struct(_) | Expr::Unspecified => Ty::Dyn,
        }
    }
}

/// The result type of a call, where the operator or function decides it.
fn call_type<'a>(name: &str, target: Option<&Ty<'a>>, args: &[Ty<'a>]) -> Ty<'a> {
    match name {
        "_&&_"
        | "_||_"
        | "!_"
        | "_==_"
        | "_!=_"
        | "_<_"
        | "_<=_"
        | "_>_"
        | "_>=_"
        | "@in"
        | "@not_strictly_false"
        | "matches"
        | "startsWith"
        | "endsWith"
        | "contains"
        | "isSorted" => Ty::Bool,
        "size" => Ty::Int,
        "string" => Ty::String,
        "int" => Ty::Int,
        "uint" => Ty::Uint,
        "double" => Ty::Double,
        "bytes" => Ty::Bytes,
        "timestamp" => Ty::Timestamp,
        "duration" => Ty::Duration,
        "_?_:_" => match args {
            [_, a, b] => Ty::join(a.clone(), b),
            _ => Ty::Dyn,
        },
        "_+_" | "_-_" | "_*_" | "_/_" | "_%_" => match args {
            [a, b] => match (a, b) {
                (Ty::Timestamp, Ty::Duration) | (Ty::Duration, Ty::Timestamp) => Ty::Timestamp,
                (Ty::Timestamp, Ty::Timestamp) if name == "_-_" => Ty::Duration,
                _ => Ty::join(a.clone(), b),
            },
            _ => Ty::Dyn,
        },
        "-_" => args.first().cloned().map_or(Ty::Dyn, |a| Ty::join(a.clone(), &a)),
        "_[_]" => match (args.first(), args.get(1)) {
            (Some(Ty::List(items)), _) => (**items).clone(),
            (Some(Ty::Map(values)), _) => (**values).clone(),
            _ => Ty::Dyn,
        },
        "lowerAscii" | "upperAscii" | "trim" | "replace" | "substring" | "join" | "format" if target.is_some() => {
            Ty::String
        }
        _ => Ty::Dyn,
    }
}

/// Whether a value of type `ty` can be a bool at run time (cel-go's checker refuses the rule
/// otherwise).
pub fn may_be_bool(ty: &Ty<'_>) -> bool {
    matches!(ty, Ty::Bool | Ty::Dyn)
}

/// Whether a value of type `ty` can be a string at run time.
pub fn may_be_string(ty: &Ty<'_>) -> bool {
    matches!(ty, Ty::String | Ty::Dyn)
}
