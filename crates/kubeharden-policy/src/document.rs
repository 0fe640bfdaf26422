//! Policy documents read from sources, with the positions findings need: Gatekeeper
//! ConstraintTemplates (v1, v1beta1, v1alpha1; Rego in `rego`/`libs` or `code[]`, CEL in
//! `code[]`), Constraints (`constraints.gatekeeper.sh`), conftest `.rego` files, and the
//! admission policies the CEL engine evaluates (ValidatingAdmissionPolicy and its bindings,
//! Kyverno ValidatingPolicy). Everything else in a policy source is an object the policies can
//! see (params, Namespaces, a suite's inventory) without being linted.

use kubeharden_source::scalar::ScalarStyle;
use kubeharden_source::{ByteSpan, NodeRef, ParsedSource};
use serde_json::Value;

use crate::engine::EngineKind;

/// Where one piece of code sits in its source, to put a (line, column) inside the code at the
/// right place of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeOrigin {
    pub source: usize,
    /// A block scalar (`rego: |`): its content's first line (byte offset of that line's start)
    /// and indentation; code line N is the file's line N-1 after it.
    pub block: Option<(u32, u32)>,
    /// The scalar's span (the whole value) for code written in another style.
    pub span: ByteSpan,
}

impl CodeOrigin {
    /// Where the code of a scalar node is.
    pub fn of_node(source: usize, node: NodeRef<'_>, text: &str) -> CodeOrigin {
        let span = node.span();
        let block = matches!(node.style(), Some(ScalarStyle::Literal | ScalarStyle::Folded))
            .then(|| block_start(text, span))
            .flatten();
        CodeOrigin { source, block, span }
    }

    /// The byte offset in the source of a 1-based line and character column of the code.
    pub fn offset(&self, text: &str, line: u32, column: u32) -> u32 {
        let Some((first, indent)) = self.block else { return self.span.start };
        let mut at = first as usize;
        for _ in 1..line.max(1) {
            match text.get(at..).and_then(|rest| rest.find('\n')) {
                Some(nl) => at += nl + 1,
                None => return self.span.end,
            }
        }
        if at >= self.span.end as usize {
            return self.span.end.saturating_sub(1).max(self.span.start);
        }
        let line_text = text.get(at..).map_or("", |rest| rest.split('\n').next().unwrap_or(""));
        let within = line_text.get(indent as usize..).unwrap_or("");
        let col = within.char_indices().nth(column.saturating_sub(1) as usize).map_or(within.len(), |(i, _)| i);
        u32::try_from(at + (indent as usize).min(line_text.len()) + col).unwrap_or(self.span.start)
    }
}

/// The first content line of a block scalar and its indentation. The reader's span of a block
/// scalar starts at its content (past the indicator line and the indentation).
fn block_start(text: &str, span: ByteSpan) -> Option<(u32, u32)> {
    let before = text.get(..span.start as usize)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = before.get(line_start..)?;
    if !indent.chars().all(|c| c == ' ') {
        // The content starts on the indicator's line: not a block layout we can map.
        return None;
    }
    Some((u32::try_from(line_start).ok()?, u32::try_from(indent.len()).ok()?))
}

/// One piece of code and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    pub text: String,
    pub origin: CodeOrigin,
}

/// The code of a template for one engine.
#[derive(Clone, Debug, PartialEq)]
pub enum CodeSource {
    Rego {
        rego: Code,
        libs: Vec<Code>,
        /// `version: "v1"` in a `code` source; else Rego v0, as Gatekeeper reads templates.
        v1: bool,
    },
    /// A `K8sNativeValidation` source, as written (`validations`, `variables`,
    /// `matchConditions`), for the CEL engine; `field` is where it is in the template.
    Cel { source: Value, origin: CodeOrigin, field: Vec<crate::path::Segment> },
}

impl CodeSource {
    pub fn engine(&self) -> EngineKind {
        match self {
            CodeSource::Rego { .. } => EngineKind::Rego,
            CodeSource::Cel { .. } => EngineKind::Cel,
        }
    }

    /// Where code number `code` (0 main, 1.. libs) is.
    pub fn origin(&self, code: usize) -> &CodeOrigin {
        match self {
            CodeSource::Rego { rego, libs, .. } => {
                code.checked_sub(1).and_then(|i| libs.get(i)).map_or(&rego.origin, |l| &l.origin)
            }
            CodeSource::Cel { origin, .. } => origin,
        }
    }
}

/// Where a document is: its source, its number there, and the span findings about it use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocRef {
    pub source: usize,
    pub document: u32,
    /// `metadata.name` (or the document's first line).
    pub span: ByteSpan,
}

