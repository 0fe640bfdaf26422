//! OPA evaluates the operands of a negated call before the negation: its compiler moves
//! nested calls out of an expression (`RewriteExprTerms`) and every reference argument of a
//! call or comparison out of it too (`RewriteDynamicTerms`). So `not f(x, input.missing)`,
//! `not input.missing == "a"` and `not count(input.missing) > 0` make the body fail when
//! the operand is undefined; regorus negates the undefined result instead and the rule
//! holds. Hoisting the operands into assignments before `not` gives OPA's meaning:
//!
//! `not f(a.b, input.p)` becomes `__kh_not_0 := a.b; __kh_not_1 := input.p; not f(__kh_not_0, __kh_not_1)`.
//!
//! Only these shapes are rewritten: a call `name(args)`, a call followed by a reference
//! (`f(x).y`: the call is hoisted), and a comparison or membership `lhs OP rhs`. A negated
//! expression with `with` is left alone (the hoisted operands would lose the modifier).

use super::scan::{Kind, Token};

/// Replacements (start, end, text) for every negated expression of the module.
pub(super) fn hoist_negated_operands(src: &str, toks: &[Token]) -> Vec<(usize, usize, String)> {
    let mut edits = Vec::new();
    let mut counter = 0usize;
    for (i, tok) in toks.iter().enumerate() {
        if tok.kind != Kind::Ident || tok.text(src) != "not" {
            continue;
        }
        let end = statement_end(toks, i);
        let Some(expr) = toks.get(i + 1..end) else { continue };
        if expr.is_empty()
            || expr.iter().any(|t| t.kind == Kind::Ident && t.text(src) == "with" && t.depth == tok.depth)
        {
            continue;
        }
        let operands = operands(src, expr, tok.depth);
        let hoisted: Vec<&(usize, usize)> =
            operands.iter().filter(|(a, b)| needs_hoisting(src, toks, *a, *b)).collect();
        if hoisted.is_empty() {
            continue;
        }
        let mut prefix = String::new();
        for &&(a, b) in &hoisted {
            let (Some(first), Some(last)) = (toks.get(a), toks.get(b.saturating_sub(1))) else { continue };
            let name = format!("__kh_not_{counter}");
            counter += 1;
            prefix.push_str(&format!("{name} := {}; ", src.get(first.start..last.end).unwrap_or("")));
            edits.push((first.start, last.end, name));
        }
        edits.push((tok.start, tok.start, prefix));
    }
    edits
}

/// The index of the first token after the statement that starts at `from`: a line break or
/// `;` at the same depth, or a bracket closing around it.
fn statement_end(toks: &[Token], from: usize) -> usize {
    let depth = toks.get(from).map_or(0, |t| t.depth);
    let mut i = from + 1;
    while let Some(t) = toks.get(i) {
        if t.depth < depth || (t.depth == depth && t.after_newline) {
            return i;
        }
        if t.depth == depth && t.kind == Kind::Punct && src_is(t, b';') {
            return i;
        }
        if t.depth == depth && t.kind == Kind::Punct && src_is(t, b'|') {
            return i;
        }
        i += 1;
    }
    i
}

/// Whether a token is the one-byte punctuation `b`.
fn src_is(t: &Token, b: u8) -> bool {
    t.end == t.start + 1 && t.first == b
}

/// Operand token ranges (absolute indexes) of a negated expression, or none for shapes that
/// are not rewritten.
fn operands(src: &str, expr: &[Token], depth: u32) -> Vec<(usize, usize)> {
    let base = expr.first().map_or(0, |t| t.index);
    // A comparison or membership at the top level of the expression.
    let ops: Vec<usize> = expr
        .iter()
        .enumerate()
        .filter(|(_, t)| t.depth == depth && is_comparison(src, expr, t))
        .map(|(k, _)| k)
        .collect();
    if let [k] = ops.as_slice() {
        let op_end = expr.get(*k).map_or(0, |t| t.end);
        let op_len = if expr.get(*k + 1).is_some_and(|n| n.kind == Kind::Punct && src_is(n, b'=') && n.start == op_end)
        {
            2
        } else {
            1
        };
        let lhs = (base, base + k);
        let rhs = (base + k + op_len, base + expr.len());
        return vec![lhs, rhs].into_iter().filter(|(a, b)| a < b).collect();
    }
    if !ops.is_empty() {
        return Vec::new();
    }
    // `name(.name)*(args)` optionally followed by a reference.
    let mut k = 0usize;
    while expr.get(k).is_some_and(|t| t.kind == Kind::Ident)
        && expr.get(k + 1).is_some_and(|t| t.kind == Kind::Punct && src_is(t, b'.') && !t.spaced)
    {
        k += 2;
    }
    let (Some(name), Some(open)) = (expr.get(k), expr.get(k + 1)) else { return Vec::new() };
    if name.kind != Kind::Ident || open.kind != Kind::Open(b'(') || open.spaced {
        return Vec::new();
    }
    let Some(close) =
        expr.iter().skip(k + 2).position(|t| t.depth == depth && t.kind == Kind::Close(b')')).map(|p| p + k + 2)
    else {
        return Vec::new();
    };
    if close + 1 < expr.len() {
        // `f(x).y`: hoist the call itself.
        return vec![(base, base + close + 1)];
    }
    // Split the arguments at the commas directly inside the parentheses.
    let mut out = Vec::new();
    let mut start = k + 2;
    for (j, t) in expr.iter().enumerate().take(close).skip(k + 2) {
        if t.depth == depth + 1 && t.kind == Kind::Punct && src_is(t, b',') {
            out.push((base + start, base + j));
            start = j + 1;
        }
    }
    out.push((base + start, base + close));
    out.into_iter().filter(|(a, b)| a < b).collect()
}

fn is_comparison(src: &str, expr: &[Token], t: &Token) -> bool {
    if t.kind == Kind::Ident {
        return t.text(src) == "in";
    }
    if t.kind != Kind::Punct {
        return false;
    }
    let next_eq = expr.iter().find(|n| n.start == t.end).is_some_and(|n| src_is(n, b'='));
    let prev_is_op = expr
        .iter()
        .find(|p| p.end == t.start)
        .is_some_and(|p| p.kind == Kind::Punct && [b'=', b'!', b'<', b'>', b':'].iter().any(|b| src_is(p, *b)));
    if prev_is_op {
        return false;
    }
    match t.first {
        b'<' | b'>' => true,
        b'=' | b'!' => next_eq,
        _ => false,
    }
}

/// Whether an operand must be evaluated before the negation: anything but a literal and the
/// wildcard (a bare local variable is harmless to hoist; a bare rule name is a reference).
fn needs_hoisting(src: &str, toks: &[Token], a: usize, b: usize) -> bool {
    let Some(range) = toks.get(a..b) else { return false };
    match range {
        [] => false,
        [t] => match t.kind {
            Kind::Number | Kind::String => false,
            Kind::Ident => !matches!(t.text(src), "_" | "true" | "false" | "null"),
            _ => true,
        },
        [minus, n] if n.kind == Kind::Number && src_is(minus, b'-') => false,
        _ => true,
    }
}
