//! CustomResourceDefinitions: the schemas of the custom resources of this lint.
//!
//! Every `apiextensions.k8s.io/v1` CustomResourceDefinition in the input, and in the extra CRD
//! sources a front end passes (`--crds`, the `crds` option), gives the schema of each version it
//! serves. Objects of that group, kind and version are then validated with it, as the API
//! server validates them.

pub mod compile;
pub mod format;

use crate::model::{Resource, ResourceId};
use crate::source::NodeRef;
use compile::{Compiled, Schema};

/// One served version of a CRD.
#[derive(Debug)]
pub struct CrdVersion {
    pub group: String,
    pub kind: String,
    pub version: String,
    pub served: bool,
    pub schema: Option<Schema>,
    /// The API server resets `status` on create when the status subresource is on.
    pub status_subresource: bool,
    /// `x-kubernetes-validations` rules in the schema (not evaluated).
    pub cel_rules: usize,
}

/// The CRDs known to one lint.
#[derive(Debug, Default)]
pub struct Crds {
    pub versions: Vec<CrdVersion>,
    /// Problems of the schemas of CRDs in the input: the CRD resource, and the problems.
    pub invalid: Vec<(ResourceId, Vec<compile::SchemaProblem>)>,
}

impl Crds {
    /// Reads the CRDs among `input` (reporting their schema problems) and `extra` (only read).
    pub fn read<'a, 's: 'a>(
        input: impl Iterator<Item = &'a Resource<'s>>,
        extra: impl Iterator<Item = &'a Resource<'s>>,
    ) -> Crds {
        let mut crds = Crds::default();
        for r in input.filter(|r| is_crd(r)) {
            let problems = crds.add(r.node, &r.prefix);
            if !problems.is_empty() {
                crds.invalid.push((r.id, problems));
            }
        }
        for r in extra.filter(|r| is_crd(r)) {
            crds.add(r.node, &r.prefix);
        }
        crds
    }

    /// The versions of a group and kind, in the order they were read.
    pub fn of<'c>(&'c self, group: &'c str, kind: &'c str) -> impl Iterator<Item = &'c CrdVersion> + 'c {
        self.versions.iter().filter(move |v| v.group == group && v.kind == kind)
    }

    fn add(&mut self, crd: NodeRef<'_>, prefix: &str) -> Vec<compile::SchemaProblem> {
        let mut problems = Vec::new();
        let Some(spec) = crd.field("spec") else { return problems };
        let group = spec.field("group").and_then(|g| g.str()).unwrap_or("");
        let kind = spec.at(&["names", "kind"]).and_then(|k| k.str()).unwrap_or("");
        if group.is_empty() || kind.is_empty() {
            return problems;
        }
        let Some(versions) = spec.field("versions") else { return problems };
        for (i, v) in versions.items().enumerate() {
            let Some(name) = v.field("name").and_then(|n| n.str()) else { continue };
            // A CRD read later (the input after --crds, or a later file) does not replace one
            // read before: the first definition of a version wins.
            if self.versions.iter().any(|c| c.group == group && c.kind == kind && c.version == name) {
                continue;
            }
            let path = crate::model::join_path(prefix, &format!("spec.versions[{i}].schema.openAPIV3Schema"));
            let compiled = v.at(&["schema", "openAPIV3Schema"]).map(|s| compile::compile(s, &path));
            let (schema, cel_rules) = match compiled {
                Some(Compiled { schema, cel_rules, problems: found }) => {
                    problems.extend(found);
                    (Some(schema), cel_rules)
                }
                None => (None, 0),
            };
            self.versions.push(CrdVersion {
                group: group.to_owned(),
                kind: kind.to_owned(),
                version: name.to_owned(),
                served: v.field("served").and_then(|s| s.bool()) != Some(false),
                schema,
                status_subresource: v.at(&["subresources", "status"]).is_some(),
                cel_rules,
            });
        }
        problems
    }
}

fn is_crd(r: &Resource<'_>) -> bool {
    r.kind() == "CustomResourceDefinition" && r.api_version == Some("apiextensions.k8s.io/v1")
}

/// Whether a resource is a custom resource: its group has a dot and is not served by the API
/// server itself.
pub fn is_custom(resource: &Resource<'_>) -> bool {
    let group = resource.group();
    group.contains('.') && !crate::model::builtin_kinds::is_builtin_group(group)
}
