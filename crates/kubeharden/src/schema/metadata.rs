//! `metadata.name`, `generateName` and `namespace` of built-in kinds, checked with the name
//! function each kind's validation passes to `ValidateObjectMeta`.

use super::names::{self, name_rule};
use super::{Problem, ProblemKind, Problems};
use crate::model::{KubeVersion, Resource};

pub(super) fn check_names(resource: &Resource<'_>, version: KubeVersion, out: &mut Problems) {
    let Some(meta) = resource.metadata() else { return };
    type Fix = Option<(String, crate::fix::Edits)>;
    let mut report = |field: &str, node: crate::source::NodeRef<'_>, message: String, help: &str, fix: Fix| {
        out.push(Problem {
            kind: ProblemKind::InvalidName,
            resource: resource.id,
            span: node.span(),
            path: resource.path(&format!("metadata.{field}")),
            message,
            help: help.to_owned(),
            fix,
        });
    };

    if let Some((rule, max)) = name_rule(resource.group(), resource.kind(), version) {
        let kind = resource.kind();
        if let Some(node) = meta.field("name")
            && let Some(name) = node.string()
        {
            let why = rule
                .check(name)
                .or_else(|| max.filter(|&m| name.len() > m).map(|m| format!("must be no more than {m} characters")));
            if let Some(why) = why {
                let message = format!("{kind} name `{name}` is not valid ({}): {why}", rule.describe());
                let help = match max {
                    Some(m) if name.len() > m => format!("shorten the name to {m} characters or fewer"),
                    _ => name_help(rule).to_owned(),
                };
                // Lower case, and `-` for what a name may not hold: a rename the references to
                // the object must follow, so unsafe.
                let new = respell(name, max.unwrap_or(253));
                let fix = (rule.check(&new).is_none() && new != name)
                    .then(|| (format!("rename to `{new}`"), vec![(node.span(), new.clone())]));
                report("name", node, message, &help, fix);
            }
        }
        if let Some(node) = meta.field("generateName")
            && let Some(prefix) = node.string()
            && let Some(why) = rule.check_prefix(prefix)
        {
            let message =
                format!("{kind} generateName `{prefix}` cannot make a valid name ({}): {why}", rule.describe());
            report("generateName", node, message, name_help(rule), None);
        }
    }
    if !resource.namespace_defaulted
        && resource.namespace.is_some()
        && let Some(node) = meta.field("namespace")
        && let Some(namespace) = node.string()
        && let Some(why) = names::dns1123_label(namespace)
    {
        report(
            "namespace",
            node,
            format!("namespace `{namespace}` is not a valid namespace name: {why}"),
            name_help(names::NameRule::Label),
            None,
        );
    }
}

/// A name in lower case with `-` for every character a name may not hold (runs collapsed),
/// the ends trimmed to letters or digits, at most `max` characters.
fn respell(name: &str, max: usize) -> String {
    let mut out = String::new();
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        let c = if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let cut: String = out.trim_matches(|c: char| !c.is_ascii_alphanumeric()).chars().take(max).collect();
    cut.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).to_owned()
}

fn name_help(rule: names::NameRule) -> &'static str {
    match rule {
        names::NameRule::Subdomain => {
            "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253 characters)"
        }
        names::NameRule::Label => {
            "use lower-case letters, digits and '-', starting and ending with a letter or digit (at most 63 characters)"
        }
        names::NameRule::Dns1035 => {
            "use lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (at most 63 characters)"
        }
        names::NameRule::PathSegment => "remove '/' and '%' from the name",
    }
}
