//! Policy results as findings: a violation at the field it names in the manifest, a policy
//! error at the line and column of the problem in the policy file, with a `policy` object
//! saying which policy it is. Severity comes from the action: deny → error, warn → warning,
//! dryrun → info (conftest: deny/violation → error, warn → warning).

use kubeharden::report::{PolicyRef, ResourceRef};
use kubeharden::{Finding, Severity, Span};
use kubeharden_source::{ByteSpan, ParsedSource};
use serde_json::Value;

use crate::document::{AdmissionDoc, CodeSource, ConftestFile, Constraint, Problem, Template};
use crate::engine::{AdmissionProblem, AdmissionResult, CodeError, ConftestHit, EngineKind, Violation};
use crate::path::{self, Segment};
use crate::run::{Reviewed, root_path};

/// The rule ID of a policy's own problems (it does not compile, names no template, ...).
pub const POLICY_ERROR: &str = "policy-error";
/// The rule ID of a policy that could not be evaluated here (it needs a cluster, or an
/// engine this build does not have).
pub const POLICY_NOT_EVALUATED: &str = "policy-not-evaluated";

/// The sources of one lint: the linted manifests first, then the policy sources.
pub struct Files<'a> {
    pub list: Vec<&'a ParsedSource>,
    pub manifests: usize,
}

impl<'a> Files<'a> {
    pub fn new(manifests: &'a [ParsedSource], policies: &'a [ParsedSource]) -> Self {
        Files { list: manifests.iter().chain(policies).collect(), manifests: manifests.len() }
    }

    fn span(&self, source: usize, span: ByteSpan) -> Span {
        match self.list.get(source) {
            Some(s) => Span { start: s.position(span.start), end: s.position(span.end.max(span.start)) },
            None => Span { start: Default::default(), end: Default::default() },
        }
    }

    fn name(&self, source: usize) -> String {
        self.list.get(source).map_or_else(String::new, |s| s.name.clone())
    }
}

/// A Constraint's enforcement action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Deny,
    Warn,
    Dryrun,
}

