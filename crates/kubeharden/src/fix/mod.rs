//! Fixes, in one place: how rules build them (edits that respect the document's own layout)
//! and how front ends apply them (one pass of non-overlapping edits, composed where several
//! fixes add keys to the same object, repeated until the text is stable).
//!
//! - [`text`]: lines, indentation and line endings around an offset.
//! - [`insert`]: replace a value, add missing keys (block or flow style).
//! - [`sequence`]: add, remove and wrap list items; remove an entry; append a document.
//! - [`apply`]: apply edits to a text (bytes or the report's UTF-16 offsets), compose them.
//! - [`diff`]: what changed, as line edits or a unified diff.
//! - [`autofix`]: lint, apply the fixes of the findings, lint again, until nothing changes.
//!
//! Every fix has an [`Applicability`]: how sure we are that applying it keeps the workload
//! working. Every rule declares the applicability of the fixes it attaches
//! ([`crate::rules::Rule::fix`]), and the finding's fix carries it.

pub mod apply;
pub mod autofix;
pub mod diff;
pub mod insert;
pub mod sequence;
pub mod text;

use serde::{Deserialize, Serialize};

pub use apply::{apply_bytes, apply_utf16};
pub use autofix::{FixOptions, FixOutcome, FixedSource, fix, fix_str};
pub use insert::{insert, replace};
pub use sequence::{append_document, append_item, insert_item_before, remove_entry_line, remove_item, wrap_in_list};
pub use text::newline_near;

/// Byte ranges of a source and their replacements, as rules build them; the engine converts
/// them to the report's UTF-16 offsets.
pub type Edits = Vec<(crate::source::ByteSpan, String)>;

/// How safe a fix is to apply without looking (issue 17): ordered from the safest, so that
/// "apply everything up to hardening" is a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// No change in behaviour: a typo'd key renamed, an ambiguous value quoted, a duplicate
    /// key or an exemption that does nothing removed.
    Safe,
    /// Tightens a setting the workload might still need (`allowPrivilegeEscalation: false`,
    /// `capabilities.drop: [ALL]`, a capability removed from `add`).
    Hardening,
    /// Likely to break a workload unless someone checks: `runAsNonRoot` on an image that runs
    /// as root, `readOnlyRootFilesystem` on an image that writes, a host port removed.
    Unsafe,
}

impl Applicability {
    pub const ALL: [Applicability; 3] = [Applicability::Safe, Applicability::Hardening, Applicability::Unsafe];

    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Hardening => "hardening",
            Applicability::Unsafe => "unsafe",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Applicability::ALL.into_iter().find(|a| a.as_str() == text)
    }
}
