//! Container image references: `[registry[:port]/]repository[:tag][@digest]`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Everything before the tag and digest (registry and repository).
    pub name: &'a str,
    pub tag: Option<&'a str>,
    /// The digest after `@`, such as `sha256:…`.
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Splits an image reference. A `:` belongs to the tag only after the last `/`, so
    /// `registry:5000/app` has a port and no tag.
    pub fn parse(image: &'a str) -> Self {
        let image = image.trim();
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (image, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest.get(last_slash..).and_then(|tail| tail.rfind(':')) {
            Some(i) => {
                let at = last_slash + i;
                (rest.get(..at).unwrap_or(rest), rest.get(at + 1..))
            }
            None => (rest, None),
        };
        ImageRef { name, tag: tag.filter(|t| !t.is_empty()), digest: digest.filter(|d| !d.is_empty()) }
    }

    /// Pinned by a well-formed content digest (immutable whatever the tag says).
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some_and(|d| digest_problem(d).is_none())
    }
}

/// What is wrong with a digest, if anything. A digest pins an image only in the form the OCI
/// image spec registers: `sha256:` and 64 lower-case hex digits, or `sha512:` and 128; the
/// runtime refuses to pull anything else (or, for an algorithm it does not know, cannot verify
/// the content, so nothing is pinned).
pub fn digest_problem(digest: &str) -> Option<String> {
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return Some("it has no algorithm (write sha256:<64 hex digits>)".to_owned());
    };
    let length = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        "" => return Some("it has no algorithm (write sha256:<64 hex digits>)".to_owned()),
        other => return Some(format!("{other:?} is not a digest algorithm of the OCI image spec (sha256, sha512)")),
    };
    if encoded.bytes().any(|b| b.is_ascii_hexdigit() && b.is_ascii_uppercase()) {
        return Some(format!("{algorithm} digests are written in lower-case hex"));
    }
    if !encoded.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Some(format!("{algorithm} digests are hex digits (0-9, a-f) only"));
    }
    (encoded.len() != length).then(|| format!("a {algorithm} digest has {length} hex digits, not {}", encoded.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references() {
        let r = ImageRef::parse("nginx");
        assert_eq!((r.name, r.tag, r.digest), ("nginx", None, None));
        let r = ImageRef::parse("registry:5000/app");
        assert_eq!((r.name, r.tag), ("registry:5000/app", None));
        let r = ImageRef::parse("registry:5000/team/app:1.2");
        assert_eq!((r.name, r.tag), ("registry:5000/team/app", Some("1.2")));
        let r = ImageRef::parse("nginx:latest@sha256:0123abcd");
        assert_eq!((r.tag, r.digest), (Some("latest"), Some("sha256:0123abcd")));
        assert!(!r.is_pinned(), "a short digest pins nothing");
        let hex64 = "0123456789abcdef".repeat(4);
        assert!(ImageRef::parse(&format!("nginx:1.27@sha256:{hex64}")).is_pinned());
        assert!(ImageRef::parse(&format!("nginx@sha512:{hex64}{hex64}")).is_pinned());
        let r = ImageRef::parse("ghcr.io/org/app@sha256:ff");
        assert_eq!((r.name, r.tag), ("ghcr.io/org/app", None));
    }

    #[test]
    fn only_oci_digests_are_well_formed() {
        let hex64 = "0123456789abcdef".repeat(4);
        assert_eq!(digest_problem(&format!("sha256:{hex64}")), None);
        assert_eq!(digest_problem(&format!("sha512:{hex64}{hex64}")), None);
        for (bad, why) in [
            ("sha256:abc123".to_owned(), "64 hex digits, not 6"),
            (format!("sha256:{}", hex64.to_ascii_uppercase()), "lower-case"),
            (format!("sha512:{hex64}"), "128 hex digits, not 64"),
            (format!("md5:{hex64}"), "\"md5\" is not a digest algorithm"),
            (format!("sha256:{}g", &hex64[1..]), "hex digits (0-9, a-f) only"),
            (hex64.clone(), "no algorithm"),
            (format!(":{hex64}"), "no algorithm"),
        ] {
            let problem = digest_problem(&bad).unwrap_or_default();
            assert!(problem.contains(why), "{bad}: {problem}");
        }
    }
}
