//! How safe a fix is to apply without review: the finding's fix says (`safe`, `hardening`,
//! `unsafe`, declared by its rule). Quick fixes say so in their title when not safe, and "fix
//! all" applies the safe and hardening ones.

use kubeharden::Finding;
pub use kubeharden::fix::Applicability;

/// What "fix all" applies: safe and hardening fixes.
pub const FIX_ALL: Applicability = Applicability::Hardening;

/// What a quick fix's title adds: nothing for safe fixes.
pub fn title_suffix(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "",
        Applicability::Hardening => " (hardening)",
        Applicability::Unsafe => " (unsafe)",
    }
}

/// The applicability of a finding's fix (unsafe when it has none, so nothing applies it).
pub fn of(finding: &Finding) -> Applicability {
    finding.fix.as_ref().map_or(Applicability::Unsafe, |f| f.applicability)
}

/// Whether "fix all" applies a finding's fix.
pub fn in_fix_all(finding: &Finding) -> bool {
    finding.fix.is_some() && of(finding) <= FIX_ALL
}
