//! Where lines start and end, what indentation they use and which line break the text uses:
//! the measurements every layout-respecting edit starts from.

/// The offset where the line containing `at` starts (just after the previous `\n` or `\r`).
pub fn line_start(text: &str, at: usize) -> Option<usize> {
    Some(text.get(..at)?.rfind(['\n', '\r']).map_or(0, |i| i + 1))
}

/// The offset of the line break ending the line containing `at` (or the end of the text).
pub fn line_end(text: &str, at: usize) -> Option<usize> {
    Some(text.get(at..)?.find(['\n', '\r']).map_or(text.len(), |i| at + i))
}

/// The text between the start of `at`'s line and `at`.
pub fn before_on_line(text: &str, at: usize) -> Option<&str> {
    text.get(line_start(text, at)?..at)
}

/// The line break the text uses around `at`: the first one after it, else the last one before
/// it. Looking locally keeps fixes linear in large inputs (a whole-text scan per fix is not).
pub fn newline_near(text: &str, at: usize) -> &'static str {
    let crlf_at = |i: usize| text.as_bytes().get(i.saturating_sub(1)..=i) == Some(b"\r\n".as_slice());
    let after = text.get(at..).and_then(|t| t.find('\n')).map(|i| at + i);
    let before = || text.get(..at).and_then(|t| t.rfind('\n'));
    match after.or_else(before) {
        Some(i) if i > 0 && crlf_at(i) => "\r\n",
        _ => "\n",
    }
}

/// The line break of the text's last line (where a document is appended).
pub fn newline_at_end(text: &str) -> &'static str {
    newline_near(text, text.len())
}

/// Whether the text of a node starts with `ch` (a flow collection starts with `{` or `[`).
pub fn starts_with(text: &str, node: crate::source::NodeRef<'_>, ch: char) -> bool {
    text.get(node.span().start as usize..).is_some_and(|s| s.starts_with(ch))
}

/// The offset of the `}` or `]` that closes the flow collection opened at `open` (its `{` or
/// `[`). Quoted strings and comments are skipped. (A node's span ends with its last value, so
/// the closing bracket is found from the opening one rather than from the span's end.)
pub fn closing(text: &str, open: usize) -> Option<usize> {
    let mut stack: Vec<char> = Vec::new();
    let mut chars = text.get(open..)?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' => {
                let quote = c;
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    match d {
                        '\\' if quote == '"' && !escaped => escaped = true,
                        d if d == quote && !escaped => break,
                        _ => escaped = false,
                    }
                }
            }
            '#' => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '[' => stack.push(']'),
            '{' => stack.push('}'),
            ']' | '}' => {
                if stack.pop() != Some(c) {
                    return None;
                }
                if stack.is_empty() {
                    return Some(open + i);
                }
            }
            _ => {}
        }
        if stack.is_empty() {
            return None; // `open` is not a bracket
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_lines() {
        let text = "a: 1\r\n  b: 2\n";
        assert_eq!(line_start(text, 8), Some(6));
        assert_eq!(line_end(text, 8), Some(12));
        assert_eq!(before_on_line(text, 8), Some("  "));
        assert_eq!(newline_near(text, 0), "\r\n");
        assert_eq!(newline_near(text, 8), "\n");
        assert_eq!(newline_near("a\nb", 3), "\n");
        assert_eq!(newline_near("", 0), "\n");
        assert_eq!(newline_at_end("a\r\nb\r\n"), "\r\n");
        assert_eq!(line_start(text, 99), None);
    }

    #[test]
    fn finds_the_closing_bracket_past_nested_ones() {
        let text = r#"{a: {b: [x]}, c: "}", d: ['#]'] # }
}"#;
        assert_eq!(closing(text, 0), Some(text.len() - 1));
        assert_eq!(closing(text, 4), Some(11));
        assert_eq!(closing("{capabilities: {add: [X]}}", 0), Some(25));
        assert_eq!(closing("{a: 1]", 0), None);
        assert_eq!(closing("a", 0), None);
    }
}
