//! `docs! { what: …, why: …, fail: …, pass: …, fix: …, references: &[…] }`: a rule's
//! documentation, written in its file. With the `docs` feature (the CLI, the tests, the
//! generator of the package's docs file) it is the [`Docs`](crate::rules::Docs) value; without
//! it (the wasm package) it is [`Docs::EMPTY`](crate::rules::Docs::EMPTY), so the text never
//! reaches the binary, and the registry reads the docs the package loads at run time
//! ([`crate::registry::load_docs`]).
//!
//! `Docs` is resolved where the macro is used: each rule file already imports it.

#[cfg(feature = "docs")]
macro_rules! docs {
    ($($field:tt)*) => {
        Docs { $($field)* }
    };
}

#[cfg(not(feature = "docs"))]
macro_rules! docs {
    ($($field:tt)*) => {
        Docs::EMPTY
    };
}
