//! OPA rejects recursive rules and functions at compile time; regorus finds recursive
//! rules while evaluating but recurses on a recursive function until the stack overflows.
//! This finds cycles of function calls across the modules of one policy from their tokens:
//! a function is a top-level rule whose name is directly followed by `(`; a call is a
//! function's name (bare within its package, or `data.<package>.<name>`, or through an
//! imported package alias) directly followed by `(`.

use std::collections::BTreeMap;

use super::outline;
use super::scan::{Kind, Token, tokens};

/// A call that closes a cycle: (module index, byte offset, `f -> g -> f`).
pub(crate) fn recursive_function(modules: &[&str]) -> Option<(usize, usize, String)> {
    // Function "package.name" -> calls (callee, module, offset).
    let mut calls: BTreeMap<String, Vec<(String, usize, usize)>> = BTreeMap::new();
    let mut functions: Vec<String> = Vec::new();
    let parsed: Vec<(String, Vec<Token>)> = modules.iter().map(|m| (outline(m).0, tokens(m))).collect();
    for ((package, toks), src) in parsed.iter().zip(modules) {
        for pair in toks.windows(2) {
            if let [name, open] = pair
                && name.depth == 0
                && name.kind == Kind::Ident
                && (name.after_newline || name.index == 0)
                && open.kind == Kind::Open(b'(')
                && !open.spaced
            {
                functions.push(format!("{package}.{}", name.text(src)));
            }
        }
    }
    for (index, ((package, toks), src)) in parsed.iter().zip(modules).enumerate() {
        let aliases = import_aliases(src, toks);
        let mut current: Option<String> = None;
        for (i, tok) in toks.iter().enumerate() {
            if tok.depth == 0 && tok.kind == Kind::Ident && (tok.after_newline || i == 0) {
                let name = format!("{package}.{}", tok.text(src));
                current = functions.contains(&name).then_some(name);
                continue;
            }
            let Some(caller) = &current else { continue };
            // Calls sit in bodies, or at depth 0 in a one-line value (`f(n) := f(n + 1)`).
            if tok.kind != Kind::Ident {
                continue;
            }
            let next_is_call = toks.get(i + 1).is_some_and(|n| n.kind == Kind::Open(b'(') && !n.spaced);
            let after_dot =
                i > 0 && toks.get(i - 1).is_some_and(|p| p.kind == Kind::Punct && p.first == b'.' && !tok.spaced);
            if !next_is_call {
                continue;
            }
            let callee = if after_dot {
                qualified(src, toks, i, &aliases)
            } else {
                Some(format!("{package}.{}", tok.text(src)))
            };
            if let Some(callee) = callee.filter(|c| functions.contains(c)) {
                calls.entry(caller.clone()).or_default().push((callee, index, tok.start));
            }
        }
    }
    for start in &functions {
        let mut path = vec![start.clone()];
        if let Some(found) = cycle(&calls, start, &mut path) {
            return Some(found);
        }
    }
    None
}

fn cycle(
    calls: &BTreeMap<String, Vec<(String, usize, usize)>>,
    start: &str,
    path: &mut Vec<String>,
) -> Option<(usize, usize, String)> {
    let last = path.last().cloned().unwrap_or_default();
    for (callee, module, offset) in calls.get(&last).into_iter().flatten() {
        if callee == start {
            let mut names = path.clone();
            names.push(callee.clone());
            return Some((*module, *offset, names.join(" -> ")));
        }
        if path.contains(callee) || path.len() > 64 {
            continue;
        }
        path.push(callee.clone());
        if let Some(found) = cycle(calls, start, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}

/// `import data.a.b` (alias `b`) and `import data.a.b as c`: alias -> package `a.b`.
fn import_aliases(src: &str, toks: &[Token]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (i, t) in toks.iter().enumerate() {
        if !(t.depth == 0 && t.text(src) == "import" && (t.after_newline || i == 0)) {
            continue;
        }
        let line: Vec<&Token> = toks.iter().skip(i + 1).take_while(|x| !x.after_newline).collect();
        let parts: Vec<&str> = line.iter().map(|x| x.text(src)).collect();
        let text = parts.concat();
        let (path, alias) = match text.split_once("as") {
            Some((p, a)) if parts.contains(&"as") => (p.to_string(), Some(a.to_string())),
            _ => (text.clone(), None),
        };
        if let Some(pkg) = path.strip_prefix("data.") {
            let alias = alias.unwrap_or_else(|| pkg.rsplit('.').next().unwrap_or(pkg).to_string());
            out.insert(alias, pkg.to_string());
        }
    }
    out
}

/// The function named by `a.b.c(` ending at token `i`: `data.<pkg>.<name>` or `<alias>.<name>`.
fn qualified(src: &str, toks: &[Token], i: usize, aliases: &BTreeMap<String, String>) -> Option<String> {
    let mut parts = vec![toks.get(i)?.text(src)];
    let mut j = i;
    while j >= 2
        && toks.get(j - 1).is_some_and(|d| d.first == b'.' && d.kind == Kind::Punct)
        && toks.get(j - 2).is_some_and(|n| n.kind == Kind::Ident)
    {
        parts.push(toks.get(j - 2)?.text(src));
        j -= 2;
    }
    parts.reverse();
    let (head, rest) = parts.split_first()?;
    if *head == "data" {
        return Some(rest.join("."));
    }
    let pkg = aliases.get(*head)?;
    Some(format!("{pkg}.{}", rest.join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_function_cycles() {
        let m = "package k\nf(x) = y {\n  y := g(x)\n}\ng(x) = y {\n  y := f(x)\n}\n";
        assert_eq!(recursive_function(&[m]).map(|c| c.2), Some("k.f -> k.g -> k.f".into()));
        let lib = "package lib.h\nh(x) = y {\n  y := data.k.f(x)\n}\n";
        let m2 = "package k\nimport data.lib.h\nf(x) = y {\n  y := h.h(x)\n}\n";
        assert!(recursive_function(&[m2, lib]).is_some());
        // A one-line function whose value calls itself.
        let one_line = "package main\n\nf(n) := f(n + 1)\n";
        assert_eq!(recursive_function(&[one_line]).map(|c| c.2), Some("main.f -> main.f".into()));
        assert!(recursive_function(&["package k\nf(x) = y {\n  y := x\n}\ng(x) { f(x) }\n"]).is_none());
    }
}
