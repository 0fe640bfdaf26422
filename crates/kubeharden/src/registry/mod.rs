//! The rule registry: every rule of the catalogue, found by ID, and its metadata as front
//! ends see it (`rules()`, `rules --format json`). The docs are rendered from it in one place
//! (`docs`) for `explain`, the web page, SARIF and `docs/rules.md`.

mod docs;
mod docs_table;
pub mod renamed;

use serde::Serialize;

pub use docs::{explain, explain_brief, rules_markdown};
pub use docs_table::{docs_json, docs_loaded, docs_of, load_docs};

use crate::report::Severity;
use crate::rules::{self, Family, Rule, Tier};

/// Every rule, in catalogue order: the families, each in its own order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [
        rules::structure::RULES,
        rules::schema::RULES,
        rules::pss::RULES,
        rules::workload::RULES,
        rules::rbac::RULES,
        rules::network::RULES,
        rules::control_plane::RULES,
        rules::api::RULES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// Where rule documentation is published.
pub const DOCS_URL: &str = "https://github.com/kubeharden/kubeharden/blob/main/docs/rules.md";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleMeta {
    pub id: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// Profiles that turn the rule on (empty for opt-in rules).
    pub profiles: Vec<&'static str>,
    pub opt_in: bool,
    pub summary: &'static str,
    pub docs: DocsMeta,
    pub aliases: &'static [&'static str],
    /// IDs the rule had before it was renamed; they are still accepted everywhere.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub former_ids: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pss: Option<PssMeta>,
    /// Kubernetes versions where the rule's behaviour changes (`v1.0` = always).
    pub versions: Vec<String>,
    pub help_uri: String,
    /// Whether the rule attaches fixes to its findings.
    pub fixable: bool,
    /// Their applicability (`safe`, `hardening`, `unsafe`), when it has fixes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixMeta>,
}

#[derive(Debug, Serialize)]
pub struct FixMeta {
    pub applicability: crate::fix::Applicability,
}

#[derive(Debug, Serialize)]
pub struct DocsMeta {
    pub what: &'static str,
    pub why: &'static str,
    pub fail: &'static str,
    pub pass: &'static str,
    pub fix: &'static str,
    pub references: &'static [&'static str],
}

#[derive(Debug, Serialize)]
pub struct PssMeta {
    pub check: &'static str,
    pub level: &'static str,
    pub overrides: &'static [&'static str],
}

/// The rule with this ID, or with this former ID (see [`renamed`]).
pub fn find(id: &str) -> Option<&'static Rule> {
    let id = renamed::current(id).unwrap_or(id);
    all().find(|r| r.id == id)
}

/// Whether an ID written by a user (a current or former rule ID) names `rule`.
pub fn names(written: &str, rule: &Rule) -> bool {
    written == rule.id || renamed::current(written) == Some(rule.id)
}

/// Where a rule's docs live on the web.
pub fn help_uri(id: &str) -> String {
    format!("{DOCS_URL}#{id}")
}

pub fn profiles(tier: Tier) -> Vec<&'static str> {
    [crate::Profile::Baseline, crate::Profile::Restricted, crate::Profile::Hardened]
        .into_iter()
        .filter(|p| p.includes(tier))
        .map(|p| p.as_str())
        .collect()
}

pub fn meta(rule: &'static Rule) -> RuleMeta {
    let docs = docs_of(rule);
    RuleMeta {
        id: rule.id,
        family: rule.family,
        severity: rule.severity,
        profiles: profiles(rule.tier),
        opt_in: rule.tier == Tier::OptIn,
        summary: rule.summary,
        docs: DocsMeta {
            what: docs.what,
            why: docs.why,
            fail: docs.fail,
            pass: docs.pass,
            fix: docs.fix,
            references: docs.references,
        },
        aliases: rule.aliases,
        former_ids: renamed::former(rule.id).collect(),
        pss: rule.pss.as_ref().map(|p| PssMeta { check: p.id, level: p.level.as_str(), overrides: p.overrides }),
        versions: rule.checks.iter().map(|v| v.since.to_string()).collect(),
        help_uri: help_uri(rule.id),
        fixable: rule.fix.is_some(),
        fix: rule.fix.map(|applicability| FixMeta { applicability }),
    }
}

/// Every rule's metadata, in catalogue order.
pub fn all_meta() -> Vec<RuleMeta> {
    all().map(meta).collect()
}

/// Metadata of every rule as JSON (what `rules()` returns in JS).
pub fn rules_json() -> String {
    serde_json::to_string(&all_meta()).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn is_kebab(id: &str) -> bool {
        !id.is_empty()
            && id
                .split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    }

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = BTreeSet::new();
        for rule in all() {
            assert!(is_kebab(rule.id), "{} is not kebab-case", rule.id);
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in all() {
            let d = docs_of(rule);
            for (section, text) in [("summary", rule.summary), ("what", d.what), ("why", d.why), ("fix", d.fix)] {
                assert!(text.trim().len() >= 20, "{}: docs section `{section}` is missing or too short", rule.id);
            }
            assert!(!d.references.is_empty(), "{}: no references", rule.id);
            assert!(!rule.checks.is_empty(), "{}: no check", rule.id);
            // The Pod Security checks name their upstream check; the namespace rules of the
            // family (admission preview) do not implement one.
            if rule.id.starts_with("pss-") {
                assert_eq!(rule.family, Family::Pss, "{}: pss-* rules belong to the pss family", rule.id);
                assert!(rule.pss.is_some(), "{}: a pss-* rule names its upstream check", rule.id);
            }
        }
    }

    #[test]
    fn check_versions_strictly_increase() {
        for rule in all() {
            for pair in rule.checks.windows(2) {
                assert!(pair[0].since < pair[1].since, "{}: versions must increase", rule.id);
            }
        }
    }

    #[test]
    fn markdown_lists_every_rule() {
        let md = rules_markdown();
        for rule in all() {
            assert!(md.contains(&format!("## {}\n", rule.id)), "{}", rule.id);
        }
        assert!(rules_json().starts_with('['));
    }
}
