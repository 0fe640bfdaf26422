//! What a name says about its value: a credential (`DB_PASSWORD`, `apiKey`), a key of unknown
//! kind, or something about a credential (`PASSWORD_FILE`, `TOKEN_TTL`).

use super::literals::is_literal;

/// Head nouns that name a credential.
const HEAD_TERMS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pass",
    "pwd",
    "pw",
    "secret",
    "token",
    "credential",
    "credentials",
    "creds",
    "apikey",
    "privatekey",
    "secretkey",
    "accesskey",
    "clientsecret",
    "authtoken",
    "privkey",
    "appkey",
    "authkey",
    "keypass",
    "passcode",
    "jwt",
    "bearer",
    // Misspelt and other languages' words for a password or secret.
    "secrete",
    "secreto",
    "contrasena",
    "contrasenia",
    "passwort",
    "senha",
];

/// Run-together names (`DBPASSWORD`, `githubtoken`) whose end is a credential.
const HEAD_SUFFIXES: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "privkey",
    "secretkey",
    "accesskey",
];

/// Words before `key` that make it a credential (`api key`, `private key`, `secret access key`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "private",
    "secret",
    "access",
    "signing",
    "encryption",
    "encrypt",
    "master",
    "auth",
    "client",
    "ssh",
    "session",
    "hmac",
    "shared",
    "app",
    "application",
    "license",
    "service",
    "account",
    "storage",
    "db",
    "database",
    "priv",
    "deploy",
    "admin",
];

/// Trailing words that do not change what a name holds (`SECRET_KEY_BASE`, `PASSWORD_B64`).
const NEUTRAL_TRAILERS: &[&str] =
    &["base", "value", "data", "b64", "base64", "encoded", "hex", "raw", "plain", "plaintext", "string", "str"];

/// Trailing words that say the value is the material itself (`OCI_CLI_KEY_CONTENT`,
/// `SSH_PRIVATE_KEY_PEM`, `GCP_SA_KEY_JSON`): after `key` they make any key but a
/// [`KEY_NOT_SECRET`] one a credential.
const MATERIAL_TRAILERS: &[&str] = &["content", "contents", "material", "pem", "der", "body", "blob", "bytes", "json"];

/// Splits a name into lower-case words at separators and camelCase boundaries
/// (`AWS_SECRET_ACCESS_KEY`, `apiKey`, `APIKey`, `client-secret`, `db.password`).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &ch) in chars.iter().enumerate() {
        if !ch.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = ch.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(ch.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Words before `key` that make it something else than a secret (`PUBLIC_KEY`, `CACHE_KEY`,
/// `KMS_KEY` holds a key ID, `S3_KEY` an object name).
const KEY_NOT_SECRET: &[&str] = &[
    "public",
    "pub",
    "kms",
    "gpg",
    "pgp",
    "cache",
    "partition",
    "sort",
    "primary",
    "foreign",
    "routing",
    "object",
    "s3",
    "hash",
    "shard",
    "lookup",
    "idempotency",
    "dedup",
    "group",
    "label",
    "node",
    "map",
    "index",
    "row",
    "column",
    "table",
    "unique",
    "metric",
    "prefix",
    "annotation",
    "tenant",
    "topology",
];

/// What a name says about its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameClass {
    /// A credential (`DB_PASSWORD`, `API_KEY`).
    Credential,
    /// `<something>_KEY` of an unknown kind (`MAILGUN_KEY`): a credential if its value looks
    /// like a random key.
    Key,
    Other,
}

/// Classifies a name (env var, ConfigMap key, config-file key) by its head noun: the last word,
/// after neutral trailers such as `_B64`.
pub fn classify_name(name: &str) -> NameClass {
    if !mentions_credential(name) {
        return NameClass::Other;
    }
    let words = words(name);
    let mut end = words.len();
    let mut material = false;
    while let Some(w) = end.checked_sub(1).and_then(|i| words.get(i)) {
        if MATERIAL_TRAILERS.contains(&w.as_str()) {
            material = true;
        } else if !(NEUTRAL_TRAILERS.contains(&w.as_str()) || w.bytes().all(|b| b.is_ascii_digit())) {
            break;
        }
        end -= 1;
    }
    let Some(head) = end.checked_sub(1).and_then(|i| words.get(i)) else {
        return NameClass::Other;
    };
    let head = head.trim_end_matches(|c: char| c.is_ascii_digit());
    // A plural names the same thing (`API_KEYS`, `DB_PASSWORDS`).
    let singular = head.strip_suffix('s').filter(|s| s.len() >= 3);
    let is_term =
        |h: &str| HEAD_TERMS.contains(&h) || HEAD_SUFFIXES.iter().any(|s| h.len() > s.len() && h.ends_with(s));
    if is_term(head) || singular.is_some_and(is_term) {
        return NameClass::Credential;
    }
    if head != "key" && singular != Some("key") {
        return NameClass::Other;
    }
    match end.checked_sub(2).and_then(|i| words.get(i)).map(String::as_str) {
        Some(w) if KEY_QUALIFIERS.contains(&w) => NameClass::Credential,
        Some(w) if KEY_NOT_SECRET.contains(&w) => NameClass::Other,
        _ if material => NameClass::Credential,
        Some(_) => NameClass::Key,
        None => NameClass::Other,
    }
}

/// A quick, sound filter for [`classify_name`]: every head term, head suffix and `key` contains
/// `pass`, `pw`, `secret`, `token`, `cred`, `key`, `jwt`, `bearer`, `contras` or `senha`, so a
/// name without any of them is not a credential name. Checking it
/// first keeps large configuration files cheap (most of their keys are not credentials).
pub(super) fn mentions_credential(name: &str) -> bool {
    let bytes = name.as_bytes();
    let lower = |i: usize| bytes.get(i).map_or(0, u8::to_ascii_lowercase);
    let follows = |i: usize, rest: &[u8]| rest.iter().enumerate().all(|(k, &c)| lower(i + 1 + k) == c);
    (0..bytes.len()).any(|i| match lower(i) {
        b'p' => lower(i + 1) == b'w' || follows(i, b"ass"),
        b'k' => follows(i, b"ey"),
        b's' => follows(i, b"ecret") || follows(i, b"enha"),
        b't' => follows(i, b"oken"),
        b'c' => follows(i, b"red") || follows(i, b"ontras"),
        b'j' => follows(i, b"wt"),
        b'b' => follows(i, b"earer"),
        _ => false,
    })
}

/// Whether a name says its value is a credential (see [`classify_name`]).
pub fn is_credential_name(name: &str) -> bool {
    classify_name(name) == NameClass::Credential
}

/// A value that looks like a generated key rather than a word or an identifier: at least 20
/// characters of a key alphabet, with both letters and digits.
pub fn looks_random(value: &str) -> bool {
    let v = value.trim();
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    let letters = v.bytes().filter(u8::is_ascii_alphabetic).count();
    v.len() >= 20
        && digits >= 3
        && letters >= 3
        && !v.contains("//")
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'='))
}

/// A literal that the name makes a credential.
pub(super) fn named_literal(name: &str, value: &str) -> bool {
    match classify_name(name) {
        NameClass::Credential => is_literal(value),
        NameClass::Key => is_literal(value) && looks_random(value),
        NameClass::Other => false,
    }
}
