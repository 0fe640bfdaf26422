//! `ambiguous-yaml-value`: an unquoted value read differently by YAML 1.1 and 1.2.

use crate::report::Severity;
use crate::rules::{Check, Docs, Family, Rule, Tier, Versioned};
use crate::source::IssueKind;

pub static RULE: Rule = Rule {
    id: "ambiguous-yaml-value",
    family: Family::Structure,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "An unquoted value means one thing to Kubernetes (YAML 1.1) and another to YAML 1.2 tools and editors.",
    docs: docs! {
        what: "Reports unquoted values whose type differs between YAML 1.1, which the API server uses \
               (through sigs.k8s.io/yaml and go-yaml v2), and YAML 1.2, which most editors, formatters and \
               policy tools use: `yes`/`no`/`on`/`off`/`y`/`n` (booleans only in 1.1), numbers with a leading \
               zero (octal only in 1.1), `0b` binary numbers, numbers with underscores and unquoted dates.",
        why: "When the cluster and the tools that review a manifest disagree on a value, a check can pass \
              on a value the cluster reads differently: `privileged: yes` is a privileged container to \
              Kubernetes but a harmless string to a YAML 1.2 policy engine, and `mode: 0644` is 420 to \
              Kubernetes but 644 elsewhere.",
        fail: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
data:
  enabled: "true"
immutable: yes
"#,
        pass: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
data:
  enabled: "true"
immutable: true
"#,
        fix: "Write booleans as `true`/`false`, octal numbers as `0o644` (or decimal), and quote values \
              that are meant as strings.",
        references: &["https://yaml.org/type/bool.html", "https://github.com/kubernetes-sigs/yaml"],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Source(IssueKind::AmbiguousValue))],
    fix: Some(crate::fix::Applicability::Safe),
};
