//! `yaml.unmarshal`, `yaml.is_valid` and `yaml.marshal`. Reading uses kubeharden's own YAML
//! reader (the one the manifests go through: the Kubernetes YAML 1.1 reading OPA gets from
//! sigs.k8s.io/yaml), so regorus' `yaml` feature (libyaml in Rust, about 40 KB gzip) stays
//! out; writing follows go-yaml v2's output (keys sorted, sequences not indented under their
//! key, strings that would read as another type double-quoted).

use kubeharden_source::{Limits, Source, parse, to_json::node_to_json};
use regorus::Value;

use super::add;
use super::bounded::{MAX_ELEMENTS, MAX_STRING, logical_size};

pub(super) fn register(engine: &mut regorus::Engine) {
    add(engine, "yaml.unmarshal", 1, unmarshal);
    add(engine, "yaml.is_valid", 1, is_valid);
    add(engine, "yaml.marshal", 1, marshal);
}

/// The first document of `text`, or `None` when the text is not valid YAML.
fn read(text: &str) -> Option<serde_json::Value> {
    let limits = Limits { max_input_bytes: MAX_STRING, ..Limits::default() };
    let parsed = parse(&Source::new("yaml", text), &limits);
    if parsed.issues.iter().any(|i| {
        i.kind != kubeharden_source::IssueKind::AmbiguousValue && i.kind != kubeharden_source::IssueKind::DuplicateKey
    }) {
        return None;
    }
    Some(parsed.documents.first().map_or(serde_json::Value::Null, |d| node_to_json(parsed.tree.node(d.root))))
}

fn unmarshal(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some(Value::String(s)) = args.first() else { return Ok(Value::Undefined) };
    Ok(read(s).map_or(Value::Undefined, Value::from))
}

fn is_valid(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some(Value::String(s)) = args.first() else { return Ok(Value::from(false)) };
    Ok(Value::from(read(s).is_some()))
}

fn marshal(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some(v) = args.first() else { return Ok(Value::Undefined) };
    if logical_size(v, MAX_ELEMENTS) > MAX_ELEMENTS {
        return Err(anyhow::anyhow!("yaml.marshal: the result would exceed the size a policy may build"));
    }
    let mut out = String::new();
    block(&mut out, v, 0);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(Value::from(out))
}

fn is_collection(v: &Value) -> bool {
    match v {
        Value::Object(o) => !o.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Set(s) => !s.is_empty(),
        _ => false,
    }
}

fn items(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Set(s) => s.iter().collect(),
        _ => Vec::new(),
    }
}

/// Writes `v` as a block node whose lines start at `indent`.
fn block(out: &mut String, v: &Value, indent: usize) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(o) if !o.is_empty() => {
            for (n, (k, val)) in o.iter().enumerate() {
                if n > 0 {
                    out.push_str(&pad);
                }
                out.push_str(&scalar(k, indent));
                out.push(':');
                match val {
                    Value::Object(_) if is_collection(val) => {
                        out.push('\n');
                        out.push_str(&" ".repeat(indent + 2));
                        block(out, val, indent + 2);
                    }
                    Value::Array(_) | Value::Set(_) if is_collection(val) => {
                        out.push('\n');
                        out.push_str(&pad);
                        block(out, val, indent);
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&scalar(val, indent + 2));
                        out.push('\n');
                    }
                }
            }
        }
        Value::Array(_) | Value::Set(_) if is_collection(v) => {
            for (n, item) in items(v).into_iter().enumerate() {
                if n > 0 {
                    out.push_str(&pad);
                }
                out.push_str("- ");
                if is_collection(item) {
                    block(out, item, indent + 2);
                } else {
                    out.push_str(&scalar(item, indent + 2));
                    out.push('\n');
                }
            }
        }
        _ => {
            out.push_str(&scalar(v, indent));
            out.push('\n');
        }
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null | Value::Undefined => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.format_decimal(),
        Value::String(s) => string(s, indent),
        Value::Object(_) => "{}".into(),
        Value::Array(_) | Value::Set(_) => "[]".into(),
    }
}

/// go-yaml v2's choice for a string: a literal block for several lines, double quotes for
/// what would read as another type, plain where the syntax allows, else single quotes.
fn string(s: &str, indent: usize) -> String {
    if s.contains('\n') && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        let keep = if s.ends_with('\n') { "" } else { "-" };
        let pad = " ".repeat(indent.max(2));
        let body: Vec<String> = s
            .trim_end_matches('\n')
            .split('\n')
            .map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") })
            .collect();
        return format!("|{keep}\n{}", body.join("\n"));
    }
    let reads_as_other = !matches!(
        kubeharden_source::scalar::resolve(
            s,
            kubeharden_source::scalar::ScalarStyle::Plain,
            kubeharden_source::scalar::TagHint::None
        ),
        kubeharden_source::scalar::Scalar::Str
    ) || kubeharden_source::scalar::is_timestamp(s);
    if reads_as_other || s.chars().any(|c| c.is_control()) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        let second = s.chars().nth(1);
        // `-`, `?` and `:` start a plain scalar when followed by a non-space.
        if !(matches!(first, '-' | '?' | ':') && second.is_some_and(|c| c != ' ')) {
            return false;
        }
    }
    !(s.contains(": ") || s.contains(" #") || s.ends_with(':'))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(v: serde_json::Value) -> String {
        match marshal(vec![Value::from(v)]) {
            Ok(Value::String(s)) => s.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn writes_like_go_yaml() {
        let v = serde_json::json!({"b": [1, {"x": "y", "a": true}], "a": {"c": "true", "d": "it's: here"}, "e": [], "f": "multi\nline"});
        assert_eq!(
            m(v),
            "a:\n  c: \"true\"\n  d: 'it''s: here'\nb:\n- 1\n- a: true\n  x: \"y\"\ne: []\nf: |-\n  multi\n  line\n"
        );
    }

    #[test]
    fn reads_like_the_api_server() {
        let v = unmarshal(vec![Value::from("a: yes\nb: 0644\nc: [1, x]\n")]).ok();
        assert_eq!(v, Some(Value::from(serde_json::json!({"a": true, "b": 420, "c": [1, "x"]}))));
        assert_eq!(is_valid(vec![Value::from("a: [")]).ok(), Some(Value::from(false)));
    }
}
