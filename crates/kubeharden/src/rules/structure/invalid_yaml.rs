//! `invalid-yaml`: a document that cannot be read.

use crate::report::Severity;
use crate::rules::{Check, Docs, Family, Rule, Tier, Versioned};
use crate::source::IssueKind;

pub static RULE: Rule = Rule {
    id: "invalid-yaml",
    family: Family::Structure,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A document is not valid YAML or JSON, so nothing in it can be checked or applied.",
    docs: docs! {
        what: "Reports a document that the YAML reader rejects, at the position of the error. The \
               stream is split into documents the way kubectl splits it (a line starting with `---`), \
               so the other documents are still linted.",
        why: "kubectl and the API server refuse the whole stream at the first unreadable document, and \
              a linter that stops there hides every other problem. Reporting the exact position makes the \
              mistake (a tab in indentation, an unclosed quote, a missing colon) quick to fix.",
        fail: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  key: "unterminated
"#,
        pass: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  key: "terminated"
"#,
        fix: "Correct the syntax at the reported position. Indent with spaces, close quotes and brackets, \
              and put only a comment after a `---` separator.",
        references: &[
            "https://yaml.org/spec/1.1/",
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Source(IssueKind::InvalidYaml))],
    fix: None,
};
