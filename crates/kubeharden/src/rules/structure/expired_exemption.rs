//! `expired-exemption`: an exemption past its `kubeharden.io/ignore-until` date.

use crate::report::Severity;
use crate::rules::{Check, Docs, ExemptionProblem, Family, Rule, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "expired-exemption",
    family: Family::Structure,
    severity: Severity::Warning,
    tier: Tier::Always,
    summary: "A kubeharden.io/ignore exemption is past its kubeharden.io/ignore-until date and no longer applies.",
    docs: docs! {
        what: "Reports an object whose `kubeharden.io/ignore-until` date (YYYY-MM-DD) has passed. The \
               exemption stops applying, so the findings it hid are reported again.",
        why: "Time-boxed exemptions are how teams accept a risk temporarily. Without an expiry check, a \
              temporary exception quietly becomes permanent.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: legacy
  annotations:
    kubeharden.io/ignore: pss-privileged
    kubeharden.io/ignore-until: "2020-01-31"
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: legacy
  annotations:
    kubeharden.io/ignore: pss-privileged
    kubeharden.io/ignore-until: "2099-01-31"
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
"#,
        fix: "Fix the findings the exemption covered, or renew the exemption with a new date and a \
              `kubeharden.io/ignore-reason`.",
        references: &["https://github.com/kubeharden/kubeharden/blob/main/README.md#exemptions"],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Exemption(ExemptionProblem::Expired))],
    fix: Some(crate::fix::Applicability::Safe),
};
