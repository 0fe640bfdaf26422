//! Ignore patterns (`--ignore GLOB`, `ignore:` in the config): a small glob matcher with the
//! gitignore conventions users know.
//!
//! - `*` matches within one path segment, `?` one character, `[abc]`, `[a-z]`, `[!a]` a class,
//!   `{a,b}` alternatives, `**` any number of segments (`**/x`, `a/**`, `a/**/b`).
//! - A pattern without `/` matches a file or folder name at any depth (`vendor`, `*.tmpl.yaml`).
//! - A pattern with `/` is anchored at its base folder (the current folder for `--ignore`, the
//!   configuration file's folder for `ignore:`), and also matches everything under a matching
//!   folder (`deploy/legacy` ignores all of `deploy/legacy/**`).

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Pattern {
    /// As written, for messages.
    pub text: String,
    /// Where it came from (`--ignore` or the config file), for messages.
    pub origin: String,
    base: PathBuf,
    anchored: bool,
    segments: Vec<String>,
}

impl Pattern {
    /// A pattern relative to `base` (an absolute, normalised folder).
    pub fn new(text: &str, base: &Path, origin: &str) -> Result<Pattern, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("empty ignore pattern".into());
        }
        check_brackets(trimmed).map_err(|e| format!("invalid ignore pattern `{text}`: {e}"))?;
        let body = trimmed.trim_end_matches('/');
        let body = body.strip_prefix("./").unwrap_or(body);
        let anchored = body.contains('/');
        let body = body.trim_start_matches('/');
        let segments: Vec<String> = body.split('/').filter(|s| !s.is_empty() && *s != ".").map(str::to_owned).collect();
        if segments.is_empty() {
            return Err(format!("invalid ignore pattern `{text}`: it matches nothing"));
        }
        Ok(Pattern { text: text.to_owned(), origin: origin.to_owned(), base: base.to_owned(), anchored, segments })
    }

    /// Whether the file or folder at `path` (absolute, normalised) is ignored.
    pub fn matches(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.base) else {
            return false;
        };
        let parts: Vec<String> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if parts.is_empty() {
            return false;
        }
        if self.anchored {
            // The path itself or one of its ancestors inside the base.
            (1..=parts.len()).any(|n| parts.get(..n).is_some_and(|prefix| match_segments(&self.segments, prefix)))
        } else {
            let Some(pattern) = self.segments.first() else {
                return false;
            };
            parts.iter().any(|part| match_segment(pattern, part))
        }
    }
}

/// Rejects an unclosed `[` or `{`, which would otherwise silently match nothing.
fn check_brackets(text: &str) -> Result<(), String> {
    let mut chars = text.chars();
    let mut braces = 0i32;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => {
                let rest: String = chars.clone().collect();
                let body = rest.strip_prefix(['!', '^']).unwrap_or(&rest);
                // A `]` right after `[` (or `[!`) is a literal member; the class needs another.
                if !body.chars().skip(1).any(|c| c == ']') {
                    return Err("unclosed `[`".into());
                }
            }
            '{' => braces += 1,
            '}' => braces -= 1,
            _ => {}
        }
    }
    if braces != 0 { Err("unbalanced `{`/`}`".into()) } else { Ok(()) }
}

/// Matches path segments, where a `**` segment matches zero or more segments.
fn match_segments(pattern: &[String], path: &[String]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| path.get(skip..).is_some_and(|p| match_segments(rest, p)))
        }
        Some((first, rest)) => match path.split_first() {
            Some((head, tail)) => match_segment(first, head) && match_segments(rest, tail),
            None => false,
        },
    }
}

/// Matches one segment: `*`, `?`, `[...]`, `{a,b}`, `\x`. `**` inside a segment acts as `*`.
pub fn match_segment(pattern: &str, text: &str) -> bool {
    expand_braces(pattern).iter().any(|p| {
        let p: Vec<char> = p.chars().collect();
        let t: Vec<char> = text.chars().collect();
        match_chars(&p, &t)
    })
}

/// `a{b,c}d` → `abd`, `acd` (nested braces expand too).
fn expand_braces(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0;
    let mut open = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i += 1,
            '{' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some(start) = open
                {
                    let prefix: String = chars.get(..start).unwrap_or_default().iter().collect();
                    let inner: Vec<char> = chars.get(start + 1..i).unwrap_or_default().to_vec();
                    let suffix: String = chars.get(i + 1..).unwrap_or_default().iter().collect();
                    let mut out = Vec::new();
                    for alt in split_alternatives(&inner) {
                        for tail in expand_braces(&format!("{alt}{suffix}")) {
                            out.push(format!("{prefix}{tail}"));
                        }
                    }
                    return out;
                }
            }
            _ => {}
        }
        i += 1;
    }
    vec![pattern.to_owned()]
}

fn split_alternatives(inner: &[char]) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    let mut escaped = false;
    for &c in inner {
        let current = out.last_mut();
        match c {
            _ if escaped => {
                escaped = false;
                if let Some(s) = current {
                    s.push(c);
                }
                continue;
            }
            '\\' => {
                escaped = true;
                if let Some(s) = current {
                    s.push(c);
                }
                continue;
            }
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(s) = out.last_mut() {
            s.push(c);
        }
    }
    out
}

