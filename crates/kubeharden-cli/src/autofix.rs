//! `lint --fix` and `lint --diff`: the core's fix loop over the loaded sources, then the
//! fixed files written in place (or the fixed standard input printed), or a unified diff
//! printed and nothing written.

use std::path::PathBuf;

use kubeharden::fix::{Applicability, FixOptions, diff};
use kubeharden::{Config, ParsedSource, Report, Source};

use crate::files::Input;

/// What the fix run did.
pub struct Fixed {
    /// The sources after fixing, parsed again (the report's positions refer to them).
    pub sources: Vec<ParsedSource>,
    /// What remains.
    pub report: Report,
    /// Fixes applied.
    pub applied: usize,
    /// Sources that changed.
    pub changed: usize,
    /// The unified diff of every changed source (for `--diff`).
    pub diff: String,
    /// The fixed text of standard input, when it was among the sources.
    pub stdin: Option<String>,
    /// Files that could not be written.
    pub errors: Vec<String>,
}

/// Fixes `loaded` (up to `applicability`); writes the changed files when `write`.
pub fn run(
    loaded: &[ParsedSource],
    inputs: &[Input],
    stdin_name: Option<&str>,
    config: &Config,
    applicability: Applicability,
    write: bool,
) -> Fixed {
    let sources: Vec<Source> = loaded.iter().map(|s| Source::new(s.name.clone(), s.text.clone())).collect();
    let outcome = kubeharden::fix::fix(sources, config, FixOptions { applicability, ..FixOptions::default() });
    let mut fixed = Fixed {
        sources: Vec::with_capacity(outcome.sources.len()),
        report: outcome.report,
        applied: outcome.applied.len(),
        changed: outcome.sources.iter().filter(|s| s.changed).count(),
        diff: String::new(),
        stdin: None,
        errors: Vec::new(),
    };
    for (source, before) in outcome.sources.into_iter().zip(loaded) {
        if source.changed {
            fixed.diff.push_str(&diff::unified(&source.name, &before.text, &source.text));
            if stdin_name == Some(source.name.as_str()) {
                fixed.stdin = Some(source.text.clone());
            } else if write {
                match path_of(inputs, &source.name) {
                    Some(path) => {
                        if let Err(e) = std::fs::write(&path, &source.text) {
                            fixed.errors.push(format!("cannot write {}: {}", source.name, crate::io_reason(&e)));
                        }
                    }
                    None => fixed.errors.push(format!("cannot write {}: no file of that name", source.name)),
                }
            }
        } else if stdin_name == Some(source.name.as_str()) {
            fixed.stdin = Some(source.text.clone());
        }
        fixed.sources.push(kubeharden::parse(&Source::new(source.name, source.text), &config.limits));
    }
    fixed
}

fn path_of(inputs: &[Input], name: &str) -> Option<PathBuf> {
    inputs.iter().find_map(|i| match i {
        Input::File { path, name: n, .. } if n == name => Some(path.clone()),
        _ => None,
    })
}

/// The line the summary adds: `applied 12 fixes in 3 files; 5 findings remain (2 have unsafe
/// fixes: --unsafe-fixes)`.
pub fn summary(fixed: &Fixed, applicability: Applicability, wrote: bool) -> String {
    let verb = if wrote { "applied" } else { "would apply" };
    let remain = fixed.report.active().count();
    let mut line = format!(
        "{verb} {} in {}; {} remain",
        crate::render::plural(fixed.applied, "fix", "fixes"),
        crate::render::plural(fixed.changed, "file", "files"),
        crate::render::plural(remain, "finding", "findings"),
    );
    let unsafe_left =
        fixed.report.active().filter(|f| f.fix.as_ref().is_some_and(|x| x.applicability > applicability)).count();
    if unsafe_left > 0 {
        line.push_str(&format!(" ({unsafe_left} with an unsafe fix: add --unsafe-fixes to apply them)"));
    }
    line
}
