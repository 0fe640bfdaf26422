//! How safe a fix is to apply without review: `safe` (no change in behaviour), `hardening`
//! (tightens a setting the workload might still need), `unsafe` (likely to break a workload
//! unless someone checks). Quick fixes say so in their title when not safe, and "fix all"
//! applies the safe and hardening ones.

use kubeharden::Finding;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    Safe,
    Hardening,
    Unsafe,
}

impl Applicability {
    /// What a quick fix's title adds: nothing for safe fixes.
    pub fn title_suffix(self) -> &'static str {
        match self {
            Applicability::Safe => "",
            Applicability::Hardening => " (hardening)",
            Applicability::Unsafe => " (unsafe)",
        }
    }

    /// Whether "fix all" applies it.
    pub fn in_fix_all(self) -> bool {
        self != Applicability::Unsafe
    }
}

/// Fixes whose rule changes what the workload may do at run time (the process's user, a
/// writable root filesystem, capabilities, Pod Security enforcement of a whole namespace).
const UNSAFE_RULES: &[&str] = &[
    "pss-run-as-non-root",
    "writable-root-filesystem",
    "pss-capabilities-restricted",
    "namespace-without-pod-security",
];

/// The applicability of a finding's fix. Findings do not carry one yet; until they do it
/// follows the rule: structure fixes (YAML spelling) are safe, those above unsafe, the rest
/// hardening.
pub fn of(finding: &Finding) -> Applicability {
    let rule = finding.rule.as_str();
    if UNSAFE_RULES.contains(&rule) {
        Applicability::Unsafe
    } else if kubeharden::registry::find(rule).is_some_and(|r| r.family.as_str() == "structure") {
        Applicability::Safe
    } else {
        Applicability::Hardening
    }
}