fn match_chars(p: &[char], t: &[char]) -> bool {
    // Iterative matcher with one backtrack point for `*` (linear in practice).
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let Some(&tc) = t.get(ti) else { break };
        match p.get(pi) {
            Some('*') => {
                while p.get(pi) == Some(&'*') {
                    pi += 1;
                }
                star = Some((pi, ti));
                continue;
            }
            Some('?') => {
                pi += 1;
                ti += 1;
                continue;
            }
            Some('[') => {
                if let Some((matched, next)) = match_class(p, pi, tc)
                    && matched
                {
                    pi = next;
                    ti += 1;
                    continue;
                }
            }
            Some('\\') if p.get(pi + 1) == Some(&tc) => {
                pi += 2;
                ti += 1;
                continue;
            }
            Some(&c) if c == tc && c != '\\' => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                pi = sp;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while p.get(pi) == Some(&'*') {
        pi += 1;
    }
    pi == p.len()
}

/// Matches `c` against the class starting at `p[start] == '['`; returns (matched, index after `]`).
fn match_class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = matches!(p.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let &pc = p.get(i)?;
        if pc == ']' && !first {
            return Some((matched != negated, i + 1));
        }
        first = false;
        if p.get(i + 1) == Some(&'-')
            && let Some(&hi) = p.get(i + 2)
            && hi != ']'
        {
            if pc <= c && c <= hi {
                matched = true;
            }
            i += 3;
        } else {
            if pc == c {
                matched = true;
            }
            i += 1;
        }
    }
}

/// `base.join(path)` with `.` and `..` resolved lexically (no file system access, so symlinked
/// folders keep the name the user sees).
pub fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() { path.to_owned() } else { base.join(path) };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> bool {
        Pattern::new(pattern, Path::new("/repo"), "test")
            .unwrap()
            .matches(&absolute(Path::new("/repo"), Path::new(path)))
    }

    #[test]
    fn segments() {
        assert!(match_segment("*.yaml", "a.yaml"));
        assert!(!match_segment("*.yaml", "a.yml"));
        assert!(match_segment("*.{yaml,yml}", "a.yml"));
        assert!(match_segment("a?c", "abc"));
        assert!(match_segment("[a-c]x", "bx"));
        assert!(!match_segment("[!a-c]x", "bx"));
        assert!(match_segment("*test*", "my-test-file.yaml"));
        assert!(match_segment("\\*", "*"));
        assert!(!match_segment("\\*", "a"));
        assert!(match_segment("ウェブ*", "ウェブ.yaml"));
        assert!(match_segment("*a*a*a*a*b", &"a".repeat(40).to_string().replace("aaaa", "aaab")));
        assert!(!match_segment("*a*a*a*a*b", &"a".repeat(60)));
    }

    #[test]
    fn unanchored_patterns_match_any_name() {
        assert!(m("vendor", "x/vendor/y.yaml"));
        assert!(m("*.tmpl.yaml", "deploy/a.tmpl.yaml"));
        assert!(!m("*.tmpl.yaml", "deploy/a.yaml"));
        assert!(m("charts/", "charts/x/templates/a.yaml"));
    }

    #[test]
    fn anchored_patterns_match_from_the_base_and_cover_folders() {
        assert!(m("deploy/legacy", "deploy/legacy/a.yaml"));
        assert!(m("./deploy/legacy/", "deploy/legacy/sub/a.yaml"));
        assert!(!m("deploy/legacy", "other/deploy/legacy/a.yaml"));
        assert!(m("**/legacy", "other/deploy/legacy/a.yaml"));
        assert!(m("deploy/**/*.json", "deploy/a/b/c.json"));
        assert!(m("deploy/**/*.json", "deploy/c.json"));
        assert!(m("/deploy/*.yaml", "deploy/a.yaml"));
        assert!(!m("deploy/*.yaml", "deploy/sub/a.yaml"));
        // Outside the base: never matches.
        assert!(!m("deploy/*.yaml", "../elsewhere/deploy/a.yaml"));
    }

    #[test]
    fn invalid_patterns_are_rejected() {
        assert!(Pattern::new("[abc", Path::new("/"), "t").is_err());
        assert!(Pattern::new("{a,b", Path::new("/"), "t").is_err());
        assert!(Pattern::new("  ", Path::new("/"), "t").is_err());
        assert!(Pattern::new("[]", Path::new("/"), "t").is_err());
        assert!(Pattern::new("[]]", Path::new("/"), "t").is_ok());
        assert!(match_segment("[]]", "]"));
    }

    #[test]
    fn lexical_absolute_paths() {
        assert_eq!(absolute(Path::new("/a/b"), Path::new("../c/./d")), PathBuf::from("/a/c/d"));
        assert_eq!(absolute(Path::new("/a"), Path::new("/x/../y")), PathBuf::from("/y"));
    }
}