/// A ConstraintTemplate.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub name: String,
    /// The Constraint kind it defines (`spec.crd.spec.names.kind`).
    pub kind: String,
    pub description: Option<String>,
    /// Code of the `admission.k8s.gatekeeper.sh` target, by engine, in the order written.
    pub sources: Vec<CodeSource>,
    pub at: DocRef,
}

/// A Constraint: an instance of a template's kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    pub kind: String,
    pub name: String,
    pub object: Value,
    pub at: DocRef,
}

/// A conftest `.rego` file.
#[derive(Clone, Debug, PartialEq)]
pub struct ConftestFile {
    pub source: usize,
    pub name: String,
    pub text: String,
}

/// A document for the CEL engine (ValidatingAdmissionPolicy, its bindings, Kyverno
/// ValidatingPolicy).
#[derive(Clone, Debug, PartialEq)]
pub struct AdmissionDoc {
    pub kind: String,
    pub object: Value,
    pub at: DocRef,
}

/// A problem of a policy document found while reading it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub source: usize,
    pub document: u32,
    pub span: ByteSpan,
    pub message: String,
    /// The template or Constraint it concerns, for the finding's `policy` object.
    pub policy: Option<(String, String)>,
}

/// Is this object a policy document kubeharden evaluates (not a resource to review)?
pub fn is_policy(object: &Value) -> bool {
    let api = object.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    let group = api.rsplit_once('/').map_or("", |(g, _)| g);
    matches!(group, "templates.gatekeeper.sh" | "constraints.gatekeeper.sh" | "test.gatekeeper.sh")
        || is_admission(group, kind)
}

pub(crate) fn is_admission(group: &str, kind: &str) -> bool {
    (group == "admissionregistration.k8s.io"
        && matches!(kind, "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding"))
        || (group == "policies.kyverno.io" && kind == "ValidatingPolicy")
}

/// What one document is.
pub enum Read {
    Template(Template),
    Constraint(Constraint),
    Admission(AdmissionDoc),
    /// A Suite or other gator file: neither a policy nor an object.
    Skip,
    Object(Value),
}

/// Reads one document of a source.
pub fn read_document(parsed: &ParsedSource, source: usize, index: usize, problems: &mut Vec<Problem>) -> Option<Read> {
    let document = parsed.documents.get(index)?;
    let root = parsed.tree.node(document.root);
    if !root.is_map() {
        return None;
    }
    let object = kubeharden_source::to_json::node_to_json(root);
    let api = object.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    let group = api.rsplit_once('/').map_or("", |(g, _)| g);
    let name = object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
    let name_span = root
        .at(&["metadata", "name"])
        .map(NodeRef::span)
        .or_else(|| root.get("kind").map(NodeRef::span))
        .unwrap_or_else(|| root.span());
    let at = DocRef { source, document: document.number, span: name_span };
    Some(match group {
        "templates.gatekeeper.sh" if kind == "ConstraintTemplate" => {
            match read_template(parsed, source, root, &object, name, at.clone(), problems) {
                Some(t) => Read::Template(t),
                None => Read::Skip,
            }
        }
        "constraints.gatekeeper.sh" => Read::Constraint(Constraint { kind: kind.to_string(), name, object, at }),
        "test.gatekeeper.sh" | "expansion.gatekeeper.sh" | "mutations.gatekeeper.sh" => Read::Skip,
        _ if is_admission(group, kind) => Read::Admission(AdmissionDoc { kind: kind.to_string(), object, at }),
        _ => Read::Object(object),
    })
}

