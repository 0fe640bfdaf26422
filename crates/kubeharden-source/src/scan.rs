//! Byte scans over a whole input, eight bytes at a time.
//!
//! The line index and the document split read every byte of every input before the YAML
//! parser does; a byte-by-byte loop cost them about 15 instructions a byte (a sixth of a lint
//! of the corpus). Reading a `u64` at a time and testing all eight bytes with a few integer
//! operations skips the long runs of ordinary text in a fraction of that, natively and in
//! wasm alike (no SIMD needed).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The high bit of each byte of `word` that is zero, and only of those (no false positives,
/// unlike the borrow-based test, so the bits can be counted).
#[inline]
fn zero_bytes(word: u64) -> u64 {
    !(((word & LOWS).wrapping_add(LOWS)) | word | LOWS)
}

/// The high bit of each byte of `word` equal to `byte`.
#[inline]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ (ONES * u64::from(byte)))
}

#[inline]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// How many `\n`s `bytes` holds, and whether it holds a `\r`: one pass for both.
pub fn newlines_and_cr(bytes: &[u8]) -> (usize, bool) {
    let mut total = 0usize;
    let mut at = 0;
    let mut carriage = 0u64;
    // Each `\n` puts a 1 in its byte's lane of `lanes`; lanes are summed every 31 words, before
    // the sum of eight lanes could pass 255 (a multiply adds them into the top byte).
    let mut lanes = 0u64;
    let mut words = 0;
    while let Some(word) = word_at(bytes, at) {
        lanes += bytes_equal(word, b'\n') >> 7;
        carriage |= bytes_equal(word, b'\r');
        at += 8;
        words += 1;
        if words == 31 {
            total += (lanes.wrapping_mul(ONES) >> 56) as usize;
            lanes = 0;
            words = 0;
        }
    }
    total += (lanes.wrapping_mul(ONES) >> 56) as usize;
    let tail = bytes.get(at..).unwrap_or(&[]);
    (total + tail.iter().filter(|&&b| b == b'\n').count(), carriage != 0 || tail.contains(&b'\r'))
}

