//! Credential detection for `secret-in-env` and `secret-in-configmap`.
//!
//! Two signals, both hand-written (no `regex`: it would cost ≈800 KB of wasm):
//!
//! - **names**: a literal value under a name whose head noun is a credential (`DB_PASSWORD`,
//!   `apiKey`, `client_secret`, `AWS_SECRET_ACCESS_KEY`), but not a name *about* a credential
//!   (`PASSWORD_FILE`, `SECRET_NAME`, `TOKEN_TTL`);
//! - **values**: shapes that are credentials whatever their name: PEM private keys, GCP
//!   service-account JSON, AWS access key IDs, GitHub/GitLab/Slack/Stripe/npm tokens, Google
//!   API keys, JWTs and URLs with a password.
//!
//! What is not a literal credential: empty values, references and templates (`${VAR}`,
//! `$(VAR)` which Kubernetes itself expands, `$VAR`, `<...>`, `{{ ... }}`, `%VAR%`), masks
//! (`****`), documentation examples (`…EXAMPLE…`), encrypted values (`ENC[…]`), booleans, file
//! paths and plain URLs. A weak literal such as `changeme` *is* a credential.
//!
//! Findings never print a secret: [`Hit::display`] masks it.

use crate::source::{ByteSpan, NodeRef};

/// What a detected credential is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A literal under a credential-like name.
    Named,
    PrivateKey,
    GcpServiceAccount,
    AwsAccessKeyId,
    GitHubToken,
    GitLabToken,
    SlackToken,
    SlackWebhook,
    GoogleApiKey,
    StripeKey,
    NpmToken,
    Jwt,
    UrlPassword,
}

impl Kind {
    /// How messages name it.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Named => "a literal credential",
            Kind::PrivateKey => "a private key",
            Kind::GcpServiceAccount => "a GCP service-account key",
            Kind::AwsAccessKeyId => "an AWS access key ID",
            Kind::GitHubToken => "a GitHub token",
            Kind::GitLabToken => "a GitLab token",
            Kind::SlackToken => "a Slack token",
            Kind::SlackWebhook => "a Slack webhook URL",
            Kind::GoogleApiKey => "a Google API key",
            Kind::StripeKey => "a Stripe secret key",
            Kind::NpmToken => "an npm token",
            Kind::Jwt => "a JSON Web Token",
            Kind::UrlPassword => "a URL with a password",
        }
    }
}

/// A credential found in a text: its kind and where it is (byte range of the scanned text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// For a credential found in an embedded `name = value` line: the name.
    pub name: Option<String>,
    /// A well-known weak value (`changeme`, `admin`, …).
    pub weak: bool,
}

impl Hit {
    fn new(kind: Kind, start: usize, end: usize) -> Self {
        Hit { kind, start, end, name: None, weak: false }
    }

    /// The matched text (a slice of the text that was scanned).
    pub fn text<'a>(&self, scanned: &'a str) -> &'a str {
        scanned.get(self.start..self.end).unwrap_or("")
    }

    /// What a message may show of the match: never the secret itself.
    pub fn display(&self, scanned: &str) -> String {
        let text = self.text(scanned);
        match self.kind {
            // The armour line says which kind of key it is and holds nothing secret.
            Kind::PrivateKey | Kind::GcpServiceAccount => text.lines().next().unwrap_or("").trim().to_owned(),
            Kind::UrlPassword => mask_url_password(text),
            // A password or key under a telling name: no prefix, it is part of the secret.
            Kind::Named => mask(""),
            _ => mask(text),
        }
    }

    /// A description for messages: kind, name and masked value.
    pub fn describe(&self, scanned: &str) -> String {
        let weak = if self.weak { ", a well-known weak value" } else { "" };
        match &self.name {
            Some(name) => format!("{} ({name:?} = {:?}{weak})", self.kind.describe(), self.display(scanned)),
            None => format!("{} ({:?}{weak})", self.kind.describe(), self.display(scanned)),
        }
    }
}

