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
//!
//! Here: the evaluator's state (bindings, lazily evaluated variables, cost, scopes) and the
//! walk itself. `select` reads fields and indexes, `call` evaluates calls and the operators
//! with their own evaluation order, `comprehension` the macros that iterate, `origin` keeps
//! the paths inside `object`, `error` says why there is no value.

mod call;
mod comprehension;
mod error;
mod origin;
mod select;

use std::rc::Rc;

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};

pub use error::{ErrorKind, EvalError, Result};
use origin::root;
pub use origin::{Origin, PathNode, path_of};

use crate::compile::Program;
use crate::library;
use crate::value::{Key, Map, Value};
use crate::version::KubernetesVersion;

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
            root: None,
            depth: 0,
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
        if let Some((_, v, o)) = self.scopes.iter().rev().find(|(n, _, _)| *n == name) {
            return Ok((v.clone(), o.clone()));
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
            let origin = if name == "anyObject" { self.object_root() } else { None };
            return Some(Ok((v.clone(), origin)));
        }
        let index = self.bindings.variables.iter().position(|(n, _)| n == name)?;
        Some(self.variable(index))
    }

    /// The root of the paths inside `object`, made once per evaluation.
    fn object_root(&mut self) -> Origin {
        if self.root.is_none() {
            self.root = root();
        }
        self.root.clone()
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
