//! The CEL engine (kubeharden-cel) behind the [`Engine`] seam: Gatekeeper templates'
//! `K8sNativeValidation` code, and the admission policies (ValidatingAdmissionPolicy with
//! its bindings, Kyverno ValidatingPolicy) evaluated as the API server and Kyverno would.

use kubeharden_cel::{
    Action, Budget, Cluster, CompileError, CompileOptions, GatekeeperTemplate, Operation, Outcome, PathSegment,
    PolicySet, Request,
};
use serde_json::{Value, json};

use crate::document::CodeSource;
use crate::engine::{
    AdmissionInput, AdmissionProblem, AdmissionResult, CodeError, CompiledTemplate, Engine, EngineKind, EvalFailure,
    Review, Violation,
};
use crate::path::{self, Segment};
use crate::shared::Shared;

/// kubeharden-cel for the newest Kubernetes release it knows, bounded by the API server's
/// cost limits.
#[derive(Debug, Default)]
pub struct CelEngine {
    pub options: CompileOptions,
}

fn segments(path: Vec<PathSegment>) -> Vec<Segment> {
    path.into_iter()
        .map(|s| match s {
            PathSegment::Key(k) => Segment::Key(k),
            PathSegment::Index(i) => Segment::Index(i),
        })
        .collect()
}

fn operation(name: &str) -> Operation {
    match name {
        "UPDATE" => Operation::Update,
        "DELETE" => Operation::Delete,
        "CONNECT" => Operation::Connect,
        _ => Operation::Create,
    }
}

fn failure(message: String, not_evaluable: bool) -> EvalFailure {
    if not_evaluable {
        EvalFailure::NotOffline { what: message }
    } else if message.contains("cost") {
        EvalFailure::Exhausted { message }
    } else {
        EvalFailure::Runtime { message, at: None }
    }
}

/// The number of the expression at `pointer` among a K8sNativeValidation source's
/// expressions, in [`crate::finding::cel_code_fields`]'s order.
fn code_index(source: &Value, pointer: &str) -> usize {
    let as_pointer = |f: &[Segment; 3]| match f {
        [Segment::Key(list), Segment::Index(i), Segment::Key(key)] => format!("/{list}/{i}/{key}"),
        _ => String::new(),
    };
    crate::finding::cel_code_fields(source).iter().position(|f| pointer.ends_with(&as_pointer(f))).unwrap_or(0)
}

impl Engine for CelEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Cel
    }

    fn compile_template(&self, code: &CodeSource) -> Result<Box<dyn CompiledTemplate>, Vec<CodeError>> {
        let CodeSource::Cel { source, .. } = code else {
            return Err(vec![CodeError { code: 0, line: 1, column: 1, message: "not CEL code".into() }]);
        };
        let doc = json!({"spec": {"targets": [{"code": [{"engine": "K8sNativeValidation", "source": source}]}]}});
        let to_code = |e: CompileError| CodeError {
            code: code_index(source, &e.pointer),
            line: e.line,
            column: e.column,
            message: e.message,
        };
        match GatekeeperTemplate::compile(&doc, &self.options) {
            Some(Ok(template)) => Ok(Box::new(CelTemplate { template })),
            Some(Err(errors)) => Err(errors.into_iter().map(to_code).collect()),
            None => {
                Err(vec![CodeError { code: 0, line: 1, column: 1, message: "no K8sNativeValidation source".into() }])
            }
        }
    }

    fn admission(&self, input: &AdmissionInput<'_>) -> Option<(Vec<AdmissionResult>, Vec<AdmissionProblem>)> {
        let mut set = PolicySet::new(self.options);
        let mut problems = Vec::new();
        for (i, doc) in input.policies.iter().enumerate() {
            match set.add(&doc.object) {
                Some(Ok(())) => {}
                Some(Err(errors)) => problems.extend(errors.into_iter().map(|e| AdmissionProblem {
                    policy: i,
                    field: path::from_pointer(&e.pointer),
                    line: e.line,
                    column: e.column,
                    message: e.message,
                })),
                None => {}
            }
        }
        let doc_of = |kind: &str, name: &str| {
            input.policies.iter().position(|d| {
                d.kind == kind && d.object.pointer("/metadata/name").and_then(Value::as_str) == Some(name)
            })
        };
        for binding in set.unbound() {
            if let Some(i) = doc_of("ValidatingAdmissionPolicyBinding", &binding.name) {
                problems.push(AdmissionProblem {
                    policy: i,
                    field: vec![Segment::key("spec"), Segment::key("policyName")],
                    line: 1,
                    column: 1,
                    message: format!(
                        "binding {} names no ValidatingAdmissionPolicy of the input: {}",
                        binding.name, binding.policy_name
                    ),
                });
            }
        }
        let cluster = Cluster::new(input.cluster.iter().copied());
        let op = operation(input.operation);
        let mut results = Vec::new();
        for (index, object) in input.objects.iter().enumerate() {
            let request =
                Request { object: Some(*object), old_object: None, operation: op, user_info: None, dry_run: false };
            for decision in set.admit(&request, &cluster) {
                let Some(policy) = doc_of(&decision.kind, &decision.policy) else { continue };
                let (validation, message, actions, path) = match decision.outcome {
                    Outcome::Violation(v) => (
                        Some(v.validation.to_string()),
                        v.message,
                        v.actions,
                        Some(segments(v.path)).filter(|p| !p.is_empty()),
                    ),
                    Outcome::Error(e) => (None, e.message, e.actions, None),
                    Outcome::NotEvaluable(e) => {
                        (None, format!("not evaluable offline: {}", e.message), vec![Action::Audit], None)
                    }
                    Outcome::AuditAnnotation { .. } => continue,
                };
                // One finding per failed validation, at the binding's most severe action.
                let action = actions.iter().min().copied().unwrap_or(Action::Audit);
                results.push(AdmissionResult {
                    object: index,
                    policy,
                    binding: decision.binding,
                    validation,
                    message,
                    action: action.as_str().into(),
                    path,
                });
            }
        }
        Some((results, problems))
    }
}

struct CelTemplate {
    template: GatekeeperTemplate,
}

impl CompiledTemplate for CelTemplate {
    fn set_inventory(&mut self, _inventory: &Shared) -> Result<(), EvalFailure> {
        Ok(())
    }

    fn review(&mut self, review: &Review<'_>) -> Result<Vec<Violation>, EvalFailure> {
        let old = review.request.json().get("oldObject").filter(|o| !o.is_null());
        let op = operation(review.request.json().get("operation").and_then(Value::as_str).unwrap_or("CREATE"));
        let request = Request {
            object: Some(review.object),
            old_object: old,
            operation: op,
            user_info: review.request.json().get("userInfo"),
            dry_run: false,
        };
        let mut out = Vec::new();
        for outcome in self.template.evaluate(&request, Some(review.parameters), review.namespace, &Budget::default()) {
            match outcome {
                Outcome::Violation(v) => out.push(Violation {
                    message: v.message,
                    details: Value::Null,
                    path: Some(segments(v.path)).filter(|p| !p.is_empty()),
                }),
                Outcome::Error(e) => return Err(failure(e.message, false)),
                Outcome::NotEvaluable(e) => return Err(failure(e.message, true)),
                Outcome::AuditAnnotation { .. } => {}
            }
        }
        Ok(out)
    }
}
