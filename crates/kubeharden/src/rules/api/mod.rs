//! Rules of the `api` family: API versions the target Kubernetes release deprecated or no
//! longer serves, from the data in [`crate::model::deprecations`], and PodSecurityPolicy objects.

pub mod deprecated_api;
pub mod pod_security_policy;
pub mod removed_api;
pub mod unknown_api_version;

use super::{Cx, Rule, Sink};
use crate::model::deprecations::{self, Deprecation};
use crate::model::{KubeVersion, Resource};

pub static RULES: &[&Rule] =
    &[&removed_api::RULE, &deprecated_api::RULE, &unknown_api_version::RULE, &pod_security_policy::RULE];

/// Whether an API is removed or only deprecated at a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Deprecated,
    Removed,
}

/// The deprecation row of a resource and its status at `version`. PodSecurityPolicy objects
/// are left to `pod-security-policy` from v1.21, where the whole API is deprecated.
pub(crate) fn status(resource: &Resource<'_>, version: KubeVersion) -> Option<(&'static Deprecation, Status)> {
    let row = deprecations::lookup(resource.group(), resource.version(), resource.kind())?;
    if row.kind == "PodSecurityPolicy" && version >= pod_security_policy::DEPRECATED {
        return None;
    }
    match row.removed_in {
        Some(removed) if version >= KubeVersion::v1(removed) => Some((row, Status::Removed)),
        _ if version >= KubeVersion::v1(row.deprecated_in) => Some((row, Status::Deprecated)),
        _ => None,
    }
}

/// Reports a resource whose API has `wanted` status at the configured version, at its
/// `apiVersion`, with the migration fix when the schema is the same.
pub(crate) fn report(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink, wanted: Status) {
    let Some((row, found)) = status(resource, cx.version) else {
        return;
    };
    if found != wanted {
        return;
    }
    let Some((_, value)) = resource.node.entry("apiVersion") else {
        return;
    };
    let api = row.api_version();
    let message = match (found, row.removed_in) {
        (Status::Removed, Some(removed)) => format!(
            "{api} {} is no longer served since v1.{removed} (target {}): the API server rejects it",
            row.kind, cx.version
        ),
        (_, Some(removed)) => {
            format!("{api} {} is deprecated since v1.{} and removed in v1.{removed}", row.kind, row.deprecated_in)
        }
        (_, None) => format!("{api} {} is deprecated since v1.{} (no removal is planned)", row.kind, row.deprecated_in),
    };
    let help = match row.replacement {
        deprecations::Replacement::Api(..) if row.same_schema => {
            format!("{}; only apiVersion changes", row.instead())
        }
        deprecations::Replacement::Api(..) => {
            format!("{}; the schema differs, see the Deprecated API Migration Guide", row.instead())
        }
        deprecations::Replacement::None(_) => row.instead(),
    };
    let reported = sink.report(resource, value.span(), resource.path("apiVersion"), message, help);
    if let deprecations::Replacement::Api(replacement, _) = row.replacement
        && row.same_schema
    {
        reported.fix(format!("set apiVersion: {replacement}"), vec![(value.span(), replacement.to_owned())]);
    }
}
