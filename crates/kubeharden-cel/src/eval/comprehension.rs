//! Comprehensions (the macros `all`, `exists`, `map`, `filter`, ... as the parser expands
//! them) and the two-variable macros, iterating with a cost per element.

use std::rc::Rc;

use cel::common::ast::{Expr, IdedExpr, operators};

use super::origin::entries;
use super::{ErrorKind, EvalError, Evaluator, Origin, Result};
use crate::library;
use crate::value::{Key, Map, Value};

impl<'a> Evaluator<'a> {
    pub(super) fn comprehension(&mut self, c: &'a cel::common::ast::ComprehensionExpr) -> Result<(Value, Origin)> {
        let (range, origin) = self.eval(&c.iter_range)?;
        let (accu, _) = self.eval(&c.accu_init)?;
        let Some(entries) = entries(&range, &origin) else {
            return Err(EvalError::runtime(format!("cannot iterate over {}", range.type_name())));
        };
        self.charge(entries.len() as u64)?;
        let is_map = matches!(range, Value::Map(_));
        let accu_name = c.accu_var.as_str();
        let var1 = c.iter_var.as_str();
        let var2 = c.iter_var2.as_deref();
        let base = self.scopes.len();
        self.scopes.push((accu_name, accu, None));
        let mut out = Ok(());
        for (k, v, o) in entries {
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
            let step = self.step(c);
            self.scopes.truncate(base + 1);
            match step {
                Ok(v) => {
                    if let Some(slot) = self.scopes.get_mut(base) {
                        slot.1 = v;
                    }
                }
                Err(err) => {
                    out = Err(err);
                    break;
                }
            }
        }
        if let Err(err) = out {
            self.scopes.truncate(base);
            return Err(err);
        }
        let result = self.eval(&c.result);
        self.scopes.truncate(base);
        result
    }

    /// One loop step. The list-building steps of `map` and `filter` (`@result + [x]`) append
    /// in place instead of copying the accumulator, which would make them quadratic.
    fn step(&mut self, c: &'a cel::common::ast::ComprehensionExpr) -> Result<Value> {
        if let Some(v) = self.append_step(&c.loop_step, &c.accu_var)? {
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
        let (range, origin) = self.eval(target)?;
        let Some(entries) = entries(&range, &origin) else {
            return Err(EvalError::no_overload(name, std::slice::from_ref(&range)));
        };
        self.charge(entries.len() as u64)?;
        let is_map = matches!(range, Value::Map(_));
        let base = self.scopes.len();
        let mut count = 0usize;
        let mut list_out = Vec::new();
        let mut map_out = Map::new();
        let mut absorbed: Option<EvalError> = None;
        let mut decided: Option<bool> = None;
        let (v1, v2) = (var1.as_str(), var2.as_str());
        for (k, v, o) in entries {
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
}
