//! A direct reader for the YAML that manifests are nearly always written in: block mappings and
//! sequences indented with spaces, plain and quoted scalars (on several lines too, as values
//! in block context), literal and folded block scalars, flow collections (and so JSON),
//! comments.
//!
//! saphyr-parser reads all of YAML, character by character through a look-ahead buffer; that
//! was about three quarters of a lint's instructions. This reader walks the bytes once and
//! feeds the builder the very events saphyr would give, with the same spans. It does not try to
//! be complete: at anything outside its subset (anchors, aliases, tags, scalars continued on
//! lines not indented deeper than their collection, escaped line breaks, tabs, carriage
//! returns, explicit keys, directives) and at anything it would
//! have to call an error, it gives up on the document, which is then read again by saphyr. So
//! every syntax error, and every message about it, is still saphyr's. The tests compare the two
//! readers node for node on every input the project has.

use std::borrow::Cow;

use super::build::{Builder, Ev, Reading};
use super::scalar::{ScalarStyle, TagHint};
use super::tree::ByteSpan;

/// Why the reader stopped: the document is read again by saphyr either way.
pub(crate) struct GiveUp;

type R<T> = Result<T, GiveUp>;

/// Deeper documents are left to the full reader, which also enforces `limits.maxDepth` (this
/// one recurses on the machine stack).
const MAX_NESTING: usize = 48;

/// Longest implicit key YAML allows, in characters (here bytes: shorter is only stricter).
const MAX_KEY: usize = 1024;

/// Reads the document chunk `text` (at `base` in its source) into `builder`.
pub(crate) fn read(builder: &mut Builder<'_>, reading: &mut Reading, text: &str, base: usize) -> R<()> {
    if !plain_text(text) {
        return Err(GiveUp);
    }
    let mut quick = Quick { builder, reading, s: text, b: text.as_bytes(), base, depth: 0 };
    quick.document()
}

/// Whether `text` has none of the characters this reader leaves to saphyr: tabs, carriage
/// returns, other control characters, and the non-ASCII ones YAML treats specially.
fn plain_text(text: &str) -> bool {
    crate::scan::no_special_characters(text.as_bytes())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// After `key:`, whose colon is at the given offset (an empty value is placed there).
    Value(usize),
    /// After `- `.
    Item,
    /// A node that starts a line of its own.
    Line,
}

/// Where a plain scalar in block context stops.
#[derive(PartialEq, Eq)]
enum PlainStop {
    LineEnd,
    Comment,
    /// `: ` or a colon at the end of the line: the scalar was a key.
    Colon,
}

#[derive(Clone, Copy)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

struct Quick<'q, 'b, 't> {
    builder: &'q mut Builder<'b>,
    reading: &'q mut Reading,
    s: &'t str,
    b: &'t [u8],
    base: usize,
    depth: usize,
}

/// Joins the next line of a folded (flow or plain) scalar: one line break is a space, each of
/// the `breaks` empty lines between them a line feed.
fn join_folded(buf: &mut String, breaks: usize) {
    if breaks == 0 {
        buf.push(' ');
    } else {
        buf.extend(std::iter::repeat_n('\n', breaks));
    }
}

fn blank_or_end(c: u8) -> bool {
    c == b' ' || c == b'\n' || c == 0
}

