//! Positions as the client counts them. The core reports UTF-16 offsets (LSP's default); a
//! client may prefer UTF-8 or UTF-32 columns (`general.positionEncodings`), and the server
//! converts in this one place.
//!
//! Line breaks are `\n`, `\r\n` and a lone `\r`, both in LSP and in the core's positions.

use lsp_types::{Position, PositionEncodingKind, Range};

/// The unit of `Position.character` agreed with the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first encoding the client lists that the server supports; UTF-16 when the client
    /// lists none (every client supports it).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// Where each line of a text starts, in bytes and in UTF-16 code units.
#[derive(Debug, Clone)]
pub struct LineMap {
    bytes: Vec<usize>,
    utf16: Vec<u32>,
    len: usize,
}

impl LineMap {
    pub fn new(text: &str) -> LineMap {
        let mut bytes = vec![0];
        let mut utf16 = vec![0];
        let mut units = 0u32;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            units += c.len_utf16() as u32;
            let brk = match c {
                '\n' => true,
                '\r' => {
                    if let Some((_, '\n')) = chars.peek() {
                        chars.next();
                        units += 1;
                        bytes.push(i + 2);
                        utf16.push(units);
                        continue;
                    }
                    true
                }
                _ => false,
            };
            if brk {
                bytes.push(i + 1);
                utf16.push(units);
            }
        }
        LineMap { bytes, utf16, len: text.len() }
    }

    /// The byte range of a 0-based line, without its line break.
    fn line(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.bytes.get(line).copied().unwrap_or(self.len);
        let next = self.bytes.get(line + 1).copied().unwrap_or(self.len);
        let content = text.get(start..next).unwrap_or("");
        let end = next - (content.len() - content.trim_end_matches(['\n', '\r']).len());
        (start, end.max(start))
    }

    /// The client's position of a byte offset (rounded down to a character boundary).
    pub fn position(&self, text: &str, byte: usize, encoding: Encoding) -> Position {
        let byte = byte.min(self.len);
        let line = self.bytes.partition_point(|&start| start <= byte).saturating_sub(1);
        let start = self.bytes.get(line).copied().unwrap_or(0);
        let prefix = text.get(start..floor_boundary(text, byte)).unwrap_or("");
        let character = match encoding {
            Encoding::Utf8 => prefix.len() as u32,
            _ => prefix.chars().map(|c| encoding.width(c)).sum(),
        };
        Position { line: line as u32, character }
    }

    /// The byte offset of a client's position. A column past the end of its line means the end
    /// of the line, a line past the end of the text the end of the text (as the protocol says).
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.bytes.len() {
            return self.len;
        }
        let (start, end) = self.line(text, line);
        let content = text.get(start..end).unwrap_or("");
        let mut units = 0u32;
        for (i, c) in content.char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += encoding.width(c);
            if units > position.character {
                // Inside a character (half a surrogate pair, a byte inside UTF-8): its start.
                return start + i;
            }
        }
        end
    }

    /// The byte offset of a UTF-16 offset (the core's `offset`, and fix edits).
    pub fn byte_of_utf16(&self, text: &str, offset: u32) -> usize {
        let line = self.utf16.partition_point(|&start| start <= offset).saturating_sub(1);
        let start = self.bytes.get(line).copied().unwrap_or(self.len);
        let mut units = self.utf16.get(line).copied().unwrap_or(0);
        for (i, c) in text.get(start..).unwrap_or("").char_indices() {
            if units >= offset {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        self.len
    }

    /// The client's range of a UTF-16 range.
    pub fn range_of_utf16(&self, text: &str, start: u32, end: u32, encoding: Encoding) -> Range {
        let start = self.byte_of_utf16(text, start);
        let end = self.byte_of_utf16(text, end).max(start);
        Range { start: self.position(text, start, encoding), end: self.position(text, end, encoding) }
    }
}

fn floor_boundary(text: &str, mut byte: usize) -> usize {
    while byte > 0 && !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn negotiates_the_first_supported_encoding() {
        let offered = [PositionEncodingKind::new("utf-7"), PositionEncodingKind::UTF8, PositionEncodingKind::UTF16];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(Some(&[])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }

    #[test]
    fn columns_in_each_encoding() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` 4 bytes, 2 units, 1 code point.
        let text = "a: é😀x\r\nb\rc\n";
        let map = LineMap::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(map.position(text, x, Encoding::Utf8), pos(0, 9));
        assert_eq!(map.position(text, x, Encoding::Utf16), pos(0, 6));
        assert_eq!(map.position(text, x, Encoding::Utf32), pos(0, 5));
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let p = map.position(text, x, encoding);
            assert_eq!(map.offset(text, p, encoding), x, "{encoding:?}");
        }
        assert_eq!(map.position(text, text.find('b').unwrap(), Encoding::Utf16), pos(1, 0));
        assert_eq!(map.position(text, text.find('c').unwrap(), Encoding::Utf16), pos(2, 0));
        assert_eq!(map.position(text, text.len(), Encoding::Utf16), pos(3, 0));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\ncd";
        let map = LineMap::new(text);
        assert_eq!(map.offset(text, pos(0, 99), Encoding::Utf16), 2, "end of line, before \\r\\n");
        assert_eq!(map.offset(text, pos(7, 0), Encoding::Utf16), text.len());
        // Half a surrogate pair: the character's start.
        let text = "😀z";
        let map = LineMap::new(text);
        assert_eq!(map.offset(text, pos(0, 1), Encoding::Utf16), 0);
        assert_eq!(map.offset(text, pos(0, 2), Encoding::Utf16), 4);
    }

    #[test]
    fn utf16_offsets_to_bytes() {
        let text = "é\n😀z\r\nq";
        let map = LineMap::new(text);
        assert_eq!(map.byte_of_utf16(text, 0), 0);
        assert_eq!(map.byte_of_utf16(text, 1), 2);
        assert_eq!(map.byte_of_utf16(text, 2), 3);
        assert_eq!(map.byte_of_utf16(text, 4), 7);
        assert_eq!(map.byte_of_utf16(text, 7), text.find('q').unwrap());
        assert_eq!(map.byte_of_utf16(text, 99), text.len());
        let r = map.range_of_utf16(text, 2, 5, Encoding::Utf16);
        assert_eq!((r.start, r.end), (pos(1, 0), pos(1, 3)));
    }
}
