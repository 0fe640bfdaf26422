//! Pod Security Admission's evaluation of a pod spec at a level and version, with the `pss-*`
//! rules themselves (same checks, same versions, same overrides), and the API server's summary
//! of what it forbids. The namespace's policy comes from [`crate::model::pod_security`].

use std::collections::BTreeSet;

use crate::model::pod_security::Level;
use crate::model::{KubeVersion, PodSpec, Resource};
use crate::rules::{Check, Cx, Diagnostic, PssCheck, PssLevel, Rule, Sink};

/// The violations of one check: its rule and the findings the rule reported.
#[derive(Debug)]
pub struct Violation {
    pub rule: &'static Rule,
    pub check: &'static PssCheck,
    pub diagnostics: Vec<Diagnostic>,
}

/// The `pss-*` rules (with their check) a level evaluates at a policy version: baseline checks
/// at baseline; at restricted, restricted checks plus the baseline checks that no restricted
/// check in force overrides. Ordered as upstream orders its messages: baseline checks by ID,
/// then restricted checks by ID.
pub fn rules_for(level: Level, version: KubeVersion) -> Vec<(&'static Rule, &'static PssCheck)> {
    let mut rules: Vec<(&'static Rule, &'static PssCheck)> = super::RULES
        .iter()
        .copied()
        .filter_map(|r| r.pss.as_ref().map(|p| (r, p)))
        .filter(|(r, _)| r.check_at(version).is_some())
        .filter(|(_, p)| match level {
            Level::Privileged => false,
            Level::Baseline => p.level == PssLevel::Baseline,
            Level::Restricted => true,
        })
        .collect();
    let overridden: BTreeSet<&str> =
        rules.iter().flat_map(|(_, p)| p.overrides.iter().copied()).collect::<BTreeSet<&str>>();
    rules.retain(|(r, _)| !overridden.contains(r.id));
    rules.sort_by_key(|(_, p)| (p.level, p.id));
    rules
}

/// Evaluates a pod spec at a level and policy version with the `pss-*` rules; empty when the
/// pod would be admitted.
pub fn evaluate(
    cx: &Cx<'_, '_>,
    resource: &Resource<'_>,
    pod: &PodSpec<'_>,
    level: Level,
    version: KubeVersion,
) -> Vec<Violation> {
    let at = Cx { model: cx.model, version, settings: cx.settings };
    let mut out = Vec::new();
    for (rule, check) in rules_for(level, version) {
        let Some(Check::Pod(f)) = rule.check_at(version) else {
            continue;
        };
        let mut sink = Sink::new();
        f(&at, resource, pod, &mut sink);
        if !sink.is_empty() {
            out.push(Violation { rule, check, diagnostics: sink.into_diagnostics() });
        }
    }
    out
}

/// The API server's summary of violations: `reason (detail; detail), reason (detail)`, one
/// entry per check in upstream order.
pub fn forbidden_detail(violations: &[Violation]) -> String {
    let mut parts = Vec::new();
    for v in violations {
        let mut reason = "";
        let mut details: Vec<&str> = Vec::new();
        for d in &v.diagnostics {
            // Every pss-* check builds its messages from a reason and a detail.
            let (r, detail) =
                d.message.parts.as_ref().map_or((d.message.text.as_str(), ""), |(r, d)| (r.as_str(), d.as_str()));
            if reason.is_empty() {
                reason = r;
            }
            if !detail.is_empty() && !details.contains(&detail) {
                details.push(detail);
            }
        }
        if details.is_empty() {
            parts.push(reason.to_owned());
        } else {
            parts.push(format!("{reason} ({})", details.join("; ")));
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restricted_checks_replace_their_baseline_twins_only_where_they_exist() {
        let ids = |level, minor| -> Vec<&str> {
            rules_for(level, KubeVersion::v1(minor)).iter().map(|(_, p)| p.id).collect()
        };
        let r18 = ids(Level::Restricted, 18);
        assert!(r18.contains(&"seccompProfile_baseline") && !r18.contains(&"seccompProfile_restricted"));
        assert!(r18.contains(&"capabilities_baseline") && !r18.contains(&"hostPathVolumes"));
        let r37 = ids(Level::Restricted, 37);
        for gone in ["seccompProfile_baseline", "capabilities_baseline", "hostPathVolumes", "procMount"] {
            assert!(!r37.contains(&gone), "{gone}");
        }
        assert_eq!(r37.len(), 19 - 4);
        let b37 = ids(Level::Baseline, 37);
        assert_eq!(b37.len(), 12);
        assert_eq!(ids(Level::Baseline, 33).len(), 11);
        assert!(ids(Level::Privileged, 37).is_empty());
        assert_eq!(b37.first(), Some(&"appArmorProfile"));
    }
}
