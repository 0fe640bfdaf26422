//! The CEL interpreter: walks the `cel` crate's AST with a cost counter and remembers which
//! field of `object` it read last.
//!
//! Semantics follow cel-go as the API server configures it: errors are values that `&&`,
//! `||` and `?:` absorb when the other side decides the result (commutative logic),
//! heterogeneous numeric equality and ordering, optionals. Running out of budget is not an
//! error value: it ends the evaluation at once, whatever the expression would have absorbed.
//!
//! The walk recurses on the AST, whose depth the parser bounds (`compile::MAX_DEPTH`);
//! everything proportional to the data (lists, maps, strings) is iterative and costed.

use std::rc::Rc;

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue, operators};

use crate::PathSegment;
use crate::compile::Program;
use crate::library::{self, Namespace};
use crate::value::{Key, Map, Value};
use crate::version::KubernetesVersion;

/// Why an expression has no value.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    /// A CEL runtime error (no such key, no matching overload, division by zero...).
    Runtime,
    /// The cost budget ran out: not absorbable, ends the evaluation.
    Budget,
    /// Needs the cluster or the network: not evaluable offline.
    NotEvaluable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub kind: ErrorKind,
    pub message: String,
}

impl EvalError {
    pub fn runtime(message: impl Into<String>) -> Self {
        EvalError { kind: ErrorKind::Runtime, message: message.into() }
    }

    pub fn not_evaluable(message: impl Into<String>) -> Self {
        EvalError { kind: ErrorKind::NotEvaluable, message: message.into() }
    }

    pub fn no_overload(function: &str, args: &[Value]) -> Self {
        let types: Vec<&str> = args.iter().map(Value::type_name).collect();
        EvalError::runtime(format!("no such overload: {function}({})", types.join(", ")))
    }
}

pub type Result<T> = std::result::Result<T, EvalError>;

/// A path inside `object`, shared by the values read from it.
#[derive(Debug)]
pub struct PathNode {
    parent: Origin,
    segment: PathSegment,
}

pub type Origin = Option<Rc<PathNode>>;

fn child(origin: &Origin, segment: PathSegment) -> Origin {
    origin.as_ref().map(|parent| Rc::new(PathNode { parent: Some(parent.clone()), segment }))
}

/// What a comprehension iterates over: (index or key, value, origin) of each element of a
/// list or entry of a map; `None` for anything else.
fn entries(range: &Value, origin: &Origin) -> Option<Vec<(Value, Value, Origin)>> {
    Some(match range {
        Value::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Value::Int(i as i64), v.clone(), child(origin, PathSegment::Index(i))))
            .collect(),
        Value::Map(map) => map
            .iter()
            .map(|(k, v)| {
                let o = match k {
                    Key::String(s) => child(origin, PathSegment::Key(s.to_string())),
                    _ => None,
                };
                (k.to_value(), v.clone(), o)
            })
            .collect(),
        _ => return None,
    })
}

/// The root of `object`'s paths: a node whose own segment is not part of the path.
fn root() -> Origin {
    Some(Rc::new(PathNode { parent: None, segment: PathSegment::Key(String::new()) }))
}

pub fn path_of(origin: &Origin) -> Vec<PathSegment> {
    let mut out = Vec::new();
    let mut at = origin.clone();
    while let Some(node) = at {
        if node.parent.is_some() {
            out.push(node.segment.clone());
        }
        at = node.parent.clone();
    }
    out.reverse();
    out
}

/// The variables a policy's expressions see.
#[derive(Default)]
pub struct Bindings<'a> {
    /// Top-level names (`object`, `params`, `request`, ...).
    pub globals: Vec<(&'static str, Value)>,
    /// `variables.<name>`, compiled, evaluated lazily and once.
    pub variables: &'a [(String, Rc<Program>)],
    /// Values of `variables.<name>` given from outside (Gatekeeper's `params`, `anyObject`).
    pub preset_variables: &'a [(String, Value)],
    /// Names that are declared but need the cluster (`authorizer`).
    pub offline_unavailable: &'static [&'static str],
    /// Kyverno's evaluation: `orValue` on a value that is not an optional gives the value
    /// (what `kyverno test` reports for `x.y.orValue(d)` without `?`, in the suites).
    pub lenient_or_value: bool,
}

