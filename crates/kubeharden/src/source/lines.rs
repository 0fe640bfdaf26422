//! Byte offsets to the positions every front end prints.
//!
//! Lines and columns are 1-based; columns and offsets count UTF-16 code units (SARIF's default
//! column kind and what JS editors use), so the CLI, Node, browsers and edge runtimes all print
//! the same numbers for the same text. Line breaks are `\n`, `\r\n` and a lone `\r`, as in YAML
//! and in browser editors.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
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
        let mut lines = Vec::with_capacity(text.len() / 32 + 1);
        let mut utf16: u32 = 0;
        let mut current = LineStart { byte: 0, utf16: 0, ascii: true };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes.get(i).copied().unwrap_or(0);
            if b < 0x80 {
                utf16 += 1;
                i += 1;
                let is_break = b == b'\n' || (b == b'\r' && bytes.get(i) != Some(&b'\n'));
                if is_break {
                    lines.push(current);
                    current = LineStart { byte: i as u32, utf16, ascii: true };
                }
            } else {
                current.ascii = false;
                let width = utf8_width(b);
                utf16 += if width == 4 { 2 } else { 1 };
                i += width;
            }
        }
        lines.push(current);
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

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        _ => 2,
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
