//! `glob.match(pattern, delimiters, match)` and `glob.quote_meta` as OPA has them (the
//! gobwas/glob syntax): `*` any run of characters but the delimiters, `**` any run at all,
//! `?` one character but a delimiter, `[abc]` `[a-z]` `[!a-z]` one character of (or not of) a
//! set, `{a,b}` one of the alternatives, `\` escapes. Delimiters: an empty list means `.`,
//! `null` means none. Matching is memoised, so it is polynomial whatever the pattern.

use std::collections::HashSet;

use regorus::Value;

use super::add;

pub(super) fn register(engine: &mut regorus::Engine) {
    add(engine, "glob.match", 3, glob_match);
    add(engine, "glob.quote_meta", 1, quote_meta);
}

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Char(char),
    Any,
    Super,
    Single,
    Class { negated: bool, ranges: Vec<(char, char)> },
    Alt(Vec<Vec<Item>>),
}

fn glob_match(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(Value::String(pattern)), Some(delims), Some(Value::String(text))) =
        (args.first(), args.get(1), args.get(2))
    else {
        return Ok(Value::Undefined);
    };
    let delimiters: Vec<char> = match delims {
        Value::Null => Vec::new(),
        Value::Array(a) => {
            let mut d = Vec::new();
            for v in a.iter() {
                let Value::String(s) = v else { return Ok(Value::Undefined) };
                d.extend(s.chars().next());
            }
            if d.is_empty() { vec!['.'] } else { d }
        }
        _ => return Ok(Value::Undefined),
    };
    let Some(items) = parse(&mut pattern.chars().collect::<Vec<_>>().as_slice(), false) else {
        return Err(anyhow::anyhow!("glob.match: invalid pattern {pattern:?}"));
    };
    let text: Vec<char> = text.chars().collect();
    Ok(Value::from(Matcher::new(&delimiters, &text).matches(&items, 0, &[])))
}

/// Parses items until the end (or, inside braces, until `,` or `}`, left unconsumed).
fn parse(input: &mut &[char], in_braces: bool) -> Option<Vec<Item>> {
    let mut out = Vec::new();
    while let Some((&c, rest)) = input.split_first() {
        match c {
            ',' | '}' if in_braces => return Some(out),
            '*' => {
                *input = rest;
                if input.first() == Some(&'*') {
                    *input = input.get(1..).unwrap_or(&[]);
                    out.push(Item::Super);
                } else {
                    out.push(Item::Any);
                }
            }
            '?' => {
                *input = rest;
                out.push(Item::Single);
            }
            '\\' => {
                let (&e, rest) = rest.split_first()?;
                *input = rest;
                out.push(Item::Char(e));
            }
            '[' => {
                *input = rest;
                out.push(class(input)?);
            }
            '{' => {
                *input = rest;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse(input, true)?);
                    let (&sep, rest) = input.split_first()?;
                    *input = rest;
                    if sep == '}' {
                        break;
                    }
                }
                out.push(Item::Alt(alts));
            }
            c => {
                *input = rest;
                out.push(Item::Char(c));
            }
        }
    }
    if in_braces { None } else { Some(out) }
}

fn class(input: &mut &[char]) -> Option<Item> {
    let mut negated = false;
    if input.first() == Some(&'!') {
        negated = true;
        *input = input.get(1..)?;
    }
    let mut ranges = Vec::new();
    loop {
        let (&c, rest) = input.split_first()?;
        *input = rest;
        if c == ']' {
            break;
        }
        let c = if c == '\\' {
            let (&e, rest) = input.split_first()?;
            *input = rest;
            e
        } else {
            c
        };
        if input.first() == Some(&'-') && input.get(1).is_some_and(|&h| h != ']') {
            let hi = *input.get(1)?;
            *input = input.get(2..)?;
            ranges.push((c, hi));
        } else {
            ranges.push((c, c));
        }
    }
    Some(Item::Class { negated, ranges })
}

