//! How OPA prints values inside messages: a Rego term's `String()` (what `sprintf` gets for
//! arrays, objects, sets, booleans and null) and Go's `strconv.Quote` for the strings in it.

use regorus::Value;

/// A value as Rego source text: `["a", 1]`, `{"k": true}`, `{1, 2}`, `set()`, `null`.
/// Object keys and set elements are sorted, as OPA keeps them. Writing stops (the text is cut)
/// past the longest string a builtin may build: a value made of shared parts can stand for
/// far more text than it takes memory.
pub(crate) fn rego_string(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v);
    out
}

fn write(out: &mut String, v: &Value) {
    if out.len() > crate::extensions::bounded::MAX_STRING {
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.format_decimal()),
        Value::String(s) => out.push_str(&go_quote(s, false)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Set(items) if items.is_empty() => out.push_str("set()"),
        Value::Set(items) => {
            out.push('{');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, item);
            }
            out.push('}');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (k, val)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, k);
                out.push_str(": ");
                write(out, val);
            }
            out.push('}');
        }
        Value::Undefined => out.push_str("undefined"),
    }
}

/// Go's `strconv.Quote` (`ascii_only`: `strconv.QuoteToASCII`).
pub(crate) fn go_quote(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) && (!ascii_only || c.is_ascii()) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint` for the characters policies meet: letters, marks, numbers,
/// punctuation, symbols and the ASCII space; not controls, other spaces, line and paragraph
/// separators, format characters or private use. (Unassigned code points count as
/// printable here; Go's tables say otherwise.)
fn is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || (0x7f..0xa0).contains(&u) {
        return false;
    }
    if u < 0x7f {
        return true;
    }
    let not_print: &[(u32, u32)] = &[
        (0xa0, 0xa0),
        (0xad, 0xad),
        (0x600, 0x605),
        (0x61c, 0x61c),
        (0x6dd, 0x6dd),
        (0x70f, 0x70f),
        (0x1680, 0x1680),
        (0x180e, 0x180e),
        (0x2000, 0x200f),
        (0x2028, 0x202f),
        (0x205f, 0x2064),
        (0x2066, 0x206f),
        (0x3000, 0x3000),
        (0xd800, 0xf8ff),
        (0xfeff, 0xfeff),
        (0xfff9, 0xfffb),
        (0x110bd, 0x110bd),
        (0x1d173, 0x1d17a),
        (0xe0001, 0xe0001),
        (0xe0020, 0xe007f),
        (0xf0000, 0x10ffff),
    ];
    !not_print.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é\u{a0}", false), "\"a\\\"b\\\\c\\n\\x01é\\u00a0\"");
        assert_eq!(go_quote("é", true), "\"\\u00e9\"");
    }

    #[test]
    fn prints_terms_like_opa() {
        let v = Value::from(serde_json::json!({"b": [1, "x", null], "a": true}));
        assert_eq!(rego_string(&v), "{\"a\": true, \"b\": [1, \"x\", null]}");
        assert_eq!(rego_string(&Value::new_set()), "set()");
    }
}
