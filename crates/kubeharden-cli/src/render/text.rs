//! The terminal report, in the style of rustc and Biome:
//!
//! ```text
//! deploy/web.yaml:31:21: error[pss-privileged]: privileged: container "app" must not set …
//!    |
//! 31 |         privileged: true
//!    |                     ^^^^
//!    = help: set securityContext.privileged to false, or remove it
//!    = in Deployment shop/web at spec.template.spec.containers[0].securityContext.privileged
//! ```
//!
//! Positions in the report count UTF-16 code units; the caret is placed by display width
//! (tabs, wide CJK characters and emoji, zero-width marks), from the text itself.

use std::collections::HashMap;
use std::fmt::Write as _;

use kubeharden::report::Finding;
use kubeharden::{ParsedSource, Report, Severity};
use unicode_width::UnicodeWidthChar;

use super::{RunInfo, object, plural, sanitize};

/// Tab stops in the shown source line.
const TAB: usize = 4;
/// Longest source line shown, in columns; longer lines are cut around the span.
const MAX_WIDTH: usize = 120;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub color: bool,
    /// Only findings at or above this severity (`--quiet`).
    pub min: Option<Severity>,
    /// Also list suppressed findings (`--show-suppressed`).
    pub suppressed: bool,
    /// Print the summary line.
    pub summary: bool,
}

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }
    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn gutter(self, text: &str) -> String {
        self.wrap("1;34", text)
    }
    fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
    fn severity(self, severity: Severity, text: &str) -> String {
        self.wrap(severity_code(severity), text)
    }
}

