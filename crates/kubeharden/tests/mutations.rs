//! Property test on stable Rust: mutated manifests (bytes flipped, lines cut, brackets, tabs,
//! anchors and aliases sprinkled in) never panic and always return a report. The same input
//! through `cargo fuzz` (fuzz/) explores further; this runs in every `npm test`.

use kubeharden::{Config, Limits, lint_str};

/// xorshift64*: deterministic, so a failure reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    include_str!("fixtures/pss-privileged/fail-yaml11-and-merge.yaml"),
    include_str!("fixtures/service-account-token-automount/fail-unset.yaml"),
    include_str!("fixtures/invalid-yaml/fail-middle-document.yaml"),
    include_str!("fixtures/input-limit-exceeded/fail-billion-laughs.yaml"),
    include_str!("fixtures/invalid-yaml/pass-json.json"),
];

const SPLICES: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ":",
    ": ",
    "- ",
    "\t",
    "\n",
    "\r\n",
    "---\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "? ",
    "|\n",
    ">-\n",
    "'",
    "\"",
    "\\u00",
    "#",
    "!!str ",
    "!!int ",
    "%YAML 1.1\n",
    "\u{feff}",
    "😀",
    "\u{0}",
    "0x1F",
    "yes",
    "~",
    "...\n",
    "kind: List\nitems:\n",
    "privileged: on\n",
    "    ",
    "&b [*b]",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 => {
                let splice = SPLICES[rng.below(SPLICES.len())];
                chars.splice(at..at, splice.chars());
            }
            1 if at < chars.len() => {
                let end = (at + 1 + rng.below(40)).min(chars.len());
                chars.drain(at..end);
            }
            2 if at < chars.len() => {
                chars[at] = char::from_u32(rng.below(0x80) as u32).unwrap_or('x');
            }
            _ => {
                let start = rng.below(chars.len() + 1);
                let end = (start + rng.below(60)).min(chars.len());
                let copy: Vec<char> = chars[start..end].to_vec();
                chars.splice(at..at, copy);
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_manifests_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let config = Config { limits: Limits { max_alias_expansion: 50_000, ..Limits::default() }, ..Config::default() };
    let mut cases = 0;
    for seed in SEEDS {
        let mut current = seed.to_string();
        for round in 0..600 {
            if round % 50 == 0 {
                current = seed.to_string();
            }
            current = mutate(&mut rng, &current);
            let report = lint_str("mutated.yaml", &current, &config);
            assert_eq!(report.schema_version, 1);
            for f in &report.findings {
                assert!(f.span.start <= f.span.end, "inverted span on {current:?}");
                assert!(f.span.end.offset as usize <= current.encode_utf16().count());
            }
            cases += 1;
        }
    }
    assert_eq!(cases, SEEDS.len() * 600);
}