impl Action {
    /// `spec.enforcementAction` (default `deny`); `scoped` takes the strongest action of
    /// `scopedEnforcementActions` (what a CI run should report).
    pub fn of(constraint: &Value) -> Result<Action, String> {
        let name = constraint.pointer("/spec/enforcementAction").and_then(Value::as_str).unwrap_or("deny");
        match name {
            "" | "deny" => Ok(Action::Deny),
            "warn" => Ok(Action::Warn),
            "dryrun" => Ok(Action::Dryrun),
            "scoped" => {
                let actions = constraint.pointer("/spec/scopedEnforcementActions").and_then(Value::as_array);
                let mut best: Option<Action> = None;
                for a in actions.into_iter().flatten() {
                    let action = Action::of(&serde_json::json!({"spec": {"enforcementAction": a.get("action")}}))?;
                    best = Some(match best {
                        Some(b) if b.severity() >= action.severity() => b,
                        _ => action,
                    });
                }
                best.ok_or_else(|| "enforcementAction `scoped` needs scopedEnforcementActions".to_string())
            }
            other => Err(format!("unrecognized enforcementAction {other:?} (deny, warn, dryrun or scoped)")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Deny => "deny",
            Action::Warn => "warn",
            Action::Dryrun => "dryrun",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Action::Deny => Severity::Error,
            Action::Warn => Severity::Warning,
            Action::Dryrun => Severity::Info,
        }
    }
}

fn resource(files: &Files<'_>, source: usize, document: u32, object: Option<&Value>) -> ResourceRef {
    let s = |p: &str| object.and_then(|o| o.pointer(p)).and_then(Value::as_str).map(String::from);
    ResourceRef {
        api_version: s("/apiVersion"),
        kind: s("/kind"),
        namespace: s("/metadata/namespace"),
        namespace_defaulted: false,
        name: s("/metadata/name"),
        document,
        source: files.name(source),
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    rule: String,
    severity: Severity,
    message: String,
    help: String,
    resource: ResourceRef,
    path: String,
    span: Span,
    policy: Option<PolicyRef>,
) -> Finding {
    Finding {
        rule,
        severity,
        message,
        reason: None,
        detail: None,
        help,
        resource,
        path,
        span,
        fix: None,
        pss: None,
        suppressed: None,
        policy: policy.map(Box::new),
    }
}

/// Where a violation is in the reviewed object's source: the field `path` names (as far as it
/// is written), else `metadata.name`, else the document.
fn place(files: &Files<'_>, reviewed: &Reviewed, subject: &Value, path: Option<&[Segment]>) -> (String, Span) {
    let Some(source) = files.list.get(reviewed.source) else {
        return (String::new(), files.span(reviewed.source, ByteSpan::default()));
    };
    let root = source.tree.node(reviewed.root);
    // An AdmissionReview's object is under request.object.
    let mut prefix = Vec::new();
    if !std::ptr::eq(subject, &reviewed.object) {
        prefix = vec![
            Segment::key("request"),
            Segment::key(if reviewed.object.pointer("/request/object") == Some(subject) {
                "object"
            } else {
                "oldObject"
            }),
        ];
    }
    let name = root_path();
    let wanted: Vec<Segment> = prefix.iter().cloned().chain(path.unwrap_or(&name).iter().cloned()).collect();
    let (found, span) = path::locate(root, &wanted, &source.text);
    let (found, span) = if found.len() <= prefix.len() && path.is_some() {
        let fallback: Vec<Segment> = prefix.iter().cloned().chain(name).collect();
        path::locate(root, &fallback, &source.text)
    } else {
        (found, span)
    };
    (path::render(&found), files.span(reviewed.source, span))
}

/// A template's code violated by an object.
#[allow(clippy::too_many_arguments)]
pub fn violation(
    files: &Files<'_>,
    reviewed: &Reviewed,
    subject: &Value,
    template: &Template,
    constraint: &Constraint,
    engine: EngineKind,
    action: Action,
    v: &Violation,
) -> Finding {
    let (path, span) = place(files, reviewed, subject, v.path.as_deref());
    let file = files.name(constraint.at.source);
    let policy = PolicyRef {
        engine: engine.as_str().into(),
        kind: constraint.kind.clone(),
        name: constraint.name.clone(),
        template: Some(template.name.clone()),
        file: file.clone(),
        action: action.as_str().into(),
        binding: None,
        validation: None,
        description: template.description.clone(),
    };
    finding(
        format!("gatekeeper/{}/{}", constraint.kind, constraint.name),
        action.severity(),
        v.message.clone(),
        format!("Constraint {} {} (ConstraintTemplate {}, {file})", constraint.kind, constraint.name, template.name),
        resource(files, reviewed.source, reviewed.document, Some(subject)),
        path,
        span,
        Some(policy),
    )
}

/// A conftest rule's result for an object.
pub fn conftest(files: &Files<'_>, reviewed: &Reviewed, hit: &ConftestHit, file: String) -> Finding {
    let (path, span) = place(files, reviewed, &reviewed.object, hit.path.as_deref());
    let policy = PolicyRef {
        engine: "rego".into(),
        kind: "conftest".into(),
        name: format!("{}.{}", hit.namespace, hit.rule),
        template: None,
        file,
        action: if hit.warning { "warn" } else { "deny" }.into(),
        binding: None,
        validation: None,
        description: None,
    };
    finding(
        format!("conftest/{}/{}", hit.namespace, hit.rule),
        if hit.warning { Severity::Warning } else { Severity::Error },
        hit.message.clone(),
        format!("conftest rule {} in package {}", hit.rule, hit.namespace),
        resource(files, reviewed.source, reviewed.document, Some(&reviewed.object)),
        path,
        span,
        Some(policy),
    )
}

/// An admission policy's failed validation (from the CEL engine).
pub fn admission(
    files: &Files<'_>,
    reviewed: &Reviewed,
    policy: &AdmissionDoc,
    engine: EngineKind,
    r: &AdmissionResult,
) -> Finding {
    let (path, span) = place(files, reviewed, &reviewed.object, r.path.as_deref());
    let name = policy.object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
    let severity = match r.action.as_str() {
        "Deny" => Severity::Error,
        "Warn" => Severity::Warning,
        _ => Severity::Info,
    };
    let reference = PolicyRef {
        engine: engine.as_str().into(),
        kind: policy.kind.clone(),
        name: name.clone(),
        template: None,
        file: files.name(policy.at.source),
        action: r.action.clone(),
        binding: r.binding.clone(),
        validation: r.validation.clone(),
        description: policy
            .object
            .pointer("/metadata/annotations/description")
            .and_then(Value::as_str)
            .map(String::from),
    };
    finding(
        format!("{}/{name}", policy.kind),
        severity,
        r.message.clone(),
        format!("{} {name}", policy.kind),
        resource(files, reviewed.source, reviewed.document, Some(&reviewed.object)),
        path,
        span,
        Some(reference),
    )
}

fn error_policy(
    files: &Files<'_>,
    kind: &str,
    name: &str,
    template: Option<&str>,
    source: usize,
    engine: &str,
) -> PolicyRef {
    PolicyRef {
        engine: engine.into(),
        kind: kind.into(),
        name: name.into(),
        template: template.map(String::from),
        file: files.name(source),
        action: "deny".into(),
        binding: None,
        validation: None,
        description: None,
    }
}

fn policy_doc_resource(files: &Files<'_>, source: usize, document: u32, kind: &str, name: &str) -> ResourceRef {
    ResourceRef {
        api_version: None,
        kind: Some(kind.into()),
        namespace: None,
        namespace_defaulted: false,
        name: Some(name.into()),
        document,
        source: files.name(source),
    }
}

/// A problem found while reading a policy document.
pub fn problem(files: &Files<'_>, p: &Problem) -> Finding {
    let (kind, name) = p.policy.clone().unwrap_or_default();
    finding(
        POLICY_ERROR.into(),
        Severity::Error,
        p.message.clone(),
        "Fix the policy: until then it is not evaluated.".into(),
        policy_doc_resource(files, p.source, p.document, &kind, &name),
        String::new(),
        files.span(p.source, p.span),
        Some(error_policy(files, &kind, &name, None, p.source, "")),
    )
}

/// A problem of a template as a whole (at its name, or at its code).
pub fn template_problem(files: &Files<'_>, t: &Template, code: Option<&CodeSource>, message: String) -> Finding {
    let span = code.map_or(t.at.span, |c| c.origin(0).span);
    let span = ByteSpan { start: span.start, end: span.start.saturating_add(1).min(span.end.max(span.start + 1)) };
    finding(
        POLICY_NOT_EVALUATED.into(),
        Severity::Error,
        message,
        "The template's Constraints are not evaluated.".into(),
        policy_doc_resource(files, t.at.source, t.at.document, "ConstraintTemplate", &t.name),
        String::new(),
        files.span(t.at.source, span),
        Some(error_policy(
            files,
            "ConstraintTemplate",
            &t.name,
            Some(&t.name),
            t.at.source,
            code.map_or("", |c| c.engine().as_str()),
        )),
    )
}

/// The expressions of a K8sNativeValidation source in the order [`CodeError::code`] counts
/// them (match conditions, variables, validations: expression, then messageExpression), as
/// fields of the source.
pub(crate) fn cel_code_fields(source: &Value) -> Vec<[Segment; 3]> {
    let mut fields = Vec::new();
    for (list, keys) in [
        ("matchConditions", &["expression"][..]),
        ("variables", &["expression"]),
        ("validations", &["expression", "messageExpression"]),
    ] {
        for (i, item) in source.get(list).and_then(Value::as_array).into_iter().flatten().enumerate() {
            for key in keys {
                if item.get(*key).is_some() {
                    fields.push([Segment::key(list), Segment::Index(i), Segment::key(key)]);
                }
            }
        }
    }
    fields
}

/// The byte offset of line and column `line`:`column` of the scalar at `field` in document
/// `document` of source `source` (inside its block when it is a block scalar).
fn field_offset<'s>(
    files: &Files<'_>,
    source: usize,
    document: u32,
    field: impl IntoIterator<Item = &'s Segment>,
    line: u32,
    column: u32,
) -> Option<u32> {
    let s = files.list.get(source)?;
    let root = s.documents.iter().find(|d| d.number == document)?.root;
    let node = field.into_iter().try_fold(s.tree.node(root), |n, seg| match seg {
        Segment::Key(k) => n.get(k),
        Segment::Index(i) => n.items().nth(*i),
    })?;
    Some(crate::document::CodeOrigin::of_node(source, node, &s.text).offset(&s.text, line, column))
}

fn code_span(files: &Files<'_>, t: &Template, code: &CodeSource, e: &CodeError) -> (usize, Span) {
    let origin = code.origin(e.code);
    let text = files.list.get(origin.source).map_or("", |s| s.text.as_str());
    // CEL: inside the expression's own scalar, as for an admission policy's expressions.
    let cel = match code {
        CodeSource::Cel { source, field, .. } => cel_code_fields(source).get(e.code).and_then(|inner| {
            field_offset(files, origin.source, t.at.document, field.iter().chain(inner), e.line, e.column)
        }),
        CodeSource::Rego { .. } => None,
    };
    let at = cel.unwrap_or_else(|| origin.offset(text, e.line, e.column));
    // One character, or to the end of the word it starts.
    let rest = text.get(at as usize..).unwrap_or("");
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8));
    let len = u32::try_from(len).unwrap_or(1);
    (origin.source, files.span(origin.source, ByteSpan { start: at, end: at.saturating_add(len) }))
}

