//! The rule docs rendered as Markdown, once, for `explain`, editors' hovers and
//! `docs/rules.md`: one section order for every rule.

use super::{all, docs_of, profiles};
use crate::rules::Rule;

/// The full documentation of a rule as Markdown.
pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    out.push_str(&format!("## {}\n\n", rule.id));
    out.push_str(&format!("{}\n\n", rule.summary));
    let profiles = profiles(rule.tier);
    let on = if profiles.is_empty() { "opt-in (enable it in the config)".to_owned() } else { profiles.join(", ") };
    out.push_str(&format!(
        "- Family: {}\n- Default severity: {}\n- Profiles: {}\n",
        rule.family.as_str(),
        rule.severity.as_str(),
        on
    ));
    if let Some(p) = &rule.pss {
        out.push_str(&format!("- Pod Security Standards: `{}` ({})\n", p.id, p.level.as_str()));
        if !p.overrides.is_empty() {
            out.push_str(&format!("- Replaces at restricted: {}\n", p.overrides.join(", ")));
        }
    }
    if rule.checks.len() > 1 {
        let versions: Vec<String> = rule.checks.iter().map(|v| v.since.to_string()).collect();
        out.push_str(&format!("- Behaviour changes at: {}\n", versions.join(", ")));
    }
    if !rule.aliases.is_empty() {
        out.push_str(&format!("- Also known as: {}\n", rule.aliases.join(", ")));
    }
    let former: Vec<String> = super::renamed::former(rule.id).map(|id| format!("`{id}`")).collect();
    if !former.is_empty() {
        out.push_str(&format!("- Formerly: {} (still accepted)\n", former.join(", ")));
    }
    out.push_str(&autofix_line(rule));
    let d = docs_of(rule);
    out.push_str(&format!("\n### What it does\n\n{}\n", d.what.trim()));
    out.push_str(&format!("\n### Why it matters\n\n{}\n", d.why.trim()));
    out.push_str(&format!(
        "\n### Example\n\n```yaml\n{}\n```\n\nUse instead:\n\n```yaml\n{}\n```\n",
        d.fail.trim_end(),
        d.pass.trim_end()
    ));
    out.push_str(&fix_and_references(rule));
    out
}

/// What an editor shows on a finding (Markdown, the same text as [`explain`]): why the rule
/// matters, how to fix it, and its references.
pub fn explain_brief(rule: &Rule) -> String {
    format!("### Why it matters\n\n{}\n{}", docs_of(rule).why.trim(), fix_and_references(rule))
}

/// Whether `kubeharden lint --fix` fixes the rule's findings, and with which applicability.
fn autofix_line(rule: &Rule) -> String {
    match rule.fix {
        Some(crate::fix::Applicability::Unsafe) => {
            "- Autofix: unsafe (applied with `lint --fix --unsafe-fixes`; check the workload still runs)\n".into()
        }
        Some(a) => format!("- Autofix: {} (applied with `lint --fix`)\n", a.as_str()),
        None => "- Autofix: none (see docs/fixes.md)\n".into(),
    }
}

fn fix_and_references(rule: &Rule) -> String {
    let d = docs_of(rule);
    let mut out = format!("\n### How to fix\n\n{}\n", d.fix.trim());
    if !d.references.is_empty() {
        out.push_str("\n### References\n\n");
        for r in d.references {
            out.push_str(&format!("- {r}\n"));
        }
    }
    out
}

/// `docs/rules.md`: the catalogue generated from the registry.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# kubeharden rules\n\n<!-- Generated from the rule registry; do not edit. Regenerate with:\n     cargo run -q -p kubeharden-cli -- rules --format markdown --output docs/rules.md -->\n\n",
    );
    out.push_str("| Rule | Family | Severity | Profiles | Summary |\n|---|---|---|---|---|\n");
    for rule in all() {
        let profiles = profiles(rule.tier);
        let on = if profiles.is_empty() { "opt-in".to_owned() } else { profiles.join(", ") };
        out.push_str(&format!(
            "| [`{id}`](#{id}) | {} | {} | {} | {} |\n",
            rule.family.as_str(),
            rule.severity.as_str(),
            on,
            rule.summary.replace('|', "\\|"),
            id = rule.id
        ));
    }
    for rule in all() {
        out.push('\n');
        out.push_str(&explain(rule));
    }
    out
}
