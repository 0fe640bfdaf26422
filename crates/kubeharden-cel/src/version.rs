//! The Kubernetes version whose CEL environment a policy is compiled for.
//!
//! The API server adds libraries release by release (k8s.io/apiserver/pkg/cel/environment
//! `base.go`, each `VersionedOptions` with its `IntroducedVersion`); a function is known
//! only from the version that introduced it, so a policy using `format.named` is a compile
//! error for 1.30 as it is on a 1.30 cluster.

/// A Kubernetes minor version (`1.31`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubernetesVersion {
    pub major: u32,
    pub minor: u32,
}

impl KubernetesVersion {
    pub const fn new(major: u32, minor: u32) -> Self {
        KubernetesVersion { major, minor }
    }

    /// Reads `1.31`, `v1.31` or `1.31.2`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) {
            return None;
        }
        Some(KubernetesVersion { major, minor })
    }

    /// True from `1.minor` on.
    pub fn at_least(self, minor: u32) -> bool {
        self >= KubernetesVersion::new(1, minor)
    }
}

impl Default for KubernetesVersion {
    /// The newest release this engine knows.
    fn default() -> Self {
        KubernetesVersion::new(1, 34)
    }
}

impl core::fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}
