//! Comprehensions: the parser's expansion of the one-variable macros (`all`, `exists`, `map`,
//! `filter`...), and the macros that the `cel` crate's parser leaves as calls: two-variable
//! comprehensions (`all`, `exists`, `existsOne`, `transformList`, `transformMap`,
//! `transformMapEntry`, Kubernetes 1.32+) and the optional library's `optMap` and `optFlatMap`.

use std::rc::Rc;

use cel::common::ast::{Expr, IdedExpr, operators};

use super::{ErrorKind, EvalError, Evaluator, Origin, Range, Result};
use crate::library;
use crate::value::{Key, Map, Value};

impl<'a> Evaluator<'a> {
    /// `opt.optMap(v, expr)`: `optional.of(expr)` with `v` the value, or `none`;
    /// `opt.optFlatMap(v, expr)`: `expr` (itself an optional) with `v` the value, or `none`.
    pub(super) fn optional_macro(
        &mut self,
        name: &str,
        target: &'a IdedExpr,
        args: &'a [IdedExpr],
    ) -> Result<Option<Value>> {
        let flat = match name {
            "optMap" => false,
            "optFlatMap" => true,
            _ => return Ok(None),
        };
        let [IdedExpr { expr: Expr::Ident(var), .. }, body] = args else { return Ok(None) };
        if !self.version.at_least(28) {
            return Ok(None);
        }
        let inner = match self.eval(target)?.0 {
            Value::Optional(None) => return Ok(Some(Value::Optional(None))),
            Value::Optional(Some(inner)) => (*inner).clone(),
            other => return Err(EvalError::no_overload(name, &[other])),
        };
        self.scopes.push((var.as_str(), inner, None));
        let out = self.eval(body);
        self.scopes.pop();
        let out = out?.0;
        Ok(Some(match (flat, out) {
            (false, v) => Value::Optional(Some(Rc::new(v))),
            (true, v @ Value::Optional(_)) => v,
            (true, other) => return Err(EvalError::no_overload(name, &[other])),
        }))
    }

