//! Code actions: a quick fix per fixable finding, "fix all safe and hardening problems in this
//! file" (also the `source.fixAll.kubeharden` action editors run on save), and "exempt this
//! object from rule X".

use std::collections::HashMap;

use kubeharden::{Finding, Source};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, OneOf, OptionalVersionedTextDocumentIdentifier,
    Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::applicability::{self, Applicability};
use super::capabilities::FIX_ALL_KIND;
use super::diagnostics;
use super::exempt;
use super::lint;
use super::server::{Linted, Server};

/// Fix-all passes: each applies the fixes that do not overlap, then lints again for the ones
/// that did (two fixes adding keys to the same new mapping).
const FIX_ALL_PASSES: usize = 10;

/// Findings about the exemption mechanism itself cannot be exempted.
const NOT_EXEMPTABLE: &[&str] = &["unused-exemption", "expired-exemption"];

impl Server {
    pub fn code_actions(&mut self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = params.text_document.uri.clone();
        self.flush_for(uri.as_str());
        let Some(linted) = self.linted.get(uri.as_str()) else { return Vec::new() };
        let only = params.context.only.as_deref();
        let wants = |kind: &str| {
            only.is_none_or(|only| {
                only.iter().any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
            })
        };
        let text = linted.text.as_str();
        let start = linted.map.offset(text, params.range.start, self.encoding);
        let end = linted.map.offset(text, params.range.end, self.encoding);
        let here: Vec<&Finding> = linted
            .findings
            .iter()
            .filter(|f| {
                let (s, e) = self.byte_span(linted, f);
                s <= end && start <= e
            })
            .collect();
        let fixable_in_file =
            linted.findings.iter().filter(|f| f.fix.is_some() && applicability::in_fix_all(f)).count();
        let quick = wants(CodeActionKind::QUICKFIX.as_str());
        let fixes: Vec<Finding> =
            if quick { here.iter().filter(|f| f.fix.is_some()).map(|f| (*f).clone()).collect() } else { Vec::new() };
        let exemptable: Vec<Finding> = if quick {
            here.iter()
                .filter(|f| f.resource.kind.is_some() && !NOT_EXEMPTABLE.contains(&f.rule.as_str()))
                .map(|f| (*f).clone())
                .collect()
        } else {
            Vec::new()
        };
        let on_fixable = here.iter().any(|f| f.fix.is_some() && applicability::in_fix_all(f));
        let fix_all_quick = quick && on_fixable && fixable_in_file > 1;
        // The source action only when asked for (on save, or the Source Action menu), so the
        // quick fix list does not show "fix all" twice.
        let fix_all_source = only.is_some() && wants(FIX_ALL_KIND) && fixable_in_file > 0;

        let mut actions = Vec::new();
        for finding in &fixes {
            actions.push(self.quick_fix_action(&uri, finding));
        }
        if fix_all_quick {
            actions.extend(self.fix_all_action(&uri, CodeActionKind::QUICKFIX));
        }
        for finding in &exemptable {
            actions.extend(self.exempt_action(&uri, finding));
        }
        if fix_all_source {
            actions.extend(self.fix_all_action(&uri, CodeActionKind::from(FIX_ALL_KIND)));
        }
        actions.into_iter().map(CodeActionOrCommand::CodeAction).collect()
    }

    /// A finding's span as byte offsets of the linted text.
    fn byte_span(&self, linted: &Linted, finding: &Finding) -> (usize, usize) {
        let text = linted.text.as_str();
        (
            linted.map.byte_of_utf16(text, finding.span.start.offset),
            linted.map.byte_of_utf16(text, finding.span.end.offset),
        )
    }

