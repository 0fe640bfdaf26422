//! A small Rego tokenizer: just enough to find statement boundaries, bracket depth and the
//! tokens the rewrites look at, with strings, raw strings and comments skipped correctly.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Ident,
    Number,
    String,
    Open(u8),
    Close(u8),
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// Bracket depth before this token (an opening bracket has the depth outside it).
    pub depth: u32,
    /// Whitespace (or a comment) separates this token from the previous one.
    pub spaced: bool,
    /// A line break separates this token from the previous significant token.
    pub after_newline: bool,
    /// Its position in the token list.
    pub index: usize,
    /// Its first byte (enough to tell punctuation apart).
    pub first: u8,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Whether a term can end with this token (so that what follows may continue it).
    pub fn ends_term(&self, src: &str) -> bool {
        match self.kind {
            Kind::Number | Kind::String | Kind::Close(_) => true,
            Kind::Ident => !matches!(
                self.text(src),
                "not"
                    | "some"
                    | "with"
                    | "as"
                    | "else"
                    | "default"
                    | "import"
                    | "package"
                    | "in"
                    | "if"
                    | "contains"
                    | "every"
            ),
            _ => false,
        }
    }
}

/// Tokens of `src`, comments excluded. Unterminated strings end at the end of the text (the
/// compiler reports them; the rewrites only need not to crash).
pub(crate) fn tokens(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    let mut depth = 0u32;
    let mut spaced = false;
    let mut newline = false;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                spaced = true;
                continue;
            }
            b'\n' => {
                i += 1;
                spaced = true;
                newline = true;
                continue;
            }
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                spaced = true;
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'"' | b'\n' => break,
                        _ => {}
                    }
                }
                Kind::String
            }
            b'`' => {
                i += 1;
                while bytes.get(i).is_some_and(|&c| c != b'`') {
                    i += 1;
                }
                i += 1;
                Kind::String
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                Kind::Open(b)
            }
            b')' | b']' | b'}' => {
                i += 1;
                Kind::Close(b)
            }
            c if c.is_ascii_digit() => {
                while bytes.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.') {
                    i += 1;
                }
                Kind::Number
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while bytes.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                    i += 1;
                }
                Kind::Ident
            }
            _ => {
                // One punctuation character, or a whole UTF-8 sequence outside strings.
                i += 1;
                while bytes.get(i).is_some_and(|c| (c & 0xC0) == 0x80) {
                    i += 1;
                }
                Kind::Punct
            }
        };
        let end = i.min(bytes.len());
        if let Kind::Close(_) = kind {
            depth = depth.saturating_sub(1);
        }
        out.push(Token { kind, start, end, depth, spaced, after_newline: newline, index: out.len(), first: b });
        if let Kind::Open(_) = kind {
            depth = depth.saturating_add(1);
        }
        spaced = false;
        newline = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_comments_hide_brackets() {
        let src = "p { x := \"{(\" # }\n y := `]` }";
        let toks = tokens(src);
        let closes: Vec<_> = toks.iter().filter(|t| matches!(t.kind, Kind::Close(_))).collect();
        assert_eq!(closes.len(), 1);
        assert_eq!(closes[0].depth, 0);
        assert!(toks.iter().any(|t| t.after_newline && t.text(src) == "y"));
    }
}
