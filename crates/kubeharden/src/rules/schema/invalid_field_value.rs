//! `invalid-field-value`: a value of the right type whose content the API server refuses
//! (base64, times, and the constraints of custom resource schemas).

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "invalid-field-value",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A value whose format the schema refuses: invalid base64 in a Secret's `data`, a malformed time.",
    docs: docs! {
        what: "Reports string values of the right type but the wrong format: `data` of a Secret (and other \
               byte fields) that is not base64 with padding, and times that are not RFC 3339 \
               (`2024-01-31T10:00:00Z`).",
        why: "The API server cannot decode the object (`illegal base64 data at input byte 4`), so it never \
              applies. A Secret value written in plain text under `data` is the usual cause: it belongs under \
              `stringData`.",
        fail: r#"apiVersion: v1
kind: Secret
metadata:
  name: db
data:
  password: hunter2!
"#,
        pass: r#"apiVersion: v1
kind: Secret
metadata:
  name: db
data:
  password: aHVudGVyMiE=
"#,
        fix: "Encode the value as the field requires (base64 for `data`, or move plain text to `stringData`), \
              or write the time in RFC 3339.",
        references: super::REFERENCES,
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::InvalidValue);
}
