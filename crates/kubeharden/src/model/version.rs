//! Kubernetes minor versions, as `kubernetesVersion` in the config and as Pod Security
//! Admission's `enforce-version` labels spell them.

use std::fmt;

/// The newest Kubernetes minor whose behaviour kubeharden knows. Newer versions clamp to it,
/// as Pod Security Admission clamps to its newest policy.
pub const LATEST_MINOR: u16 = 37;

/// A Kubernetes `1.<minor>` version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    minor: u16,
}

impl KubeVersion {
    pub const LATEST: KubeVersion = KubeVersion { minor: LATEST_MINOR };

    /// `v1.<minor>`, clamped to the newest known minor.
    pub const fn v1(minor: u16) -> Self {
        KubeVersion { minor: if minor > LATEST_MINOR { LATEST_MINOR } else { minor } }
    }

    pub fn minor(self) -> u16 {
        self.minor
    }

    /// Parses `latest`, `v1.30`, `1.30` or `1.30.2` (the patch is ignored). Versions newer than
    /// the newest known minor clamp to it; anything else is an error.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("latest") {
            return Ok(Self::LATEST);
        }
        let digits = t.strip_prefix(['v', 'V']).unwrap_or(t);
        let mut parts = digits.split('.');
        let major = parts.next().unwrap_or("");
        let minor = parts.next().unwrap_or("");
        let patch_ok = parts.next().is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let valid = major == "1"
            && !minor.is_empty()
            && minor.bytes().all(|b| b.is_ascii_digit())
            && parts.next().is_none()
            && patch_ok;
        if !valid {
            return Err(format!(
                "`{text}` is not a Kubernetes version (expected `latest` or `v1.<minor>`, such as v1.30)"
            ));
        }
        let minor: u32 = minor.parse().map_err(|_| format!("`{text}`: minor version too large"))?;
        Ok(Self::v1(u16::try_from(minor.min(u32::from(u16::MAX))).unwrap_or(u16::MAX)))
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v1.{}", self.minor)
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        Self::LATEST
    }
}

impl serde::Serialize for KubeVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for KubeVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        KubeVersion::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_spellings() {
        assert_eq!(KubeVersion::parse("latest").unwrap(), KubeVersion::LATEST);
        assert_eq!(KubeVersion::parse("v1.25").unwrap(), KubeVersion::v1(25));
        assert_eq!(KubeVersion::parse("1.8").unwrap(), KubeVersion::v1(8));
        assert_eq!(KubeVersion::parse("v1.29.3").unwrap(), KubeVersion::v1(29));
        assert_eq!(KubeVersion::parse("v1.99").unwrap(), KubeVersion::LATEST);
        for bad in ["", "v2.1", "1", "1.", "1.x", "v1.2.3.4", "latest2"] {
            assert!(KubeVersion::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(KubeVersion::v1(30).to_string(), "v1.30");
    }
}