fn severity_code(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

pub fn render(report: &Report, sources: &[ParsedSource], run: &RunInfo, options: Options) -> String {
    let paint = Paint { on: options.color };
    let by_name: HashMap<&str, &ParsedSource> = sources.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut out = String::new();
    for f in &report.findings {
        let counted = f.suppressed.is_none();
        if !(counted || options.suppressed) || options.min.is_some_and(|m| f.severity < m) {
            continue;
        }
        finding(&mut out, f, by_name.get(f.resource.source.as_str()).copied(), paint);
    }
    if options.summary {
        out.push_str(&by_rule(report, paint));
        out.push_str(&summary(report, run, paint));
        out.push('\n');
    }
    out
}

/// Findings with at least this many counted findings get a per-rule breakdown before the
/// summary, to see at a glance where a large report comes from.
const BREAKDOWN_FROM: usize = 10;

fn by_rule(report: &Report, paint: Paint) -> String {
    let mut counts: Vec<(Severity, &str, usize)> = Vec::new();
    for f in report.active() {
        match counts.iter_mut().find(|(s, r, _)| *s == f.severity && *r == f.rule) {
            Some(entry) => entry.2 += 1,
            None => counts.push((f.severity, f.rule.as_str(), 1)),
        }
    }
    let total: usize = counts.iter().map(|c| c.2).sum();
    if total < BREAKDOWN_FROM || counts.len() < 2 {
        return String::new();
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(b.2.cmp(&a.2)).then(a.1.cmp(b.1)));
    let width = counts.iter().map(|c| c.2.to_string().len()).max().unwrap_or(1);
    let mut out = format!("{}\n", paint.bold("By rule (`kubeharden explain RULE` explains one):"));
    for (severity, rule, n) in counts {
        let _ =
            writeln!(out, "  {n:>width$}  {}  {rule}", paint.severity(severity, &format!("{:7}", severity.as_str())));
    }
    out.push('\n');
    out
}

fn finding(out: &mut String, f: &Finding, source: Option<&ParsedSource>, paint: Paint) {
    let start = f.span.start;
    let location = format!("{}:{}:{}", sanitize(&f.resource.source), start.line, start.column);
    let label = format!("{}[{}]", f.severity.as_str(), f.rule);
    let _ = writeln!(
        out,
        "{}: {}: {}",
        paint.bold(&location),
        paint.severity(f.severity, &label),
        paint.bold(&sanitize(&f.message))
    );
    let snippet = source.and_then(|s| Snippet::new(s, f));
    let width = snippet.as_ref().map_or(1, |s| s.line.to_string().len());
    let pad = " ".repeat(width);
    let bar = paint.gutter("|");
    if let Some(s) = &snippet {
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(out, "{} {bar} {}", paint.gutter(&s.line.to_string()), s.text.trim_end());
        let carets = "^".repeat(s.caret_len);
        let _ = writeln!(out, "{pad} {bar} {}{}", " ".repeat(s.caret_start), paint.severity(f.severity, &carets));
    }
    let eq = paint.gutter("=");
    if !f.help.is_empty() {
        let _ = writeln!(out, "{pad} {eq} {}: {}", paint.bold("help"), sanitize(&f.help));
    }
    let object = object(f);
    let place = match (object.is_empty(), f.path.is_empty()) {
        (false, false) => format!("in {} at {}", sanitize(&object), sanitize(&f.path)),
        (false, true) => format!("in {}", sanitize(&object)),
        (true, false) => format!("at {}", sanitize(&f.path)),
        (true, true) => String::new(),
    };
    if !place.is_empty() {
        let _ = writeln!(out, "{pad} {eq} {}", paint.dim(&place));
    }
    if let Some(s) = &f.suppressed {
        let mut text = format!("suppressed ({})", s.kind);
        if let Some(reason) = &s.reason {
            let _ = write!(text, ": {}", sanitize(reason));
        }
        if let Some(until) = &s.until {
            let _ = write!(text, " until {}", sanitize(until));
        }
        let _ = writeln!(out, "{pad} {eq} {}", paint.dim(&text));
    }
    out.push('\n');
}

/// The summary line without colour (for the `github` format's log).
pub fn summary_line(report: &Report, run: &RunInfo) -> String {
    summary(report, run, Paint { on: false })
}

fn summary(report: &Report, run: &RunInfo, paint: Paint) -> String {
    let s = &report.summary;
    let problems = s.error + s.warning + s.info;
    let mut parts = Vec::new();
    let scope = format!("{}, {}", plural(s.sources, "file", "files"), plural(s.resources, "object", "objects"));
    let fails = super::fails(report, run.fail_on);
    if problems == 0 {
        parts.push(format!("{} No problems in {scope}", paint.wrap("1;32", "✔")));
    } else {
        let mut counts = Vec::new();
        for (n, one, many, severity) in [
            (s.error, "error", "errors", Severity::Error),
            (s.warning, "warning", "warnings", Severity::Warning),
            (s.info, "info", "info", Severity::Info),
        ] {
            if n > 0 {
                counts.push(paint.severity(severity, &plural(n, one, many)));
            }
        }
        let mark = if fails { paint.wrap("1;31", "✖") } else { paint.wrap("1;33", "!") };
        parts.push(format!(
            "{mark} {} ({}) in {scope}",
            paint.bold(&plural(problems, "problem", "problems")),
            counts.join(", ")
        ));
    }
    if s.suppressed > 0 {
        parts.push(format!("{} suppressed", s.suppressed));
    }
    parts.push(format!("profile {}, Kubernetes {}", report.config.profile, report.config.kubernetes_version));
    if let Some(config) = &run.config {
        parts.push(format!("config {}", sanitize(config)));
    }
    if problems > 0 && !fails {
        parts.push(match run.fail_on {
            Some(level) => format!("none at or above --fail-on {}", level.as_str()),
            None => "--fail-on never".to_owned(),
        });
    }
    if run.unreadable > 0 {
        parts.push(paint.wrap("1;31", &format!("{} not read (see above)", plural(run.unreadable, "file", "files"))));
    }
    parts.join(" · ")
}

/// The source line of a finding, ready to print, with the caret's place in display columns.
#[derive(Debug, PartialEq, Eq)]
pub struct Snippet {
    pub line: u32,
    pub text: String,
    pub caret_start: usize,
    pub caret_len: usize,
}

impl Snippet {
    fn new(source: &ParsedSource, f: &Finding) -> Option<Snippet> {
        let line = f.span.start.line.max(1);
        let start = source.lines.line_start(line) as usize;
        let end = source.lines.line_start(line + 1) as usize;
        let raw = source.text.get(start..end.max(start))?;
        let raw = raw.trim_end_matches(['\n', '\r']);
        let end_column = (f.span.end.line == line).then_some(f.span.end.column);
        Some(Self::from_line(line, raw, f.span.start.column, end_column))
    }

    /// Lays out `text` (one line, no line break) and places the caret under the UTF-16 columns
    /// `[start, end)` (1-based; `end` `None`: to the end of the line).
    pub fn from_line(line: u32, text: &str, start: u32, end: Option<u32>) -> Snippet {
        let start_unit = start.saturating_sub(1) as usize;
        let end_unit = end.map(|e| e.saturating_sub(1) as usize);
        // Rendered pieces: (text, display width, UTF-16 offset where the character starts).
        let mut pieces: Vec<(String, usize, usize)> = Vec::with_capacity(text.len());
        let mut unit = 0usize;
        let mut column = 0usize;
        for c in text.chars() {
            let (shown, width) = if c == '\t' {
                let w = TAB - column % TAB;
                (" ".repeat(w), w)
            } else if super::is_unsafe(c) {
                let e = super::escape(c);
                let w = e.len();
                (e, w)
            } else {
                (c.to_string(), c.width().unwrap_or(0))
            };
            pieces.push((shown, width, unit));
            unit += c.len_utf16();
            column += width;
        }
        let total = column;
        // Display column of a UTF-16 offset (the start of the character containing it).
        let at = |target: usize| -> usize {
            let mut col = 0;
            for (_, width, u) in &pieces {
                if *u >= target {
                    return col;
                }
                col += width;
            }
            col
        };
        let caret_start = at(start_unit);
        let caret_end = end_unit.map_or(total, at).max(caret_start);
        let mut caret_len = (caret_end - caret_start).max(1);

        // A long line (minified JSON) is cut to a window around the caret.
        if total <= MAX_WIDTH {
            let text = pieces.into_iter().map(|(s, _, _)| s).collect();
            return Snippet { line, text, caret_start, caret_len };
        }
        // Some context before the caret, and as much of the line as fits.
        let window_start = caret_start.saturating_sub(MAX_WIDTH / 4).min(total.saturating_sub(MAX_WIDTH));
        let window_end = window_start + MAX_WIDTH;
        let mut shown = String::new();
        let mut col = 0;
        let mut first = None;
        for (s, width, _) in &pieces {
            if col >= window_start && col + width <= window_end {
                first.get_or_insert(col);
                shown.push_str(s);
            }
            col += width;
        }
        let first = first.unwrap_or(window_start);
        let mut text = String::new();
        let mut offset = 0;
        if first > 0 {
            text.push('…');
            offset = 1;
        }
        text.push_str(&shown);
        if window_end < total {
            text.push('…');
        }
        let caret_start = caret_start.saturating_sub(first) + offset;
        caret_len = caret_len.min((window_end - first + offset).saturating_sub(caret_start)).max(1);
        Snippet { line, text, caret_start, caret_len }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caret(text: &str, start: u32, end: Option<u32>) -> (String, String) {
        let s = Snippet::from_line(1, text, start, end);
        (s.text, format!("{}{}", " ".repeat(s.caret_start), "^".repeat(s.caret_len)))
    }

    #[test]
    fn ascii() {
        let (line, c) = caret("    privileged: true", 17, Some(21));
        assert_eq!(line, "    privileged: true");
        assert_eq!(c, "                ^^^^");
    }

    #[test]
    fn tabs_expand_to_tab_stops() {
        // "a\tb: x": the tab after "a" reaches column 4.
        let (line, c) = caret("a\tb: x", 6, Some(7));
        assert_eq!(line, "a   b: x");
        assert_eq!(c, "       ^");
    }

    #[test]
    fn wide_characters_and_surrogate_pairs() {
        // "名前" is 2 UTF-16 units but 4 columns; "😀" is 2 units and 2 columns.
        let text = "- {name: 名前😀, privileged: true}";
        let unit = |needle: &str| text[..text.find(needle).unwrap()].encode_utf16().count() as u32 + 1;
        let (line, c) = caret(text, unit("true"), Some(unit("true") + 4));
        assert_eq!(line, text);
        let expected_col = "- {name: ".len() + 4 + 2 + ", privileged: ".len();
        assert_eq!(c, format!("{}^^^^", " ".repeat(expected_col)));
    }

    #[test]
    fn combining_marks_take_no_column() {
        let text = "e\u{301}: x";
        let (_, c) = caret(text, 5, Some(6));
        assert_eq!(c, "   ^");
    }

    #[test]
    fn control_characters_are_shown_escaped_and_counted() {
        let (line, c) = caret("a\u{1b}b: x", 6, Some(7));
        assert_eq!(line, "a\\u{1b}b: x");
        assert_eq!(c, "          ^");
    }

    #[test]
    fn empty_and_multi_line_spans() {
        let (_, c) = caret("spec:", 1, Some(1));
        assert_eq!(c, "^");
        let (_, c) = caret("spec:", 1, None);
        assert_eq!(c, "^^^^^");
        // A span starting after the end of the line (at the line break).
        let (_, c) = caret("ab", 3, None);
        assert_eq!(c, "  ^");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!("{{\"a\": \"{}\", \"privileged\": true, \"b\": \"{}\"}}", "x".repeat(300), "y".repeat(300));
        let at = text.find("true").unwrap() as u32 + 1;
        let s = Snippet::from_line(1, &text, at, Some(at + 4));
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        assert!(s.text.chars().count() <= MAX_WIDTH + 2);
        let under: String = s.text.chars().skip(s.caret_start).take(s.caret_len).collect();
        assert_eq!(under, "true");
    }
}
