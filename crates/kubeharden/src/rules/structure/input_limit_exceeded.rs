//! `input-limit-exceeded`: input past a safety limit (size, documents, depth, aliases).

use crate::report::Severity;
use crate::rules::{Check, Docs, Family, Rule, Tier, Versioned};
use crate::source::IssueKind;

pub static RULE: Rule = Rule {
    id: "input-limit-exceeded",
    family: Family::Structure,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "Input exceeds a safety limit (size, document count, nesting depth or alias expansion) and was not fully linted.",
    docs: docs! {
        what: "Reports where reading stopped because the input crossed one of the configured limits: \
               `limits.maxInputBytes` (64 MiB), `limits.maxDocuments` (1,000,000), `limits.maxDepth` (200 \
               levels) or `limits.maxAliasExpansion` (1,000,000 nodes once aliases are expanded). The \
               affected document (or the rest of the input) is skipped; everything else is linted.",
        why: "Manifests come from pull requests, chat pastes and generators. A hostile or broken input, \
              such as a \"billion laughs\" alias bomb or thousands of nested brackets, must end with a \
              clear message instead of exhausting memory, overflowing the stack or hanging a CI job. The \
              API server applies similar limits.",
        fail: r#"a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
"#,
        pass: r#"a: &a [x, x, x]
b: [*a, *a]
"#,
        fix: "Remove the runaway structure. If the input is legitimate, raise the limit in the config \
              (`limits`) or split the input into smaller files.",
        references: &["https://en.wikipedia.org/wiki/Billion_laughs_attack"],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Source(IssueKind::LimitExceeded))],
    fix: None,
};
