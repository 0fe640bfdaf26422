//! Quoted scalars continued on lines indented no deeper than their key.
//!
//! go-yaml (and libyaml, which it ports) accepts a quoted scalar whose continuation lines sit
//! at the indentation of its key or less:
//!
//! ```yaml
//! description: "When set to true the TLS is optional, defaults
//! to false."
//! ```
//!
//! saphyr-parser rejects them ("invalid indentation in quoted scalar"), and such text is common
//! in real manifests (the Gatekeeper library has it). The builder then reads the scalar here,
//! with YAML's folding and escapes, and lets saphyr parse the document with the scalar replaced
//! by a placeholder of the same byte length, whose value it swaps for this one.

/// The end (exclusive) and value of the quoted scalar that starts at byte `start` of `text`
/// (at its opening quote), or `None` if it is not terminated.
pub(crate) fn read(text: &str, start: usize) -> Option<(usize, String)> {
    let body = text.get(start..)?;
    let quote = body.chars().next().filter(|&q| q == '"' || q == '\'')?;
    let double = quote == '"';
    let mut value = String::new();
    let mut pending = String::new();
    let mut chars = body.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' if !double => {
                if chars.peek().map(|&(_, n)| n) == Some('\'') {
                    chars.next();
                    value.push_str(&pending);
                    pending.clear();
                    value.push('\'');
                } else {
                    return Some((start + i + 1, value));
                }
            }
            '"' if double => return Some((start + i + 1, value)),
            '\\' if double => {
                let (_, e) = chars.next()?;
                value.push_str(&pending);
                pending.clear();
                match e {
                    '\n' | '\r' => {
                        // An escaped line break joins the lines without a space.
                        if e == '\r' && chars.peek().map(|&(_, n)| n) == Some('\n') {
                            chars.next();
                        }
                        while chars.peek().is_some_and(|&(_, n)| n == ' ' || n == '\t') {
                            chars.next();
                        }
                    }
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = (0..n).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                        value.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)?);
                    }
                    e => value.push(match e {
                        '0' => '\0',
                        'a' => '\u{7}',
                        'b' => '\u{8}',
                        't' | '\t' => '\t',
                        'n' => '\n',
                        'v' => '\u{b}',
                        'f' => '\u{c}',
                        'r' => '\r',
                        'e' => '\u{1b}',
                        'N' => '\u{85}',
                        '_' => '\u{a0}',
                        'L' => '\u{2028}',
                        'P' => '\u{2029}',
                        ' ' | '"' | '/' | '\\' => e,
                        _ => return None,
                    }),
                }
            }
            '\n' | '\r' => {
                // Folding: trailing blanks go, each empty line that follows is a line feed,
                // a single break is a space, the next line's indentation goes.
                if c == '\r' && chars.peek().map(|&(_, n)| n) == Some('\n') {
                    chars.next();
                }
                pending.clear();
                let mut breaks = 0;
                loop {
                    match chars.peek().map(|&(_, n)| n) {
                        Some(' ' | '\t') => {
                            chars.next();
                        }
                        Some('\n') => {
                            chars.next();
                            breaks += 1;
                        }
                        Some('\r') => {
                            chars.next();
                        }
                        _ => break,
                    }
                }
                if breaks == 0 {
                    value.push(' ');
                } else {
                    value.extend(std::iter::repeat_n('\n', breaks));
                }
            }
            ' ' | '\t' => pending.push(c),
            c => {
                value.push_str(&pending);
                pending.clear();
                value.push(c);
            }
        }
    }
    None
}

/// `text` with bytes `start..end` (a quoted scalar) replaced by a one-line quoted placeholder
/// of the same byte length.
pub(crate) fn placeholder(text: &str, start: usize, end: usize) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..start).unwrap_or(""));
    let len = end.saturating_sub(start);
    out.push('"');
    out.extend(std::iter::repeat_n('x', len.saturating_sub(2)));
    if len >= 2 {
        out.push('"');
    }
    out.push_str(text.get(end..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_like_yaml() {
        let t = "a: \"one two\n  three\n\n   four \\\n  five\\tsix\" rest";
        let (end, v) = read(t, 3).unwrap_or_default();
        assert_eq!(v, "one two three\nfour five\tsix");
        assert_eq!(&t[end..], " rest");
        assert_eq!(read("'it''s\n  fine'", 0).map(|r| r.1), Some("it's fine".into()));
        assert_eq!(read("\"open", 0), None);
        assert_eq!(placeholder("k: \"a\nb\" z", 3, 8), "k: \"xxx\" z");
    }

    #[test]
    fn documents_with_them_parse_as_go_yaml_reads_them() {
        let text = "spec:\n  description: \"When set, the TLS {} is\n  optional.\"\n  other: 'a\n  b'\n  count: 1\n";
        let parsed = crate::parse(&crate::Source::new("t.yaml", text), &crate::Limits::default());
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let root = parsed.tree.node(parsed.documents[0].root);
        let spec = root.get("spec").expect("spec");
        assert_eq!(spec.get("description").and_then(|d| d.str()), Some("When set, the TLS {} is optional."));
        assert_eq!(spec.get("other").and_then(|d| d.str()), Some("a b"));
        // Spans are those of the original text.
        let d = spec.get("description").expect("description").span();
        assert_eq!(&text[d.start as usize..d.start as usize + 1], "\"");
        assert!(text[..d.end as usize].ends_with("optional.\""));
    }
}