fn flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'t> Quick<'_, '_, 't> {
    /// The byte at `i`, or 0 past the end (the text has no NUL: `plain_text`).
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn len(&self) -> usize {
        self.b.len()
    }

    fn text(&self, from: usize, to: usize) -> &'t str {
        self.s.get(from..to).unwrap_or("")
    }

    fn emit(&mut self, event: Ev<'t>, start: usize, end: usize) -> R<()> {
        let span = ByteSpan::new(self.base + start, self.base + end);
        match self.builder.event(self.reading, event, span) {
            Ok(_) => Ok(()),
            // The builder's own limits: saphyr's reading reports them with its spans.
            Err(_) => Err(GiveUp),
        }
    }

    fn scalar(&mut self, value: Cow<'t, str>, style: ScalarStyle, start: usize, end: usize) -> R<()> {
        self.emit(Ev::Scalar(value, style, 0, TagHint::None), start, end)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING { Err(GiveUp) } else { Ok(()) }
    }

    /// Offset of the `\n` ending the line that holds `i`, or the text's end.
    fn line_end(&self, i: usize) -> usize {
        crate::scan::next_newline(self.b, i).unwrap_or(self.len())
    }

    fn skip_spaces(&self, i: usize) -> usize {
        crate::scan::spaces_end(self.b, i)
    }

    /// Number of spaces that start the line beginning at `line`.
    fn indent(&self, line: usize) -> usize {
        self.skip_spaces(line) - line
    }

    /// Column of `i` (bytes since its line's start: only spaces and ASCII precede a node's start
    /// on its line where columns are compared).
    fn column(&self, i: usize) -> usize {
        let before = self.b.get(..i).unwrap_or(&[]);
        i - before.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1)
    }

    /// The start of the first line at or after the line starting at `line` that holds more
    /// than spaces and a comment, or the text's end.
    fn next_content(&self, mut line: usize) -> usize {
        while line < self.len() {
            let i = self.skip_spaces(line);
            match self.at(i) {
                0 => return self.len(),
                b'\n' => line = i + 1,
                b'#' => line = self.line_end(i) + 1,
                _ => return line,
            }
        }
        self.len()
    }

    /// From the line starting at `line`, past the lines that hold only spaces: the start of the
    /// first other line, its first non-space byte, and how many lines were passed.
    fn past_empty_lines(&self, mut line: usize) -> (usize, usize, usize) {
        let mut breaks = 0;
        loop {
            let first = self.skip_spaces(line);
            if self.at(first) != b'\n' {
                return (line, first, breaks);
            }
            breaks += 1;
            line = first + 1;
        }
    }

    /// After a node that ends at `i`: only spaces and a comment may follow on its line. Gives
    /// the start of the next line (or the text's end).
    fn rest_of_line(&self, i: usize) -> R<usize> {
        let j = self.skip_spaces(i);
        match self.at(j) {
            0 => Ok(self.len()),
            b'\n' => Ok(j + 1),
            b'#' if j > i => Ok(self.line_end(j) + 1),
            _ => Err(GiveUp),
        }
    }

    /// After an inline node ending at `i` whose owner is indented `owner`: the next content
    /// line, which must not be indented deeper (that would continue the scalar, or be an error).
    fn after_inline(&self, i: usize, owner: isize) -> R<usize> {
        let next = self.next_content(self.rest_of_line(i)?.min(self.len()));
        if next < self.len() && self.indent(next) as isize > owner {
            return Err(GiveUp);
        }
        Ok(next)
    }

    fn document(&mut self) -> R<()> {
        let first = self.next_content(0);
        if first >= self.len() {
            // Only comments and blanks: no events, like saphyr.
            return Ok(());
        }
        self.emit(Ev::DocumentStart, 0, 0)?;
        let indent = self.indent(first);
        let start = first + indent;
        if indent == 0 && (self.b.get(start..start + 3) == Some(b"...") || self.at(start) == b'%') {
            return Err(GiveUp);
        }
        let next = self.value(start, -1, Context::Line)?;
        if next < self.len() {
            return Err(GiveUp);
        }
        let end = self.len();
        self.emit(Ev::DocumentEnd, end, end)
    }

    /// The node at `i` (after an indicator's spaces, or a line's first character), whose owner
    /// (the collection it is in) is indented `owner`. Gives the start of the next content line.
    fn value(&mut self, i: usize, owner: isize, context: Context) -> R<usize> {
        let c = self.at(i);
        match c {
            0 | b'\n' | b'#' => {
                let next = if c == 0 { self.len() } else { self.next_content(self.line_end(i) + 1) };
                if next < self.len() {
                    let indent = self.indent(next);
                    let start = next + indent;
                    if indent as isize > owner {
                        return self.value(start, owner, Context::Line);
                    }
                    if indent as isize == owner && matches!(context, Context::Value(_)) && self.is_entry(start) {
                        return self.sequence(start, indent, true);
                    }
                }
                // saphyr places an empty value at its colon, an empty item past its comment.
                let at = match context {
                    Context::Value(colon) => colon,
                    _ => self.line_end(i),
                };
                self.scalar(Cow::Borrowed(""), ScalarStyle::Plain, at, at)?;
                Ok(next)
            }
            b'|' | b'>' => {
                if context == Context::Line {
                    return Err(GiveUp);
                }
                self.block_scalar(i, owner)
            }
            b'[' | b'{' => {
                let end = self.flow(i, (owner + 1) as usize)?;
                self.after_inline(end, owner)
            }
            b'"' | b'\'' => {
                let (value, end) = self.quoted(i, Some(owner))?;
                if self.at(end) == b':' && blank_or_end(self.at(end + 1)) {
                    // A key, which must be on one line (the mapping reads it again).
                    return match context {
                        Context::Value(_) => Err(GiveUp),
                        _ => self.mapping(i),
                    };
                }
                let style = if c == b'"' { ScalarStyle::DoubleQuoted } else { ScalarStyle::SingleQuoted };
                let span_end = self.token_end(end);
                self.scalar(value, style, i, span_end)?;
                self.after_inline(end, owner)
            }
            b'-' if blank_or_end(self.at(i + 1)) => match context {
                Context::Value(_) => Err(GiveUp),
                _ => {
                    let column = self.column(i);
                    self.sequence(i, column, false)
                }
            },
            _ => {
                if !self.plain_start_block(i) {
                    return Err(GiveUp);
                }
                let (end, stop, at) = self.plain_block(i);
                if stop == PlainStop::Colon {
                    return match context {
                        Context::Value(_) => Err(GiveUp),
                        _ => self.mapping(i),
                    };
                }
                let (value, end, at) = if stop == PlainStop::LineEnd {
                    self.plain_continued(i, end, at, owner)?
                } else {
                    (Cow::Borrowed(self.text(i, end)), end, at)
                };
                self.scalar(value, ScalarStyle::Plain, i, end)?;
                self.after_inline(at, owner)
            }
        }
    }

    /// A `-` followed by a space or the line's end.
    fn is_entry(&self, i: usize) -> bool {
        self.at(i) == b'-' && blank_or_end(self.at(i + 1))
    }

    /// Whether a plain scalar may start at `i` (in block or flow context alike, with the
    /// indicators this reader leaves to saphyr).
    fn plain_start(&self, i: usize) -> bool {
        match self.at(i) {
            b'-' => {
                let next = self.at(i + 1);
                !blank_or_end(next) && !flow_indicator(next)
            }
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
            | b'%' | b'@' | b'`' | b' ' | b'\n' | 0 => false,
            _ => true,
        }
    }

    /// [`Quick::plain_start`] in block context, where `:` and `?` also start a plain scalar when
    /// no space follows them (`record: :node_memory:sum`).
    fn plain_start_block(&self, i: usize) -> bool {
        match self.at(i) {
            b':' | b'?' => !blank_or_end(self.at(i + 1)),
            _ => self.plain_start(i),
        }
    }

    /// A plain scalar whose first line ends at `end` (its text) and `at` (the line end), with
    /// the lines that continue it: those after it, past empty ones, indented deeper than its
    /// collection (`owner`). YAML folds them: one line break is a space, each empty line a
    /// line feed, and each line's surrounding spaces go. Gives the value, the end of its text
    /// and where its last line stopped.
    fn plain_continued(&self, i: usize, end: usize, at: usize, owner: isize) -> R<(Cow<'t, str>, usize, usize)> {
        let (mut end, mut at) = (end, at);
        let mut value: Option<String> = None;
        // A root scalar's lines could hold document markers: left to saphyr.
        while owner >= 0 && at < self.len() {
            let (line, start, breaks) = self.past_empty_lines(at + 1);
            let c = self.at(start);
            // The text's end, a comment line or a line of the collection: the scalar ended.
            if c == 0 || c == b'#' || ((start - line) as isize) <= owner {
                break;
            }
            // Indicators at the start of a continuation line are left to saphyr.
            if matches!(c, b'-' | b'?' | b':') && blank_or_end(self.at(start + 1)) {
                return Err(GiveUp);
            }
            let (line_end, stop, stopped) = self.plain_block(start);
            if stop == PlainStop::Colon {
                // A key on a continuation line: an error, said by saphyr.
                return Err(GiveUp);
            }
            let buf = value.get_or_insert_with(|| self.text(i, end).to_owned());
            join_folded(buf, breaks);
            buf.push_str(self.text(start, line_end));
            (end, at) = (line_end, stopped);
            if stop == PlainStop::Comment {
                break;
            }
        }
        Ok((value.map_or_else(|| Cow::Borrowed(self.text(i, end)), Cow::Owned), end, at))
    }

    /// A plain scalar in block context from `i`: the end of its text, why it stopped, and where.
    fn plain_block(&self, i: usize) -> (usize, PlainStop, usize) {
        let mut j = i;
        let mut end = i;
        loop {
            match self.at(j) {
                0 | b'\n' => return (end, PlainStop::LineEnd, j),
                b' ' => {
                    if self.at(j + 1) == b'#' {
                        return (end, PlainStop::Comment, j);
                    }
                }
                b':' if blank_or_end(self.at(j + 1)) => return (end, PlainStop::Colon, j),
                _ => end = j + 1,
            }
            j += 1;
        }
    }

    /// A block mapping whose first key is at `i`; its keys are at `i`'s column.
    fn mapping(&mut self, i: usize) -> R<usize> {
        self.enter()?;
        let indent = self.column(i);
        self.emit(Ev::MappingStart(0), i, i)?;
        let mut key = i;
        let next = loop {
            let colon = match self.at(key) {
                c @ (b'"' | b'\'') => {
                    let (value, end) = self.quoted(key, None)?;
                    if self.at(end) != b':' || !blank_or_end(self.at(end + 1)) {
                        return Err(GiveUp);
                    }
                    let style = if c == b'"' { ScalarStyle::DoubleQuoted } else { ScalarStyle::SingleQuoted };
                    self.scalar(value, style, key, end)?;
                    end
                }
                _ => {
                    if self.is_entry(key) || !self.plain_start_block(key) {
                        return Err(GiveUp);
                    }
                    let (end, stop, at) = self.plain_block(key);
                    if stop != PlainStop::Colon {
                        return Err(GiveUp);
                    }
                    self.scalar(Cow::Borrowed(self.text(key, end)), ScalarStyle::Plain, key, end)?;
                    at
                }
            };
            if colon - key > MAX_KEY {
                return Err(GiveUp);
            }
            let start = self.skip_spaces(colon + 1);
            let next = self.value(start, indent as isize, Context::Value(colon))?;
            if next >= self.len() {
                break next;
            }
            let line_indent = self.indent(next);
            if line_indent == indent {
                key = next + indent;
                continue;
            }
            if line_indent < indent {
                break next;
            }
            return Err(GiveUp);
        };
        self.emit(Ev::MappingEnd, next, next)?;
        self.depth -= 1;
        Ok(next)
    }

    /// A block sequence whose first `-` is at `i`, at column `indent`; `indentless` when it is
    /// a mapping value at its key's indentation.
    fn sequence(&mut self, i: usize, indent: usize, indentless: bool) -> R<usize> {
        self.enter()?;
        // An indentless sequence starts where saphyr's scanner stands after the first `-`: past
        // its spaces and any comment.
        let start = if indentless { self.token_end(i + 1) } else { i };
        self.emit(Ev::SequenceStart(0), start, start)?;
        let mut dash = i;
        let next = loop {
            let item = self.skip_spaces(dash + 1);
            let next = self.value(item, indent as isize, Context::Item)?;
            if next >= self.len() {
                break next;
            }
            let line_indent = self.indent(next);
            if line_indent == indent && self.is_entry(next + indent) {
                dash = next + indent;
                continue;
            }
            if line_indent <= indent {
                break next;
            }
            return Err(GiveUp);
        };
        self.emit(Ev::SequenceEnd, next, next)?;
        self.depth -= 1;
        Ok(next)
    }

    /// A quoted scalar from `i` (its opening quote): its value and the offset after its closing
    /// quote. With `fold`, the indentation of the collection it is a value in, it may go on over
    /// lines indented deeper than that collection; without, it must end on its line.
    fn quoted(&self, i: usize, fold: Option<isize>) -> R<(Cow<'t, str>, usize)> {
        let single = self.at(i) == b'\'';
        let mut j = i + 1;
        let mut owned: Option<String> = None;
        let mut run = j;
        loop {
            match self.at(j) {
                0 => return Err(GiveUp),
                b'\n' => {
                    let owner = fold.filter(|&o| o >= 0).ok_or(GiveUp)?;
                    // Folding: the spaces before the break go, one break is a space, each
                    // empty line a line feed, the next line's indentation goes.
                    let buf = owned.get_or_insert_with(String::new);
                    buf.push_str(self.text(run, j).trim_end_matches(' '));
                    let (line, start, breaks) = self.past_empty_lines(j + 1);
                    // Unterminated, or continued at the collection's indentation or less
                    // (which saphyr rejects and the builder reads as go-yaml does).
                    if self.at(start) == 0 || ((start - line) as isize) <= owner {
                        return Err(GiveUp);
                    }
                    join_folded(buf, breaks);
                    j = start;
                    run = j;
                }
                b'\'' if single && self.at(j + 1) == b'\'' => {
                    let buf = owned.get_or_insert_with(String::new);
                    buf.push_str(self.text(run, j + 1));
                    j += 2;
                    run = j;
                }
                b'\\' if !single => {
                    let buf = owned.get_or_insert_with(String::new);
                    buf.push_str(self.text(run, j));
                    // An escaped line break is not in the list: left to saphyr.
                    let (c, width) = self.escape(j + 1)?;
                    buf.push(c);
                    j += 1 + width;
                    run = j;
                }
                c if c == (if single { b'\'' } else { b'"' }) => {
                    let value = match owned {
                        None => Cow::Borrowed(self.text(i + 1, j)),
                        Some(mut buf) => {
                            buf.push_str(self.text(run, j));
                            Cow::Owned(buf)
                        }
                    };
                    return Ok((value, j + 1));
                }
                _ => j += 1,
            }
        }
    }

    /// The escape after a backslash at `i - 1`: the character and how many bytes it took.
    fn escape(&self, i: usize) -> R<(char, usize)> {
        let simple = match self.at(i) {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' => return self.hex(i + 1, 2),
            b'u' => return self.hex(i + 1, 4),
            b'U' => return self.hex(i + 1, 8),
            _ => return Err(GiveUp),
        };
        Ok((simple, 1))
    }

    fn hex(&self, i: usize, digits: usize) -> R<(char, usize)> {
        let text = self.b.get(i..i + digits).ok_or(GiveUp)?;
        if !text.iter().all(u8::is_ascii_hexdigit) {
            return Err(GiveUp);
        }
        let code = u32::from_str_radix(self.text(i, i + digits), 16).map_err(|_| GiveUp)?;
        let c = char::from_u32(code).ok_or(GiveUp)?;
        Ok((c, 1 + digits))
    }

    /// Where saphyr ends the span of a token that ends at `end` (a quoted scalar, a closing
    /// bracket): past the spaces after it, and past a comment that follows them on the line.
    fn token_end(&self, end: usize) -> usize {
        let j = self.skip_spaces(end);
        if j > end && self.at(j) == b'#' { self.line_end(j) } else { j }
    }

    /// A literal or folded block scalar whose indicator is at `i`, inside a collection indented
    /// `owner`. Gives the start of the next content line.
    fn block_scalar(&mut self, i: usize, owner: isize) -> R<usize> {
        let folded = self.at(i) == b'>';
        let mut j = i + 1;
        let chomp = match self.at(j) {
            b'-' => Chomp::Strip,
            b'+' => Chomp::Keep,
            _ => Chomp::Clip,
        };
        if !matches!(chomp, Chomp::Clip) {
            j += 1;
        }
        if self.at(j).is_ascii_digit() {
            return Err(GiveUp);
        }
        let first = self.rest_of_line(j)?;
        // The first line sets the indentation; leading blank lines are left to saphyr.
        let indent = self.indent(first);
        let c = self.at(first + indent);
        if c == b'\n' || c == 0 || indent as isize <= owner {
            return Err(GiveUp);
        }
        let start = first + indent;
        let mut value = String::new();
        // Line breaks seen since the last content line (the last one's own included).
        let mut breaks = 0usize;
        let mut line = first;
        let mut any = false;
        // saphyr ends the span after the indentation of the line that ends the scalar.
        let end = loop {
            if line >= self.len() {
                break self.len();
            }
            let spaces = self.indent(line);
            let c = self.at(line + spaces);
            if c == b'\n' {
                if spaces > indent {
                    return Err(GiveUp);
                }
                breaks += 1;
                line += spaces + 1;
                continue;
            }
            if c == 0 {
                // Spaces at the very end of the text.
                return Err(GiveUp);
            }
            if spaces < indent {
                break line + spaces;
            }
            if spaces > indent && folded {
                return Err(GiveUp);
            }
            let line_end = self.line_end(line);
            if line_end >= self.len() {
                // No line break after the last line: left to saphyr.
                return Err(GiveUp);
            }
            if any {
                if folded && breaks == 1 {
                    value.push(' ');
                } else if folded {
                    value.extend(std::iter::repeat_n('\n', breaks - 1));
                } else {
                    value.extend(std::iter::repeat_n('\n', breaks));
                }
            }
            value.push_str(self.text(line + indent, line_end));
            any = true;
            breaks = 1;
            line = line_end + 1;
        };
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => value.push('\n'),
            Chomp::Keep => value.extend(std::iter::repeat_n('\n', breaks)),
        }
        let style = if folded { ScalarStyle::Folded } else { ScalarStyle::Literal };
        self.scalar(Cow::Owned(value), style, start, end)?;
        let next = self.next_content(line.min(self.len()));
        if next < self.len() && self.indent(next) as isize > owner {
            return Err(GiveUp);
        }
        Ok(next)
    }

    /// Spaces, line breaks and comments inside a flow collection; continuation lines must be
    /// indented at least `min_indent`.
    fn flow_space(&self, mut i: usize, min_indent: usize) -> R<usize> {
        loop {
            match self.at(i) {
                b' ' => i += 1,
                b'\n' => {
                    let line = i + 1;
                    let spaces = self.indent(line);
                    let c = self.at(line + spaces);
                    if spaces < min_indent && c != b'\n' && c != 0 {
                        return Err(GiveUp);
                    }
                    i = line + spaces;
                }
                b'#' => {
                    let before = i.checked_sub(1).map_or(b'\n', |p| self.at(p));
                    if before != b' ' && before != b'\n' {
                        return Err(GiveUp);
                    }
                    i = self.line_end(i);
                }
                _ => return Ok(i),
            }
        }
    }

    /// A flow collection whose bracket is at `i`. Gives the offset after its closing bracket.
    fn flow(&mut self, i: usize, min_indent: usize) -> R<usize> {
        self.enter()?;
        let is_map = self.at(i) == b'{';
        let close = if is_map { b'}' } else { b']' };
        self.emit(if is_map { Ev::MappingStart(0) } else { Ev::SequenceStart(0) }, i, i + 1)?;
        let mut j = self.flow_space(i + 1, min_indent)?;
        if self.at(j) != close {
            loop {
                if is_map {
                    let quoted_key = matches!(self.at(j), b'"' | b'\'');
                    j = self.flow_key(j)?;
                    j = self.flow_space(j, min_indent)?;
                    if self.at(j) != b':' {
                        return Err(GiveUp);
                    }
                    // Only after a quoted (JSON-like) key may the value follow the colon without
                    // a space (`{"a":1}`); after a plain one (`{a:{b: c}}`) saphyr decides.
                    if !quoted_key && !blank_or_end(self.at(j + 1)) {
                        return Err(GiveUp);
                    }
                    j = self.flow_space(j + 1, min_indent)?;
                }
                j = self.flow_node(j, min_indent)?;
                j = self.flow_space(j, min_indent)?;
                match self.at(j) {
                    b',' => {
                        j = self.flow_space(j + 1, min_indent)?;
                        if self.at(j) == close {
                            // A trailing comma: valid YAML, but left to saphyr.
                            return Err(GiveUp);
                        }
                    }
                    c if c == close => break,
                    _ => return Err(GiveUp),
                }
            }
        }
        let end = self.token_end(j + 1);
        self.emit(if is_map { Ev::MappingEnd } else { Ev::SequenceEnd }, j, end)?;
        self.depth -= 1;
        Ok(j + 1)
    }

    /// A key of a flow mapping (a scalar). Gives the offset after it.
    fn flow_key(&mut self, i: usize) -> R<usize> {
        match self.at(i) {
            b'"' | b'\'' => self.flow_quoted(i),
            _ => self.flow_plain(i),
        }
    }

    /// A node inside a flow collection. Gives the offset after it.
    fn flow_node(&mut self, i: usize, min_indent: usize) -> R<usize> {
        match self.at(i) {
            b'[' | b'{' => self.flow(i, min_indent),
            b'"' | b'\'' => self.flow_quoted(i),
            _ => self.flow_plain(i),
        }
    }

    fn flow_quoted(&mut self, i: usize) -> R<usize> {
        let (value, end) = self.quoted(i, None)?;
        let style = if self.at(i) == b'"' { ScalarStyle::DoubleQuoted } else { ScalarStyle::SingleQuoted };
        let span_end = self.token_end(end);
        self.scalar(value, style, i, span_end)?;
        Ok(end)
    }

    /// A plain scalar inside a flow collection, on one line.
    fn flow_plain(&mut self, i: usize) -> R<usize> {
        if !self.plain_start(i) {
            return Err(GiveUp);
        }
        let mut j = i;
        let mut end = i;
        loop {
            match self.at(j) {
                0 | b'\n' => break,
                b' ' if self.at(j + 1) == b'#' => break,
                b' ' => {}
                b':' if blank_or_end(self.at(j + 1)) || flow_indicator(self.at(j + 1)) => break,
                c if flow_indicator(c) => break,
                _ => end = j + 1,
            }
            j += 1;
        }
        self.scalar(Cow::Borrowed(self.text(i, end)), ScalarStyle::Plain, i, end)?;
        Ok(end)
    }
}

