//! Policy documents compiled: one shape for what VAPs, Kyverno ValidatingPolicies and
//! Gatekeeper CEL templates have in common (match conditions, variables, validations,
//! audit annotations, failure policy), and the evaluation the API server does with it.

// Indexing here reads JSON documents (`doc["metadata"]["name"]`): serde_json's `Index`
// gives `Null` for a missing key or a non-object, never a panic.
#![allow(clippy::indexing_slicing)]

use std::rc::Rc;

use serde_json::Value;

use crate::compile::{CompileError, Program, Scope, compile};
use crate::eval::{ErrorKind, EvalError, Evaluator};
use crate::gatekeeper::GatekeeperTemplate;
use crate::inputs::{Inputs, RequestValues};
use crate::matching::MatchResources;
use crate::value::Value as Cel;
use crate::{Action, Budget, CompileOptions, EvalFailure, Outcome, Request, Violation};

/// Which document a [`Policy`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    ValidatingAdmissionPolicy,
    /// Kyverno `policies.kyverno.io` ValidatingPolicy.
    ValidatingPolicy,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::ValidatingAdmissionPolicy => "ValidatingAdmissionPolicy",
            PolicyKind::ValidatingPolicy => "ValidatingPolicy",
        }
    }
}

#[derive(Debug)]
pub(crate) struct Validation {
    pub program: Program,
    pub pointer: String,
    pub message: Option<String>,
    pub message_expression: Option<(Program, String)>,
    pub reason: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct CelPolicy {
    pub match_conditions: Vec<(String, Program, String)>,
    pub variables: Vec<(String, Rc<Program>)>,
    pub validations: Vec<Validation>,
    pub audit_annotations: Vec<(String, Program, String)>,
    pub fail_closed: bool,
    pub version: crate::KubernetesVersion,
}

/// A compiled ValidatingAdmissionPolicy or Kyverno ValidatingPolicy.
#[derive(Debug)]
pub struct Policy {
    pub kind: PolicyKind,
    pub name: String,
    /// `paramKind` (`apiVersion`, `kind`), VAP only.
    pub param_kind: Option<(String, String)>,
    pub(crate) match_constraints: MatchResources,
    /// Kyverno's `validationActions` (a VAP's come from its bindings).
    pub(crate) actions: Vec<Action>,
    /// Kyverno autogen: the rules generated for pod controllers (their match constraints
    /// and the policy rewritten for the pod template).
    pub(crate) autogen: Vec<(MatchResources, CelPolicy)>,
    pub(crate) cel: CelPolicy,
}

/// A compiled ValidatingAdmissionPolicyBinding.
#[derive(Debug)]
pub struct Binding {
    pub name: String,
    pub policy_name: String,
    pub param_ref: Option<ParamRef>,
    pub actions: Vec<Action>,
    pub(crate) match_resources: Option<MatchResources>,
}

#[derive(Clone, Debug)]
pub struct ParamRef {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub selector: Option<Value>,
    /// `parameterNotFoundAction: Deny` (the default is Allow).
    pub deny_when_missing: bool,
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(String::from)
}

/// The CEL source under `field` of `v`: a missing field is an empty expression (which
/// [`compile`] reports as such); any other non-string value is reported here, as the API
/// server's decoding rejects it, and compiles nothing.
fn source_of<'a>(v: &'a Value, field: &str, pointer: &str, errors: &mut Vec<CompileError>) -> Option<&'a str> {
    match &v[field] {
        Value::String(s) => Some(s),
        Value::Null => Some(""),
        other => {
            errors.push(CompileError::at(
                pointer,
                format!("Invalid value: {field} must be a string, not {}", json_type(other)),
            ));
            None
        }
    }
}

/// A JSON value's type as a message names it.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

fn actions_of(v: &Value, pointer: &str, errors: &mut Vec<CompileError>) -> Vec<Action> {
    let mut out = Vec::new();
    for (i, a) in v.as_array().into_iter().flatten().enumerate() {
        match a.as_str() {
            Some("Deny") => out.push(Action::Deny),
            Some("Warn") => out.push(Action::Warn),
            Some("Audit") => out.push(Action::Audit),
            _ => errors.push(CompileError::at(
                format!("{pointer}/{i}"),
                format!("Unsupported value: {a}: supported values: \"Audit\", \"Deny\", \"Warn\""),
            )),
        }
    }
    out
}

