//! `invalid-enum-value`: a value outside the closed set a field accepts.

use crate::fix::Applicability;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "invalid-enum-value",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A value outside the set a field accepts, such as `protocol: TCPX` or `imagePullPolicy: always`.",
    docs: docs! {
        what: "Reports values of enumerated fields that the API server does not support: protocols, pull \
               policies, restart and DNS policies, Service types and traffic policies, update strategies, \
               seccomp and AppArmor profile types, toleration and selector operators, volume modes, access \
               modes, webhook policies and more. Values are case-sensitive; when the value differs from a \
               valid one only by case, or is one edit away, the fix replaces it. An empty string is left \
               alone (defaulting fills it in). The `status` of a built-in kind is not checked: the API \
               server resets it before validation.",
        why: "The API server rejects the object (`Unsupported value`), and some of these fields are \
              security settings: a misspelled `seccompProfile.type` is not a weaker profile, it is a \
              failed deploy.",
        fail: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    protocol: TCPX
"#,
        pass: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    protocol: TCP
"#,
        fix: "Use one of the values the message lists.",
        references: super::REFERENCES,
    },
    aliases: &["kubeconform:enum"],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: Some(Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::InvalidEnum);
}