#[cfg(test)]
mod tests {
    //! That the reader takes what it is meant to (tests/quick_reader.rs shows that what it
    //! takes reads as saphyr reads it; this, that it does not just leave everything to saphyr).
    use super::*;
    use crate::{Issues, Limits, lines::LineIndex, split::split_documents, tree::Tree};

    /// Bytes of `text`'s documents that the quick reader takes, and its documents' bytes.
    fn taken(text: &str) -> (usize, usize) {
        let (mut tree, lines, limits) = (Tree::default(), LineIndex::new(text), Limits::default());
        let (mut list, mut omitted) = (Vec::new(), Vec::new());
        let issues = Issues::new(&mut list, &mut omitted, limits.max_findings_per_rule);
        let mut builder = Builder::new(&mut tree, &lines, &limits, issues, true);
        let (mut took, mut all) = (0, 0);
        for chunk in split_documents(text).chunks {
            let (start, end) = (chunk.span.start as usize, chunk.span.end as usize);
            let document = text.get(start..end).unwrap_or("");
            all += document.len();
            if read(&mut builder, &mut Reading::default(), document, start).is_ok() {
                took += document.len();
            }
        }
        (took, all)
    }

    #[test]
    fn takes_scalars_on_several_lines_and_plain_scalars_that_start_with_an_indicator() {
        for text in [
            "a: one\n  two\n\n  three\nb: 1\n",
            "- one\n  two\n",
            "a:\n  one\n  two\n",
            "a: \"one\n  two\"\nb: 'x\n\n  y'\n",
            "record: :node_memory:sum\n?x: 1\n",
            "{\"a\":1,\"b\":{\"c\":[2]}}\n",
        ] {
            assert_eq!(taken(text).0, text.len(), "{text}");
        }
        // Left to saphyr: continued at the key's indentation, an escaped line break, a key.
        for text in ["a: \"one\ntwo\"\n", "a: \"one\\\n  two\"\n", "a: one\n  two: x\n", "one\ntwo\n"] {
            assert_eq!(taken(text).0, 0, "{text}");
        }
    }

    /// The real manifests are nearly all in the subset (what is not has tabs or carriage
    /// returns).
    #[test]
    fn takes_nearly_all_of_the_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real");
        let mut dirs = vec![root];
        let (mut took, mut all) = (0, 0);
        while let Some(dir) = dirs.pop() {
            for path in std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()) {
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    let (t, a) = taken(&text);
                    took += t;
                    all += a;
                }
            }
        }
        assert!(all > 1_000_000, "the shared corpus is missing: {all} bytes");
        assert!(took * 1000 >= all * 995, "the quick reader took {took} of {all} bytes");
    }
}
