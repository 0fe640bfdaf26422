//! Calls: the operators with their own evaluation order (`&&`, `||`, `?:`, optional
//! selection and indexing), the namespace-qualified functions, then the library.

use std::rc::Rc;

use cel::common::ast::{Expr, IdedExpr, LiteralValue, operators};

use super::{ErrorKind, EvalError, Evaluator, Origin, Result};
use crate::library::{self, Namespace};
use crate::value::Value;

impl<'a> Evaluator<'a> {
    pub(super) fn call(&mut self, e: &'a IdedExpr, call: &'a cel::common::ast::CallExpr) -> Result<(Value, Origin)> {
        let name = call.func_name.as_str();
        match (name, &call.target, call.args.as_slice()) {
            (operators::LOGICAL_AND, None, [a, b]) => return self.logic(a, b, false).map(|v| (v, None)),
            (operators::LOGICAL_OR, None, [a, b]) => return self.logic(a, b, true).map(|v| (v, None)),
            (operators::CONDITIONAL, None, [c, t, f]) => {
                let (cond, _) = self.eval(c)?;
                return match cond {
                    Value::Bool(true) => self.eval(t),
                    Value::Bool(false) => self.eval(f),
                    other => Err(EvalError::no_overload("_?_:_", &[other])),
                };
            }
            (operators::NOT_STRICTLY_FALSE, None, [a]) => {
                return match self.eval(a) {
                    Ok((Value::Bool(false), _)) => Ok((Value::Bool(false), None)),
                    Err(err) if err.kind == ErrorKind::Budget => Err(err),
                    _ => Ok((Value::Bool(true), None)),
                };
            }
            (operators::INDEX, None, [c, k]) => {
                let (container, origin) = self.eval(c)?;
                let (key, _) = self.eval(k)?;
                return self.index(container, &origin, key);
            }
            (operators::OPT_INDEX, None, [c, k]) => {
                let (container, origin) = self.eval(c)?;
                let (key, _) = self.eval(k)?;
                let container = match container {
                    Value::Optional(None) => return Ok((Value::Optional(None), None)),
                    Value::Optional(Some(inner)) => (*inner).clone(),
                    other => other,
                };
                return match self.index(container, &origin, key) {
                    Ok((v, o)) => Ok((Value::Optional(Some(Rc::new(v))), o)),
                    Err(err) if err.kind == ErrorKind::Runtime && err.message.starts_with("no such key") => {
                        Ok((Value::Optional(None), None))
                    }
                    Err(err) if err.kind == ErrorKind::Runtime && err.message.starts_with("index out of bounds") => {
                        Ok((Value::Optional(None), None))
                    }
                    Err(err) => Err(err),
                };
            }
            (operators::OPT_SELECT, None, [operand, field]) => {
                let Expr::Literal(LiteralValue::String(field)) = &field.expr else {
                    return Err(EvalError::runtime("optional selection needs a field name"));
                };
                let (operand, origin) = self.eval(operand)?;
                let operand = match operand {
                    Value::Optional(None) => return Ok((Value::Optional(None), None)),
                    Value::Optional(Some(inner)) => (*inner).clone(),
                    other => other,
                };
                return match &operand {
                    Value::Map(map) if map.get_str(field.inner()).is_none() => Ok((Value::Optional(None), None)),
                    _ => {
                        let (v, o) = self.select(operand, &origin, field.inner(), false)?;
                        Ok((Value::Optional(Some(Rc::new(v))), o))
                    }
                };
            }
            _ => {}
        }
        // Macros the parser leaves as calls: two-variable comprehensions and the
        // namespace-qualified functions (`optional.of`, `sets.contains`, ...).
        if let Some(target) = &call.target {
            if let Some(out) = self.two_variable_macro(name, target, &call.args)? {
                return Ok((out, None));
            }
            if let Expr::Ident(ns) = &target.expr
                && !self.is_local(ns)
                && !self.bindings.globals.iter().any(|(n, _)| n == ns)
                && let Some(ns) = Namespace::from_name(ns)
            {
                let mut args = Vec::with_capacity(call.args.len());
                for a in &call.args {
                    args.push(self.eval(a)?.0);
                }
                return library::call_namespaced(self, ns, name, args).map(|v| (v, None));
            }
        }
        let mut target_origin = None;
        let target = match &call.target {
            Some(t) => {
                let (v, o) = self.eval(t)?;
                target_origin = o;
                Some(v)
            }
            None => None,
        };
        // Room for the receiver, which the library puts first.
        let mut args = Vec::with_capacity(call.args.len() + 1);
        for a in &call.args {
            args.push(self.eval(a)?.0);
        }
        let _ = e;
        let out = library::call(self, name, target, args)?;
        // `dyn(x)` keeps where x came from.
        let origin = if name == "dyn" { target_origin } else { None };
        Ok((out, origin))
    }

    /// `&&` and `||` with cel-go's commutative error handling.
    fn logic(&mut self, a: &'a IdedExpr, b: &'a IdedExpr, is_or: bool) -> Result<Value> {
        let decisive = Value::Bool(is_or);
        let left = self.eval(a).map(|(v, _)| v);
        match &left {
            Ok(Value::Bool(x)) if *x == is_or => return Ok(decisive),
            Err(err) if err.kind == ErrorKind::Budget => return left,
            _ => {}
        }
        let right = self.eval(b).map(|(v, _)| v);
        match (&left, &right) {
            (_, Ok(Value::Bool(y))) if *y == is_or => Ok(decisive),
            (_, Err(err)) if err.kind == ErrorKind::Budget => right,
            (Ok(Value::Bool(_)), Ok(Value::Bool(_))) => Ok(Value::Bool(!is_or)),
            (Err(_), _) => left,
            (_, Err(_)) => right,
            (Ok(l), Ok(r)) => {
                let (l, r) = (l.clone(), r.clone());
                Err(EvalError::no_overload(if is_or { "_||_" } else { "_&&_" }, &[l, r]))
            }
        }
    }
}
