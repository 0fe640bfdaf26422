//! Values that are credentials whatever their name: PEM private keys, GCP service-account
//! keys, cloud and vendor tokens, JWTs and URLs with a password.

use super::literals::is_placeholder;
use super::{Hit, Kind};

pub(super) fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The password of `user:password@host…` (the text after `://`), as a byte range of `rest`.
pub(super) fn url_password(rest: &str) -> Option<(usize, usize)> {
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
