//! Credential detection for `secret-in-env`, `secret-in-configmap` and `secret-in-manifest`.
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
//!
//! The parts: what a name says (`names`), what is a literal rather than a reference or a
//! placeholder (`literals`), the shapes of credentials (`values`) and the base64 of
//! Secrets (`base64`); here, the scans that combine them.

mod base64;
mod literals;
mod names;
#[cfg(test)]
mod tests;
mod values;

pub use base64::decode_base64;
pub use literals::{is_literal, is_placeholder, is_weak};
pub use names::{NameClass, classify_name, is_credential_name, looks_random, words};
pub use values::scan_value;

use crate::source::{ByteSpan, NodeRef};
use names::{mentions_credential, named_literal};

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
