//! CustomResourceDefinition validation rules (`x-kubernetes-validations`), compiled and
//! evaluated as the API server's apiextensions validation does
//! (k8s.io/apiextensions-apiserver `pkg/apiserver/schema/cel`: `validation.go`,
//! `compilation.go`), for a CREATE of each custom resource:
//!
//! - every rule of every schema node present in the object runs with `self` bound to that
//!   node's value, typed by the schema ([`types`], [`convert`]); a node inside a list or a
//!   map runs once per element;
//! - transition rules (those that read `oldSelf`) do not run, as the API server skips them
//!   without an old object, unless `optionalOldSelf: true`, where `oldSelf` is
//!   `optional.none()`;
//! - a failed rule is the API server's field error: `<path>: Invalid value: "<type>":
//!   <message>` (`message`, the evaluated `messageExpression`, else `failed rule: <rule>`),
//!   worded by `reason` (`FieldValueForbidden`: `Forbidden: …`, `FieldValueRequired`:
//!   `Required value: …`, `FieldValueDuplicate`: `Duplicate value: "<type>"`), at `fieldPath`
//!   when given;
//! - runtime errors and the cost limits (1,000,000 per expression, `PerCallLimit`;
//!   10,000,000 per object, `RuntimeCELCostBudget`) give the API server's messages, and the
//!   limits stop the object's validation as they do there.
//!
//! Compile errors (syntax, a field `self` does not have, a rule that is not a bool, a
//! `messageExpression` that is not a string, a `fieldPath` or `reason` the API server
//! refuses) are the CRD's, with the JSON pointer of the field and the line and column inside
//! it: the API server refuses such a CRD.
//!
//! Not modelled: `allOf` rules, set and map list equality ignoring order
//! (`x-kubernetes-list-type: set/map` compare as ordered lists), ratcheting (UPDATE).

mod check;
mod convert;
mod escape;
mod field_path;
mod schema;
mod types;

use std::collections::BTreeMap;

use serde_json::Value as Json;

pub use escape::escape;
pub use schema::{Node, RuleSpec};

use crate::compile::{self, CompileError, Program, Scope};
use crate::eval::{Bindings, ErrorKind, Evaluator};
use crate::value::Value;
use crate::{Budget, CompileOptions, KubernetesVersion};
use types::Ty;

/// One step of a field path, as `field.Path` has them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A property (`.name`).
    Field(String),
    /// A key of a map (`[key]`).
    Key(String),
    /// A list index (`[0]`).
    Index(usize),
}

/// The API server's per-expression and per-object limits for CRD rules.
pub const BUDGET: Budget = Budget { per_expression: 1_000_000, per_policy: 10_000_000 };

/// `MaxEvaluatedMessageExpressionSizeBytes`.
const MAX_MESSAGE_BYTES: usize = 5 * 1024;

struct Compiled {
    program: Option<Program>,
    message: Option<Program>,
    uses_old_self: bool,
    /// `fieldPath`: its normalized form and steps.
    field_path: Option<(String, Vec<Seg>)>,
}

/// The rules of one CRD version's schema, compiled.
pub struct CrdValidator {
    root: Node,
    compiled: BTreeMap<String, Compiled>,
    version: KubernetesVersion,
}

/// A rule the object fails (or that could not be evaluated on it).
#[derive(Clone, Debug, PartialEq)]
pub struct RuleFailure {
    /// JSON pointer of the rule in the CRD (`…/x-kubernetes-validations/0`).
    pub rule: String,
    /// The node the rule sits on, in the object.
    pub node: Vec<Seg>,
    /// The `fieldPath` target below it, when the rule has one.
    pub target: Option<Vec<Seg>>,
    /// The API server's message, path included.
    pub message: String,
}

impl CrdValidator {
    /// Compiles the rules of the schema `json`, written at `pointer` in the CRD
    /// (`/spec/versions/0/schema/openAPIV3Schema`).
    pub fn compile(json: &Json, pointer: &str, options: &CompileOptions) -> (CrdValidator, Vec<CompileError>) {
        let root = Node::read(json, pointer);
        let scope = Scope {
            names: vec!["self", "oldSelf"],
            variables: Vec::new(),
            version: options.kubernetes_version,
            kyverno: false,
        };
        let mut compiled = BTreeMap::new();
        let mut errors = Vec::new();
        compile_node(&root, true, &scope, &mut compiled, &mut errors);
        (CrdValidator { root, compiled, version: options.kubernetes_version }, errors)
    }