enum Slot {
    Pending,
    InProgress,
    Done(Result<(Value, Origin)>),
}

/// One evaluation context: the bindings, the cost spent, the variables evaluated so far.
pub struct Evaluator<'a> {
    bindings: &'a Bindings<'a>,
    version: KubernetesVersion,
    scopes: Vec<(Rc<str>, Value, Origin)>,
    slots: Vec<Slot>,
    /// Cost spent by the whole policy evaluation.
    pub spent: u64,
    per_expression: u64,
    per_policy: u64,
    expression_start: u64,
    /// The last field of `object` that a select or index read.
    pub last_read: Origin,
    depth: usize,
}

const MAX_EVAL_DEPTH: usize = 600;

const BUDGET_MESSAGE: &str = "operation cancelled: actual cost limit exceeded";
const POLICY_BUDGET_MESSAGE: &str =
    "validation failed due to running out of cost budget, no further validation rules will be run";

impl<'a> Evaluator<'a> {
    pub fn new(bindings: &'a Bindings<'a>, version: KubernetesVersion, budget: crate::Budget) -> Self {
        Evaluator {
            bindings,
            version,
            scopes: Vec::new(),
            slots: bindings.variables.iter().map(|_| Slot::Pending).collect(),
            spent: 0,
            per_expression: budget.per_expression,
            per_policy: budget.per_policy,
            expression_start: 0,
            last_read: None,
            depth: 0,
        }
    }

    /// Evaluates one top-level expression (a validation, a match condition, a message).
    pub fn run(&mut self, program: &Program) -> Result<Value> {
        self.last_read = None;
        let saved = self.expression_start;
        self.expression_start = self.spent;
        let out = self.eval(&program.expr).map(|(v, _)| v);
        self.expression_start = saved;
        out
    }

    /// Adds `units` to the cost and stops when a budget is exceeded.
    pub fn charge(&mut self, units: u64) -> Result<()> {
        self.spent = self.spent.saturating_add(units);
        if self.spent - self.expression_start > self.per_expression {
            return Err(EvalError { kind: ErrorKind::Budget, message: BUDGET_MESSAGE.into() });
        }
        if self.spent > self.per_policy {
            return Err(EvalError { kind: ErrorKind::Budget, message: POLICY_BUDGET_MESSAGE.into() });
        }
        Ok(())
    }

    /// Charges for touching `bytes` bytes (a tenth of a unit each, as cel-go counts string
    /// traversal).
    pub fn charge_bytes(&mut self, bytes: usize) -> Result<()> {
        self.charge((bytes as u64).div_ceil(10))
    }

    pub fn version(&self) -> KubernetesVersion {
        self.version
    }

    pub fn lenient_or_value(&self) -> bool {
        self.bindings.lenient_or_value
    }

    fn lookup(&mut self, name: &str) -> Result<(Value, Origin)> {
        if let Some((_, v, o)) = self.scopes.iter().rev().find(|(n, _, _)| &**n == name) {
            return Ok((v.clone(), o.clone()));
        }
        if let Some((_, v)) = self.bindings.globals.iter().find(|(n, _)| *n == name) {
            let origin = if name == "object" { root() } else { None };
            return Ok((v.clone(), origin));
        }
        if self.bindings.offline_unavailable.contains(&name) {
            return Err(EvalError::not_evaluable(format!("`{name}` needs the cluster: not evaluable offline")));
        }
        if name == "variables" {
            let mut map = Map::new();
            for (name, value) in self.bindings.preset_variables {
                map.insert(Key::String(Rc::from(name.as_str())), value.clone());
            }
            for index in 0..self.bindings.variables.len() {
                let (value, _) = self.variable(index)?;
                if let Some((name, _)) = self.bindings.variables.get(index) {
                    map.insert(Key::String(Rc::from(name.as_str())), value);
                }
            }
            return Ok((Value::Map(Rc::new(map)), None));
        }
        if let Some(t) = library::type_ident(name) {
            return Ok((Value::Type(Rc::from(t)), None));
        }
        Err(EvalError::runtime(format!("undeclared reference to '{name}'")))
    }

