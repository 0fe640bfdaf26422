//! Property names as CEL sees them (k8s.io/apiserver/pkg/cel `Escape`): a property of a
//! structural schema is a field of `self` only under a name that is a CEL identifier.
//!
//! - `__` becomes `__underscores__`, `.` `__dot__`, `-` `__dash__`, `/` `__slash__`;
//! - a CEL reserved word (`namespace`, `in`, `true`, ...) becomes `__{word}__`;
//! - a name that starts with a digit, is empty, or has any other character (`:`, ` `, `@`)
//!   has no CEL name: the field is not visible to rules.

/// cel-go's reserved symbols, as the API server lists them.
const RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// The CEL name of a property, or `None` when it has none.
pub fn escape(name: &str) -> Option<String> {
    let first = name.chars().next()?;
    if first.is_ascii_digit() {
        return None;
    }
    if RESERVED.contains(&name) {
        return Some(format!("__{name}__"));
    }
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '_' if chars.peek() == Some(&'_') => {
                chars.next();
                out.push_str("__underscores__");
            }
            '.' => out.push_str("__dot__"),
            '-' => out.push_str("__dash__"),
            '/' => out.push_str("__slash__"),
            c if c.is_ascii_alphanumeric() || c == '_' => out.push(c),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_as_the_api_server() {
        for (name, cel) in [
            ("replicas", Some("replicas")),
            ("foo-bar", Some("foo__dash__bar")),
            ("a.b", Some("a__dot__b")),
            ("x/y", Some("x__slash__y")),
            ("a__b", Some("a__underscores__b")),
            ("a___b", Some("a__underscores___b")),
            ("_x", Some("_x")),
            ("namespace", Some("__namespace__")),
            ("in", Some("__in__")),
            ("namespaces", Some("namespaces")),
            ("1st", None),
            ("", None),
            ("a:b", None),
            ("a b", None),
            ("é", None),
        ] {
            assert_eq!(escape(name).as_deref(), cel, "{name}");
        }
    }
}