    /// `all`, `exists`, `existsOne`, `transformList`, `transformMap`, `transformMapEntry`
    /// with two variables (Kubernetes 1.32+), and `cel.bind`-free `.all(i, v, p)` shapes.
    pub(super) fn two_variable_macro(
        &mut self,
        name: &str,
        target: &'a IdedExpr,
        args: &'a [IdedExpr],
    ) -> Result<Option<Value>> {
        let (var1, var2, rest) = match args {
            [IdedExpr { expr: Expr::Ident(a), .. }, IdedExpr { expr: Expr::Ident(b), .. }, rest @ ..]
                if !rest.is_empty() =>
            {
                (a, b, rest)
            }
            _ => return Ok(None),
        };
        let kind = match (name, rest.len()) {
            ("all" | "exists" | "existsOne" | "exists_one", 1) => name,
            ("transformList" | "transformMap" | "transformMapEntry", 1 | 2) => name,
            _ => return Ok(None),
        };
        if !self.version.at_least(32) {
            return Err(EvalError::runtime(format!(
                "found no matching overload for '{name}' with three arguments before Kubernetes 1.32"
            )));
        }
        let (range_value, origin) = self.eval(target)?;
        let Some(range) = Range::of(&range_value) else {
            return Err(EvalError::no_overload(name, std::slice::from_ref(&range_value)));
        };
        self.charge(range.len() as u64)?;
        let is_map = range.is_map();
        let base = self.scopes.len();
        let mut count = 0usize;
        let mut list_out = Vec::new();
        let mut map_out = Map::new();
        let mut absorbed: Option<EvalError> = None;
        let mut decided: Option<bool> = None;
        let (v1, v2) = (var1.as_str(), var2.as_str());
        for i in 0..range.len() {
            let Some((k, v, o)) = self.entry(&range, i, origin) else { break };
            self.scopes.push((v1, k.clone(), None));
            self.scopes.push((v2, v.clone(), o));
            let result = (|| -> Result<()> {
                match kind {
                    "all" | "exists" => {
                        let want = kind == "exists";
                        match self.eval(rest.first().ok_or_else(|| EvalError::runtime("missing predicate"))?) {
                            Ok((Value::Bool(b), _)) if b == want => decided = Some(want),
                            Ok((Value::Bool(_), _)) => {}
                            Ok((other, _)) => absorbed = Some(EvalError::no_overload(name, &[other])),
                            Err(err) if err.kind == ErrorKind::Budget => return Err(err),
                            Err(err) => absorbed = Some(err),
                        }
                    }
                    "existsOne" | "exists_one" => {
                        match self.eval(rest.first().ok_or_else(|| EvalError::runtime("missing predicate"))?)?.0 {
                            Value::Bool(true) => count += 1,
                            Value::Bool(false) => {}
                            other => return Err(EvalError::no_overload(name, &[other])),
                        }
                    }
                    _ => {
                        let include = match rest {
                            [filter, _] => match self.eval(filter)?.0 {
                                Value::Bool(b) => b,
                                other => return Err(EvalError::no_overload(name, &[other])),
                            },
                            _ => true,
                        };
                        if include {
                            let transform = rest.last().ok_or_else(|| EvalError::runtime("missing transform"))?;
                            let out = self.eval(transform)?.0;
                            match kind {
                                "transformList" => list_out.push(out),
                                "transformMap" => {
                                    if let Some(key) = Key::from_value(&k) {
                                        map_out.insert(key, out);
                                    }
                                }
                                _ => {
                                    let Value::Map(entry) = out else {
                                        return Err(EvalError::runtime("transformMapEntry needs a map of one entry"));
                                    };
                                    for (ek, ev) in entry.iter() {
                                        if !map_out.insert(ek.clone(), ev.clone()) {
                                            return Err(EvalError::runtime(format!(
                                                "insert failed: key {} already exists",
                                                library::stdlib::display(&ek.to_value())
                                            )));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                Ok(())
            })();
            self.scopes.truncate(base);
            result?;
            if decided.is_some() {
                break;
            }
        }
        let _ = is_map;
        Ok(Some(match kind {
            "all" | "exists" => match (decided, absorbed) {
                (Some(b), _) => Value::Bool(b),
                (None, Some(err)) => return Err(err),
                (None, None) => Value::Bool(kind == "all"),
            },
            "existsOne" | "exists_one" => Value::Bool(count == 1),
            "transformList" => Value::list(list_out),
            _ => Value::Map(Rc::new(map_out)),
        }))
    }

    pub(super) fn comprehension(&mut self, c: &'a cel::common::ast::ComprehensionExpr) -> Result<(Value, Origin)> {
        let (range_value, origin) = self.eval(&c.iter_range)?;
        let (accu, _) = self.eval(&c.accu_init)?;
        let Some(range) = Range::of(&range_value) else {
            return Err(EvalError::runtime(format!("cannot iterate over {}", range_value.type_name())));
        };
        self.charge(range.len() as u64)?;
        let is_map = range.is_map();
        let accu_name = c.accu_var.as_str();
        let var1 = c.iter_var.as_str();
        let var2 = c.iter_var2.as_deref();
        let base = self.scopes.len();
        self.scopes.push((accu_name, accu, None));
        let mut out = Ok(());
        for i in 0..range.len() {
            let Some((k, v, o)) = self.entry(&range, i, origin) else { break };
            // one variable: the element (list) or the key (map); two: index/key and value.
            match &var2 {
                None if is_map => self.scopes.push((var1, k, None)),
                None => self.scopes.push((var1, v, o)),
                Some(var2) => {
                    self.scopes.push((var1, k, None));
                    self.scopes.push((var2, v, o));
                }
            }
            let cond = self.eval(&c.loop_cond);
            match cond {
                Ok((Value::Bool(false), _)) => {
                    self.scopes.truncate(base + 1);
                    break;
                }
                Ok((Value::Bool(true), _)) => {}
                Ok((other, _)) => {
                    out = Err(EvalError::no_overload("loop condition", &[other]));
                    break;
                }
                Err(err) => {
                    out = Err(err);
                    break;
                }
            }
            let step = self.step(c, base);
            self.scopes.truncate(base + 1);
            self.poisoned.retain(|(i, _)| *i != base);
            match step {
                Ok(v) => {
                    if let Some(slot) = self.scopes.get_mut(base) {
                        slot.1 = v;
                    }
                }
                // A failed step makes the error the accumulator: `[1, 2, 3].all(e, 6 / (2 - e)
                // == 6)` is false, the division by zero absorbed by the next element's false.
                Err(err) if err.kind == ErrorKind::Runtime => self.poisoned.push((base, err)),
                Err(err) => {
                    out = Err(err);
                    break;
                }
            }
        }
        if let Err(err) = out {
            self.scopes.truncate(base);
            self.poisoned.retain(|(i, _)| *i < base);
            return Err(err);
        }
        let result = self.eval(&c.result);
        self.scopes.truncate(base);
        self.poisoned.retain(|(i, _)| *i < base);
        result
    }

    /// One loop step. The list-building steps of `map` and `filter` (`@result + [x]`) append
    /// in place instead of copying the accumulator, which would make them quadratic.
    fn step(&mut self, c: &'a cel::common::ast::ComprehensionExpr, accu: usize) -> Result<Value> {
        // A failed accumulator is no list to append to: the plain step meets its error.
        if !self.poisoned.iter().any(|(i, _)| *i == accu)
            && let Some(v) = self.append_step(&c.loop_step, &c.accu_var)?
        {
            return Ok(v);
        }
        self.eval(&c.loop_step).map(|(v, _)| v)
    }

    fn append_step(&mut self, step: &'a IdedExpr, accu: &str) -> Result<Option<Value>> {
        let Expr::Call(call) = &step.expr else { return Ok(None) };
        match (call.func_name.as_str(), call.args.as_slice()) {
            (operators::ADD, [left, right]) if matches!(&left.expr, Expr::Ident(n) if n == accu) => {
                let Expr::List(list) = &right.expr else { return Ok(None) };
                if !list.optional_indices.is_empty() {
                    return Ok(None);
                }
                self.charge(1)?;
                let mut new_items = Vec::with_capacity(list.elements.len());
                for element in &list.elements {
                    new_items.push(self.eval(element)?.0);
                }
                let Some(slot) = self.scopes.iter_mut().rev().find(|(n, _, _)| *n == accu) else { return Ok(None) };
                let current = std::mem::replace(&mut slot.1, Value::Null);
                let Value::List(mut items) = current else {
                    slot.1 = current;
                    return Ok(None);
                };
                Rc::make_mut(&mut items).extend(new_items);
                Ok(Some(Value::List(items)))
            }
            (operators::CONDITIONAL, [cond, then, otherwise]) if matches!(&otherwise.expr, Expr::Ident(n) if n == accu) =>
            {
                self.charge(1)?;
                match self.eval(cond)?.0 {
                    Value::Bool(true) => match self.append_step(then, accu)? {
                        Some(v) => Ok(Some(v)),
                        None => self.eval(then).map(|(v, _)| Some(v)),
                    },
                    Value::Bool(false) => self.eval(otherwise).map(|(v, _)| Some(v)),
                    other => Err(EvalError::no_overload("_?_:_", &[other])),
                }
            }
            _ => Ok(None),
        }
    }
}