    fn variable(&mut self, index: usize) -> Result<(Value, Origin)> {
        match self.slots.get(index) {
            Some(Slot::Done(result)) => return result.clone(),
            Some(Slot::InProgress) => return Err(EvalError::runtime("variable refers to itself")),
            _ => {}
        }
        let Some((_, program)) = self.bindings.variables.get(index) else {
            return Err(EvalError::runtime("no such variable"));
        };
        let program = program.clone();
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = Slot::InProgress;
        }
        // A variable is evaluated in its own scope: comprehension variables of the
        // expression that first used it are not visible to it.
        let scopes = std::mem::take(&mut self.scopes);
        let result = self.eval(&program.expr);
        self.scopes = scopes;
        if matches!(&result, Err(e) if e.kind == ErrorKind::Budget) {
            return result;
        }
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = Slot::Done(result.clone());
        }
        result
    }

    fn named_variable(&mut self, name: &str) -> Option<Result<(Value, Origin)>> {
        if let Some((_, v)) = self.bindings.preset_variables.iter().find(|(n, _)| n == name) {
            let origin = if name == "anyObject" { root() } else { None };
            return Some(Ok((v.clone(), origin)));
        }
        let index = self.bindings.variables.iter().position(|(n, _)| n == name)?;
        Some(self.variable(index))
    }

    fn is_local(&self, name: &str) -> bool {
        self.scopes.iter().any(|(n, _, _)| &**n == name)
    }

    /// Evaluates a node. The depth is bounded (the compiler bounds the tree, variables
    /// evaluated from inside an expression add their own), so the walk never overflows.
    pub fn eval(&mut self, e: &IdedExpr) -> Result<(Value, Origin)> {
        if self.depth >= MAX_EVAL_DEPTH {
            return Err(EvalError {
                kind: ErrorKind::Budget,
                message: "expression nesting exceeds the evaluation depth limit".into(),
            });
        }
        self.depth += 1;
        let out = self.eval_node(e);
        self.depth -= 1;
        out
    }

    fn eval_node(&mut self, e: &IdedExpr) -> Result<(Value, Origin)> {
        self.charge(1)?;
        match &e.expr {
            Expr::Literal(l) => Ok((literal(l), None)),
            Expr::Ident(name) => self.lookup(name),
            Expr::Select(select) => {
                // `variables.name` is resolved by name, lazily.
                if let Expr::Ident(root_name) = &select.operand.expr
                    && root_name == "variables"
                    && !self.is_local("variables")
                {
                    return match self.named_variable(&select.field) {
                        Some(Ok(_)) if select.test => {
                            // A declared variable is present, whatever its value.
                            Ok((Value::Bool(true), None))
                        }
                        Some(found) => found,
                        None if select.test => Ok((Value::Bool(false), None)),
                        None => {
                            Err(EvalError::runtime(format!("undeclared reference to 'variables.{}'", select.field)))
                        }
                    };
                }
                let (operand, origin) = self.eval(&select.operand)?;
                self.select(operand, &origin, &select.field, select.test)
            }
            Expr::Call(call) => self.call(e, call),
            Expr::List(list) => {
                let mut items = Vec::with_capacity(list.elements.len());
                for (i, element) in list.elements.iter().enumerate() {
                    let (v, _) = self.eval(element)?;
                    if list.optional_indices.contains(&i) {
                        match v {
                            Value::Optional(Some(inner)) => items.push((*inner).clone()),
                            Value::Optional(None) => {}
                            other => return Err(EvalError::no_overload("optional list element", &[other])),
                        }
                    } else {
                        items.push(v);
                    }
                }
                Ok((Value::list(items), None))
            }
            Expr::Map(map) => {
                let mut out = Map::new();
                for entry in &map.entries {
                    let EntryExpr::MapEntry(entry) = &entry.expr else {
                        return Err(EvalError::runtime("unsupported map entry"));
                    };
                    let (k, _) = self.eval(&entry.key)?;
                    let (v, _) = self.eval(&entry.value)?;
                    let v = if entry.optional {
                        match v {
                            Value::Optional(Some(inner)) => (*inner).clone(),
                            Value::Optional(None) => continue,
                            other => return Err(EvalError::no_overload("optional map entry", &[other])),
                        }
                    } else {
                        v
                    };
                    let Some(key) = Key::from_value(&k) else {
                        return Err(EvalError::runtime(format!("unsupported key type: {}", k.type_name())));
                    };
                    if !out.insert(key, v) {
                        return Err(EvalError::runtime(format!(
                            "Failed with repeated key: {}",
                            library::stdlib::display(&k)
                        )));
                    }
                }
                Ok((Value::Map(Rc::new(out)), None))
            }
            Expr::Struct(s) => Err(EvalError::runtime(format!("unknown type: {}", s.type_name))),
            Expr::Comprehension(c) => self.comprehension(c),
            Expr::Unspecified => Err(EvalError::runtime("unspecified expression")),
        }
    }

    pub fn select(&mut self, operand: Value, origin: &Origin, field: &str, test: bool) -> Result<(Value, Origin)> {
        match operand {
            Value::Map(map) => {
                let found = map.get_str(field).cloned();
                let origin = child(origin, PathSegment::Key(field.to_string()));
                if test {
                    if found.is_none() && origin.is_some() {
                        self.last_read = origin.as_ref().and_then(|o| o.parent.clone());
                    }
                    return Ok((Value::Bool(found.is_some()), None));
                }
                match found {
                    Some(v) => {
                        if origin.is_some() {
                            self.last_read = origin.clone();
                        }
                        Ok((v, origin))
                    }
                    None => Err(EvalError::runtime(format!("no such key: {field}"))),
                }
            }
            Value::Optional(None) => Ok((Value::Optional(None), None)),
            Value::Optional(Some(inner)) => {
                let (v, o) = self.select((*inner).clone(), origin, field, test)?;
                Ok((Value::Optional(Some(Rc::new(v))), o))
            }
            Value::Ext(ext) => library::ext::select(&ext, field).map(|v| (v, None)),
            other => Err(EvalError::runtime(format!("type '{}' does not support field selection", other.type_name()))),
        }
    }

    pub fn index(&mut self, container: Value, origin: &Origin, key: Value) -> Result<(Value, Origin)> {
        match &container {
            Value::List(items) => {
                let i = match &key {
                    Value::Int(i) => *i,
                    Value::Uint(u) => i64::try_from(*u).unwrap_or(i64::MAX),
                    Value::Double(d) if d.fract() == 0.0 => *d as i64,
                    _ => return Err(EvalError::no_overload("_[_]", &[container.clone(), key])),
                };
                let Some(v) = usize::try_from(i).ok().and_then(|i| items.get(i)) else {
                    return Err(EvalError::runtime(format!("index out of bounds: {i}")));
                };
                let origin = child(origin, PathSegment::Index(i as usize));
                if origin.is_some() {
                    self.last_read = origin.clone();
                }
                Ok((v.clone(), origin))
            }
            Value::Map(map) => {
                let Some(k) = Key::from_value(&key) else {
                    return Err(EvalError::runtime(format!("unsupported key type: {}", key.type_name())));
                };
                match map.get(&k) {
                    Some(v) => {
                        let origin = match &k {
                            Key::String(s) => child(origin, PathSegment::Key(s.to_string())),
                            _ => None,
                        };
                        if origin.is_some() {
                            self.last_read = origin.clone();
                        }
                        Ok((v.clone(), origin))
                    }
                    None => Err(EvalError::runtime(format!("no such key: {}", library::stdlib::display(&key)))),
                }
            }
            Value::Optional(None) => Ok((Value::Optional(None), None)),
            Value::Optional(Some(inner)) => {
                let (v, o) = self.index((**inner).clone(), origin, key)?;
                Ok((Value::Optional(Some(Rc::new(v))), o))
            }
            _ => Err(EvalError::no_overload("_[_]", &[container, key])),
        }
    }

    fn call(&mut self, e: &IdedExpr, call: &cel::common::ast::CallExpr) -> Result<(Value, Origin)> {
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
        let mut args = Vec::with_capacity(call.args.len());
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
    fn logic(&mut self, a: &IdedExpr, b: &IdedExpr, is_or: bool) -> Result<Value> {
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

    fn comprehension(&mut self, c: &cel::common::ast::ComprehensionExpr) -> Result<(Value, Origin)> {
        let (range, origin) = self.eval(&c.iter_range)?;
        let (accu, _) = self.eval(&c.accu_init)?;
        let Some(entries) = entries(&range, &origin) else {
            return Err(EvalError::runtime(format!("cannot iterate over {}", range.type_name())));
        };
        self.charge(entries.len() as u64)?;
        let is_map = matches!(range, Value::Map(_));
        let accu_name: Rc<str> = Rc::from(c.accu_var.as_str());
        let var1: Rc<str> = Rc::from(c.iter_var.as_str());
        let var2: Option<Rc<str>> = c.iter_var2.as_deref().map(Rc::from);
        let base = self.scopes.len();
        self.scopes.push((accu_name, accu, None));
        let mut out = Ok(());
        for (k, v, o) in entries {
            // one variable: the element (list) or the key (map); two: index/key and value.
            match &var2 {
                None if is_map => self.scopes.push((var1.clone(), k, None)),
                None => self.scopes.push((var1.clone(), v, o)),
                Some(var2) => {
                    self.scopes.push((var1.clone(), k, None));
                    self.scopes.push((var2.clone(), v, o));
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
    fn step(&mut self, c: &cel::common::ast::ComprehensionExpr) -> Result<Value> {
        if let Some(v) = self.append_step(&c.loop_step, &c.accu_var)? {
            return Ok(v);
        }
        self.eval(&c.loop_step).map(|(v, _)| v)
    }

    fn append_step(&mut self, step: &IdedExpr, accu: &str) -> Result<Option<Value>> {
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
                let Some(slot) = self.scopes.iter_mut().rev().find(|(n, _, _)| &**n == accu) else { return Ok(None) };
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
    fn two_variable_macro(&mut self, name: &str, target: &IdedExpr, args: &[IdedExpr]) -> Result<Option<Value>> {
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
        let v1: Rc<str> = Rc::from(var1.as_str());
        let v2: Rc<str> = Rc::from(var2.as_str());
        for (k, v, o) in entries {
            self.scopes.push((v1.clone(), k.clone(), None));
            self.scopes.push((v2.clone(), v.clone(), o));
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

fn literal(l: &LiteralValue) -> Value {
    match l {
        LiteralValue::Boolean(b) => Value::Bool(*b.inner()),
        LiteralValue::Bytes(b) => Value::Bytes(Rc::from(b.inner())),
        LiteralValue::Double(d) => Value::Double(*d.inner()),
        LiteralValue::Int(i) => Value::Int(*i.inner()),
        LiteralValue::Null => Value::Null,
        LiteralValue::String(s) => Value::string(s.inner()),
        LiteralValue::UInt(u) => Value::Uint(*u.inner()),
    }
}
