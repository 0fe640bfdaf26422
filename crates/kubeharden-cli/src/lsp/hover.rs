//! Hover: on a finding's span, the finding and its rule's documentation (why it matters, how
//! to fix it, references: the registry's text); elsewhere on a key or value, the field's
//! schema documentation when a source of it exists.

use kubeharden::{Finding, Source, registry};
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, Range};

use super::field_docs;
use super::server::Server;

impl Server {
    pub fn hover(&mut self, params: &HoverParams) -> Option<Hover> {
        let uri = params.text_document_position_params.text_document.uri.as_str();
        self.flush_for(uri);
        let linted = self.linted.get(uri)?;
        let text = linted.text.as_str();
        let at = linted.map.offset(text, params.text_document_position_params.position, self.encoding);
        let here: Vec<&Finding> = linted
            .findings
            .iter()
            .filter(|f| {
                let start = linted.map.byte_of_utf16(text, f.span.start.offset);
                let end = linted.map.byte_of_utf16(text, f.span.end.offset);
                start <= at && (at < end || (start == end && at == start))
            })
            .collect();
        let (value, range) = if let Some(first) = here.first() {
            let mut parts: Vec<String> = Vec::new();
            let mut rules_shown: Vec<&str> = Vec::new();
            for finding in &here {
                parts.push(finding_text(finding, !rules_shown.contains(&finding.rule.as_str())));
                rules_shown.push(&finding.rule);
            }
            let range = linted.map.range_of_utf16(text, first.span.start.offset, first.span.end.offset, self.encoding);
            (parts.join("\n\n---\n\n"), Some(range))
        } else {
            let parsed = kubeharden::parse(&Source::new("hover", text), &kubeharden::Limits::default());
            let field = field_docs::field_at(&parsed, u32::try_from(at).ok()?)?;
            let doc = self.field_docs.lookup(&field)?;
            (field_docs::render(&field, &doc), None::<Range>)
        };
        let kind = if self.caps.hover_markdown { MarkupKind::Markdown } else { MarkupKind::PlainText };
        Some(Hover { contents: HoverContents::Markup(MarkupContent { kind, value }), range })
    }
}

/// One finding: rule, severity, message and help, then (once per rule) the rule's docs.
fn finding_text(finding: &Finding, with_docs: bool) -> String {
    let mut out = format!("**{}** · {}\n\n{}", finding.rule, finding.severity.as_str(), finding.message);
    if !finding.help.is_empty() {
        out.push_str(&format!("\n\n*Help:* {}", finding.help));
    }
    if let Some(rule) = registry::find(&finding.rule).filter(|_| with_docs) {
        out.push_str("\n\n");
        out.push_str(registry::explain_brief(rule).trim_end());
        out.push_str(&format!("\n\n[Documentation of {}]({})", rule.id, registry::help_uri(rule.id)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_with_its_rule_docs() {
        let report = kubeharden::lint_str(
            "p.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: nginx:1.27}]\n",
            &kubeharden::Config::default(),
        );
        let finding = report.findings.iter().find(|f| f.rule == "pss-host-namespaces").unwrap();
        let text = finding_text(finding, true);
        let rule = registry::find("pss-host-namespaces").unwrap();
        assert!(text.starts_with("**pss-host-namespaces** · error\n\n"), "{text}");
        assert!(text.contains(&finding.message) && text.contains(&finding.help));
        assert!(text.contains("### Why it matters") && text.contains(rule.docs.why.trim()));
        assert!(text.contains("### How to fix") && text.contains("### References"));
        assert!(text.ends_with(&format!("({})", registry::help_uri("pss-host-namespaces"))));
        assert!(!finding_text(finding, false).contains("### Why it matters"));
    }
}
