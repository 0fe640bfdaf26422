//! Findings as LSP diagnostics: the finding's span in the client's encoding, the rule ID as
//! the code with a link to its docs, the severity, and the message followed by the help line.

use std::str::FromStr;

use kubeharden::{Finding, Severity, registry};
use lsp_types::{CodeDescription, Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, Position, Range, Uri};
use serde_json::json;

use super::position::{Encoding, LineMap};
use super::root_config::ConfigProblem;

pub const SOURCE: &str = "kubeharden";

/// Rules whose findings the editor shows struck through.
const DEPRECATED_RULES: &[&str] = &["deprecated-api", "deprecated-service-account-field"];

pub fn from_finding(finding: &Finding, text: &str, map: &LineMap, encoding: Encoding) -> Diagnostic {
    let range = map.range_of_utf16(text, finding.span.start.offset, finding.span.end.offset, encoding);
    let message = if finding.help.is_empty() {
        finding.message.clone()
    } else {
        format!("{}\nhelp: {}", finding.message, finding.help)
    };
    Diagnostic {
        range,
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.clone())),
        code_description: Uri::from_str(&registry::help_uri(&finding.rule)).ok().map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: None,
        tags: DEPRECATED_RULES.contains(&finding.rule.as_str()).then(|| vec![DiagnosticTag::DEPRECATED]),
        // Lets a code action request name the finding exactly (rule and UTF-16 span).
        data: Some(json!({ "rule": finding.rule, "start": finding.span.start.offset, "end": finding.span.end.offset })),
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The one diagnostic a file gets when linting it crashed.
pub fn crashed() -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("internal-error".into())),
        source: Some(SOURCE.to_owned()),
        message: "kubeharden crashed while linting this file; the other files are still linted. Please report it \
                  with the file: https://github.com/kubeharden/kubeharden/issues"
            .into(),
        ..Diagnostic::default()
    }
}

/// A configuration file that could not be used, shown on the file itself.
pub fn config_problem(problem: &ConfigProblem) -> Diagnostic {
    let at = Position { line: problem.line.saturating_sub(1), character: problem.column.saturating_sub(1) };
    Diagnostic {
        range: Range { start: at, end: at },
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("invalid-config".into())),
        source: Some(SOURCE.to_owned()),
        message: format!("{}; the previous configuration stays in use", problem.message),
        ..Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_as_a_diagnostic() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: \"😀\"}\nspec:\n  containers: [{name: \"😀\", image: nginx:latest}]\n";
        let report = kubeharden::lint_str("p.yaml", text, &kubeharden::Config::default());
        let finding = report.findings.iter().find(|f| f.rule == "image-tag-latest").unwrap();
        let map = LineMap::new(text);
        let d = from_finding(finding, text, &map, Encoding::Utf16);
        // The CLI's 1-based line and UTF-16 column, 0-based.
        assert_eq!(d.range.start.line + 1, finding.span.start.line);
        assert_eq!(d.range.start.character + 1, finding.span.start.column);
        assert_eq!(d.range.end.character + 1, finding.span.end.column);
        assert_eq!(d.code, Some(NumberOrString::String("image-tag-latest".into())));
        assert!(d.code_description.unwrap().href.as_str().ends_with("#image-tag-latest"));
        assert!(d.message.starts_with(&finding.message) && d.message.ends_with(&finding.help));
        // UTF-8 columns count the emoji's four bytes.
        let d8 = from_finding(finding, text, &map, Encoding::Utf8);
        assert_eq!(d8.range.start.character, d.range.start.character + 2);
    }
}