    /// The number of rules in the schema.
    pub fn rule_count(&self) -> usize {
        self.root.rule_count()
    }

    /// The rule at `pointer`.
    pub fn rule(&self, pointer: &str) -> Option<&RuleSpec> {
        fn find<'a>(node: &'a Node, pointer: &str) -> Option<&'a RuleSpec> {
            node.rules
                .iter()
                .find(|r| r.pointer == pointer)
                .or_else(|| node.properties.values().find_map(|p| find(p, pointer)))
                .or_else(|| node.additional.as_deref().and_then(|a| find(a, pointer)))
                .or_else(|| node.items.as_deref().and_then(|i| find(i, pointer)))
        }
        find(&self.root, pointer)
    }

    /// The rules `object` fails, for a CREATE. An object with values of the wrong type gives
    /// none: the API server does not run the rules then (the core reports the types).
    pub fn validate(&self, object: &Json) -> Vec<RuleFailure> {
        let mut run = Run { validator: self, spent: 0, stopped: false, out: Vec::new() };
        if !self.root.has_rules() || convert::to_cel(object, &self.root, true).is_err() {
            return Vec::new();
        }
        run.node(&self.root, object, true, &mut Vec::new());
        run.out
    }
}

fn uses_old_self(e: &cel::common::ast::IdedExpr) -> bool {
    use cel::common::ast::{EntryExpr, Expr};
    match &e.expr {
        Expr::Ident(name) => name == "oldSelf",
        Expr::Select(s) => uses_old_self(&s.operand),
        Expr::Call(c) => c.target.as_deref().is_some_and(uses_old_self) || c.args.iter().any(uses_old_self),
        Expr::List(l) => l.elements.iter().any(uses_old_self),
        Expr::Map(m) => m.entries.iter().any(|e| match &e.expr {
            EntryExpr::MapEntry(entry) => uses_old_self(&entry.key) || uses_old_self(&entry.value),
            EntryExpr::StructField(f) => uses_old_self(&f.value),
        }),
        Expr::Struct(s) => s.entries.iter().any(|e| match &e.expr {
            EntryExpr::MapEntry(entry) => uses_old_self(&entry.key) || uses_old_self(&entry.value),
            EntryExpr::StructField(f) => uses_old_self(&f.value),
        }),
        Expr::Comprehension(c) => {
            [&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result].into_iter().any(uses_old_self)
        }
        Expr::Literal(_) | Expr::Unspecified => false,
    }
}

fn compile_node(
    node: &Node,
    resource: bool,
    scope: &Scope,
    out: &mut BTreeMap<String, Compiled>,
    errors: &mut Vec<CompileError>,
) {
    if !node.rules.is_empty() {
        match Ty::of(node, resource) {
            Some(ty) => {
                for rule in &node.rules {
                    if let Some(c) = compile_rule(node, rule, &ty, scope, errors) {
                        out.insert(rule.pointer.clone(), c);
                    }
                }
            }
            None => {
                for rule in &node.rules {
                    errors.push(CompileError::at(
                        format!("{}/rule", rule.pointer),
                        format!(
                            "rule declared on schema that does not support validation rules type: '{}' x-kubernetes-preserve-unknown-fields: '{}'",
                            node.ty, node.preserve_unknown
                        ),
                    ));
                }
            }
        }
    }
    for p in node.properties.values() {
        compile_node(p, p.embedded, scope, out, errors);
    }
    if let Some(a) = node.additional.as_deref() {
        compile_node(a, a.embedded, scope, out, errors);
    }
    if let Some(i) = node.items.as_deref() {
        compile_node(i, i.embedded, scope, out, errors);
    }
}