/// A template's code that does not compile, at the line and column of the problem.
pub fn code_problem(files: &Files<'_>, t: &Template, code: &CodeSource, e: &CodeError) -> Finding {
    let (source, span) = code_span(files, t, code, e);
    // A CEL source's further codes are its expressions, which the span shows.
    let which = match code {
        CodeSource::Rego { .. } if e.code > 0 => format!(" (lib {})", e.code - 1),
        _ => String::new(),
    };
    finding(
        POLICY_ERROR.into(),
        Severity::Error,
        format!("ConstraintTemplate {}{which}: {}", t.name, e.message),
        "Fix the template's code: until then its Constraints are not evaluated.".into(),
        policy_doc_resource(files, source, t.at.document, "ConstraintTemplate", &t.name),
        String::new(),
        span,
        Some(error_policy(files, "ConstraintTemplate", &t.name, Some(&t.name), source, code.engine().as_str())),
    )
}

/// A Constraint whose evaluation failed (at run time, out of budget, needing a cluster).
pub fn runtime_problem(
    files: &Files<'_>,
    t: &Template,
    code: &CodeSource,
    c: &Constraint,
    at: Option<CodeError>,
    message: String,
) -> Finding {
    let (source, span) = match &at {
        Some(e) => code_span(files, t, code, e),
        None => {
            let s = code.origin(0).span;
            (
                code.origin(0).source,
                files.span(code.origin(0).source, ByteSpan { start: s.start, end: s.start.saturating_add(1) }),
            )
        }
    };
    finding(
        POLICY_ERROR.into(),
        Severity::Error,
        message,
        "The objects named were not checked by this Constraint.".into(),
        policy_doc_resource(files, source, t.at.document, "ConstraintTemplate", &t.name),
        String::new(),
        span,
        Some(error_policy(files, &c.kind, &c.name, Some(&t.name), source, code.engine().as_str())),
    )
}

