//! Fuzzes the whole lint entry point: any bytes, read as UTF-8 (lossily), must produce a report
//! without a panic, a stack overflow or a hang, with spans inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let config = kubeharden::Config {
        limits: kubeharden::Limits { max_alias_expansion: 100_000, ..kubeharden::Limits::default() },
        ..kubeharden::Config::default()
    };
    let report = kubeharden::lint_str("fuzz.yaml", &text, &config);
    let units = text.encode_utf16().count() as u32;
    for f in &report.findings {
        assert!(f.span.start <= f.span.end);
        assert!(f.span.end.offset <= units);
    }
    let _ = kubeharden::sarif::to_sarif(&report);
});
