//! The quick reader gives what saphyr-parser gives, node for node (values, styles, spans) and
//! issue for issue, on every YAML and JSON input of the project and on broken variants of them:
//! where it cannot, it must leave the document to saphyr.

use std::path::{Path, PathBuf};

use kubeharden_source::{Limits, Source, parse_owned, parse_owned_full_reader};

fn files_under(root: &Path, out: &mut Vec<(String, String)>) {
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push((path.display().to_string(), text));
            }
        }
    }
}

/// The shared corpus and conformance suites, and the project's own fixtures.
fn inputs() -> Vec<(String, String)> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["../../../shared/corpus", "../../../shared/conformance", "../kubeharden/tests/fixtures", "../../tests"]
    {
        files_under(&here.join(dir), &mut out);
    }
    assert!(out.len() > 1000, "the shared data is missing: {} inputs", out.len());
    out
}

/// Small texts at the edges of the subset the quick reader takes.
const EDGES: &[&str] = &[
    "a: 1\nb:\n  c: \"x\"\n  d: [1, {e: f}]\nlist:\n- x\n- y: z\n  w: q\n-   - n\nblk: |\n  line1\n   line2\n\nfold: >-\n  a\n  b\nempty:\nlast: 's'\n# c\n",
    "list:\n  - x\n  - y\n",
    "- x\n- y\n",
    "k:\n- \n- # c\n  x\n-\n",
    "a:   # c\n  b: 1\nc: # x\n\nd: 2\n",
    "- a: 1\n  b: 2\n- c\n",
    "x: y # c\nz: \"q\" # c\n",
    "z: \"q\"   \nw: 'a'\n",
    "a: |\n  x\n# c\nb: >\n  y\n\n  # not\n  z\n\n\nc: 1\n",
    "a: |-\n  x\n\n\n# c\nb: 1\n",
    "a: [1,\n  2]\nb: {x: 1,\n   y: 2}\n",
    "{\"a\": 1, \"b\": [true, null, \"x\\u00e9\\n\"], \"c\": {}}\n",
    "[ \"a\" , 'b' ]\n",
    "a: 'it''s'\nb: \"tab\\there\"\n",
    "  a: 1\n  b:\n    - x\n",
    "a:\n  hello\n",
    "a:\n  hello\n  world\n",
    "a: b\n  c\n",
    "a: b: c\n",
    "- - a\n  - b\n- c\n",
    "a: |+\n  x\n\n\nb: 1\n",
    "a: >\n  one\n  two\n\n  three\n",
    "a:\n  b: |\n    deep\n  c: 1\n",
    "key: value\n...\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "? a\n: b\n",
    "a:\tb\n",
    "a: b\r\nc: d\r\n",
    "a: [1, 2,]\n",
    "a: {b}\n",
    "a: \"unterminated\n",
    "\"quoted key\": 1\n'single': 2\n",
    "a: 2024-01-31\nb: 0755\nc: yes\nd: ~\n",
    "k: 1\nk: 2\n",
    "<<: {a: 1}\nb: 2\n",
    "- # only a comment\n",
    "a: - b\n",
    "a: b #c\n#d\ne: f\n",
    "{a: 1}\n---\n[1, 2]\n",
    "a:\n- b\nc: d\n",
    "a: |\n  x\n  y",
    "a: é\nb: \"ü\"\nc: 'ß'\n",
    "a: [b, [c, {d: e}], 'f']\n",
    "a: \"x\"y\n",
    "a:\n  - b\n   - c\n",
    "image: nginx:1.27\ncommand: [\"sh\", \"-c\", \"echo hi\"]\n",
    "a: -1\nb: --flag\nc: -\n",
    "null\n",
    "plain root\n",
    "\"quoted root\"\n",
    "a:\n\n\n  b: 1\n",
    // Scalars on several lines.
    "a: one\n  two   \n\n    three\n\n\n  four\nb: 1\n",
    "- one\n  two\n- three\n",
    "a:\n  one\n  two\n  # c\nb: 1\n",
    "a: one # c\n  two\n",
    "a: one\n  # c\n  two\n",
    "a: one\n  two: x\n",
    "a: one\n  - two\n",
    "a: one\n  two [x] {y} #z\n",
    "- a: one\n   two\n  b: one\n  two\n",
    "a: one\n\n",
    "one\ntwo\n",
    "a: \"one\n  two  \n\n   three \\t\n  four\"\nb: 'x\n  y''s\n\n  z'  # c\n",
    "a: \"one\ntwo\"\n",
    "a: \"one \\\n  two\"\n",
    "a: \"one\\ \n  two\"\n",
    "- \"one\n  two\": x\n",
    "\"one\n two\"\n",
    "a: \"one\n  \"\n",
    "a: \"one\n",
    "record: :node_memory:sum\n:key: ?x\n?y: -z\nb: [:x]\n",
    "a: : b\n",
    // A flow mapping's value right after the colon: JSON-like keys only.
    "a: {b:{c: d}}\n",
    "a: {b:[c]}\n",
    "a: {\"b\":{\"c\": 1}, 'd':[2]}\n",
    "{\"a\":1,\"b\":\"x\"}\n",
];

