//! Pod Security Admission's policy of a namespace, read from its `pod-security.kubernetes.io/*`
//! labels as the API server reads them. (Evaluating a pod spec against a policy runs the `pss-*`
//! rules themselves: see `rules::pss::admission`.)
//!
//! Label handling follows upstream `api.PolicyToEvaluate`: a missing label takes the default
//! (`privileged`, `latest`); an invalid `enforce` level fails closed to `restricted`, invalid
//! `warn` and `audit` levels fail open to `privileged`; an invalid version is `latest`, and the
//! API server rejects a Namespace with invalid labels. `latest`, and any version newer than the
//! cluster's, is the cluster's own newest policy: the configured `kubernetesVersion`.

use super::{KubeVersion, Resource};
use crate::source::NodeRef;

pub const ENFORCE: &str = "pod-security.kubernetes.io/enforce";
pub const ENFORCE_VERSION: &str = "pod-security.kubernetes.io/enforce-version";
pub const WARN: &str = "pod-security.kubernetes.io/warn";
pub const WARN_VERSION: &str = "pod-security.kubernetes.io/warn-version";
pub const AUDIT: &str = "pod-security.kubernetes.io/audit";
pub const AUDIT_VERSION: &str = "pod-security.kubernetes.io/audit-version";

/// A Pod Security Standards level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// A policy version as a label spells it: `latest` or `v1.<minor>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyVersion {
    Latest,
    Minor(u64),
}

impl PolicyVersion {
    /// Upstream `api.ParseVersion`: exactly `latest` or `v1.<minor>` (no leading zero).
    pub fn parse(text: &str) -> Option<PolicyVersion> {
        if text == "latest" {
            return Some(PolicyVersion::Latest);
        }
        let digits = text.strip_prefix("v1.")?;
        let well_formed = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits.len() == 1 || !digits.starts_with('0'));
        if !well_formed {
            return None;
        }
        digits.parse().ok().map(PolicyVersion::Minor)
    }

    /// The policy the cluster evaluates: versions newer than the cluster's clamp to it.
    pub fn effective(self, cluster: KubeVersion) -> KubeVersion {
        match self {
            PolicyVersion::Latest => cluster,
            PolicyVersion::Minor(m) => {
                let minor = u16::try_from(m).unwrap_or(u16::MAX);
                if minor >= cluster.minor() { cluster } else { KubeVersion::v1(minor) }
            }
        }
    }
}

impl std::fmt::Display for PolicyVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyVersion::Latest => f.write_str("latest"),
            PolicyVersion::Minor(m) => write!(f, "v1.{m}"),
        }
    }
}

/// The three admission modes, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Enforce,
    Warn,
    Audit,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Enforce, Mode::Warn, Mode::Audit];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Warn => "warn",
            Mode::Audit => "audit",
        }
    }

    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Mode::Enforce => (ENFORCE, ENFORCE_VERSION),
            Mode::Warn => (WARN, WARN_VERSION),
            Mode::Audit => (AUDIT, AUDIT_VERSION),
        }
    }
}

/// The level and version one mode evaluates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelVersion {
    pub level: Level,
    pub version: PolicyVersion,
    /// The level label was present but invalid (so `level` is upstream's fallback).
    pub invalid_level: bool,
}

impl std::fmt::Display for LevelVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.level.as_str(), self.version)
    }
}

/// A label the API server refuses, with its value node.
#[derive(Clone, Debug)]
pub struct LabelError<'s> {
    pub label: &'static str,
    pub value: String,
    /// The value (or, for an explicit null, the key).
    pub node: NodeRef<'s>,
    pub expected: &'static str,
}

/// A namespace's Pod Security policy, read from its labels.
#[derive(Clone, Debug)]
pub struct Policy<'s> {
    pub enforce: LevelVersion,
    pub warn: LevelVersion,
    pub audit: LevelVersion,
    pub errors: Vec<LabelError<'s>>,
}

impl Policy<'_> {
    pub fn mode(&self, mode: Mode) -> LevelVersion {
        match mode {
            Mode::Enforce => self.enforce,
            Mode::Warn => self.warn,
            Mode::Audit => self.audit,
        }
    }
}

/// A label's value as the API server reads `map[string]string` (null is the empty string),
/// with the node to point at.
fn label<'s>(labels: Option<NodeRef<'s>>, key: &str) -> Option<(String, NodeRef<'s>)> {
    let (k, v) = labels?.entry(key)?;
    Some(match v.str() {
        Some(text) => (text.to_owned(), v),
        None if v.is_null() => (String::new(), k),
        None => (String::new(), v),
    })
}