    fn quick_fix_action(&self, uri: &Uri, finding: &Finding) -> CodeAction {
        let linted = self.linted.get(uri.as_str());
        let (edits, diagnostic) = match (linted, &finding.fix) {
            (Some(linted), Some(fix)) => {
                let text = linted.text.as_str();
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| TextEdit {
                        range: linted.map.range_of_utf16(text, e.start, e.end, self.encoding),
                        new_text: e.text.clone(),
                    })
                    .collect();
                (edits, Some(diagnostics::from_finding(finding, text, &linted.map, self.encoding)))
            }
            _ => (Vec::new(), None),
        };
        let applicability = applicability::of(finding);
        let description = finding.fix.as_ref().map_or("", |f| f.description.as_str());
        CodeAction {
            title: format!("Fix: {description}{}", applicability::title_suffix(applicability)),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: diagnostic.map(|d| vec![d]),
            edit: Some(self.workspace_edit(uri, edits)),
            is_preferred: Some(applicability == Applicability::Safe),
            ..CodeAction::default()
        }
    }

    fn fix_all_action(&mut self, uri: &Uri, kind: CodeActionKind) -> Option<CodeAction> {
        let fixed = self.fix_all_text(uri.as_str())?;
        let linted = self.linted.get(uri.as_str())?;
        let edits = self.text_edits(linted, &fixed);
        (!edits.is_empty()).then(|| CodeAction {
            title: "Fix all safe and hardening problems in this file".into(),
            kind: Some(kind),
            edit: Some(self.workspace_edit(uri, edits)),
            ..CodeAction::default()
        })
    }

    /// The document's text with every safe and hardening fix applied, linting again between
    /// passes (in the context of its folder) until nothing more applies.
    pub fn fix_all_text(&mut self, uri: &str) -> Option<String> {
        let document = self.documents.get(uri)?.clone();
        let home = self.workspace.home_of(&document)?;
        let config = self.config_of(home);
        let linter = self.linter;
        let root = self.workspace.roots.get_mut(home)?;
        let key = document.path.clone().unwrap_or_else(|| std::path::PathBuf::from(&document.uri));
        let index = root.sources.index(&key)?;
        let name = root.sources.parsed().get(index)?.name.clone();
        let mut text = document.text.clone();
        for _ in 0..FIX_ALL_PASSES {
            let parsed = kubeharden::parse(&Source::new(name.clone(), text.clone()), &config.limits);
            let outcome = root.sources.with_replaced(index, parsed, |sources| lint::lint(sources, &config, linter));
            let findings = outcome.findings.get(&name).cloned().unwrap_or_default();
            let next = apply_fixes(&text, &findings);
            if next == text {
                break;
            }
            text = next;
        }
        (text != document.text).then_some(text)
    }

    fn exempt_action(&mut self, uri: &Uri, finding: &Finding) -> Option<CodeAction> {
        let linted = self.linted.get(uri.as_str())?;
        let parsed = kubeharden::parse(&Source::new("exempt", linted.text.clone()), &kubeharden::Limits::default());
        let at = u32::try_from(self.byte_span(linted, finding).0).ok()?;
        let object = exempt::object_at(&parsed, finding.resource.document, at)?;
        let fixed = exempt::exempted_text(&parsed, object, &finding.rule)?;
        let edits = self.text_edits(linted, &fixed);
        let what = match (&finding.resource.kind, &finding.resource.name) {
            (Some(kind), Some(name)) => format!("{kind} {name}"),
            (Some(kind), None) => kind.clone(),
            _ => "this object".into(),
        };
        Some(CodeAction {
            title: format!("Exempt {what} from {} (kubeharden.io/ignore)", finding.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostics::from_finding(finding, &linted.text, &linted.map, self.encoding)]),
            edit: Some(self.workspace_edit(uri, edits)),
            ..CodeAction::default()
        })
    }

    /// The edits turning the linted text into `new`, by lines.
    fn text_edits(&self, linted: &Linted, new: &str) -> Vec<TextEdit> {
        let text = linted.text.as_str();
        kubeharden::fix::diff::line_edits(text, new)
            .into_iter()
            .map(|(range, new_text)| TextEdit {
                range: Range {
                    start: linted.map.position(text, range.start, self.encoding),
                    end: linted.map.position(text, range.end, self.encoding),
                },
                new_text,
            })
            .collect()
    }

    /// Edits for one document, versioned when the client takes `documentChanges` (so an edit
    /// computed for an older text is refused rather than misapplied).
    fn workspace_edit(&self, uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
        let version = self.documents.get(uri.as_str()).map(|d| d.version);
        if self.caps.document_changes {
            WorkspaceEdit {
                document_changes: Some(lsp_types::DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..WorkspaceEdit::default() }
        }
    }
}

/// Applies the safe and hardening fixes of `findings` that fit together (the core's one
/// pass: a fix touching an earlier one waits for the next pass).
pub fn apply_fixes(text: &str, findings: &[Finding]) -> String {
    kubeharden::fix::apply::apply_findings(text, findings, applicability::FIX_ALL).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_that_touch_wait_for_the_next_pass() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n    securityContext:\n      allowPrivilegeEscalation: true\n";
        let config = kubeharden::Config::default();
        let mut current = text.to_owned();
        let mut passes = 0;
        loop {
            let report = kubeharden::lint_str("p.yaml", &current, &config);
            let next = apply_fixes(&current, &report.findings);
            if next == current {
                break;
            }
            current = next;
            passes += 1;
            assert!(passes < FIX_ALL_PASSES, "fix-all does not converge");
        }
        assert!(passes >= 1);
        let after = kubeharden::lint_str("p.yaml", &current, &config);
        assert!(!after.findings.iter().any(|f| f.rule == "pss-privilege-escalation"), "{current}");
        // Unsafe fixes are left for the user.
        assert!(after.findings.iter().any(|f| f.rule == "pss-run-as-non-root" && f.fix.is_some()), "{current}");
        assert!(
            kubeharden::parse(&Source::new("p.yaml", current.clone()), &kubeharden::Limits::default())
                .issues
                .is_empty()
        );
    }
}