/// The names an admission expression may use.
fn admission_scope(version: crate::KubernetesVersion, params: bool, kyverno: bool) -> Scope {
    let mut names = vec!["object", "oldObject", "request", "variables", "namespaceObject"];
    if params || !kyverno {
        names.push("params");
    }
    if version.at_least(27) || kyverno {
        names.push("authorizer");
    }
    if kyverno {
        names.extend(["resource", "http", "globalContext", "image", "imageData", "exceptions", "generator", "gctx"]);
    }
    Scope { names, variables: Vec::new(), version, kyverno }
}

/// Compiles the parts every CEL policy shape has, under `spec` at `base`.
fn compile_body(spec: &Value, base: &str, scope: &mut Scope, errors: &mut Vec<CompileError>) -> CelPolicy {
    let mut cel = CelPolicy { version: scope.version, ..CelPolicy::default() };
    for (i, c) in spec["matchConditions"].as_array().into_iter().flatten().enumerate() {
        let pointer = format!("{base}/matchConditions/{i}/expression");
        let Some(source) = source_of(c, "expression", &pointer, errors) else { continue };
        match compile(source, &pointer, scope) {
            Ok(p) => cel.match_conditions.push((text(&c["name"]).unwrap_or_default(), p, pointer)),
            Err(e) => errors.extend(e),
        }
    }
    for (i, v) in spec["variables"].as_array().into_iter().flatten().enumerate() {
        let pointer = format!("{base}/variables/{i}/expression");
        let name = text(&v["name"]).unwrap_or_default();
        if let Some(source) = source_of(v, "expression", &pointer, errors) {
            match compile(source, &pointer, scope) {
                Ok(p) => cel.variables.push((name.clone(), Rc::new(p))),
                Err(e) => errors.extend(e),
            }
        }
        scope.variables.push(name);
    }
    for (i, v) in spec["validations"].as_array().into_iter().flatten().enumerate() {
        let pointer = format!("{base}/validations/{i}/expression");
        let program = source_of(v, "expression", &pointer, errors).map(|source| compile(source, &pointer, scope));
        let message_pointer = format!("{base}/validations/{i}/messageExpression");
        let message_source = if v["messageExpression"].is_null() {
            None
        } else {
            source_of(v, "messageExpression", &message_pointer, errors)
        };
        let message_expression = match message_source {
            Some(m) => {
                let p = message_pointer;
                match compile(m, &p, scope) {
                    Ok(program) => Some((program, p)),
                    Err(e) => {
                        errors.extend(e);
                        None
                    }
                }
            }
            None => None,
        };
        match program {
            None => {}
            Some(Ok(program)) => cel.validations.push(Validation {
                program,
                pointer,
                message: text(&v["message"]),
                message_expression,
                reason: text(&v["reason"]),
            }),
            Some(Err(e)) => errors.extend(e),
        }
    }
    for (i, a) in spec["auditAnnotations"].as_array().into_iter().flatten().enumerate() {
        let pointer = format!("{base}/auditAnnotations/{i}/valueExpression");
        let Some(source) = source_of(a, "valueExpression", &pointer, errors) else { continue };
        match compile(source, &pointer, scope) {
            Ok(p) => cel.audit_annotations.push((text(&a["key"]).unwrap_or_default(), p, pointer)),
            Err(e) => errors.extend(e),
        }
    }
    cel.fail_closed = spec["failurePolicy"].as_str() != Some("Ignore");
    cel
}

impl Policy {
    /// Kyverno: whether the policy (or an autogen rule of it) matches the request, match
    /// conditions included (`kyverno test`'s `skip` when not). VAPs match through their
    /// bindings ([`crate::PolicySet::admit`]).
    pub fn applies(&self, request: &Request<'_>, cluster: &crate::Cluster<'_>) -> bool {
        crate::kyverno::applies(self, request, cluster)
    }

    /// Compiles a ValidatingAdmissionPolicy or a Kyverno ValidatingPolicy document.
    pub fn compile(doc: &Value, options: &CompileOptions) -> Result<Policy, Vec<CompileError>> {
        let kind = match doc["kind"].as_str() {
            Some("ValidatingPolicy") => PolicyKind::ValidatingPolicy,
            _ => PolicyKind::ValidatingAdmissionPolicy,
        };
        let kyverno = kind == PolicyKind::ValidatingPolicy;
        let spec = &doc["spec"];
        let param_kind = spec["paramKind"].as_object().map(|p| {
            (
                p.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string(),
                p.get("kind").and_then(Value::as_str).unwrap_or_default().to_string(),
            )
        });
        let mut errors = Vec::new();
        let mut scope = admission_scope(options.kubernetes_version, param_kind.is_some(), kyverno);
        let cel = compile_body(spec, "/spec", &mut scope, &mut errors);
        let actions = if kyverno {
            let a = actions_of(&spec["validationActions"], "/spec/validationActions", &mut errors);
            if a.is_empty() { vec![Action::Audit] } else { a }
        } else {
            Vec::new()
        };
        let autogen = if kyverno { autogen_rules(spec, options, &mut errors) } else { Vec::new() };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Policy {
            kind,
            name: text(&doc["metadata"]["name"]).unwrap_or_default(),
            param_kind,
            match_constraints: MatchResources::parse(&spec["matchConstraints"]),
            actions,
            autogen,
            cel,
        })
    }
}

