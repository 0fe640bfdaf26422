//! Fixing a set of sources: lint, apply the fixes of the findings (up to the applicability
//! asked for, in report order, composed into one non-overlapping plan per source), lint again,
//! and repeat until nothing changes or a bound on passes is reached. A pass that makes a
//! source worse (more syntax, duplicate-key or invalid-resource findings) is undone for that
//! source, so a fix never corrupts a file. The CLI's `--fix`, the npm `fix()` and the tests
//! all go through [`fix`].

use serde::Serialize;

use super::Applicability;
use super::apply::apply_findings;
use crate::report::Report;
use crate::{Config, Source};

/// What to apply.
#[derive(Clone, Copy, Debug)]
pub struct FixOptions {
    /// Fixes up to this applicability are applied (`--fix`: hardening; `--unsafe-fixes`: unsafe).
    pub applicability: Applicability,
    /// At most this many lint-and-fix passes (fixes that wait for another's edits need one more).
    pub max_passes: usize,
}

impl Default for FixOptions {
    fn default() -> Self {
        FixOptions { applicability: Applicability::Hardening, max_passes: 12 }
    }
}

/// A source after fixing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FixedSource {
    pub name: String,
    pub text: String,
    pub changed: bool,
}

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppliedFix {
    pub rule: String,
    pub description: String,
    pub applicability: Applicability,
    pub source: String,
    /// 1-based line of the finding, in the text the fix was applied to.
    pub line: u32,
    /// The finding's field path, such as `spec.containers[0].securityContext.runAsNonRoot`.
    pub path: String,
}

/// The fixed sources, the fixes applied and the report of what remains.
#[derive(Clone, Debug, Serialize)]
pub struct FixOutcome {
    pub sources: Vec<FixedSource>,
    pub applied: Vec<AppliedFix>,
    pub report: Report,
    /// Lint passes run (the last one found nothing more to apply, unless the bound was hit).
    pub passes: usize,
}

/// The findings that make a text worse when a fix adds them.
const STRUCTURAL: [&str; 3] = ["invalid-yaml", "duplicate-key", "invalid-resource"];

/// Fixes `sources` together (cross-resource rules see all of them, as in [`crate::lint`]).
pub fn fix(sources: Vec<Source>, config: &Config, options: FixOptions) -> FixOutcome {
    let originals: Vec<String> = sources.iter().map(|s| s.text.clone()).collect();
    let mut current = sources;
    let mut frozen = vec![false; current.len()];
    let mut applied: Vec<Vec<Vec<AppliedFix>>> = vec![Vec::new(); current.len()];
    let mut report = crate::lint(&current, config);
    let mut passes = 1;
    while passes <= options.max_passes {
        let mut previous: Vec<Option<String>> = vec![None; current.len()];
        for (i, source) in current.iter_mut().enumerate() {
            if frozen.get(i) == Some(&true) {
                continue;
            }
            let findings = report.active().filter(|f| f.resource.source == source.name);
            let (text, done) = apply_findings(&source.text, findings, options.applicability);
            if text == source.text {
                continue;
            }
            let done = done
                .into_iter()
                .filter_map(|f| {
                    let fix = f.fix.as_ref()?;
                    Some(AppliedFix {
                        rule: f.rule.clone(),
                        description: fix.description.clone(),
                        applicability: fix.applicability,
                        source: source.name.clone(),
                        line: f.span.start.line,
                        path: f.path.clone(),
                    })
                })
                .collect();
            if let Some(slot) = previous.get_mut(i) {
                *slot = Some(std::mem::replace(&mut source.text, text));
            }
            if let Some(list) = applied.get_mut(i) {
                list.push(done);
            }
        }
        if previous.iter().all(Option::is_none) {
            break;
        }
        let next = crate::lint(&current, config);
        // Undo, source by source, a pass that made the text worse, and stop fixing that source.
        let mut undone = false;
        for (i, before) in previous.iter().enumerate() {
            let Some(before_text) = before else { continue };
            let Some(name) = current.get(i).map(|s| s.name.clone()) else { continue };
            if structural(&next, &name) > structural(&report, &name) {
                if let Some(source) = current.get_mut(i) {
                    source.text = before_text.clone();
                }
                if let Some(list) = applied.get_mut(i) {
                    list.pop();
                }
                if let Some(f) = frozen.get_mut(i) {
                    *f = true;
                }
                undone = true;
            }
        }
        report = if undone { crate::lint(&current, config) } else { next };
        passes += 1;
    }
    let sources = current
        .into_iter()
        .zip(originals)
        .map(|(s, original)| FixedSource { changed: s.text != original, name: s.name, text: s.text })
        .collect();
    FixOutcome { sources, applied: applied.into_iter().flatten().flatten().collect(), report, passes }
}

/// Fixes one text.
pub fn fix_str(name: &str, text: &str, config: &Config, options: FixOptions) -> FixOutcome {
    fix(vec![Source::new(name, text)], config, options)
}

fn structural(report: &Report, source: &str) -> usize {
    report.active().filter(|f| f.resource.source == source && STRUCTURAL.contains(&f.rule.as_str())).count()
}