/// Variants of `text` with one byte removed or one character put in, at spread-out places.
fn variants(text: &str) -> Vec<String> {
    let inserts = ["'", "\"", "#", "- ", " ", "\n", ": ", "[", "{", "|\n", "\t", "  "];
    let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
    let mut out = Vec::new();
    for (n, at) in bounds.iter().copied().step_by(37).enumerate() {
        let mut removed = text.to_owned();
        if let Some(c) = text.get(at..).and_then(|s| s.chars().next()) {
            removed.replace_range(at..at + c.len_utf8(), "");
            out.push(removed);
        }
        let mut inserted = text.to_owned();
        inserted.insert_str(at, inserts[n % inserts.len()]);
        out.push(inserted);
    }
    out
}

fn same(name: &str, text: &str, limits: &Limits) {
    let source = Source::new(name, text);
    let quick = format!("{:#?}", parse_owned(source.clone(), limits));
    let full = format!("{:#?}", parse_owned_full_reader(source, limits));
    if quick != full {
        let (q, f): (Vec<&str>, Vec<&str>) = (quick.lines().collect(), full.lines().collect());
        let at = q.iter().zip(&f).position(|(a, b)| a != b).unwrap_or(q.len().min(f.len()));
        let context = |lines: &[&str]| lines[at.saturating_sub(12)..(at + 6).min(lines.len())].join("\n");
        panic!(
            "{name}: the readers differ at line {at}:\n--- quick\n{}\n--- full\n{}\n--- input\n{text}",
            context(&q),
            context(&f)
        );
    }
}

#[test]
fn edge_cases_read_the_same() {
    for (i, text) in EDGES.iter().enumerate() {
        same(&format!("edge {i}"), text, &Limits::default());
    }
}

#[test]
fn every_input_reads_the_same() {
    let low = Limits { max_depth: 6, max_findings_per_rule: 2, ..Limits::default() };
    for (name, text) in inputs() {
        same(&name, &text, &Limits::default());
        same(&name, &text, &low);
    }
}

#[test]
fn broken_variants_read_the_same() {
    let inputs = inputs();
    // Every fifth input (a few hundred), each with a few dozen variants.
    for (name, text) in inputs.iter().step_by(5).filter(|(_, t)| t.len() < 20_000) {
        for (i, variant) in variants(text).iter().enumerate() {
            same(&format!("{name} variant {i}"), variant, &Limits::default());
        }
    }
    for (i, text) in EDGES.iter().enumerate() {
        for (j, variant) in variants(text).iter().enumerate() {
            same(&format!("edge {i} variant {j}"), variant, &Limits::default());
        }
    }
}