/// Masks a token: at most a 4-character prefix of a long value (its public type prefix, such
/// as `ghp_`, `AKIA` or `eyJh`), then a fixed run of stars that does not reveal the length.
pub fn mask(secret: &str) -> String {
    let keep = if secret.chars().count() >= 16 { 4 } else { 0 };
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}********")
}

/// `postgres://app:s3cret@db:5432/x` → `postgres://app:********@db:5432`.
fn mask_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return mask(url);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            let user = if user.chars().count() > 32 { "********" } else { user };
            format!("{scheme}://{user}:********@{host}")
        }
        None => mask(url),
    }
}

// ---------------------------------------------------------------------------------------------
// Names

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
fn mentions_credential(name: &str) -> bool {
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
fn named_literal(name: &str, value: &str) -> bool {
    match classify_name(name) {
        NameClass::Credential => is_literal(value),
        NameClass::Key => is_literal(value) && looks_random(value),
        NameClass::Other => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Literals

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

// ---------------------------------------------------------------------------------------------
// Values

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The password of `user:password@host…` (the text after `://`), as a byte range of `rest`.
fn url_password(rest: &str) -> Option<(usize, usize)> {
    let end = rest
        .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ','))
        .unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let at = authority.rfind('@')?;
    let userinfo = authority.get(..at)?;
    let colon = userinfo.find(':')?;
    let password = userinfo.get(colon + 1..)?;
    if password.is_empty() || is_placeholder(password) || password.starts_with('%') {
        return None;
    }
    Some((colon + 1, at))
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Length of the run of bytes from `start` that satisfy `pred`.
fn run(bytes: &[u8], start: usize, pred: impl Fn(u8) -> bool) -> usize {
    bytes.get(start..).map_or(0, |rest| rest.iter().take_while(|&&b| pred(b)).count())
}

/// No letter or digit right before `at` (a token starts at a word boundary).
fn boundary_before(bytes: &[u8], at: usize) -> bool {
    at.checked_sub(1).and_then(|i| bytes.get(i)).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// Every occurrence of a token that starts with one of `prefixes` and continues with at least
/// `min` bytes of `body`; the first one found.
fn prefixed(text: &str, kind: Kind, prefixes: &[&str], min: usize, body: fn(u8) -> bool) -> Option<Hit> {
    let bytes = text.as_bytes();
    prefixes
        .iter()
        .filter_map(|prefix| {
            text.match_indices(prefix).find_map(|(at, _)| {
                let len = run(bytes, at + prefix.len(), body);
                (boundary_before(bytes, at) && len >= min).then(|| Hit::new(kind, at, at + prefix.len() + len))
            })
        })
        .min_by_key(|h| h.start)
}

/// `-----BEGIN … PRIVATE KEY-----` followed by a key body (not an empty template).
fn private_key(text: &str) -> Option<Hit> {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices("-----BEGIN ") {
        let Some(rest) = text.get(at + 11..) else { continue };
        let Some(close) = rest.find("-----") else { continue };
        let label = rest.get(..close).unwrap_or("");
        if (!label.ends_with("PRIVATE KEY") && label != "PGP PRIVATE KEY BLOCK") || label.len() > 40 {
            continue;
        }
        let header_end = at + 11 + close + 5;
        // The body: base64 up to the END line; `\n` escapes (JSON) and whitespace do not count.
        let body_end = text.get(header_end..).and_then(|r| r.find("-----END")).map_or(text.len(), |i| header_end + i);
        let body = bytes.get(header_end..body_end).unwrap_or(&[]);
        let b64 = body.iter().filter(|&&b| is_b64(b)).count();
        let escapes = body.windows(2).filter(|w| w == b"\\n").count();
        if b64.saturating_sub(escapes) >= 64 {
            return Some(Hit::new(Kind::PrivateKey, at, header_end));
        }
    }
    None
}

/// A GCP service-account key file: `"type": "service_account"` with a private key in it.
fn gcp_service_account(text: &str) -> Option<Hit> {
    if !text.contains("\"service_account\"") || !text.contains("\"private_key\"") {
        return None;
    }
    private_key(text).map(|h| Hit { kind: Kind::GcpServiceAccount, ..h })
}

fn aws_access_key_id(text: &str) -> Option<Hit> {
    let bytes = text.as_bytes();
    ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"]
        .iter()
        .filter_map(|prefix| {
            text.match_indices(prefix).find_map(|(at, _)| {
                let len = run(bytes, at + 4, |b| b.is_ascii_uppercase() || b.is_ascii_digit());
                let after = bytes.get(at + 4 + len).is_none_or(|b| !b.is_ascii_alphanumeric());
                let id = text.get(at..at + 4 + len).unwrap_or("");
                (boundary_before(bytes, at) && len == 16 && after && !id.contains("EXAMPLE"))
                    .then(|| Hit::new(Kind::AwsAccessKeyId, at, at + 20))
            })
        })
        .min_by_key(|h| h.start)
}

/// `header.payload.signature`, header and payload being base64url JSON objects (`eyJ…`).
fn jwt(text: &str) -> Option<Hit> {
    let bytes = text.as_bytes();
    text.match_indices("eyJ").find_map(|(at, _)| {
        if !boundary_before(bytes, at) {
            return None;
        }
        let header = run(bytes, at, is_b64url);
        let dot = at + header;
        if header < 10 || bytes.get(dot) != Some(&b'.') || bytes.get(dot + 1..dot + 4) != Some(b"eyJ") {
            return None;
        }
        let payload = run(bytes, dot + 1, is_b64url);
        let dot2 = dot + 1 + payload;
        if payload < 10 || bytes.get(dot2) != Some(&b'.') {
            return None;
        }
        let signature = run(bytes, dot2 + 1, is_b64url);
        Some(Hit::new(Kind::Jwt, at, dot2 + 1 + signature))
    })
}

/// `scheme://user:password@host`.
fn url_with_password(text: &str) -> Option<Hit> {
    text.match_indices("://").find_map(|(at, _)| {
        let before = text.get(..at)?;
        let scheme_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let scheme = before.get(scheme_start..)?;
        if !is_scheme(scheme) {
            return None;
        }
        let rest = text.get(at + 3..)?;
        let (p_start, p_end) = url_password(rest)?;
        let host_end = rest
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace() || matches!(c, '"' | '\''))
            .unwrap_or(rest.len());
        if rest.get(p_start..p_end)?.contains("EXAMPLE") {
            return None;
        }
        Some(Hit::new(Kind::UrlPassword, scheme_start, at + 3 + host_end))
    })
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn alnum_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn slack_body(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

const PEM: u16 = 1;
const AWS: u16 = 1 << 1;
const GOOGLE: u16 = 1 << 2;
const GITHUB: u16 = 1 << 3;
const GITLAB: u16 = 1 << 4;
const SLACK: u16 = 1 << 5;
const STRIPE: u16 = 1 << 6;
const NPM: u16 = 1 << 7;
const JWT: u16 = 1 << 8;
const URL: u16 = 1 << 9;

/// Which detectors have something to look at in `bytes`, in one pass. Each credential shape has
/// a rare byte at a fixed place (`_` in `ghp_`, `J` in `eyJ`, `-` in `-----BEGIN`); only there
/// are the neighbours compared, so a large configuration file costs one cheap pass instead of
/// one search per shape.
fn triggered(bytes: &[u8]) -> u16 {
    let at = |i: usize, len: usize, what: &[u8]| {
        i.checked_sub(len).and_then(|s| bytes.get(s..)).is_some_and(|r| r.starts_with(what))
    };
    let mut seen = 0u16;
    for (i, &b) in bytes.iter().enumerate() {
        seen |= match b {
            b'-' => {
                (if at(i, 0, b"-----BEGIN ") { PEM } else { 0 })
                    | (if at(i, 5, b"glpat-") || at(i, 5, b"glptt-") || at(i, 4, b"gldt-") || at(i, 4, b"glrt-") {
                        GITLAB
                    } else {
                        0
                    })
                    | (if at(i, 4, b"xox") || at(i, 4, b"xapp-") { SLACK } else { 0 })
            }
            b'_' => {
                (if at(i, 3, b"gh") || at(i, 10, b"github_pat_") { GITHUB } else { 0 })
                    | (if at(i, 2, b"sk_live_") || at(i, 2, b"rk_live_") { STRIPE } else { 0 })
                    | (if at(i, 3, b"npm_") { NPM } else { 0 })
            }
            b'J' if at(i, 2, b"eyJ") => JWT,
            b':' if at(i, 0, b"://") => URL | SLACK,
            b'z' if at(i, 2, b"AIza") => GOOGLE,
            b'A' if i + 4 <= bytes.len() && aws_prefix(bytes.get(i..i + 4).unwrap_or(&[])) => AWS,
            _ => 0,
        };
    }
    seen
}

/// The four-letter prefixes of AWS access key IDs.
fn aws_prefix(p: &[u8]) -> bool {
    matches!(p, b"AKIA" | b"ASIA" | b"ABIA" | b"ACCA" | b"AGPA" | b"AIDA" | b"AROA" | b"ANPA" | b"ANVA" | b"AIPA")
}

/// The first credential-shaped value in `text`, whatever its name.
pub fn scan_value(text: &str) -> Option<Hit> {
    let seen = triggered(text.as_bytes());
    if seen == 0 {
        return None;
    }
    let on = |bit: u16| seen & bit != 0;
    let mut found: Vec<Hit> = Vec::new();
    if on(PEM) {
        found.extend(gcp_service_account(text));
        found.extend(private_key(text));
    }
    if on(AWS) {
        found.extend(aws_access_key_id(text));
    }
    if on(GITHUB) {
        found.extend(prefixed(text, Kind::GitHubToken, &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], 36, alnum));
        found.extend(prefixed(text, Kind::GitHubToken, &["github_pat_"], 22, alnum_underscore));
    }
    if on(GITLAB) {
        found.extend(prefixed(text, Kind::GitLabToken, &["glpat-", "glptt-", "gldt-", "glrt-"], 20, is_b64url));
    }
    if on(SLACK) {
        found.extend(prefixed(
            text,
            Kind::SlackToken,
            &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-"],
            10,
            slack_body,
        ));
        found.extend(prefixed(text, Kind::SlackWebhook, &["https://hooks.slack.com/services/T"], 20, |b| {
            alnum(b) || b == b'/'
        }));
    }
    if on(GOOGLE) {
        found.extend(prefixed(text, Kind::GoogleApiKey, &["AIza"], 35, is_b64url));
    }
    if on(STRIPE) {
        found.extend(prefixed(text, Kind::StripeKey, &["sk_live_", "rk_live_"], 20, alnum));
    }
    if on(NPM) {
        found.extend(prefixed(text, Kind::NpmToken, &["npm_"], 36, alnum));
    }
    if on(JWT) {
        found.extend(jwt(text));
    }
    if on(URL) {
        found.extend(url_with_password(text));
    }
    // The GCP key file contains a PEM key: report it as what it is.
    found.into_iter().min_by_key(|h| (h.start, h.kind != Kind::GcpServiceAccount))
}

/// A value stored under `name`: a credential-shaped value, or a literal under a credential-like
/// name.
pub fn scan_named(name: &str, value: &str) -> Option<Hit> {
    if let Some(hit) = scan_value(value) {
        return Some(hit);
    }
    if !value.trim().contains('\n') && named_literal(name, value) {
        let lead = value.len() - value.trim_start().len();
        let trimmed = value.trim();
        let mut hit = Hit::new(Kind::Named, lead, lead + trimmed.len());
        hit.weak = is_weak(trimmed);
        return Some(hit);
    }
    None
}

/// A whole text (a configuration file in a ConfigMap): credential-shaped values, then
/// `name = value` / `name: value` / `"name": "value"` lines whose name is a credential and whose
/// value is a literal.
pub fn scan_text(text: &str) -> Option<Hit> {
    scan_value(text).or_else(|| assignment(text))
}

fn assignment(text: &str) -> Option<Hit> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let Some(sep) = body.bytes().position(|b| b == b':' || b == b'=') else { continue };
        // Most keys of a configuration file are not credentials: skip them before any trimming.
        if !mentions_credential(body.get(..sep).unwrap_or("")) {
            continue;
        }
        let trimmed = body.trim_start();
        if trimmed.starts_with('#')
            || trimmed.starts_with("//")
            || trimmed.starts_with(';')
            || trimmed.starts_with("<!--")
        {
            continue;
        }
        let raw_key = body.get(..sep).unwrap_or("").trim();
        let raw_key = raw_key.strip_prefix("- ").unwrap_or(raw_key).trim();
        let raw_key = raw_key.strip_prefix("export ").unwrap_or(raw_key).trim();
        let key = raw_key.trim_matches(['"', '\'']);
        if key.is_empty() || key.contains(char::is_whitespace) || classify_name(key) == NameClass::Other {
            continue;
        }
        let after = body.get(sep + 1..).unwrap_or("");
        // `key:=`, `key==` and `key::` are not assignments of a literal.
        if after.starts_with(['=', ':']) {
            continue;
        }
        let value_lead = after.len() - after.trim_start().len();
        let value = after.trim().trim_end_matches([',', ';']).trim_end();
        let (value, quote) = match value.chars().next() {
            Some(q @ ('"' | '\'')) if value.len() >= 2 && value.ends_with(q) => {
                (value.get(1..value.len() - 1).unwrap_or(""), 1)
            }
            _ => (value, 0),
        };
        if value.starts_with(['{', '[', '|', '>', '&', '*', '!', '"', '\'']) || !named_literal(key, value) {
            continue;
        }
        let start = line_start + sep + 1 + value_lead + quote;
        let mut hit = Hit::new(Kind::Named, start, start + value.len());
        hit.name = Some(key.to_owned());
        hit.weak = is_weak(value);
        return Some(hit);
    }
    None
}

/// Decodes standard base64 (as in a Secret's `data`), ignoring whitespace. `None` when the text
/// is not base64.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut padding = 0;
    for b in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            _ => return None,
        };
        if padding > 0 {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    (padding <= 2).then_some(out)
}