/// Kyverno's autogen (pkg/cel/policies/vpol/autogen): a policy matching exactly `pods`
/// (core v1, one rule, no object selector, no exclusions) also applies to the pod
/// controllers (`spec.autogen.podControllers.controllers`, all six by default), with its
/// JSON rewritten textually as Kyverno rewrites it: `object.spec` becomes
/// `object.spec.template.spec` (`...jobTemplate.spec.template.spec` for CronJobs) and
/// `object.metadata` the template's, except `object.metadata.namespace`.
fn autogen_rules(
    spec: &Value,
    options: &CompileOptions,
    errors: &mut Vec<CompileError>,
) -> Vec<(MatchResources, CelPolicy)> {
    let m = &spec["matchConstraints"];
    let rules = m["resourceRules"].as_array().map(Vec::as_slice).unwrap_or_default();
    let selector_empty = m["objectSelector"]["matchLabels"].as_object().is_none_or(|o| o.is_empty())
        && m["objectSelector"]["matchExpressions"].as_array().is_none_or(Vec::is_empty);
    let [rule] = rules else { return Vec::new() };
    let one = |k: &str, v: &str| rule[k].as_array().is_some_and(|a| a.len() == 1 && a[0] == v);
    if !selector_empty
        || m["excludeResourceRules"].as_array().is_some_and(|a| !a.is_empty())
        || rule["resourceNames"].as_array().is_some_and(|a| !a.is_empty())
        || !one("apiGroups", "")
        || !one("apiVersions", "v1")
        || !one("resources", "pods")
    {
        return Vec::new();
    }
    let controllers: Vec<&str> = match spec["autogen"]["podControllers"]["controllers"].as_array() {
        Some(list) => list.iter().filter_map(Value::as_str).collect(),
        None => vec!["daemonsets", "deployments", "jobs", "statefulsets", "replicasets", "cronjobs"],
    };
    let group = |c: &str| match c {
        "daemonsets" | "deployments" | "replicasets" | "statefulsets" => Some("apps"),
        "jobs" | "cronjobs" => Some("batch"),
        _ => None,
    };
    let mut out = Vec::new();
    for (config, to_spec, to_meta) in [
        ("cronjobs", "spec.jobTemplate.spec.template.spec", "spec.jobTemplate.spec.template.metadata"),
        ("defaults", "spec.template.spec", "spec.template.metadata"),
    ] {
        let targets: Vec<&str> = controllers
            .iter()
            .copied()
            .filter(|c| group(c).is_some() && ((*c == "cronjobs") == (config == "cronjobs")))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let mut resource_rules = Vec::new();
        for g in ["apps", "batch"] {
            let mut resources: Vec<&str> = targets.iter().copied().filter(|c| group(c) == Some(g)).collect();
            resources.sort_unstable();
            if !resources.is_empty() {
                resource_rules.push(serde_json::json!({"apiGroups": [g], "apiVersions": ["v1"], "resources": resources, "operations": rule["operations"]}));
            }
        }
        let mut generated = spec.clone();
        generated["matchConstraints"] =
            serde_json::json!({"resourceRules": resource_rules, "namespaceSelector": m["namespaceSelector"]});
        let text = generated.to_string();
        let text = replace_path(&text, "spec", to_spec);
        let text = replace_path(&text, "metadata", to_meta);
        let Ok(rewritten) = serde_json::from_str::<Value>(&text) else { continue };
        let mut scope = admission_scope(options.kubernetes_version, false, true);
        let mut rule_errors = Vec::new();
        let cel = compile_body(&rewritten, "/spec", &mut scope, &mut rule_errors);
        // The errors of the generated rule are those of the policy itself, already reported.
        if rule_errors.is_empty() {
            out.push((MatchResources::parse(&rewritten["matchConstraints"]), cel));
        } else if errors.is_empty() {
            errors.extend(rule_errors);
        }
    }
    out
}

