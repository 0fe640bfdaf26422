//! Custom resources in one lint: each object of a CRD version in the input (or the extra CRD
//! sources) is validated with that version's schema; objects whose CRD is unknown get one
//! `unvalidated-custom-resource` per kind and file, and the CEL rules a CRD version has one
//! `unevaluated-validation-rule` per file that uses it. The CEL layer (kubeharden-policy's
//! `crd_rules`), where a front end has it, evaluates the rules and replaces that finding with
//! its results (`violated-validation-rule`).

use std::collections::BTreeSet;

use super::crd::{self, Crds};
use super::table::{DefId, Lookup, Table, Ty};
use super::{Problem, ProblemKind, Problems, names, walk};
use crate::model::Resource;

pub(super) struct Custom<'c> {
    table: &'static Table,
    minor: u16,
    crds: &'c Crds,
    /// The built-in ObjectMeta, which checks the `metadata` of custom resources.
    meta: Option<DefId>,
    /// (source, group, kind) already reported as not validated.
    unvalidated: BTreeSet<(usize, String, String)>,
    /// (source, group, kind, version) whose CEL rules were already reported.
    unevaluated: BTreeSet<(usize, String, String, String)>,
}

impl<'c> Custom<'c> {
    pub fn new(table: &'static Table, minor: u16, crds: &'c Crds) -> Self {
        Custom {
            table,
            minor,
            crds,
            meta: object_meta(table, minor),
            unvalidated: BTreeSet::new(),
            unevaluated: BTreeSet::new(),
        }
    }

    /// Validates a custom resource; `false` when it is not one, or has no schema.
    pub fn validate(&mut self, resource: &Resource<'_>, out: &mut Problems) -> bool {
        if !crd::is_custom(resource) {
            return false;
        }
        let (group, kind, version) = (resource.group(), resource.kind(), resource.version());
        let versions: Vec<&crd::CrdVersion> = self.crds.of(group, kind).collect();
        let Some(found) = versions.iter().find(|v| v.version == version && v.served) else {
            if self.unvalidated.insert((resource.source, group.to_owned(), kind.to_owned())) {
                let served: Vec<String> =
                    versions.iter().filter(|v| v.served).map(|v| format!("{group}/{}", v.version)).collect();
                let message = if served.is_empty() {
                    format!(
                        "{kind} ({group}) objects in this file are not validated: their CustomResourceDefinition is not in the input"
                    )
                } else {
                    format!(
                        "{kind} objects of {group}/{version} are not validated: the CustomResourceDefinition serves {}",
                        served.join(", ")
                    )
                };
                push(
                    out,
                    resource,
                    ProblemKind::UnvalidatedCustomResource,
                    "kind",
                    message,
                    "pass the CRD with --crds (or the crds option), or lint it together with the objects",
                );
            }
            return false;
        };
        if found.cel_rules > 0
            && self.unevaluated.insert((resource.source, group.to_owned(), kind.to_owned(), version.to_owned()))
        {
            let rules = if found.cel_rules == 1 { "1 rule".to_owned() } else { format!("{} rules", found.cel_rules) };
            let message = format!(
                "{group}/{version} {kind}: the CRD's {rules} of x-kubernetes-validations (CEL) are not evaluated: this lint ran without the CEL engine; the rest of its schema is checked"
            );
            push(
                out,
                resource,
                ProblemKind::UnevaluatedValidationRule,
                "apiVersion",
                message,
                "the CLI and the LSP evaluate these rules; with the npm package, load its CEL module first (await readyPolicies() where it cannot load synchronously: browsers, Deno), or check them with kubectl apply --dry-run=server",
            );
        }
        let Some(schema) = &found.schema else { return false };
        walk::Walk::new(self.table, self.minor, resource, out).custom_root(
            resource.node,
            schema,
            self.meta,
            found.status_subresource,
        );
        if let Some(node) = resource.metadata().and_then(|m| m.field("name"))
            && let Some(name) = node.string()
            && let Some(why) = names::dns1123_subdomain(name)
        {
            out.push(Problem {
                kind: ProblemKind::InvalidName,
                resource: resource.id,
                span: node.span(),
                path: resource.path("metadata.name"),
                message: format!("{kind} name `{name}` is not valid (a DNS subdomain): {why}"),
                help: "use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit".into(),
                fix: None,
            });
        }
        true
    }

    /// The schema problems of a CRD of the input.
    pub fn crd_problems(&self, resource: &Resource<'_>, out: &mut Problems) {
        let Some((_, problems)) = self.crds.invalid.iter().find(|(id, _)| *id == resource.id) else { return };
        for p in problems {
            out.push(Problem {
                kind: ProblemKind::InvalidCrdSchema,
                resource: resource.id,
                span: p.span,
                path: p.path.clone(),
                message: p.message.clone(),
                help: "fix the schema: the API server refuses the CustomResourceDefinition".into(),
                fix: None,
            });
        }
    }
}

fn push(out: &mut Problems, resource: &Resource<'_>, kind: ProblemKind, field: &str, message: String, help: &str) {
    let span = resource.node.field(field).unwrap_or(resource.node).span();
    out.push(Problem {
        kind,
        resource: resource.id,
        span,
        path: resource.path(field),
        message,
        help: help.to_owned(),
        fix: None,
    });
}

/// The definition of ObjectMeta, read from a kind every release serves.
fn object_meta(table: &Table, minor: u16) -> Option<DefId> {
    let row = table.kind("ConfigMap").find(|r| r.group.is_empty() && r.version == "v1")?;
    match table.field(row.def, "metadata", minor) {
        Lookup::Found(ty) => match table.ty(ty) {
            Ty::Object(def) => Some(def),
            _ => None,
        },
        _ => None,
    }
}
