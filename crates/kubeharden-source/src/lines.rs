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

/// Line starts of a text, for turning byte offsets into positions: 4 bytes a line (an index is
/// as long as its text has lines, and a dense input has one every few bytes), plus 8 for each
/// line that is not ASCII (where UTF-16 offsets drift from byte offsets).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<u32>,
    /// Each line that is not ASCII, with how many more UTF-8 bytes than UTF-16 units the text
    /// has up to the end of that line.
    wide: Vec<(u32, u32)>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Counted first, so the index is allocated once, at its size: every `\n`, and each `\r`
        // not followed by one (rare, so counted only when there is a `\r` at all).
        let (mut breaks, carriage_return) = crate::scan::newlines_and_cr(bytes);
        if carriage_return {
            breaks += crate::scan::lone_carriage_returns(bytes);
        }
        let mut starts = Vec::with_capacity(breaks + 1);
        let mut wide = Vec::new();
        let mut drift = 0u32;
        let mut start = 0usize;
        let mut ascii = true;
        starts.push(0);
        let mut at = 0usize;
        loop {
            // The next line break or non-ASCII byte; `\r\n` counts once, a lone `\r` is a break.
            at = crate::scan::next_break_or_wide(bytes, at);
            let Some(&b) = bytes.get(at) else { break };
            if b >= 0x80 {
                ascii = false;
                at += 1;
                continue;
            }
            let next = if b == b'\r' && bytes.get(at + 1) == Some(&b'\n') { at + 2 } else { at + 1 };
            if !ascii {
                Self::note_wide(&mut wide, &mut drift, starts.len() - 1, text.get(start..next).unwrap_or(""));
            }
            starts.push(next as u32);
            start = next;
            ascii = true;
            at = next;
        }
        if !ascii {
            Self::note_wide(&mut wide, &mut drift, starts.len() - 1, text.get(start..).unwrap_or(""));
        }
        LineIndex { starts, wide, len: u32::try_from(text.len()).unwrap_or(u32::MAX) }
    }

    /// Records a line that is not ASCII: its number, and the drift up to its end (how many more
    /// UTF-8 bytes than UTF-16 units the text has so far).
    fn note_wide(wide: &mut Vec<(u32, u32)>, drift: &mut u32, number: usize, line: &str) {
        *drift += (line.len() - line.encode_utf16().count()) as u32;
        wide.push((u32::try_from(number).unwrap_or(u32::MAX), *drift));
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, byte: u32) -> u32 {
        let idx = self.starts.partition_point(|&s| s <= byte).saturating_sub(1);
        idx as u32 + 1
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> u32 {
        self.starts.get(line.saturating_sub(1) as usize).copied().unwrap_or(self.len)
    }

    pub fn position(&self, text: &str, byte: u32) -> Position {
        let byte = byte.min(self.len);
        let idx = self.starts.partition_point(|&s| s <= byte).saturating_sub(1);
        let Some(&start) = self.starts.get(idx) else {
            return Position { line: 1, column: 1, offset: 0 };
        };
        let line = idx as u32;
        // Drift of the lines before this one, and whether this one is ASCII.
        let at = self.wide.partition_point(|&(l, _)| l < line);
        let drift = at.checked_sub(1).and_then(|i| self.wide.get(i)).map_or(0, |&(_, d)| d);
        let ascii = self.wide.get(at).is_none_or(|&(l, _)| l != line);
        let column = if ascii {
            byte - start
        } else {
            let mut end = byte as usize;
            while end > start as usize && !text.is_char_boundary(end) {
                end -= 1;
            }
            text.get(start as usize..end).map_or(0, |s| s.encode_utf16().count() as u32)
        };
        Position { line: line + 1, column: column + 1, offset: start.saturating_sub(drift) + column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index as it was first written, line by line: what the word-at-a-time scan must match.
    fn reference(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::new();
        let mut wide = Vec::new();
        let mut drift = 0u32;
        let mut start = 0usize;
        loop {
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
            let number = starts.len() as u32;
            starts.push(start as u32);
            if !line.is_ascii() {
                drift += (line.len() - line.encode_utf16().count()) as u32;
                wide.push((number, drift));
            }
            match next {
                Some(n) => start = n,
                None => break,
            }
        }
        LineIndex { starts, wide, len: text.len() as u32 }
    }

    #[test]
    fn matches_the_line_by_line_index() {
        let pieces = ["a", "bb", "\n", "\r", "\r\n", "é", "😀", "漢字", "        ", "key: value"];
        // Every sequence of up to four pieces, then longer mixes.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let next: Vec<String> = texts.iter().flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}"))).collect();
            texts.extend(next);
        }
        texts.push("x".repeat(40) + "\r" + &"y".repeat(17) + "é\r\n\n" + &"z".repeat(9) + "\r");
        for text in &texts {
            let (fast, slow) = (LineIndex::new(text), reference(text));
            assert_eq!(fast.starts, slow.starts, "{text:?}");
            assert_eq!(fast.wide, slow.wide, "{text:?}");
            assert_eq!(fast.starts.capacity(), fast.starts.len(), "{text:?}: allocated once, at its size");
        }
    }

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
