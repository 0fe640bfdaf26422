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

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};

use crate::PathSegment;
use crate::compile::Program;
use crate::library::{self, Namespace, Op};
use crate::value::{Key, Map, Value};
use crate::version::KubernetesVersion;

mod macros;
mod paths;

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

pub use paths::Origin;

/// What a comprehension iterates over: the elements of a list or the entries of a map,
/// read one by one (a loop that stops early never touches the rest).
pub(crate) enum Range {
    List(Rc<Vec<Value>>),
    Map(Rc<Map>),
}

impl Range {
    pub fn of(value: &Value) -> Option<Range> {
        match value {
            Value::List(items) => Some(Range::List(items.clone())),
            Value::Map(map) => Some(Range::Map(map.clone())),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Range::List(items) => items.len(),
            Range::Map(map) => map.len(),
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self, Range::Map(_))
    }
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
    /// Comprehension variables in scope, innermost last; their names are the AST's.
    scopes: Vec<(&'a str, Value, Origin)>,
    slots: Vec<Slot>,
    /// Cost spent by the whole policy evaluation.
    pub spent: u64,
    per_expression: u64,
    per_policy: u64,
    expression_start: u64,
    /// The last field of `object` that a select or index read.
    pub last_read: Origin,
    /// The root of `object`'s paths ([`Evaluator::object_root`]).
    root: Origin,
    /// Where the values read from `object` came from.
    paths: paths::Paths,
    /// The receivers and arguments of the calls being evaluated, innermost last.
    stack: Vec<Value>,
    depth: usize,
    /// Comprehension accumulators (by index in `scopes`) whose last step failed: the error is
    /// their value, which a later `&&`/`||` step may still absorb, as cel-go's error values.
    poisoned: Vec<(usize, EvalError)>,
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
            root: None,
            paths: paths::Paths::default(),
            stack: Vec::new(),
            depth: 0,
            poisoned: Vec::new(),
        }
    }

    /// Evaluates one top-level expression (a validation, a match condition, a message).
    pub fn run(&mut self, program: &'a Program) -> Result<Value> {
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
        if let Some(at) = self.scopes.iter().rposition(|(n, _, _)| *n == name) {
            if let Some((_, err)) = self.poisoned.iter().find(|(i, _)| *i == at) {
                return Err(err.clone());
            }
            let (_, v, o) = self.scopes.get(at).ok_or_else(|| EvalError::runtime("scope"))?;
            return Ok((v.clone(), *o));
        }
        if let Some((_, v)) = self.bindings.globals.iter().find(|(n, _)| *n == name) {
            let origin = if name == "object" { self.object_root() } else { None };
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
        let bindings: &'a Bindings<'a> = self.bindings;
        let Some((_, program)) = bindings.variables.get(index) else {
            return Err(EvalError::runtime("no such variable"));
        };
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = Slot::InProgress;
        }
        // A variable is evaluated in its own scope: comprehension variables of the
        // expression that first used it are not visible to it.
        let scopes = std::mem::take(&mut self.scopes);
        let poisoned = std::mem::take(&mut self.poisoned);
        let result = self.eval(&program.expr);
        self.scopes = scopes;
        self.poisoned = poisoned;
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
            let origin = if name == "anyObject" { self.object_root() } else { None };
            return Some(Ok((v.clone(), origin)));
        }
        let index = self.bindings.variables.iter().position(|(n, _)| n == name)?;
        Some(self.variable(index))
    }

    /// The root of the paths inside `object`, made once per evaluation.
    fn object_root(&mut self) -> Origin {
        if self.root.is_none() {
            self.root = self.paths.root();
        }
        self.root
    }

    /// The path of the last field of `object` that a select or index read.
    pub fn last_read_path(&self) -> Vec<PathSegment> {
        self.paths.path(self.last_read)
    }

    /// Element `i` of a comprehension's range: (index or key, value, origin).
    pub(crate) fn entry(&mut self, range: &Range, i: usize, origin: Origin) -> Option<(Value, Value, Origin)> {
        match range {
            Range::List(items) => {
                let v = items.get(i)?.clone();
                Some((Value::Int(i as i64), v, self.paths.index(origin, i)))
            }
            Range::Map(map) => {
                let (k, v) = map.entry_at(i)?;
                let o = match k {
                    Key::String(s) => self.paths.key(origin, s),
                    _ => None,
                };
                Some((k.to_value(), v.clone(), o))
            }
        }
    }

    fn is_local(&self, name: &str) -> bool {
        self.scopes.iter().any(|(n, _, _)| *n == name)
    }

    /// Evaluates a node. The depth is bounded (the compiler bounds the tree, variables
    /// evaluated from inside an expression add their own), so the walk never overflows.
    pub fn eval(&mut self, e: &'a IdedExpr) -> Result<(Value, Origin)> {
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

    fn eval_node(&mut self, e: &'a IdedExpr) -> Result<(Value, Origin)> {
        self.charge(1)?;
        match &e.expr {
            Expr::Literal(l) => Ok((literal(l), None)),
            Expr::Ident(name) => self.lookup(name),
            Expr::Select(select) => {
                if let Some((root_name, t)) = library::qualified_type(e)
                    && !self.is_local(root_name)
                    && !self.bindings.globals.iter().any(|(n, _)| *n == root_name)
                {
                    return Ok((Value::Type(Rc::from(t)), None));
                }
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
                    // `{0: 1, 0u: 2}` repeats a key: numeric keys are equal across types.
                    if out.get(&key).is_some() || !out.insert(key, v) {
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
        let origin = *origin;
        match operand {
            Value::Map(map) => {
                let found = map.get_str_entry(field);
                if test {
                    if found.is_none() && origin.is_some() {
                        self.last_read = origin;
                    }
                    return Ok((Value::Bool(found.is_some()), None));
                }
                match found {
                    Some((key, v)) => {
                        let v = v.clone();
                        let origin = match key {
                            Key::String(k) => self.paths.key(origin, k),
                            _ => None,
                        };
                        if origin.is_some() {
                            self.last_read = origin;
                        }
                        Ok((v, origin))
                    }
                    None => Err(EvalError::runtime(format!("no such key: {field}"))),
                }
            }
            // Selecting on an optional gives an optional, empty when the field is absent;
            // `has()` on one is a plain test (false for an empty one).
            Value::Optional(None) => Ok((if test { Value::Bool(false) } else { Value::Optional(None) }, None)),
            Value::Optional(Some(inner)) => {
                if test {
                    return self.select((*inner).clone(), &origin, field, true);
                }
                if let Value::Map(map) = &*inner
                    && map.get_str(field).is_none()
                {
                    return Ok((Value::Optional(None), None));
                }
                let (v, o) = self.select((*inner).clone(), &origin, field, test)?;
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
                let origin = self.paths.index(*origin, i as usize);
                if origin.is_some() {
                    self.last_read = origin;
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
                            Key::String(s) => self.paths.key(*origin, s),
                            _ => None,
                        };
                        if origin.is_some() {
                            self.last_read = origin;
                        }
                        Ok((v.clone(), origin))
                    }
                    None => Err(EvalError::runtime(format!("no such key: {}", library::stdlib::display(&key)))),
                }
            }
            Value::Optional(None) => Ok((Value::Optional(None), None)),
            Value::Optional(Some(inner)) => match self.index((**inner).clone(), origin, key) {
                Ok((v, o)) => Ok((Value::Optional(Some(Rc::new(v))), o)),
                Err(err) if err.kind == ErrorKind::Runtime && is_absent(&err) => Ok((Value::Optional(None), None)),
                Err(err) => Err(err),
            },
            _ => Err(EvalError::no_overload("_[_]", &[container, key])),
        }
    }

    fn call(&mut self, e: &'a IdedExpr, call: &'a cel::common::ast::CallExpr) -> Result<(Value, Origin)> {
        let name = call.func_name.as_str();
        let op = library::Op::of(name);
        match (op, &call.target, call.args.as_slice()) {
            (Some(Op::And), None, [a, b]) => return self.logic(a, b, false).map(|v| (v, None)),
            (Some(Op::Or), None, [a, b]) => return self.logic(a, b, true).map(|v| (v, None)),
            (Some(Op::Conditional), None, [c, t, f]) => {
                let (cond, _) = self.eval(c)?;
                return match cond {
                    Value::Bool(true) => self.eval(t),
                    Value::Bool(false) => self.eval(f),
                    other => Err(EvalError::no_overload("_?_:_", &[other])),
                };
            }
            (Some(Op::NotStrictlyFalse), None, [a]) => {
                return match self.eval(a) {
                    Ok((Value::Bool(false), _)) => Ok((Value::Bool(false), None)),
                    Err(err) if err.kind == ErrorKind::Budget => Err(err),
                    _ => Ok((Value::Bool(true), None)),
                };
            }
            (Some(Op::Index), None, [c, k]) => {
                let (container, origin) = self.eval(c)?;
                let (key, _) = self.eval(k)?;
                return self.index(container, &origin, key);
            }
            (Some(Op::OptIndex), None, [c, k]) => {
                let (container, origin) = self.eval(c)?;
                let (key, _) = self.eval(k)?;
                let container = match container {
                    Value::Optional(None) => return Ok((Value::Optional(None), None)),
                    Value::Optional(Some(inner)) => (*inner).clone(),
                    other => other,
                };
                return match self.index(container, &origin, key) {
                    Ok((v, o)) => Ok((Value::Optional(Some(Rc::new(v))), o)),
                    Err(err) if err.kind == ErrorKind::Runtime && is_absent(&err) => Ok((Value::Optional(None), None)),
                    Err(err) => Err(err),
                };
            }
            (Some(Op::OptSelect), None, [operand, field]) => {
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
        if op.is_none()
            && let Some(target) = &call.target
        {
            if let Some(out) = self.two_variable_macro(name, target, &call.args)? {
                return Ok((out, None));
            }
            if let Some(out) = self.optional_macro(name, target, &call.args)? {
                return Ok((out, None));
            }
            if let Expr::Ident(ident) = &target.expr
                && let Some(ns) = Namespace::from_name(ident)
                && !self.is_local(ident)
                && !self.bindings.globals.iter().any(|(n, _)| n == ident)
            {
                let mut args = Vec::with_capacity(call.args.len());
                for a in &call.args {
                    args.push(self.eval(a)?.0);
                }
                return library::call_namespaced(self, ns, name, args).map(|v| (v, None));
            }
        }
        // The receiver first, then the arguments, on the evaluator's argument stack (no
        // vector per call); the library reads them as one slice.
        let member = call.target.is_some();
        let base = self.stack.len();
        let filled = self.push_args(call.target.as_deref(), &call.args);
        let out = filled.and_then(|first_origin| {
            let stack = std::mem::take(&mut self.stack);
            let out = library::call(self, name, op, member, stack.get(base..).unwrap_or_default());
            self.stack = stack;
            // `dyn(x)` keeps where x came from.
            let origin = if op.is_none() && name.len() == 3 && name == "dyn" { first_origin } else { None };
            out.map(|v| (v, origin))
        });
        self.stack.truncate(base);
        let _ = e;
        out
    }

    /// Evaluates a call's receiver and arguments onto the argument stack; the origin of the
    /// first of them.
    fn push_args(&mut self, target: Option<&'a IdedExpr>, args: &'a [IdedExpr]) -> Result<Origin> {
        let mut first_origin = None;
        for (i, a) in target.into_iter().chain(args).enumerate() {
            let (v, o) = self.eval(a)?;
            if i == 0 {
                first_origin = o;
            }
            self.stack.push(v);
        }
        Ok(first_origin)
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

/// A missing key or index, which an optional index (`m[?k]`, `opt[k]`) turns into `none`.
fn is_absent(err: &EvalError) -> bool {
    err.message.starts_with("no such key") || err.message.starts_with("index out of bounds")
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
