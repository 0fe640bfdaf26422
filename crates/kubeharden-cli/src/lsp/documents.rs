//! The documents the client has open: their text (the editor's, not the disk's), version and
//! language, kept up to date by full and incremental changes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types::TextDocumentContentChangeEvent;

use super::position::{Encoding, LineMap};

#[derive(Debug, Clone)]
pub struct Document {
    pub uri: String,
    /// Its file on disk, for `file:` URIs.
    pub path: Option<PathBuf>,
    pub language_id: String,
    pub version: i32,
    pub text: String,
}

impl Document {
    /// Applies changes in order: a change without a range replaces the whole text, one with a
    /// range replaces that range (positions in the negotiated encoding, each relative to the
    /// text as the previous change left it).
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32, encoding: Encoding) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let map = LineMap::new(&self.text);
                    let start = map.offset(&self.text, range.start, encoding);
                    let end = map.offset(&self.text, range.end, encoding).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
            }
        }
        self.version = version;
    }
}

#[derive(Debug, Default)]
pub struct Documents {
    open: BTreeMap<String, Document>,
}

impl Documents {
    pub fn open(&mut self, document: Document) {
        self.open.insert(document.uri.clone(), document);
    }

    pub fn close(&mut self, uri: &str) -> Option<Document> {
        self.open.remove(uri)
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn get_mut(&mut self, uri: &str) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.open.values()
    }

    /// The open document of a file on disk.
    pub fn by_path(&self, path: &std::path::Path) -> Option<&Document> {
        self.open.values().find(|d| d.path.as_deref() == Some(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn change(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| Range {
                start: Position { line: l1, character: c1 },
                end: Position { line: l2, character: c2 },
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    fn doc(text: &str) -> Document {
        Document { uri: "file:///a.yaml".into(), path: None, language_id: "yaml".into(), version: 1, text: text.into() }
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut d = doc("kind: Pod\nname: é😀x\n");
        d.apply(
            vec![
                change(Some(((1, 9), (1, 10))), "y"), // x -> y, after é (1 unit) and 😀 (2 units)
                change(Some(((0, 6), (0, 9))), "Deployment"),
                change(Some(((2, 0), (2, 0))), "spec: {}\n"),
            ],
            2,
            Encoding::Utf16,
        );
        assert_eq!(d.text, "kind: Deployment\nname: é😀y\nspec: {}\n");
        assert_eq!(d.version, 2);
    }

    #[test]
    fn utf8_columns_and_full_replacement() {
        let mut d = doc("a: é😀x\n");
        d.apply(vec![change(Some(((0, 9), (0, 10))), "z")], 2, Encoding::Utf8);
        assert_eq!(d.text, "a: é😀z\n");
        d.apply(vec![change(None, "new\r\ntext")], 3, Encoding::Utf8);
        d.apply(vec![change(Some(((1, 0), (1, 4))), "line")], 4, Encoding::Utf8);
        assert_eq!(d.text, "new\r\nline");
    }

    #[test]
    fn out_of_range_changes_are_clamped() {
        let mut d = doc("ab");
        d.apply(vec![change(Some(((0, 1), (9, 0))), "!")], 2, Encoding::Utf16);
        assert_eq!(d.text, "a!");
    }
}
