//! Built-in kinds and the API versions that serve them.
//!
//! The API server answers `no matches for kind "Deployment" in version "app/v1"` for an object
//! whose `apiVersion` does not serve its kind; such an object never reaches the cluster, yet a
//! linter that only knows `apps/v1 Deployment` would skip it and report nothing. This module
//! says, for every built-in kind, which versions serve it and from which Kubernetes minor to
//! which, so that the model can read such an object as the nearest served version (its pod
//! template is a pod template whatever the typo) and `unknown-api-version` can report the
//! mistake.
//!
//! The windows come from the generated schema table ([`crate::schema::table`]: the served kinds
//! of every release from v1.25 to v1.37 in the OpenAPI definitions); a version served at v1.25
//! counts as served at every earlier minor too. Versions removed before v1.25 are in
//! [`super::deprecations`], which the rules read for the removal itself. Versions in preference
//! order: stable before beta before alpha, newer before older, the core group first.

use std::sync::OnceLock;

use super::KubeVersion;
use super::deprecations;

/// One API version of a kind and the Kubernetes minors that serve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    /// `apps/v1`, or `v1` for the core group.
    pub api_version: &'static str,
    /// First minor that serves it (0: every minor this table covers, and before).
    pub since: u16,
    /// First minor that no longer serves it; `None` while it is served.
    pub until: Option<u16>,
}

impl Served {
    /// Whether Kubernetes `version` serves it.
    pub fn at(&self, version: KubeVersion) -> bool {
        let minor = version.minor();
        self.since <= minor && self.until.is_none_or(|u| minor < u)
    }

    /// The API group (`""` for the core group).
    pub fn group(&self) -> &'static str {
        split(self.api_version).0
    }

    /// The version part, such as `v1beta1`.
    pub fn version(&self) -> &'static str {
        split(self.api_version).1
    }
}

/// A built-in kind and its versions, in preference order.
#[derive(Debug)]
pub struct Kind {
    pub name: &'static str,
    pub versions: Vec<Served>,
}

impl Kind {
    /// The entry of `api_version`, if it ever served this kind (since v1.25).
    pub fn version(&'static self, api_version: &str) -> Option<&'static Served> {
        self.versions.iter().find(|v| v.api_version == api_version)
    }

    /// The versions Kubernetes `version` serves, in preference order.
    pub fn served_at(&'static self, version: KubeVersion) -> impl Iterator<Item = &'static Served> {
        self.versions.iter().filter(move |v| v.at(version))
    }

    /// The served version closest to what was written: the preferred one of the same group,
    /// else one with the same version string (`v1` for `app/v1`), else the preferred one.
    /// Versions still served come first.
    pub fn nearest(&'static self, api_version: &str) -> Option<&'static Served> {
        let (group, version) = split(api_version);
        let current = self.versions.iter().filter(|v| v.until.is_none());
        let ordered = || current.clone().chain(self.versions.iter());
        ordered()
            .find(|v| v.group() == group)
            .or_else(|| ordered().find(|v| v.version() == version))
            .or_else(|| ordered().next())
    }
}

/// `group/version` split; `v1` is the core group.
pub fn split(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

/// The built-in kind of this name.
pub fn kind(name: &str) -> Option<&'static Kind> {
    kinds().iter().find(|k| k.name == name)
}

/// A group the API server itself serves (of this table or of the deprecation data).
pub fn is_builtin_group(group: &str) -> bool {
    kinds().iter().flat_map(|k| &k.versions).any(|v| v.group() == group)
        || deprecations::TABLE.iter().any(|d| d.group == group)
}

/// When `api_version` never served the built-in kind `kind`, the kind and its nearest served
/// version: the version the object is read as. `None` when the pair is known (served now or
/// once, removals included) or the kind is not built in: a kind of another group is a custom
/// resource, except in groups that cannot be custom (built-in groups, and names without a dot,
/// which a CustomResourceDefinition may not use).
pub fn unserved(api_version: &str, kind_name: &str) -> Option<(&'static Kind, &'static Served)> {
    let kind = kind(kind_name)?;
    let (group, version) = split(api_version);
    if kind.version(api_version).is_some() || deprecations::lookup(group, version, kind_name).is_some() {
        return None;
    }
    if group.contains('.') && !is_builtin_group(group) {
        return None;
    }
    Some((kind, kind.nearest(api_version)?))
}

/// Every built-in kind an object can have, by name, read once from the schema table.
pub fn kinds() -> &'static [Kind] {
    static KINDS: OnceLock<Vec<Kind>> = OnceLock::new();
    KINDS.get_or_init(build)
}

/// `group/version` strings of the table, interned once so that kinds can lend them out.
fn api_versions() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = crate::schema::table::builtin()
            .kinds()
            .map(|r| if r.group.is_empty() { r.version.to_owned() } else { format!("{}/{}", r.group, r.version) })
            .collect();
        names.sort();
        names.dedup();
        names
    })
}