/// Where a finding about `hit` points: the value node, narrowed to the match when the value
/// spans several lines (a block scalar holding a whole file) and the match is written verbatim.
pub fn span(source: &str, node: NodeRef<'_>, value: &str, hit: &Hit) -> ByteSpan {
    let whole = node.span();
    let Some(raw) = source.get(whole.start as usize..whole.end as usize) else { return whole };
    if !raw.contains('\n') {
        return whole;
    }
    let needle = hit.text(value);
    match raw.find(needle).filter(|_| !needle.is_empty()) {
        Some(at) => {
            let start = whole.start as usize + at;
            ByteSpan::new(start, start + needle.len())
        }
        None => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<Kind> {
        scan_value(text).map(|h| h.kind)
    }

    #[test]
    fn splits_names_into_words() {
        assert_eq!(words("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "access", "key"]);
        assert_eq!(words("apiKey"), ["api", "key"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("clientSecret"), ["client", "secret"]);
        assert_eq!(words("spring.datasource.password"), ["spring", "datasource", "password"]);
        assert_eq!(words("s3Key"), ["s3", "key"]);
    }

    #[test]
    fn credential_names() {
        for name in [
            "PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "db_pass",
            "DB_PWD",
            "password1",
            "GITHUB_TOKEN",
            "authToken",
            "api_key",
            "apiKey",
            "APIKEY",
            "x-api-key",
            "AWS_SECRET_ACCESS_KEY",
            "MINIO_SECRET_KEY",
            "client_secret",
            "clientSecret",
            "SECRET_KEY_BASE",
            "PRIVATE_KEY",
            "ssh-private-key",
            "credentials",
            "DBPASSWORD",
            "admin.password",
            "JWT_SECRET",
            "PASSWORD_B64",
            // Key material, plurals and the names secret scanners' keyword lists add.
            "OCI_CLI_KEY_CONTENT",
            "KEY_CONTENT",
            "PRIVATE_KEY_CONTENT",
            "SSH_PRIVATE_KEY_PEM",
            "privateKeyContents",
            "GCP_SA_KEY_JSON",
            "SIGNING_KEY_MATERIAL",
            "API_KEYS",
            "DB_PASSWORDS",
            "SECRETS",
            "SERVICE_KEY",
            "STORAGE_ACCOUNT_KEY",
            "AZURE_STORAGE_KEY",
            "DATABASE_KEY",
            "DEPLOY_KEY",
            "PRIVKEY",
            "APPKEY",
            "KEYPASS",
            "AUTH_JWT",
            "BEARER",
            "DB_CONTRASENA",
            "SENHA",
        ] {
            assert!(is_credential_name(name), "{name} should be a credential name");
        }
        for name in [
            "PASSWORD_FILE",
            "password_file",
            "SECRET_NAME",
            "secretName",
            "TOKEN_PATH",
            "token_url",
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "AWS_ACCESS_KEY_ID",
            "JWT_PUBLIC_KEY",
            "ARGOCD_REDIS_KEY_PREFIX",
            "ARGOCD_APPLICATIONSET_CONTROLLER_TOKENREF_STRICT_MODE",
            "REPO_SERVER_CLIENT_CERT_KEY_PATH",
            "KEY",
            "cache-key",
            "PASSTHROUGH",
            "tokenizer",
            "secretKeyRef",
            "PASSWORD_HASH",
            "PRIVATE_KEY_ID",
            "PRIVATE_KEY_PATH",
            "PUBLIC_KEY_CONTENT",
            "CACHE_KEYS",
            "JWT_ISSUER",
            "KEY_ID",
            "",
            "__",
        ] {
            assert!(!is_credential_name(name), "{name} should not be a credential name");
        }
    }

    #[test]
    fn keys_of_unknown_kind_need_a_random_value() {
        assert_eq!(classify_name("MAILGUN_KEY"), NameClass::Key);
        assert_eq!(classify_name("CACHE_KEY"), NameClass::Other);
        assert_eq!(classify_name("KMS_KEY"), NameClass::Other);
        assert_eq!(classify_name("API_KEY"), NameClass::Credential);
        assert!(scan_named("MAILGUN_KEY", "key-3ax6xnjp29jd6fds4gc373sgvjxteol0").is_some());
        assert!(scan_named("SENDGRID_KEY", "SG1x4Tq9ZpWc2Lr8Vb3Nm7Ke5Hd0Jf6Ga").is_some());
        assert!(scan_named("FEATURE_KEY", "checkout-v2").is_none());
        assert!(scan_named("UPLOAD_KEY", "uploads/2024/report-final.pdf").is_none());
        assert!(scan_named("ROUTING_KEY", "orders.created.v1.2024.eu").is_none());
        assert!(!looks_random("user-sessions-by-region"));
        assert!(looks_random("9f2c41d8e07a4b6f1c3d5e7a"));
    }

    #[test]
    fn literals_placeholders_and_references() {
        for v in ["hunter2", "changeme", "s3cr3t-value", "minio123", "sst", "12345678"] {
            assert!(is_literal(v), "{v} is a literal");
        }
        for v in [
            "",
            "  ",
            "ab",
            "${DB_PASSWORD}",
            "$(DB_PASSWORD)",
            "$DB_PASSWORD",
            "$dex.github.clientSecret",
            "{{ .Values.password }}",
            "{{password}}",
            "<your-password>",
            "%PASSWORD%",
            "****",
            "xxxxxxxx",
            "[REDACTED]",
            "INSERT_ETCD_INITIAL_CLUSTER_TOKEN",
            "REPLACE_ME",
            "YOUR_API_KEY",
            "true",
            "false",
            "/etc/secrets/password",
            "./token",
            "https://vault.example.com/v1/secret/data/app",
            "ENC[AES256_GCM,data:abcd,iv:xyz]",
            "ENC(nrmZtkF7T0kjG/VodDvBw93Ct8EgjCA+)",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ] {
            assert!(!is_literal(v), "{v:?} is not a literal credential");
        }
    }

    #[test]
    fn private_keys() {
        let body = "MIIEpAIBAAKCAQEA1nX8a7ZpOqk9gJ3qTn0c8ZxvF2bq9Y6y3mD0sKdLq9bX5P2e8v3Zc7rGQ4b1H5v9nQ2k8a6s";
        let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n");
        let hit = scan_value(&pem).unwrap();
        assert_eq!(hit.kind, Kind::PrivateKey);
        assert_eq!(hit.display(&pem), "-----BEGIN RSA PRIVATE KEY-----");
        let openssh = format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----");
        assert_eq!(kind(&openssh), Some(Kind::PrivateKey));
        let pkcs8 = format!("key: \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n\"");
        assert_eq!(kind(&pkcs8), Some(Kind::PrivateKey));
        // Certificates and public keys are not secret; an empty template is not a key.
        assert_eq!(kind(&format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----")), None);
        assert_eq!(kind(&format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----")), None);
        assert_eq!(kind("-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"), None);
        assert_eq!(kind("-----BEGIN PRIVATE KEY-----\n<paste your key here>\n-----END PRIVATE KEY-----"), None);
    }

    #[test]
    fn gcp_service_account_json() {
        let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4";
        let json = format!(
            "{{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key_id\": \"1\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n\"}}"
        );
        assert_eq!(kind(&json), Some(Kind::GcpServiceAccount));
    }

    #[test]
    fn cloud_and_vendor_tokens() {
        assert_eq!(kind("AKIAZ3MSJV4WXD2NTH7Q"), Some(Kind::AwsAccessKeyId));
        assert_eq!(kind("id=ASIAZ3MSJV4WXD2NTH7Q;"), Some(Kind::AwsAccessKeyId));
        assert_eq!(kind("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(kind("XAKIAZ3MSJV4WXD2NTH7Q"), None);
        assert_eq!(kind("AKIAZ3MSJV4WXD2NTH7QQ"), None);
        assert_eq!(kind(concat!("gh", "p_1A2b3C4d5E6f7G8h9I0jK1lM2nO3pQ4rS5tU")), Some(Kind::GitHubToken));
        assert_eq!(
            kind(concat!("github", "_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz")),
            Some(Kind::GitHubToken)
        );
        assert_eq!(kind("ghp_short"), None);
        assert_eq!(kind(concat!("gl", "pat-AbCdEfGhIjKlMnOpQrSt")), Some(Kind::GitLabToken));
        assert_eq!(
            kind(concat!("xo", "xb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")),
            Some(Kind::SlackToken)
        );
        assert_eq!(
            kind(concat!("https://hooks.slack.com/services/", "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX")),
            Some(Kind::SlackWebhook)
        );
        assert_eq!(kind(concat!("AI", "zaSyD-1234567890abcdefghijklmnopqrstu")), Some(Kind::GoogleApiKey));
        assert_eq!(kind(concat!("sk_", "live_4eC39HqLyjWDarjtT1zdp7dc")), Some(Kind::StripeKey));
        assert_eq!(kind(concat!("np", "m_abcdefghijklmnopqrstuvwxyz0123456789")), Some(Kind::NpmToken));
    }

    #[test]
    fn jwts() {
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        let hit = scan_value(&format!("Bearer {token}")).unwrap();
        assert_eq!(hit.kind, Kind::Jwt);
        assert_eq!(hit.display(&format!("Bearer {token}")), "eyJh********");
        assert_eq!(kind("eyJhbGciOiJIUzI1NiJ9"), None);
    }

    #[test]
    fn urls_with_passwords() {
        let url = "postgres://app:s3cr3tpw@db.shop.svc:5432/orders";
        let hit = scan_value(url).unwrap();
        assert_eq!(hit.kind, Kind::UrlPassword);
        assert_eq!(hit.display(url), "postgres://app:********@db.shop.svc:5432");
        assert!(!hit.describe(url).contains("s3cr3tpw"));
        assert_eq!(kind("redis://:hunter22@redis:6379/0"), Some(Kind::UrlPassword));
        for safe in [
            "postgres://app@db:5432/orders",
            "postgres://app:${DB_PASSWORD}@db:5432/orders",
            "postgres://app:$(DB_PASSWORD)@db:5432/orders",
            "https://user:<password>@git.example.com/repo.git",
            "https://user:****@git.example.com/repo.git",
            "https://github.com/org/repo",
            "git@github.com:org/repo.git",
            "http://[::1]:8080/",
        ] {
            assert_eq!(kind(safe), None, "{safe}");
        }
    }

    #[test]
    fn named_literals() {
        let hit = scan_named("DB_PASSWORD", "changeme").unwrap();
        assert_eq!((hit.kind, hit.weak), (Kind::Named, true));
        assert_eq!(hit.display("changeme"), "********");
        assert!(scan_named("DB_PASSWORD", "${DB_PASSWORD}").is_none());
        assert!(scan_named("DB_PASSWORD", "").is_none());
        assert!(scan_named("DB_HOST", "hunter2").is_none());
        assert_eq!(scan_named("NOTE", "AKIAZ3MSJV4WXD2NTH7Q").map(|h| h.kind), Some(Kind::AwsAccessKeyId));
    }

    #[test]
    fn masks_never_show_short_secrets() {
        assert_eq!(mask("hunter2"), "********");
        assert_eq!(mask("AKIAZ3MSJV4WXD2NTH7Q"), "AKIA********");
    }

    #[test]
    fn embedded_assignments() {
        let props = "spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.password=hunter22\n";
        let hit = scan_text(props).unwrap();
        assert_eq!(hit.kind, Kind::Named);
        assert_eq!(hit.name.as_deref(), Some("spring.datasource.password"));
        assert_eq!(hit.text(props), "hunter22");
        let json = "{\n  \"user\": \"app\",\n  \"password\": \"hunter22\",\n}";
        assert_eq!(scan_text(json).map(|h| h.text(json).to_owned()), Some("hunter22".to_owned()));
        let yaml = "db:\n  password: 'hunter22'\n";
        assert_eq!(scan_text(yaml).map(|h| h.text(yaml).to_owned()), Some("hunter22".to_owned()));
        for safe in [
            "password_file: /etc/app/password\n",
            "bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token\n",
            "# password: hunter22\n",
            "password: ${DB_PASSWORD}\n",
            "clientSecret: $dex.github.clientSecret\n",
            "credentials:\n  - name: x\n",
            "password:\n",
            "The password is: hunter22\n",
            "token: \"\"\n",
            "secret: true\n",
        ] {
            assert_eq!(scan_text(safe), None, "{safe:?}");
        }
    }

    #[test]
    fn decodes_base64() {
        assert_eq!(decode_base64("aHVudGVyMg==").as_deref(), Some(&b"hunter2"[..]));
        assert_eq!(decode_base64("c2hvcA==\n").as_deref(), Some(&b"shop"[..]));
        assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(decode_base64("ab=c"), None);
    }

    /// Every prefix, suffix and window of a text full of near-misses: no panic, and every hit
    /// is a valid range of the text it came from.
    #[test]
    fn hits_are_valid_ranges_of_any_slice() {
        let text = "é -----BEGIN RSA PRIVATE KEY-----\\nMIIE== eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig \
                    postgres://ü:pässwörd@höst/db AKIAZ3MSJV4WXD2NTH7Q ghp_ 😀 password = 'hunter22', \
                    \"token\": \"abc\" ://@ :x@ key=";
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for &(i, _) in &chars {
            let ends = chars.iter().map(|&(j, _)| j).filter(|&j| j > i).take(60).chain([text.len()]);
            for j in ends {
                let slice = &text[i..j];
                for hit in [scan_text(slice), scan_named("PASSWORD", slice)].into_iter().flatten() {
                    assert!(hit.start <= hit.end && slice.get(hit.start..hit.end).is_some(), "{slice:?}: {hit:?}");
                    let _ = hit.describe(slice);
                }
            }
        }
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "-----BEGIN ",
            "-----BEGIN PRIVATE KEY-----",
            "eyJ",
            "eyJaaaaaaaaaaaa.",
            "://",
            "a://b@",
            "x:",
            "=",
            "é://ü:ö@ä",
            "AKIA",
        ] {
            let _ = scan_text(text);
            let _ = scan_named("PASSWORD", text);
        }
    }
}