struct Matcher<'a> {
    delimiters: &'a [char],
    text: &'a [char],
    failed: HashSet<(usize, usize, usize)>,
}

impl<'a> Matcher<'a> {
    fn new(delimiters: &'a [char], text: &'a [char]) -> Self {
        Matcher { delimiters, text, failed: HashSet::new() }
    }

    /// Whether `items` followed by the continuation `then` (a stack of item lists) match
    /// `text[pos..]`.
    fn matches(&mut self, items: &[Item], pos: usize, then: &[&[Item]]) -> bool {
        let key = (items.as_ptr() as usize, items.len(), pos * 64 + then.len().min(63));
        if self.failed.contains(&key) {
            return false;
        }
        let ok = self.step(items, pos, then);
        if !ok {
            self.failed.insert(key);
        }
        ok
    }

    fn step(&mut self, items: &[Item], pos: usize, then: &[&[Item]]) -> bool {
        let Some((item, rest)) = items.split_first() else {
            return match then.split_last() {
                Some((next, outer)) => self.matches(next, pos, outer),
                None => pos == self.text.len(),
            };
        };
        let here = self.text.get(pos).copied();
        match item {
            Item::Char(c) => here == Some(*c) && self.matches(rest, pos + 1, then),
            Item::Single => here.is_some_and(|h| !self.delimiters.contains(&h)) && self.matches(rest, pos + 1, then),
            Item::Class { negated, ranges } => {
                here.is_some_and(|h| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&h)) != *negated)
                    && self.matches(rest, pos + 1, then)
            }
            Item::Any | Item::Super => {
                let mut p = pos;
                loop {
                    if self.matches(rest, p, then) {
                        return true;
                    }
                    match self.text.get(p) {
                        Some(c) if *item == Item::Super || !self.delimiters.contains(c) => p += 1,
                        _ => return false,
                    }
                }
            }
            Item::Alt(alts) => {
                let mut stack: Vec<&[Item]> = then.to_vec();
                stack.push(rest);
                alts.iter().any(|alt| self.matches(alt, pos, &stack))
            }
        }
    }
}

/// gobwas' `QuoteMeta`: a backslash before each of `*?\[]{}`... and the others the syntax
/// gives a meaning to.
fn quote_meta(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some(Value::String(s)) = args.first() else { return Ok(Value::Undefined) };
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '\\' | '[' | ']' | '{' | '}' | '!' | '-' | ',') {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, delims: Value, text: &str) -> bool {
        glob_match(vec![Value::from(pattern), delims, Value::from(text)]).ok() == Some(Value::from(true))
    }

    fn dots() -> Value {
        Value::from(Vec::<Value>::new())
    }

    #[test]
    fn matches_like_opa() {
        assert!(m("*.github.com", dots(), "api.github.com"));
        assert!(!m("*.github.com", dots(), "api.cdn.github.com"));
        assert!(m("**.github.com", dots(), "api.cdn.github.com"));
        assert!(m("*:github:com", Value::from(vec![Value::from(":")]), "api:github:com"));
        assert!(m("*", Value::Null, "a.b.c"));
        assert!(m("?at", dots(), "cat") && !m("?at", dots(), ".at"));
        assert!(m("[a-c]at", dots(), "bat") && !m("[!a-c]at", dots(), "bat"));
        assert!(m("{cat,bat,[fr]at}", dots(), "rat") && !m("{cat,bat}", dots(), "rat"));
        assert!(m("registry.io/*", Value::Null, "registry.io/app:1"));
        assert!(m("a\\*b", dots(), "a*b") && !m("a\\*b", dots(), "axb"));
    }

    #[test]
    fn hostile_patterns_stay_polynomial() {
        let pattern = "*a".repeat(30) + "b";
        assert!(!m(&pattern, Value::Null, &"a".repeat(200)));
    }
}