/// A Constraint whose match cannot be decided from the input.
pub fn undecided(files: &Files<'_>, c: &Constraint, message: String) -> Finding {
    finding(
        POLICY_NOT_EVALUATED.into(),
        Severity::Info,
        message,
        "Add the Namespace objects to the input (among the linted files or the --policy files).".into(),
        policy_doc_resource(files, c.at.source, c.at.document, &c.kind, &c.name),
        "spec.match".into(),
        files.span(c.at.source, c.at.span),
        Some(error_policy(files, &c.kind, &c.name, None, c.at.source, "")),
    )
}

/// A problem of a whole policy file (conftest).
pub fn file_problem(files: &Files<'_>, source: usize, span: ByteSpan, message: String) -> Finding {
    let name = files.name(source);
    finding(
        POLICY_ERROR.into(),
        Severity::Error,
        message,
        "Fix the policy file: until then it is not evaluated.".into(),
        ResourceRef {
            api_version: None,
            kind: None,
            namespace: None,
            namespace_defaulted: false,
            name: None,
            document: 0,
            source: name.clone(),
        },
        String::new(),
        files.span(source, span),
        Some(error_policy(files, "conftest", &name, None, source, "rego")),
    )
}

/// A conftest file that does not compile.
pub fn conftest_code_problem(files: &Files<'_>, file: &ConftestFile, e: &CodeError) -> Finding {
    let text = file.text.as_str();
    let at = offset_of(text, e.line, e.column);
    let end = (at + 1).min(text.len()).max(at);
    file_problem(files, file.source, ByteSpan::new(at, end), e.message.clone())
}

fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut offset = 0usize;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line as usize {
            let within = l
                .char_indices()
                .nth(column.saturating_sub(1) as usize)
                .map_or(l.trim_end_matches('\n').len(), |(i, _)| i);
            return offset + within;
        }
        offset += l.len();
    }
    offset.min(text.len())
}

/// A problem of an admission policy document, inside the field the engine names.
pub fn admission_problem(files: &Files<'_>, doc: &AdmissionDoc, p: &AdmissionProblem) -> Finding {
    let name = doc.object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
    let span = field_offset(files, doc.at.source, doc.at.document, &p.field, p.line, p.column)
        .map_or(doc.at.span, |at| ByteSpan { start: at, end: at.saturating_add(1) });
    finding(
        POLICY_ERROR.into(),
        Severity::Error,
        p.message.clone(),
        "Fix the policy: until then it is not evaluated.".into(),
        policy_doc_resource(files, doc.at.source, doc.at.document, &doc.kind, name),
        path::render(&p.field),
        files.span(doc.at.source, span),
        Some(error_policy(files, &doc.kind, name, None, doc.at.source, "cel")),
    )
}

/// An admission policy no engine of this build evaluates.
pub fn not_evaluated(files: &Files<'_>, doc: &AdmissionDoc) -> Finding {
    let name = doc.object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
    finding(
        POLICY_NOT_EVALUATED.into(),
        Severity::Info,
        format!("{} {name} is evaluated by the CEL engine, which this build does not have", doc.kind),
        "CEL policies need kubeharden's CEL engine.".into(),
        policy_doc_resource(files, doc.at.source, doc.at.document, &doc.kind, name),
        String::new(),
        files.span(doc.at.source, doc.at.span),
        Some(error_policy(files, &doc.kind, name, None, doc.at.source, "cel")),
    )
}