/// Kyverno's `Replacement.Apply`: `object.<from>` and `oldObject.<from>` become `.<to>`,
/// except where `.namespace` follows as a whole segment.
fn replace_path(text: &str, from: &str, to: &str) -> String {
    let mut text = text.to_string();
    for root in ["object.", "oldObject."] {
        let needle = format!("{root}{from}");
        let replacement = format!("{root}{to}");
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = rest.find(&needle) {
            let (before, after) = rest.split_at(i);
            out.push_str(before);
            let tail = after.get(needle.len()..).unwrap_or_default();
            let protected = tail
                .strip_prefix(".namespace")
                .is_some_and(|n| !n.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
            out.push_str(if protected { &needle } else { &replacement });
            rest = tail;
        }
        out.push_str(rest);
        text = out;
    }
    text
}

impl Binding {
    pub fn compile(doc: &Value) -> Result<Binding, Vec<CompileError>> {
        let spec = &doc["spec"];
        let mut errors = Vec::new();
        let policy_name = text(&spec["policyName"]).unwrap_or_default();
        if policy_name.is_empty() {
            errors.push(CompileError::at("/spec/policyName", "Required value: policyName"));
        }
        let actions = actions_of(&spec["validationActions"], "/spec/validationActions", &mut errors);
        if actions.is_empty() && errors.is_empty() {
            errors.push(CompileError::at(
                "/spec/validationActions",
                "Required value: at least one validation action is required",
            ));
        }
        let param_ref = spec["paramRef"].as_object().map(|p| ParamRef {
            name: p.get("name").and_then(text),
            namespace: p.get("namespace").and_then(text),
            selector: p.get("selector").cloned(),
            deny_when_missing: p.get("parameterNotFoundAction").and_then(Value::as_str) == Some("Deny"),
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Binding {
            name: text(&doc["metadata"]["name"]).unwrap_or_default(),
            policy_name,
            param_ref,
            actions,
            match_resources: spec.get("matchResources").filter(|m| m.is_object()).map(MatchResources::parse),
        })
    }
}

impl CelPolicy {
    /// Evaluates match conditions, then validations and audit annotations, as the API
    /// server does for one policy (and one binding) against one request.
    pub(crate) fn evaluate(&self, inputs: &Inputs<'_>, actions: &[Action], budget: &Budget) -> Vec<Outcome> {
        let bindings = inputs.bindings(&self.variables);
        let mut ev = Evaluator::new(&bindings, self.version, *budget);
        let mut out = Vec::new();
        let failure = |pointer: &str, message: String, not_evaluable: bool| {
            let f = EvalFailure {
                pointer: pointer.to_string(),
                message,
                actions: if not_evaluable { Vec::new() } else { actions.to_vec() },
            };
            if not_evaluable { Outcome::NotEvaluable(f) } else { Outcome::Error(f) }
        };
        for (_, program, pointer) in &self.match_conditions {
            match ev.run(program) {
                Ok(Cel::Bool(true)) => {}
                Ok(Cel::Bool(false)) => return out,
                Ok(other) => {
                    if self.fail_closed {
                        out.push(failure(
                            pointer,
                            format!("expression '{}' resulted in {}, expected bool", program.source, other.type_name()),
                            false,
                        ));
                    }
                    return out;
                }
                Err(err) => {
                    match err.kind {
                        ErrorKind::NotEvaluable => out.push(failure(pointer, err.message, true)),
                        ErrorKind::Budget => out.push(failure(pointer, err.message, false)),
                        ErrorKind::Runtime if self.fail_closed => out.push(failure(
                            pointer,
                            format!("failed to evaluate match condition: {}", err.message),
                            false,
                        )),
                        ErrorKind::Runtime => {}
                    }
                    return out;
                }
            }
        }
        for (index, v) in self.validations.iter().enumerate() {
            match ev.run(&v.program) {
                Ok(Cel::Bool(true)) => {}
                Ok(Cel::Bool(false)) => {
                    let path = ev.last_read_path();
                    let message = self.message(&mut ev, v);
                    let message = match message {
                        Ok(m) => m,
                        Err(err) if err.kind == ErrorKind::Budget => {
                            out.push(failure(&v.pointer, err.message, false));
                            return out;
                        }
                        Err(_) => fallback_message(v),
                    };
                    out.push(Outcome::Violation(Violation {
                        validation: index,
                        expression: v.program.source.clone(),
                        pointer: v.pointer.clone(),
                        message,
                        reason: if inputs.kyverno || inputs.gatekeeper {
                            v.reason.clone()
                        } else {
                            Some(v.reason.clone().unwrap_or_else(|| "Invalid".into()))
                        },
                        actions: actions.to_vec(),
                        path,
                    }));
                }
                Ok(other) => {
                    if self.fail_closed {
                        out.push(failure(
                            &v.pointer,
                            format!(
                                "expression '{}' resulted in {}, expected bool",
                                v.program.source,
                                other.type_name()
                            ),
                            false,
                        ));
                    }
                }
                Err(err) => match err.kind {
                    ErrorKind::NotEvaluable => out.push(failure(&v.pointer, err.message, true)),
                    ErrorKind::Budget => {
                        out.push(failure(&v.pointer, err.message, false));
                        return out;
                    }
                    ErrorKind::Runtime if self.fail_closed => out.push(failure(
                        &v.pointer,
                        format!("expression '{}' resulted in error: {}", v.program.source, err.message),
                        false,
                    )),
                    ErrorKind::Runtime => {}
                },
            }
        }
        for (key, program, pointer) in &self.audit_annotations {
            match ev.run(program) {
                Ok(Cel::String(s)) => out.push(Outcome::AuditAnnotation { key: key.clone(), value: s.to_string() }),
                Ok(Cel::Null) => {}
                Ok(other) => out.push(failure(
                    pointer,
                    format!("valueExpression '{}' resulted in {}, expected string", program.source, other.type_name()),
                    false,
                )),
                Err(err) if err.kind == ErrorKind::NotEvaluable => out.push(failure(pointer, err.message, true)),
                Err(err) if self.fail_closed || err.kind == ErrorKind::Budget => {
                    out.push(failure(pointer, err.message, false))
                }
                Err(_) => {}
            }
        }
        out
    }

    /// Whether every match condition is true (an error counts as not matching).
    pub(crate) fn conditions_hold(&self, inputs: &Inputs<'_>) -> bool {
        if self.match_conditions.is_empty() {
            return true;
        }
        let bindings = inputs.bindings(&self.variables);
        let mut ev = Evaluator::new(&bindings, self.version, Budget::default());
        self.match_conditions.iter().all(|(_, p, _)| matches!(ev.run(p), Ok(Cel::Bool(true))))
    }

    fn message<'a>(&self, ev: &mut Evaluator<'a>, v: &'a Validation) -> Result<String, EvalError> {
        if let Some((program, _)) = &v.message_expression {
            match ev.run(program) {
                Ok(Cel::String(s)) if !s.trim().is_empty() && !s.contains('\n') => return Ok(s.to_string()),
                Ok(_) => {}
                Err(err) if err.kind == ErrorKind::Budget => return Err(err),
                Err(_) => {}
            }
        }
        Ok(fallback_message(v))
    }
}

fn fallback_message(v: &Validation) -> String {
    match &v.message {
        Some(m) if !m.is_empty() => m.clone(),
        _ => format!("failed expression: {}", v.program.source),
    }
}

/// The CEL code of a ConstraintTemplate (`spec.targets[0].code[engine=K8sNativeValidation]`).
pub(crate) fn compile_gatekeeper(
    doc: &Value,
    options: &CompileOptions,
) -> Option<Result<GatekeeperTemplate, Vec<CompileError>>> {
    let targets = doc["spec"]["targets"].as_array()?;
    let (ti, ci, code) = targets.iter().enumerate().find_map(|(ti, t)| {
        t["code"]
            .as_array()?
            .iter()
            .enumerate()
            .find(|(_, c)| c["engine"] == "K8sNativeValidation")
            .map(|(ci, c)| (ti, ci, c))
    })?;
    let base = format!("/spec/targets/{ti}/code/{ci}/source");
    let mut scope = admission_scope(options.kubernetes_version, true, false);
    scope.variables.extend(["params".to_string(), "anyObject".to_string()]);
    let mut errors = Vec::new();
    let cel = compile_body(&code["source"], &base, &mut scope, &mut errors);
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    Some(Ok(GatekeeperTemplate {
        kind: text(&doc["spec"]["crd"]["spec"]["names"]["kind"]).unwrap_or_default(),
        name: text(&doc["metadata"]["name"]).unwrap_or_default(),
        policy: cel,
    }))
}

pub(crate) fn evaluate_gatekeeper(
    template: &GatekeeperTemplate,
    request: &Request<'_>,
    parameters: Option<&Value>,
    namespace: Option<&Value>,
    budget: &Budget,
) -> Vec<Outcome> {
    let values = RequestValues::new(request, namespace);
    let params = parameters.map_or(Cel::Null, Cel::from_json);
    let any_object = values.subject();
    let inputs = Inputs {
        values: &values,
        params: Cel::Null,
        preset: vec![("params".into(), params), ("anyObject".into(), any_object)],
        kyverno: false,
        gatekeeper: true,
    };
    template.policy.evaluate(&inputs, &[Action::Deny], budget)
}
