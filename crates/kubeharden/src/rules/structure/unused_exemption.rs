//! `unused-exemption`: a `kubeharden.io/ignore` entry that exempts nothing.

use crate::report::Severity;
use crate::rules::{Check, Docs, ExemptionProblem, Family, Rule, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "unused-exemption",
    family: Family::Structure,
    severity: Severity::Warning,
    tier: Tier::Always,
    summary: "A kubeharden.io/ignore annotation names a rule that finds nothing on the object, or is not a rule ID.",
    docs: docs! {
        what: "Reports each entry of a `kubeharden.io/ignore` annotation that matched no finding on its \
               object in this run (the rule ran and found nothing), and each entry that is not a rule ID.",
        why: "An exemption outlives the problem it was written for. Left in place, it silently hides the \
              next real finding of that rule on the object; a typo in a rule ID exempts nothing while \
              looking as if it did.",
        fail: r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
  annotations:
    kubeharden.io/ignore: image-tag-latest
"#,
        pass: r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
"#,
        fix: "Remove the entry (or the annotation) once the finding it exempted is gone, and spell rule \
              IDs as `kubeharden rules` lists them.",
        references: &["https://github.com/kubeharden/kubeharden/blob/main/README.md#exemptions"],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Exemption(ExemptionProblem::Unused))],
    fix: Some(crate::fix::Applicability::Safe),
};
