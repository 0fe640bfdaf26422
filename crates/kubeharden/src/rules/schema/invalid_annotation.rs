//! `invalid-annotation`: an annotation key the API server rejects, or annotations too large.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "invalid-annotation",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "An annotation key that is not a qualified name, or annotations larger than the API server's 256 KiB limit.",
    docs: docs! {
        what: "Checks annotation keys of objects and pod templates (an optional DNS subdomain prefix and `/`, \
               then a name of at most 63 characters; case does not matter) and the total size of an object's \
               annotations (keys and values, at most 262144 bytes). A value that is a number or a boolean is \
               `wrong-field-type`'s finding.",
        why: "The API server rejects the object (`metadata.annotations: Invalid value` or `Too long`). Large \
              annotations usually come from `kubectl apply`'s last-applied-configuration on a big object; \
              server-side apply avoids it.",
        fail: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    owner email: ops@example.com
"#,
        pass: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    example.com/owner-email: ops@example.com
"#,
        fix: "Use a key such as `example.com/owner`; move large data into a ConfigMap.",
        references: &[
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: Some(crate::fix::Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::InvalidAnnotation);
}
