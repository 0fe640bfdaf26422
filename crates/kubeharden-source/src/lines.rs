//! Byte offsets to the positions every front end prints.
//!
//! Lines and columns are 1-based; columns and offsets count UTF-16 code units (SARIF's default
//! column kind and what JS editors use), so the CLI, Node, browsers and edge runtimes all print
//! the same numbers for the same text. Line breaks are `\n`, `\r\n` and a lone `\r`, as in YAML
//! and in browser editors.

/// A position in a source: 1-based line and column, and offset, in UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

#[derive(Debug, Clone)]
struct LineStart {
    byte: u32,
    utf16: u32,
    ascii: bool,
}

#[derive(Debug, Clone)]
pub struct LineIndex {
    lines: Vec<LineStart>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = Vec::with_capacity(bytes.len() / 32 + 1);
        let mut start = 0usize;
        let mut utf16 = 0u32;
        loop {
            // Find the next line break; `\r\n` counts once, a lone `\r` is a break too.
            let rest = bytes.get(start..).unwrap_or(&[]);
            let brk = rest.iter().position(|&b| b == b'\n' || b == b'\r');
            let (content_end, next) = match brk {
                None => (bytes.len(), None),
                Some(i) => {
                    let at = start + i;
                    let width = if bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
                    (at, Some(at + width))
                }
            };
            let line = text.get(start..next.unwrap_or(content_end)).unwrap_or("");
            let ascii = line.is_ascii();
            lines.push(LineStart { byte: start as u32, utf16, ascii });
            utf16 += if ascii { line.len() as u32 } else { line.encode_utf16().count() as u32 };
            match next {
                Some(n) => start = n,
                None => break,
            }
        }
        LineIndex { lines, len: u32::try_from(text.len()).unwrap_or(u32::MAX) }
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, byte: u32) -> u32 {
        let idx = self.lines.partition_point(|l| l.byte <= byte).saturating_sub(1);
        idx as u32 + 1
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> u32 {
        self.lines.get(line.saturating_sub(1) as usize).map_or(self.len, |l| l.byte)
    }

    pub fn position(&self, text: &str, byte: u32) -> Position {
        let byte = byte.min(self.len);
        let idx = self.lines.partition_point(|l| l.byte <= byte).saturating_sub(1);
        let Some(line) = self.lines.get(idx) else {
            return Position { line: 1, column: 1, offset: 0 };
        };
        let column = if line.ascii {
            byte - line.byte
        } else {
            let start = line.byte as usize;
            let mut end = byte as usize;
            while end > start && !text.is_char_boundary(end) {
                end -= 1;
            }
            text.get(start..end).map_or(0, |s| s.encode_utf16().count() as u32)
        };
        Position { line: idx as u32 + 1, column: column + 1, offset: line.utf16 + column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_positions() {
        let text = "a: 1\nbb: 2\r\ncc: 3\rd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1, offset: 0 });
        assert_eq!(idx.position(text, 9), Position { line: 2, column: 5, offset: 9 });
        assert_eq!(idx.position(text, 12), Position { line: 3, column: 1, offset: 12 });
        assert_eq!(idx.position(text, 18), Position { line: 4, column: 1, offset: 18 });
    }

    #[test]
    fn utf16_columns_after_emoji_and_cjk() {
        let text = "# 😀 漢字\nname: x";
        let idx = LineIndex::new(text);
        let byte = text.find("x").unwrap() as u32;
        let pos = idx.position(text, byte);
        assert_eq!(pos.line, 2);
        assert_eq!(pos.column, 7);
        // "# " (2) + emoji (2 units) + " " (1) + 2 CJK (2) + "\n" (1) + "name: " (6)
        assert_eq!(pos.offset, 14);
        let emoji_end = text.find(" 漢").unwrap() as u32;
        assert_eq!(idx.position(text, emoji_end).column, 5);
    }
}
