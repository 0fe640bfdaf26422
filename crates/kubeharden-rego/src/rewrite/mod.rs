//! Source-level rewrites that make regorus read a module the way OPA does, where the two
//! disagree on syntax. Each rewrite only inserts text inside a line (never a line break), so
//! line numbers stay those of the original; columns are mapped back through the edits.
//!
//! 1. [`statement_break`]: OPA ends a term at whitespace, so `(` or `[` at the start of a
//!    line begins a new expression; regorus reads it as a call or index of the previous
//!    line's last term. A `;` after that term says what OPA reads.
//! 2. [`extra_bodies`]: a v0 rule may have several bodies (`p { a } { b }`, meaning
//!    `p { a }` and `p { b }`); regorus rejects them. Each extra body gets its own copy of
//!    the head.
//! 3. [`negation`]: the operands of a negated call or comparison are evaluated before the
//!    negation, as OPA's compiler arranges.

mod negation;
mod recursion;
mod scan;

pub(crate) use recursion::recursive_function;

use scan::{Kind, Token, tokens};

use crate::RegoVersion;

/// A module's text as given to regorus, and how to find original offsets in it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Rewritten {
    pub text: String,
    /// (original start, original end, bytes written instead), by offset.
    edits: Vec<(usize, usize, usize)>,
}

impl Rewritten {
    /// The original offset of a byte of the rewritten text (a byte written by a rewrite maps
    /// to the start of what it replaced).
    pub fn original_offset(&self, rewritten: usize) -> usize {
        // `delta` = rewritten offset - original offset, before the current edit.
        let mut delta = 0isize;
        for &(start, end, len) in &self.edits {
            let new_start = (start as isize + delta) as usize;
            if rewritten < new_start {
                break;
            }
            if rewritten < new_start + len {
                return start;
            }
            delta += len as isize - (end - start) as isize;
        }
        (rewritten as isize - delta).max(0) as usize
    }
}

/// Applies every rewrite to `src`.
pub(crate) fn rewrite(src: &str, version: RegoVersion) -> Rewritten {
    let toks = tokens(src);
    let mut edits: Vec<(usize, usize, String)> =
        statement_break(src, &toks).into_iter().map(|(at, s)| (at, at, s)).collect();
    if version == RegoVersion::V0 {
        edits.extend(extra_bodies(src, &toks).into_iter().map(|(at, s)| (at, at, s)));
    }
    edits.extend(negation::hoist_negated_operands(src, &toks));
    // By position; an insertion before a replacement at the same place.
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut text = String::with_capacity(src.len() + edits.iter().map(|(_, _, s)| s.len()).sum::<usize>());
    let mut applied = Vec::with_capacity(edits.len());
    let mut last = 0usize;
    for (start, end, s) in edits {
        if start < last {
            // Overlapping edits cannot come from the rewrites above; skip rather than garble.
            continue;
        }
        text.push_str(src.get(last..start).unwrap_or(""));
        text.push_str(&s);
        applied.push((start, end, s.len()));
        last = end;
    }
    text.push_str(src.get(last..).unwrap_or(""));
    Rewritten { text, edits: applied }
}

/// `;` after a term that ends a line when the next line starts with `(` or `[`.
fn statement_break(src: &str, toks: &[Token]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for pair in toks.windows(2) {
        let [prev, tok] = pair else { continue };
        let opens = matches!(tok.kind, Kind::Open(b'(') | Kind::Open(b'['));
        if opens && tok.after_newline && prev.ends_term(src) && tok.depth > 0 {
            out.push((prev.end, ";".to_string()));
        }
    }
    out
}

/// A copy of the head before each extra body of a v0 rule.
fn extra_bodies(src: &str, toks: &[Token]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // The current top-level statement: where its head starts and ends, whether a body
    // closed, whether it has an `else` (then extra braces are left alone).
    let mut head: Option<(usize, usize)> = None;
    let mut stmt_start = 0usize;
    let mut body_closed = false;
    let mut has_else = false;
    for (i, tok) in toks.iter().enumerate() {
        if tok.depth != 0 {
            continue;
        }
        let text = tok.text(src);
        let is_open_brace = tok.kind == Kind::Open(b'{');
        // A name at the start of a line begins a new statement (a closing brace or an
        // extra body on a new line belongs to the current one, and so does `else`).
        if tok.after_newline && tok.kind == Kind::Ident && text != "else" {
            stmt_start = i;
            head = None;
            body_closed = false;
            has_else = false;
        }
        if text == "else" {
            has_else = true;
        }
        if is_open_brace {
            let prev = i.checked_sub(1).and_then(|p| toks.get(p));
            let prev_ends_term = prev.is_some_and(|p| p.ends_term(src));
            if body_closed && !has_else && prev.is_some_and(|p| p.kind == Kind::Close(b'}')) {
                if let Some((from, to)) = head {
                    out.push((tok.start, format!(" {} ", head_text(src, toks, from, to))));
                }
            } else if head.is_none() && prev_ends_term {
                head = Some((stmt_start, i));
            }
        }
        if tok.kind == Kind::Close(b'}') && head.is_some() {
            body_closed = true;
        }
    }
    out
}