/// One expression: parsed, its names checked, then its types as far as they are known.
fn expression(
    source: &str,
    pointer: &str,
    ty: &Ty<'_>,
    scope: &Scope,
    wanted: (fn(&Ty<'_>) -> bool, &str),
    errors: &mut Vec<CompileError>,
) -> Option<Program> {
    let program = match compile::compile(source, pointer, scope) {
        Ok(p) => p,
        Err(e) => {
            errors.extend(e);
            return None;
        }
    };
    let (result, problems) = check::infer(&program.expr, ty);
    if !problems.is_empty() {
        let ids: Vec<u64> = problems.iter().map(|(id, _)| *id).collect();
        for ((line, column), (_, message)) in compile::positions(source, scope, &ids).into_iter().zip(problems) {
            errors.push(CompileError {
                pointer: pointer.to_string(),
                line,
                column,
                message: format!("compilation failed: {message}"),
            });
        }
        return None;
    }
    if !(wanted.0)(&result) {
        errors.push(CompileError::at(pointer, wanted.1));
        return None;
    }
    Some(program)
}

fn compile_rule(
    node: &Node,
    rule: &RuleSpec,
    ty: &Ty<'_>,
    scope: &Scope,
    errors: &mut Vec<CompileError>,
) -> Option<Compiled> {
    if rule.rule.trim().is_empty() {
        return None;
    }
    let before = errors.len();
    let program = expression(
        &rule.rule,
        &format!("{}/rule", rule.pointer),
        ty,
        scope,
        (check::may_be_bool, "cel expression must evaluate to a bool"),
        errors,
    );
    let message = rule.message_expression.as_deref().and_then(|m| {
        expression(
            m,
            &format!("{}/messageExpression", rule.pointer),
            ty,
            scope,
            (check::may_be_string, "messageExpression must evaluate to a string"),
            errors,
        )
    });
    let field_path = match rule.field_path.as_deref() {
        None => None,
        Some(fp) => match field_path::parse(fp, node) {
            Ok(segs) => Some((field_path::render(&segs), segs)),
            Err(why) => {
                errors.push(CompileError::at(
                    format!("{}/fieldPath", rule.pointer),
                    format!("fieldPath must be a valid path: {why}"),
                ));
                None
            }
        },
    };
    if let Some(reason) = rule.reason.as_deref()
        && !matches!(reason, "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate")
    {
        errors.push(CompileError::at(
            format!("{}/reason", rule.pointer),
            format!(
                "Unsupported value: {reason:?}: supported values: \"FieldValueInvalid\", \"FieldValueForbidden\", \"FieldValueRequired\", \"FieldValueDuplicate\""
            ),
        ));
    }
    if errors.len() > before {
        return None;
    }
    let uses_old_self = program.as_ref().is_some_and(|p| uses_old_self(&p.expr));
    Some(Compiled { program, message, uses_old_self, field_path })
}

/// One object's validation: the cost spent so far, and whether a limit stopped it.
struct Run<'v> {
    validator: &'v CrdValidator,
    spent: u64,
    stopped: bool,
    out: Vec<RuleFailure>,
}

/// `field.Path.String()`: `<nil>` for the root.
fn render_path(segs: &[Seg]) -> String {
    if segs.is_empty() { "<nil>".to_string() } else { field_path::render(segs) }
}

/// What `ruleErrorString` gives: the message when there is one, else the rule.
fn rule_error_string(rule: &RuleSpec) -> String {
    rule.message.as_deref().map_or_else(|| rule.rule.trim().to_string(), |m| m.trim().to_string())
}

impl Run<'_> {
    fn node(&mut self, node: &Node, json: &Json, resource: bool, path: &mut Vec<Seg>) {
        if json.is_null() || self.stopped {
            return;
        }
        if !node.rules.is_empty() && Ty::of(node, resource).is_some() {
            match convert::to_cel(json, node, resource) {
                Ok(value) => self.rules(node, &value, path),
                Err(_) => return,
            }
        }
        if self.stopped {
            return;
        }
        match json {
            Json::Object(map) => {
                if let Some(values) = node.additional.as_deref() {
                    for (k, v) in map {
                        path.push(Seg::Key(k.clone()));
                        self.node(values, v, values.embedded, path);
                        path.pop();
                    }
                } else {
                    for (k, v) in map {
                        let Some(p) = node.properties.get(k) else { continue };
                        // Fields the rules cannot see are not validated (upstream skips them).
                        if Ty::of(p, p.embedded).is_none() || !p.has_rules() {
                            continue;
                        }
                        path.push(Seg::Field(k.clone()));
                        self.node(p, v, p.embedded, path);
                        path.pop();
                    }
                }
            }
            Json::Array(items) => {
                if let Some(schema) = node.items.as_deref().filter(|s| s.has_rules()) {
                    for (i, v) in items.iter().enumerate() {
                        path.push(Seg::Index(i));
                        self.node(schema, v, schema.embedded, path);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    fn fail(&mut self, rule: &RuleSpec, node: &[Seg], target: Option<Vec<Seg>>, message: String) {
        self.out.push(RuleFailure { rule: rule.pointer.clone(), node: node.to_vec(), target, message });
    }

    /// Evaluates one expression with `self` (and `oldSelf` as `optional.none()` when
    /// `optional_old_self`), charging the object's budget.
    fn eval(&mut self, program: &Program, value: &Value, optional_old_self: bool) -> crate::eval::Result<Value> {
        let mut globals = vec![("self", value.clone())];
        if optional_old_self {
            globals.push(("oldSelf", Value::Optional(None)));
        }
        let bindings = Bindings { globals, ..Bindings::default() };
        let mut ev = Evaluator::new(&bindings, self.validator.version, BUDGET);
        ev.spent = self.spent;
        let result = ev.run(program);
        self.spent = ev.spent;
        result
    }

    fn rules(&mut self, node: &Node, value: &Value, path: &[Seg]) {
        let ty = if node.ty.is_empty() && node.int_or_string { String::new() } else { node.ty.clone() };
        let invalid = |path: &[Seg], detail: &str| format!("{}: Invalid value: {ty:?}: {detail}", render_path(path));
        if self.spent >= BUDGET.per_policy {
            let message = invalid(
                path,
                "validation failed due to running out of cost budget, no further validation rules will be run",
            );
            if let Some(rule) = node.rules.first() {
                self.fail(rule, path, None, message);
            }
            self.stopped = true;
            return;
        }
        let validator = self.validator;
        for rule in &node.rules {
            let Some(compiled) = validator.compiled.get(&rule.pointer) else { continue };
            let Some(program) = &compiled.program else { continue };
            // CREATE: no old object. Transition rules run only with optionalOldSelf.
            if compiled.uses_old_self && !rule.optional_old_self {
                continue;
            }
            let result = self.eval(program, value, rule.optional_old_self);
            let what = rule_error_string(rule);
            match result {
                Ok(Value::Bool(true)) => continue,
                Ok(_) => {}
                Err(e) if e.kind == ErrorKind::Budget => {
                    let detail = if e.message.starts_with("validation failed due to running out of cost budget") {
                        e.message.clone()
                    } else {
                        format!(
                            "'{}': no further validation rules will be run due to call cost exceeds limit for rule: {what}",
                            e.message
                        )
                    };
                    let message = invalid(path, &detail);
                    self.fail(rule, path, None, message);
                    self.stopped = true;
                    return;
                }
                Err(e) => {
                    let detail = if e.message.starts_with("no such overload") {
                        format!(
                            "'{}': call arguments did not match a supported operator, function or macro signature for rule: {what}",
                            e.message
                        )
                    } else {
                        format!("{} evaluating rule: {what}", e.message)
                    };
                    let message = invalid(path, &detail);
                    self.fail(rule, path, None, message);
                    continue;
                }
            }
            let mut at = path.to_vec();
            let mut target = None;
            if let Some((normalized, segs)) = &compiled.field_path {
                at.push(Seg::Field(normalized.clone()));
                let mut t = path.to_vec();
                t.extend(segs.iter().cloned());
                target = Some(t);
            }
            let mut detail = None;
            if let Some(m) = &compiled.message {
                // The message runs without `oldSelf` (upstream evaluates it in the rule's
                // plain activation).
                match self.eval(m, value, false) {
                    Ok(Value::String(s)) => {
                        let s = s.trim();
                        if !s.is_empty() && s.len() <= MAX_MESSAGE_BYTES && !s.contains('\n') {
                            detail = Some(s.to_string());
                        }
                    }
                    Err(e) if e.kind == ErrorKind::Budget => {
                        let d = if e.message.starts_with("validation failed due to running out of cost budget") {
                            "messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run".to_string()
                        } else {
                            format!(
                                "no further validation rules will be run due to call cost exceeds limit for messageExpression: {:?}",
                                rule.message_expression.as_deref().unwrap_or("")
                            )
                        };
                        let message = invalid(&at, &d);
                        self.fail(rule, path, target, message);
                        self.stopped = true;
                        return;
                    }
                    _ => {}
                }
            }
            let detail = detail.unwrap_or_else(|| match rule.message.as_deref() {
                Some(m) => m.trim().to_string(),
                None => format!("failed rule: {}", rule_error_string(rule)),
            });
            let shown = render_path(&at);
            let message = match rule.reason.as_deref() {
                Some("FieldValueForbidden") => format!("{shown}: Forbidden: {detail}"),
                Some("FieldValueRequired") => format!("{shown}: Required value: {detail}"),
                Some("FieldValueDuplicate") => format!("{shown}: Duplicate value: {ty:?}"),
                _ => format!("{shown}: Invalid value: {ty:?}: {detail}"),
            };
            self.fail(rule, path, target, message);
        }
    }
}

#[cfg(test)]
mod tests;