fn build() -> Vec<Kind> {
    let table = crate::schema::table::builtin();
    let (first, last) = table.minors();
    let names = api_versions();
    let mut out: Vec<Kind> = Vec::new();
    for row in table.kinds() {
        let text = if row.group.is_empty() { row.version.to_owned() } else { format!("{}/{}", row.group, row.version) };
        let Some(api_version) = names.iter().find(|n| **n == text).map(String::as_str) else { continue };
        let minors: Vec<u16> = table.minors_of(row.mask).collect();
        let (Some(&oldest), Some(&newest)) = (minors.first(), minors.last()) else { continue };
        let served = Served {
            api_version,
            since: if oldest == first { 0 } else { oldest },
            until: (newest < last).then_some(newest + 1),
        };
        match out.iter_mut().find(|k| k.name == row.kind) {
            // A version defined twice (two definitions of one kind) widens its window.
            Some(kind) => match kind.versions.iter_mut().find(|v| v.api_version == api_version) {
                Some(v) => {
                    v.since = v.since.min(served.since);
                    v.until = v.until.zip(served.until).map(|(a, b)| a.max(b));
                }
                None => kind.versions.push(served),
            },
            None => out.push(Kind { name: row.kind, versions: vec![served] }),
        }
    }
    for kind in &mut out {
        kind.versions.sort_by(|a, b| preference(b).cmp(&preference(a)));
    }
    out
}

/// How much a version is preferred: stable over beta over alpha, then newer, then the core
/// group, then by group name.
fn preference(v: &Served) -> (u8, Vec<u32>, bool, std::cmp::Reverse<&'static str>) {
    let version = v.version();
    let stability = if version.contains("alpha") {
        0
    } else if version.contains("beta") {
        1
    } else {
        2
    };
    let digits: Vec<u32> = version.split(|c: char| !c.is_ascii_digit()).filter_map(|d| d.parse().ok()).collect();
    (stability, digits, v.group().is_empty(), std::cmp::Reverse(v.group()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_versions_of_built_in_kinds_are_read_as_the_nearest_served_one() {
        let nearest = |api: &str, kind: &str| unserved(api, kind).map(|(_, v)| v.api_version);
        assert_eq!(nearest("app/v1", "Deployment"), Some("apps/v1"));
        assert_eq!(nearest("v1", "Deployment"), Some("apps/v1"));
        assert_eq!(nearest("apps/v2", "Deployment"), Some("apps/v1"));
        assert_eq!(nearest("apps/v1", "Service"), Some("v1"));
        assert_eq!(nearest("core/v1", "Pod"), Some("v1"));
        assert_eq!(nearest("v1", "HorizontalPodAutoscaler"), Some("autoscaling/v1"));
        assert_eq!(nearest("autoscaling/v3", "HorizontalPodAutoscaler"), Some("autoscaling/v2"));
        // Known pairs, removed ones included, and custom resources with a built-in kind's name.
        for (api, kind) in [
            ("apps/v1", "Deployment"),
            ("extensions/v1beta1", "Deployment"),
            ("resource.k8s.io/v1alpha2", "ResourceClaim"),
            ("serving.knative.dev/v1", "Service"),
            ("example.com/v1", "Deployment"),
            ("v1", "Widget"),
        ] {
            assert_eq!(nearest(api, kind), None, "{api} {kind}");
        }
    }

    #[test]
    fn windows_follow_the_releases() {
        let vac = kind("VolumeAttributesClass").unwrap();
        let at = |m| vac.served_at(KubeVersion::v1(m)).map(|v| v.api_version).collect::<Vec<_>>();
        assert_eq!(at(28), Vec::<&str>::new());
        assert_eq!(at(31), ["storage.k8s.io/v1beta1", "storage.k8s.io/v1alpha1"]);
        assert_eq!(at(37), ["storage.k8s.io/v1"]);
        assert!(is_builtin_group("") && is_builtin_group("apps") && is_builtin_group("extensions"));
        assert!(!is_builtin_group("app") && !is_builtin_group("serving.knative.dev"));
    }
}