/// regorus' parser takes time exponential in how deeply array and object brackets nest
/// (about four times longer per level). The cost of a module, as the sum of 4^depth over
/// its opening brackets, is bounded so that parsing stays within milliseconds; the offset of
/// the bracket that goes past the bound is returned.
pub(crate) fn too_deeply_nested(src: &str) -> Option<usize> {
    const LIMIT: u64 = 1 << 24;
    let mut depth = 0u32;
    let mut cost = 0u64;
    for t in tokens(src) {
        match t.kind {
            Kind::Open(b'[' | b'{') => {
                depth += 1;
                cost = cost.saturating_add(4u64.saturating_pow(depth));
                if cost > LIMIT {
                    return Some(t.start);
                }
            }
            Kind::Close(b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The package path and the names of the top-level rules of a module, in order (a rule with
/// several definitions once per definition), as conftest counts them.
pub(crate) fn outline(src: &str) -> (String, Vec<String>) {
    let toks = tokens(src);
    let mut package = String::new();
    let mut rules = Vec::new();
    let mut i = 0usize;
    while let Some(tok) = toks.get(i) {
        let first = i == 0 || tok.after_newline;
        if tok.depth == 0 && first && tok.kind == Kind::Ident {
            match tok.text(src) {
                "package" => {
                    let mut j = i + 1;
                    while let Some(t) = toks.get(j).filter(|t| !t.after_newline) {
                        package.push_str(t.text(src));
                        j += 1;
                    }
                }
                "import" | "else" => {}
                "default" => {
                    if let Some(name) = toks.get(i + 1).filter(|t| t.kind == Kind::Ident) {
                        rules.push(name.text(src).to_string());
                    }
                }
                name => rules.push(name.to_string()),
            }
        }
        i += 1;
    }
    (package, rules)
}

/// The tokens of a head on one line: comments dropped, whitespace kept where there was some
/// (OPA's meaning depends on adjacency, `f(x)` against `f (x)`).
fn head_text(src: &str, toks: &[Token], from: usize, to: usize) -> String {
    let mut s = String::new();
    for (n, t) in toks.get(from..to).unwrap_or(&[]).iter().enumerate() {
        if n > 0 && t.spaced {
            s.push(' ');
        }
        s.push_str(t.text(src));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paren_on_a_new_line_starts_a_statement() {
        let src = "p {\n  x := input.a\n  (x + 1) > 2\n}";
        let r = rewrite(src, RegoVersion::V0);
        assert_eq!(r.text, "p {\n  x := input.a;\n  (x + 1) > 2\n}");
        // A call on one line is left alone, and so is a top-level `[`.
        assert_eq!(rewrite("p { f(x) }", RegoVersion::V0).text, "p { f(x) }");
    }

    #[test]
    fn extra_bodies_get_the_head() {
        let src = "violation[{\"msg\": m}] {\n  m := \"a\"\n} {\n  m := \"b\"\n}\nq { true }";
        let r = rewrite(src, RegoVersion::V0);
        assert_eq!(
            r.text,
            "violation[{\"msg\": m}] {\n  m := \"a\"\n}  violation[{\"msg\": m}] {\n  m := \"b\"\n}\nq { true }"
        );
        // Not for an object-valued head followed by its first body, nor in v1.
        assert_eq!(rewrite("p = {\"a\": 1} { true }", RegoVersion::V0).text, "p = {\"a\": 1} { true }");
        assert_eq!(rewrite(src, RegoVersion::V1).text, src);
    }

    #[test]
    fn outline_names_package_and_rules() {
        let src = "package main.k8s\nimport rego.v1\n\ndeny contains msg if {\n  msg := \"x\"\n}\ndefault warn_a := false\nwarn_a if { true }\n";
        let (package, rules) = outline(src);
        assert_eq!(package, "main.k8s");
        assert_eq!(rules, vec!["deny", "warn_a", "warn_a"]);
    }

    #[test]
    fn negated_operands_are_evaluated_first() {
        let r = |s: &str| rewrite(s, RegoVersion::V0).text;
        assert_eq!(
            r("p {\n  not f(c.image, input.parameters.allowed)\n}"),
            "p {\n  __kh_not_0 := c.image; __kh_not_1 := input.parameters.allowed; not f(__kh_not_0, __kh_not_1)\n}"
        );
        assert_eq!(r("p { not input.a == \"x\" }"), "p { __kh_not_0 := input.a; not __kh_not_0 == \"x\" }");
        assert_eq!(r("p { not count(input.a) > 0 }"), "p { __kh_not_0 := count(input.a); not __kh_not_0 > 0 }");
        assert_eq!(r("p { not f(input.a).y }"), "p { __kh_not_0 := f(input.a); not __kh_not_0.y }");
        // Literals stay; plain references and `with` are left alone.
        assert_eq!(r("p { not f(\"a\", 1) }"), "p { not f(\"a\", 1) }");
        assert_eq!(r("p { not input.a.b }"), "p { not input.a.b }");
        assert_eq!(r("p { not f(input.a) with input as {} }"), "p { not f(input.a) with input as {} }");
    }

    #[test]
    fn offsets_map_back() {
        let src = "p {\n  x := input.a\n  (x)\n}";
        let r = rewrite(src, RegoVersion::V0);
        let paren = r.text.find('(').unwrap_or(0);
        assert_eq!(r.original_offset(paren), src.find('(').unwrap_or(0));
        let semi = r.text.find(';').unwrap_or(0);
        assert_eq!(r.original_offset(semi), src.find("\n  (").unwrap_or(0));
    }
}
