//! `file:` URIs and paths. Clients percent-encode paths in URIs (RFC 8089); files that are not
//! on disk (`untitled:`, remote schemes) have no path and are linted on their own.

use std::path::{Path, PathBuf};

/// The local path of a `file:` URI, if it is one.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://").or_else(|| uri.strip_prefix("FILE://"))?;
    // `file:///p` (empty authority) or `file://localhost/p`; other hosts are not local.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if rest.get(..i).is_some_and(|h| h.eq_ignore_ascii_case("localhost")) => rest.get(i..)?,
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = decode(path)?;
    // `file:///c:/x` or `file:///c%3A/x` on Windows.
    let windows =
        decoded.as_bytes().get(2) == Some(&b':') && decoded.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic);
    if cfg!(windows) && windows {
        return Some(PathBuf::from(decoded.get(1..)?));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path, encoded the way VS Code encodes it.
pub fn from_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for p in ["/home/a b/dé ploy#1.yaml", "/tmp/x.yaml", "/w/100%/k8s[1].yml"] {
            let uri = from_path(Path::new(p));
            assert!(!uri.contains(' ') && !uri.contains('#') && !uri.contains('['), "{uri}");
            assert_eq!(to_path(&uri), Some(PathBuf::from(p)), "{uri}");
        }
        assert_eq!(from_path(Path::new("/a b/c.yaml")), "file:///a%20b/c.yaml");
    }

    #[test]
    fn decodes_what_clients_send() {
        assert_eq!(to_path("file:///tmp/a%20b.yaml"), Some(PathBuf::from("/tmp/a b.yaml")));
        assert_eq!(to_path("file://localhost/tmp/x.yaml"), Some(PathBuf::from("/tmp/x.yaml")));
        assert_eq!(to_path("file:///tmp/x.yaml?query#frag"), Some(PathBuf::from("/tmp/x.yaml")));
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file://server/share/x.yaml"), None);
        assert_eq!(to_path("file:///bad%zz"), None);
    }
}
