//! Output formats. `json` and `sarif` come from the core, byte for byte what every front end
//! prints; `text`, `github` and `gitlab` are terminal and CI renderings of the same report.

pub mod github;
pub mod gitlab;
pub mod location;
pub mod text;

use std::path::PathBuf;

use kubeharden::report::Finding;
use kubeharden::{Report, Severity};

/// What the run looked at, for the summary line and CI paths.
#[derive(Debug, Default, Clone)]
pub struct RunInfo {
    /// The current folder.
    pub cwd: PathBuf,
    /// The root of the git work tree holding the current folder, else the current folder: CI
    /// formats and SARIF give paths relative to it (see [`location`]).
    pub root: PathBuf,
    /// The name standard input goes by in the report, when `-` was linted.
    pub stdin_name: Option<String>,
    /// The configuration file used, as shown to the user.
    pub config: Option<String>,
    /// Files that could not be read (reported on stderr).
    pub unreadable: usize,
    /// The lowest severity that fails the run (`None`: `--fail-on never`).
    pub fail_on: Option<Severity>,
}

/// Findings that count, in report order; with `min`, only those at or above it.
pub fn shown(report: &Report, min: Option<Severity>) -> impl Iterator<Item = &Finding> {
    report.active().filter(move |f| min.is_none_or(|m| f.severity >= m))
}

/// Whether any counted finding is at or above `fail_on`.
pub fn fails(report: &Report, fail_on: Option<Severity>) -> bool {
    fail_on.is_some_and(|level| report.active().any(|f| f.severity >= level))
}

/// `Deployment shop/web`, `Namespace shop`, or the document number when the object is unknown.
pub fn object(f: &Finding) -> String {
    let r = &f.resource;
    match (&r.kind, &r.name) {
        (Some(kind), Some(name)) => match &r.namespace {
            Some(ns) => format!("{kind} {ns}/{name}"),
            None => format!("{kind} {name}"),
        },
        (Some(kind), None) => format!("{kind} (unnamed) in document {}", r.document),
        _ if r.document > 0 => format!("document {}", r.document),
        _ => String::new(),
    }
}

/// Text from a manifest made safe for a terminal or a CI log: control characters (escape
/// sequences could rewrite the screen or forge CI commands) and bidirectional overrides
/// (which reorder what is shown) become visible `\u{…}` escapes; tabs stay.
pub fn sanitize(text: &str) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    out
}

pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

pub fn escape(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_controls_and_bidi() {
        assert_eq!(sanitize("plain\ttab"), "plain\ttab");
        assert_eq!(sanitize("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(sanitize("x\u{202E}y\r\n"), "x\\u{202e}y\\u{d}\\u{a}");
        assert_eq!(sanitize("ウェブ"), "ウェブ");
    }
}
