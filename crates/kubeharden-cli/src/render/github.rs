//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding, which
//! GitHub shows as annotations on the pull request's diff, then the summary line.
//!
//! Values are escaped as the Actions toolkit does (`%`, CR and LF in the message; also `:` and
//! `,` in properties), after control characters from the manifest are made visible, so text in
//! a manifest can never start a workflow command of its own.

use std::fmt::Write as _;

use kubeharden::{Report, Severity};

use super::{RunInfo, object, sanitize};

pub fn render(report: &Report, run: &RunInfo, min: Option<Severity>, summary: bool) -> String {
    let mut out = String::new();
    for f in super::shown(report, min) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(path) = super::location::repo_path(run, &f.resource.source) {
            props.push(format!("file={}", property(&path)));
            props.push(format!("line={}", f.span.start.line));
            props.push(format!("col={}", f.span.start.column));
            props.push(format!("endLine={}", f.span.end.line));
            props.push(format!("endColumn={}", f.span.end.column));
        }
        let object = object(f);
        let title = if object.is_empty() { f.rule.clone() } else { format!("{} ({object})", f.rule) };
        props.push(format!("title={}", property(&sanitize(&title))));
        let mut message = sanitize(&f.message);
        if !f.help.is_empty() {
            let _ = write!(message, "\nhelp: {}", sanitize(&f.help));
        }
        if !f.path.is_empty() {
            let _ = write!(message, "\nat {}", sanitize(&f.path));
        }
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    if summary {
        out.push_str(&super::text::summary_line(report, run));
        out.push('\n');
    }
    out
}

/// Escapes a command's message.
pub fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property value.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50% done\nnext\r"), "50%25 done%0Anext%0D");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