/// The first index at or after `from` of a byte that is `\n`, `\r` or not ASCII (where a line
/// ends or its UTF-16 length stops being its byte length); `bytes.len()` when there is none.
pub fn next_break_or_wide(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(word) = word_at(bytes, at) {
        let hits = bytes_equal(word, b'\n') | bytes_equal(word, b'\r') | (word & HIGHS);
        if hits != 0 {
            // Little-endian: the lowest flagged bit is the first such byte.
            return at + (hits.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r' || b >= 0x80))
        .map_or(bytes.len(), |i| at + i)
}

/// The first `\n` at or after `from`.
pub fn next_newline(bytes: &[u8], from: usize) -> Option<usize> {
    next_byte(bytes, from, b'\n')
}

/// The first `byte` at or after `from`.
pub fn next_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    let mut at = from;
    while let Some(word) = word_at(bytes, at) {
        let hits = bytes_equal(word, byte);
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|&b| b == byte).map(|i| at + i)
}

/// How many `\r`s of `bytes` are not followed by a `\n` (each ends a line of its own).
pub fn lone_carriage_returns(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut at = 0;
    while let Some(i) = next_byte(bytes, at, b'\r') {
        count += usize::from(bytes.get(i + 1) != Some(&b'\n'));
        at = i + 1;
    }
    count
}

/// The end of the run of spaces that starts at `from` (`from` itself when there is none).
#[cfg(any(feature = "quick", test))]
pub fn spaces_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(word) = word_at(bytes, at) {
        // Zero in each byte that is a space: the lowest byte that is not is the run's end.
        let other = word ^ (ONES * u64::from(b' '));
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes.get(at..).map_or(0, |rest| rest.iter().take_while(|&&b| b == b' ').count())
}

/// Whether UTF-8 `bytes` holds none of the characters YAML treats specially that the quick
/// reader leaves to saphyr: control characters but `\n` (so tabs and `\r`), DEL, the C1
/// controls, U+2028, U+2029, U+FEFF, U+FFFE and U+FFFF.
#[cfg(any(feature = "quick", test))]
pub fn no_special_characters(bytes: &[u8]) -> bool {
    let mut at = 0;
    while let Some(word) = word_at(bytes, at) {
        // A byte below 0x20 is one whose top three bits are clear.
        let controls = (zero_bytes(word & (ONES * 0xe0)) & !bytes_equal(word, b'\n')) | bytes_equal(word, 0x7f);
        if controls != 0 || (word & HIGHS != 0 && (at..at + 8).any(|i| special_sequence_at(bytes, i))) {
            return false;
        }
        at += 8;
    }
    (at..bytes.len()).all(|i| {
        let c = bytes.get(i).copied().unwrap_or(0);
        c >= 0x20 && c != 0x7f || c == b'\n'
    }) && !(at..bytes.len()).any(|i| special_sequence_at(bytes, i))
}

/// Whether the UTF-8 encoding of one of the special non-ASCII characters of
/// [`no_special_characters`] starts at `i` (valid UTF-8: a lead byte is never inside another
/// character, so matching the bytes is matching the character).
#[cfg(any(feature = "quick", test))]
fn special_sequence_at(bytes: &[u8], i: usize) -> bool {
    let byte = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match byte(0) {
        0xc2 => matches!(byte(1), 0x80..=0x9f),
        0xe2 => byte(1) == 0x80 && matches!(byte(2), 0xa8 | 0xa9),
        0xef => matches!((byte(1), byte(2)), (0xbb, 0xbf) | (0xbf, 0xbe | 0xbf)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every position of a word, and words that straddle the end.
    fn samples() -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for len in 0..20 {
            for at in 0..len {
                for b in [0u8, 1, b'\n', b'\r', b'\t', b'a', 0x7f, 0x80, 0xc3, 0xff] {
                    let mut v = vec![b'x'; len];
                    v[at] = b;
                    if at + 3 < len {
                        v[at + 3] = b'\n';
                    }
                    out.push(v);
                }
            }
        }
        out
    }

    #[test]
    fn finds_the_end_of_a_run_of_spaces() {
        for len in 0..40 {
            for run in 0..=len {
                for from in 0..=run {
                    let mut v = vec![b' '; run];
                    v.resize(len, b'x');
                    assert_eq!(spaces_end(&v, from), run, "{len} {run} {from}");
                }
            }
        }
        assert_eq!(spaces_end(b"  ", 5), 5);
    }

    #[test]
    fn finds_the_characters_yaml_treats_specially() {
        let reference = |text: &str| {
            !text.chars().any(|c| {
                (c < ' ' && c != '\n')
                    || matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
            })
        };
        let mut texts: Vec<String> = Vec::new();
        for len in 0..20 {
            for at in 0..=len {
                for c in [
                    "\t", "\r", "\n", "\u{1}", "\u{7f}", "\u{80}", "\u{9f}", "\u{a0}", "é", "\u{2028}", "\u{2029}",
                    "\u{2027}", "\u{202a}", "\u{feff}", "\u{fefe}", "\u{fffe}", "\u{ffff}", "\u{fffd}", "😀",
                ] {
                    let mut s = "x".repeat(len);
                    s.insert_str(at, c);
                    texts.push(s);
                }
            }
        }
        for text in texts {
            assert_eq!(no_special_characters(text.as_bytes()), reference(&text), "{text:?}");
        }
    }

    #[test]
    fn counts_newlines_and_finds_a_carriage_return() {
        let mut texts = samples();
        // Long runs, past the 31 words after which lanes are summed.
        texts.push(vec![b'\n'; 1000]);
        texts.push(b"a\nbc\n\n".repeat(333));
        texts.push([b"a\nbc\n\n".repeat(333), b"\r".to_vec()].concat());
        for v in texts {
            let newlines = v.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(newlines_and_cr(&v), (newlines, v.contains(&b'\r')), "{v:?}");
        }
    }

    #[test]
    fn counts_carriage_returns_that_end_a_line_alone() {
        let mut texts = samples();
        for at in 0..20 {
            let mut v = vec![b'x'; 24];
            v[at] = b'\r';
            texts.push(v.clone());
            v[at + 1] = b'\n';
            texts.push(v);
        }
        texts.push(b"\r\n\r\r\n\n\r".repeat(9));
        for v in texts {
            let lone = v.windows(2).filter(|w| matches!(w, [b'\r', next] if *next != b'\n')).count()
                + usize::from(v.last() == Some(&b'\r'));
            assert_eq!(lone_carriage_returns(&v), lone, "{v:?}");
        }
    }

    #[test]
    fn scans_match_plain_searches() {
        for v in samples() {
            for from in 0..=v.len() {
                let special = v.iter().skip(from).position(|&b| b == b'\n' || b == b'\r' || b >= 0x80);
                assert_eq!(next_break_or_wide(&v, from), special.map_or(v.len(), |i| from + i), "{v:?} {from}");
                let newline = v.iter().skip(from).position(|&b| b == b'\n').map(|i| from + i);
                assert_eq!(next_newline(&v, from), newline, "{v:?} {from}");
                let carriage = v.iter().skip(from).position(|&b| b == b'\r').map(|i| from + i);
                assert_eq!(next_byte(&v, from, b'\r'), carriage, "{v:?} {from}");
            }
        }
        assert_eq!(next_newline(b"abc", 9), None);
        assert_eq!(next_break_or_wide(b"abc", 9), 3);
    }
}
