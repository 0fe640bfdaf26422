//! Schema validation: every object checked against the OpenAPI schema of its kind at the target
//! Kubernetes version, the way the API server decodes it with strict field validation, plus the
//! schema-level checks of its validation code (required fields, enums, quantities, names,
//! labels). The `schema` rule family reports what this module finds.
//!
//! The whole input is validated once per lint, on first use, and each rule reads the problems
//! of its kind.

pub mod crd;
mod custom;
pub mod locate;
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
    /// A custom resource with no schema (its CRD is not in the input).
    UnvalidatedCustomResource,
    /// CEL rules of a CRD version that were not evaluated.
    UnevaluatedValidationRule,
    /// A CRD schema the API server refuses.
    InvalidCrdSchema,
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

/// Problems as validation finds them, at most `limits.maxFindingsPerRule` of one kind per
/// resource (as every rule reports them); past that, the first one left out and how many.
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
    omitted: Vec<(Problem, usize)>,
    cap: usize,
    /// The resource being validated, and how many problems of each kind it has.
    current: Option<ResourceId>,
    counts: Vec<(ProblemKind, usize)>,
    /// The last problem pushed was kept (so a fix can be attached to it).
    last_kept: bool,
}

impl Problems {
    fn new(cap: usize) -> Self {
        Problems { cap, ..Problems::default() }
    }

    /// Records a problem (resources are validated one after the other).
    pub fn push(&mut self, p: Problem) {
        if self.current != Some(p.resource) {
            self.current = Some(p.resource);
            self.counts.clear();
        }
        let count = match self.counts.iter_mut().find(|(k, _)| *k == p.kind) {
            Some((_, n)) => n,
            None => {
                self.counts.push((p.kind, 0));
                match self.counts.last_mut() {
                    Some((_, n)) => n,
                    None => return,
                }
            }
        };
        *count += 1;
        self.last_kept = *count <= self.cap;
        if self.last_kept {
            self.list.push(p);
        } else if let Some((_, n)) =
            self.omitted.iter_mut().rev().find(|(o, _)| o.resource == p.resource && o.kind == p.kind)
        {
            *n += 1;
        } else {
            self.omitted.push((p, 1));
        }
    }

    /// The problem pushed last, if it was kept.
    pub fn last_mut(&mut self) -> Option<&mut Problem> {
        if self.last_kept { self.list.last_mut() } else { None }
    }
}

/// Everything schema validation found in one lint.
#[derive(Debug, Default)]
pub struct Outcome {
    pub problems: Problems,
    /// Resources validated against a schema, by resource index.
    validated: Vec<bool>,
}

impl Outcome {
    pub fn of(&self, kind: ProblemKind) -> impl Iterator<Item = &Problem> {
        self.problems.list.iter().filter(move |p| p.kind == kind)
    }

    /// The problems of a kind left out per resource: the first of them and how many.
    pub fn omitted(&self, kind: ProblemKind) -> impl Iterator<Item = &(Problem, usize)> {
        self.problems.omitted.iter().filter(move |(p, _)| p.kind == kind)
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
    cx.settings.schema && cx.version.minor() >= table::builtin().minors().0
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
    for (p, count) in outcome(cx).omitted(kind) {
        let Some(resource) = cx.model.resource(p.resource) else { continue };
        sink.omitted(resource, p.span, p.path.clone(), *count);
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
    let mut out = Outcome {
        problems: Problems::new(cx.settings.max_findings_per_rule),
        validated: vec![false; cx.model.resources.len()],
    };
    if cx.version.minor() < first {
        return out;
    }
    let minor = cx.version.minor().min(last);
    let crds = crd::Crds::read(cx.model.resources.iter(), cx.model.crd_resources.iter());
    let mut custom = custom::Custom::new(table, minor, &crds);
    for resource in &cx.model.resources {
        if resource.kind.is_none() || is_config_object(resource.api_version.unwrap_or(""), resource.kind()) {
            continue;
        }
        if let Some(def) = builtin_def(table, resource, minor) {
            walk::Walk::new(table, minor, resource, &mut out.problems).root(resource.node, def);
            metadata::check_names(resource, cx.version, &mut out.problems);
        } else if !custom.validate(resource, &mut out.problems) {
            continue;
        }
        if let Some(slot) = out.validated.get_mut(resource.id.0) {
            *slot = true;
        }
        custom.crd_problems(resource, &mut out.problems);
    }
    out
}