fn read_template(
    parsed: &ParsedSource,
    source: usize,
    root: NodeRef<'_>,
    object: &Value,
    name: String,
    at: DocRef,
    problems: &mut Vec<Problem>,
) -> Option<Template> {
    let problem = |span: ByteSpan, message: String| Problem {
        source,
        document: at.document,
        span,
        message,
        policy: Some(("ConstraintTemplate".to_string(), name.clone())),
    };
    let Some(kind) = object.pointer("/spec/crd/spec/names/kind").and_then(Value::as_str) else {
        problems.push(problem(at.span, format!("ConstraintTemplate {name} has no spec.crd.spec.names.kind")));
        return None;
    };
    let description = object
        .pointer("/metadata/annotations/description")
        .and_then(Value::as_str)
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    let targets = root.at(&["spec", "targets"]);
    let target = admission_target(root);
    let Some(target) = target else {
        let span = root.get("spec").map_or(at.span, NodeRef::span);
        problems.push(problem(first_line(span), format!("ConstraintTemplate {name} has no spec.targets")));
        return None;
    };
    let text = parsed.text.as_str();
    let code_of = |node: NodeRef<'_>| Code {
        text: node.str().unwrap_or("").to_string(),
        origin: CodeOrigin::of_node(source, node, text),
    };
    let libs_of =
        |node: Option<NodeRef<'_>>| -> Vec<Code> { node.map(|l| l.items().map(code_of).collect()).unwrap_or_default() };
    let mut sources = Vec::new();
    let mut target_path = vec![crate::path::Segment::key("spec"), crate::path::Segment::key("targets")];
    if let Some(i) = targets.and_then(|t| t.items().position(|n| n.id() == target.id())) {
        target_path.push(crate::path::Segment::Index(i));
    }
    for (i, engine, src) in code_entries(target) {
        match engine {
            EngineKind::Rego => {
                let Some(rego) = src.get("rego") else { continue };
                let v1 = src.get("version").and_then(NodeRef::str) == Some("v1");
                sources.push(CodeSource::Rego { rego: code_of(rego), libs: libs_of(src.get("libs")), v1 });
            }
            EngineKind::Cel => {
                let mut field = target_path.clone();
                field.extend([
                    crate::path::Segment::key("code"),
                    crate::path::Segment::Index(i),
                    crate::path::Segment::key("source"),
                ]);
                sources.push(CodeSource::Cel {
                    source: kubeharden_source::to_json::node_to_json(src),
                    origin: CodeOrigin { source, block: None, span: first_line(src.span()) },
                    field,
                });
            }
        }
    }
    // The legacy `rego` field counts when no `code` source gives Rego.
    if !sources.iter().any(|s| s.engine() == EngineKind::Rego)
        && let Some(rego) = target.get("rego")
    {
        sources.insert(0, CodeSource::Rego { rego: code_of(rego), libs: libs_of(target.get("libs")), v1: false });
    }
    if sources.is_empty() {
        problems.push(problem(first_line(target.span()), format!("ConstraintTemplate {name} has no Rego or CEL code")));
        return None;
    }
    Some(Template { name, kind: kind.to_string(), description, sources, at })
}

/// The target of a template whose code is read: `admission.k8s.gatekeeper.sh`, else the first.
fn admission_target(root: NodeRef<'_>) -> Option<NodeRef<'_>> {
    root.at(&["spec", "targets"]).and_then(|t| {
        t.items()
            .find(|i| i.get("target").and_then(NodeRef::str) == Some("admission.k8s.gatekeeper.sh"))
            .or_else(|| t.items().next())
    })
}

/// The `code[]` entries of a target an engine runs, with their index and `source` node (a Rego
/// entry only with its `rego` text).
fn code_entries<'a>(target: NodeRef<'a>) -> impl Iterator<Item = (usize, EngineKind, NodeRef<'a>)> {
    target.get("code").into_iter().flat_map(|c| c.items()).enumerate().filter_map(|(i, entry)| {
        let engine = EngineKind::of_code_engine(entry.get("engine").and_then(NodeRef::str).unwrap_or(""))?;
        let src = entry.get("source")?;
        (engine == EngineKind::Cel || src.get("rego").is_some()).then_some((i, engine, src))
    })
}

/// The engines a ConstraintTemplate (its document root) has code for, as [`read_document`]
/// reads them: without converting the document, for [`crate::run::plan`].
pub fn template_engines(root: NodeRef<'_>) -> Vec<EngineKind> {
    let Some(target) = admission_target(root) else { return Vec::new() };
    let mut out: Vec<EngineKind> = code_entries(target).map(|(_, e, _)| e).collect();
    if !out.contains(&EngineKind::Rego) && target.get("rego").is_some() {
        out.push(EngineKind::Rego);
    }
    out
}

fn first_line(span: ByteSpan) -> ByteSpan {
    ByteSpan { start: span.start, end: span.start.saturating_add(1).min(span.end.max(span.start + 1)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_code_positions_into_block_scalars() {
        let text = "spec:\n  rego: |\n    package x\n    violation[{\"msg\": m}] {\n      m := y\n    }\n";
        let parsed = kubeharden_source::parse(&kubeharden_source::Source::new("t.yaml", text), &Default::default());
        let root = parsed.tree.node(parsed.documents[0].root);
        let node = root.at(&["spec", "rego"]).unwrap();
        let origin = CodeOrigin::of_node(0, node, text);
        let at = origin.offset(text, 3, 8) as usize;
        assert_eq!(&text[at..at + 1], "y");
        let at = origin.offset(text, 1, 1) as usize;
        assert_eq!(&text[at..at + 7], "package");
    }
}
