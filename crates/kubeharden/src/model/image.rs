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

    /// Pinned by a content digest (immutable whatever the tag says).
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some_and(|d| d.contains(':'))
    }
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
        assert!(r.is_pinned());
        let r = ImageRef::parse("ghcr.io/org/app@sha256:ff");
        assert_eq!((r.name, r.tag), ("ghcr.io/org/app", None));
    }
}
