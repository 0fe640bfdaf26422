//! Literals that can be credentials, as opposed to references, templates, placeholders and
//! well-known weak values.

use super::values::{is_scheme, url_password};

/// Well-known weak or default passwords, reported as such.
const WEAK: &[&str] = &[
    "changeme",
    "change-me",
    "change_me",
    "changeit",
    "password",
    "passw0rd",
    "p@ssw0rd",
    "admin",
    "administrator",
    "secret",
    "root",
    "toor",
    "test",
    "guest",
    "default",
    "letmein",
    "qwerty",
    "123456",
    "12345678",
    "123456789",
    "pass",
];

pub fn is_weak(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    WEAK.contains(&v.as_str())
}

/// A template placeholder or reference: `${VAR}`, `$(VAR)`, `$VAR`, `{{ … }}`, `<…>`, `%VAR%`,
/// `INSERT_…`/`REPLACE_…`/`YOUR_…` markers, masks such as `****` or `xxxx`, `[REDACTED]`.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.contains("${") || v.contains("$(") || v.contains("{{") || v.contains("{%") {
        return true;
    }
    if v.strip_prefix('$')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '{'))
    {
        return true;
    }
    if (v.starts_with('<') && v.ends_with('>')) || (v.len() > 2 && v.starts_with('%') && v.ends_with('%')) {
        return true;
    }
    let mut chars = v.chars();
    if let Some(first) = chars.next()
        && v.chars().count() >= 3
        && chars.all(|c| c == first)
        && !first.is_ascii_digit()
    {
        return true;
    }
    let upper = v.to_ascii_uppercase();
    let marker = |m: &str| upper.starts_with(m);
    if ["INSERT", "REPLACE", "YOUR_", "YOUR-", "ENTER_", "PUT_", "FILL_", "TODO", "TBD", "PLACEHOLDER"]
        .iter()
        .any(|m| marker(m))
    {
        return true;
    }
    let bare = upper.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    matches!(bare, "REDACTED" | "MASKED" | "HIDDEN" | "NONE" | "NULL" | "NIL" | "UNSET" | "EMPTY")
}

/// Whether a value is a literal that can be a credential: not empty, not a placeholder or
/// reference, not a boolean, a file path, a plain URL, an encrypted value or a documentation
/// example.
pub fn is_literal(value: &str) -> bool {
    let v = value.trim();
    if v.chars().count() < 3 || is_placeholder(v) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled") {
        return false;
    }
    // A location, not the credential: a path, or a URL without a password.
    if v.starts_with('/') || v.starts_with("./") || v.starts_with("../") || v.starts_with("~/") {
        return false;
    }
    if let Some((scheme, rest)) = v.split_once("://")
        && is_scheme(scheme)
        && url_password(rest).is_none()
    {
        return false;
    }
    // Encrypted at rest (SOPS `ENC[…]`, Jasypt `ENC(…)`), secret-manager references.
    if v.starts_with("ENC[") || v.starts_with("ENC(") || v.starts_with("vault:") || v.starts_with("ref+") {
        return false;
    }
    !v.contains("EXAMPLE")
}
