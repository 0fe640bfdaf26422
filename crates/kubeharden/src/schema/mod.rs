//! Schema validation: every object checked against the OpenAPI schema of its kind at the target
//! Kubernetes version, the way the API server decodes it with strict field validation, plus the
//! schema-level checks of its validation code (required fields, enums, quantities, names,
//! labels). The `schema` rule family reports what this module finds.
//!
//! The whole input is validated once per lint, on first use, and each rule reads the problems
//! of its kind.

mod metadata;
pub mod names;
pub mod quantity;
mod suggest;
pub mod table;
mod value;
mod walk;

use crate::model::resource::is_config_object;
use crate::model::{Resource, ResourceId};
use crate::rules::{Cx, Sink};
use crate::source::ByteSpan;
use table::{DefId, Table};

/// What kind of problem, one per rule of the family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    UnknownField,
    WrongType,
    InvalidEnum,
    InvalidQuantity,
    MissingRequired,
    DuplicateListKey,
    InvalidName,
    InvalidLabel,
    InvalidAnnotation,
    InvalidValue,
}

/// One problem, ready to become a finding.
#[derive(Clone, Debug)]
pub struct Problem {
    pub kind: ProblemKind,
    pub resource: ResourceId,
    pub span: ByteSpan,
    pub path: String,
    pub message: String,
    pub help: String,
    /// A fix: description and byte edits.
    pub fix: Option<(String, Vec<(ByteSpan, String)>)>,
}

/// Everything schema validation found in one lint.
#[derive(Debug, Default)]
pub struct Outcome {
    pub problems: Vec<Problem>,
    /// Resources validated against a schema, by resource index.
    validated: Vec<bool>,
}

impl Outcome {
    pub fn of(&self, kind: ProblemKind) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.kind == kind)
    }

    /// Whether the resource was validated against a schema (its types were checked).
    pub fn validated(&self, id: ResourceId) -> bool {
        self.validated.get(id.0).copied().unwrap_or(false)
    }
}

/// The schema problems of this lint, computed on first use.
pub fn outcome<'m>(cx: &Cx<'m, '_>) -> &'m Outcome {
    cx.model.schema_outcome(|| validate(cx))
}

/// Whether the schema family validates this lint: some rule of the family is on, and the
/// target version has a schema.
pub fn active(cx: &Cx<'_, '_>) -> bool {
    cx.version.minor() >= table::builtin().minors().0
        && crate::rules::all()
            .filter(|r| r.family == crate::rules::Family::Schema)
            .any(|r| cx.config.rule_severity(r).is_some())
}

/// Whether schema validation checks the types of this resource, so that `invalid-resource`
/// need not report them again.
pub fn checks_types(cx: &Cx<'_, '_>, resource: &Resource<'_>) -> bool {
    active(cx) && outcome(cx).validated(resource.id)
}

/// Reports the problems of one kind into a rule's sink.
pub fn report(cx: &Cx<'_, '_>, sink: &mut Sink, kind: ProblemKind) {
    for p in outcome(cx).of(kind) {
        let Some(resource) = cx.model.resource(p.resource) else { continue };
        let finding = sink.report(resource, p.span, p.path.clone(), p.message.clone(), p.help.clone());
        if let Some((description, edits)) = &p.fix {
            finding.fix(description.clone(), edits.clone());
        }
    }
}

/// The built-in definition of a resource's kind at `minor`, when the API serves it.
fn builtin_def(table: &Table, resource: &Resource<'_>, minor: u16) -> Option<DefId> {
    let bit = table.bit(minor);
    let (group, version) = (resource.group(), resource.version());
    table
        .kind(resource.kind())
        .find(|row| row.group == group && row.version == version && row.mask & bit != 0)
        .map(|row| row.def)
}

fn validate(cx: &Cx<'_, '_>) -> Outcome {
    let table = table::builtin();
    let (first, last) = table.minors();
    let mut out = Outcome { problems: Vec::new(), validated: vec![false; cx.model.resources.len()] };
    if cx.version.minor() < first {
        return out;
    }
    let minor = cx.version.minor().min(last);
    for resource in &cx.model.resources {
        if resource.kind.is_none() || is_config_object(resource.api_version.unwrap_or(""), resource.kind()) {
            continue;
        }
        let Some(def) = builtin_def(table, resource, minor) else { continue };
        walk::Walk::new(table, minor, resource, &mut out.problems).root(resource.node, def);
        metadata::check_names(resource, cx.version, &mut out.problems);
        if let Some(slot) = out.validated.get_mut(resource.id.0) {
            *slot = true;
        }
    }
    out
}
