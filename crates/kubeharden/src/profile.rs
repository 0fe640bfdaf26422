//! Profiles and tiers: which rules run. A leaf: the configuration, the rules and the registry
//! all read it, and it reads none of them.

use serde::{Deserialize, Serialize};

/// Which rules run. Profiles nest: baseline ⊂ restricted ⊂ hardened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Pod Security Standards baseline.
    Baseline,
    /// Pod Security Standards restricted (includes baseline).
    Restricted,
    /// Every rule of the catalogue that is not opt-in.
    #[default]
    Hardened,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Baseline => "baseline",
            Profile::Restricted => "restricted",
            Profile::Hardened => "hardened",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "baseline" => Ok(Profile::Baseline),
            "restricted" => Ok(Profile::Restricted),
            "hardened" => Ok(Profile::Hardened),
            _ => Err(format!("unknown profile `{text}` (expected baseline, restricted or hardened)")),
        }
    }

    /// Whether a rule of this tier is on in this profile.
    pub fn includes(self, tier: Tier) -> bool {
        match tier {
            Tier::Always => true,
            Tier::Baseline => true,
            Tier::Restricted => self != Profile::Baseline,
            Tier::Hardened => self == Profile::Hardened,
            Tier::OptIn => false,
        }
    }
}

/// Which profiles turn a rule on. Profiles nest: baseline ⊂ restricted ⊂ hardened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// On in every profile (the input must be readable).
    Always,
    /// Pod Security Standards baseline checks.
    Baseline,
    /// Pod Security Standards restricted checks.
    Restricted,
    /// Everything else in the catalogue.
    Hardened,
    /// Off unless the config enables it.
    OptIn,
}