/// Reads the policy of a Namespace object (upstream `PolicyToEvaluate` with the default
/// admission configuration: privileged, latest).
pub fn policy<'s>(namespace: &Resource<'s>) -> Policy<'s> {
    let labels = namespace.labels();
    let mut errors = Vec::new();
    let mut read = |mode: Mode| {
        let (level_key, version_key) = mode.labels();
        let mut lv = LevelVersion { level: Level::Privileged, version: PolicyVersion::Latest, invalid_level: false };
        if let Some((text, node)) = label(labels, level_key) {
            match Level::parse(&text) {
                Some(level) => lv.level = level,
                None => {
                    // Fail closed for enforce, open for warn and audit.
                    lv.level = if mode == Mode::Enforce { Level::Restricted } else { Level::Privileged };
                    lv.invalid_level = true;
                    errors.push(LabelError {
                        label: level_key,
                        value: text,
                        node,
                        expected: "one of privileged, baseline, restricted",
                    });
                }
            }
        }
        if let Some((text, node)) = label(labels, version_key) {
            match PolicyVersion::parse(&text) {
                Some(version) => lv.version = version,
                None => errors.push(LabelError {
                    label: version_key,
                    value: text,
                    node,
                    expected: "\"latest\" or \"v1.<minor>\" (such as v1.30)",
                }),
            }
        }
        lv
    };
    let enforce = read(Mode::Enforce);
    let warn = read(Mode::Warn);
    let audit = read(Mode::Audit);
    Policy { enforce, warn, audit, errors }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_like_upstream() {
        assert_eq!(PolicyVersion::parse("latest"), Some(PolicyVersion::Latest));
        assert_eq!(PolicyVersion::parse("v1.0"), Some(PolicyVersion::Minor(0)));
        assert_eq!(PolicyVersion::parse("v1.30"), Some(PolicyVersion::Minor(30)));
        for bad in ["", "Latest", "1.30", "v1.030", "v1.30.1", "v2.1", "v1.", "v1.x", "v1.99999999999999999999999"] {
            assert_eq!(PolicyVersion::parse(bad), None, "{bad}");
        }
        let cluster = KubeVersion::v1(30);
        assert_eq!(PolicyVersion::Latest.effective(cluster), cluster);
        assert_eq!(PolicyVersion::Minor(37).effective(cluster), cluster);
        assert_eq!(PolicyVersion::Minor(25).effective(cluster), KubeVersion::v1(25));
    }

    fn namespace_policy(labels: &str) -> (LevelVersion, LevelVersion, LevelVersion, Vec<&'static str>) {
        use crate::source::{Limits, Source, parse};
        let text = format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  labels:\n{labels}");
        let sources = [parse(&Source::new("ns.yaml", text), &Limits::default())];
        let model = crate::model::Model::build(&sources);
        let p = policy(&model.resources[0]);
        (p.enforce, p.warn, p.audit, p.errors.iter().map(|e| e.label).collect())
    }

    #[test]
    fn labels_are_read_like_upstream() {
        let lv = |level, version, invalid_level| LevelVersion { level, version, invalid_level };
        let privileged = lv(Level::Privileged, PolicyVersion::Latest, false);
        // Missing labels: the default policy.
        assert_eq!(namespace_policy("    team: shop\n"), (privileged, privileged, privileged, vec![]));
        // Set labels, each mode on its own; a version without a level keeps the default level.
        let (enforce, warn, audit, errors) = namespace_policy(
            "    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/enforce-version: v1.30\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/audit-version: v1.25\n",
        );
        assert_eq!(enforce, lv(Level::Baseline, PolicyVersion::Minor(30), false));
        assert_eq!(warn, lv(Level::Restricted, PolicyVersion::Latest, false));
        assert_eq!(audit, lv(Level::Privileged, PolicyVersion::Minor(25), false));
        assert!(errors.is_empty());
        // Invalid values: enforce fails closed, warn and audit fail open, versions become latest,
        // and every invalid label is an error (an explicit null is the empty string).
        let (enforce, warn, audit, errors) = namespace_policy(
            "    pod-security.kubernetes.io/enforce: Restricted\n    pod-security.kubernetes.io/enforce-version: v1.30.2\n    pod-security.kubernetes.io/warn: high\n    pod-security.kubernetes.io/audit:\n",
        );
        assert_eq!(enforce, lv(Level::Restricted, PolicyVersion::Latest, true));
        assert_eq!(warn, lv(Level::Privileged, PolicyVersion::Latest, true));
        assert_eq!(audit, lv(Level::Privileged, PolicyVersion::Latest, true));
        assert_eq!(errors, vec![ENFORCE, ENFORCE_VERSION, WARN, AUDIT]);
    }
}
