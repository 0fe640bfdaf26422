//! The wasm-bindgen facade of kubeharden's policy layer, a module of its own so that a lint
//! without policies never loads the Rego engine: the package's JS lints with the core module,
//! then, when policies are given, hands the report, the manifests and the policies to
//! [`apply_policies`], which evaluates them exactly as the CLI does (kubeharden-policy) and
//! returns the report with the policy findings merged in.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

use kubeharden::{Config, Report, Source};
use kubeharden_policy::{EngineKind, Engines, Options, Preference};
use wasm_bindgen::prelude::*;

fn error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

fn now_ns() -> i64 {
    (js_sys::Date::now() * 1_000_000.0) as i64
}

/// Evaluates policies over the manifests and merges their findings into `report_json` (the
/// core's `lintFiles` result for the same manifests and config). `options` is JSON:
/// `{"engine": "auto"|"rego"|"cel", "namespaces": [...]}`.
#[wasm_bindgen(js_name = applyPolicies)]
pub fn apply_policies(
    report_json: &str,
    names: Vec<String>,
    texts: Vec<String>,
    policy_names: Vec<String>,
    policy_texts: Vec<String>,
    config: &str,
    options: &str,
) -> Result<String, JsValue> {
    kubeharden_policy::set_clock(now_ns);
    if names.len() != texts.len() || policy_names.len() != policy_texts.len() {
        return Err(error("INVALID_INPUT", "names and texts must have the same length"));
    }
    let mut report: Report = serde_json::from_str(report_json)
        .map_err(|e| error("INVALID_INPUT", &format!("not a kubeharden report: {e}")))?;
    let config = if config.trim().is_empty() {
        Config::default()
    } else {
        Config::from_json(config).map_err(|e| error("INVALID_CONFIG", &format!("invalid config: {e}")))?
    };
    let options: serde_json::Value = serde_json::from_str(if options.trim().is_empty() { "{}" } else { options })
        .map_err(|e| error("INVALID_INPUT", &format!("invalid policy options: {e}")))?;
    let preference = match options.get("engine").and_then(|e| e.as_str()).unwrap_or("auto") {
        "auto" => Preference::Gatekeeper,
        "rego" => Preference::Only(EngineKind::Rego),
        "cel" => Preference::Only(EngineKind::Cel),
        other => return Err(error("INVALID_INPUT", &format!("policyEngine must be auto, rego or cel, not {other:?}"))),
    };
    let namespaces = options
        .get("namespaces")
        .and_then(|n| n.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let options = Options { preference, conftest_namespaces: namespaces, ..Options::default() };
    let parse = |(name, text): (String, String)| kubeharden::parse_owned(Source { name, text }, &config.limits);
    let manifests: Vec<_> = names.into_iter().zip(texts).map(parse).collect();
    let policies: Vec<_> = policy_names.into_iter().zip(policy_texts).map(parse).collect();
    let findings = kubeharden_policy::evaluate(&manifests, &policies, &Engines::built_in(), &options);
    let order: Vec<&str> = manifests.iter().chain(&policies).map(|s| s.name.as_str()).collect();
    kubeharden_policy::merge(&mut report, findings, &order);
    Ok(report.to_json())
}

/// Executes a WebAssembly `unreachable` instruction, for the package's tests of recovery.
#[wasm_bindgen(js_name = __trapForTesting)]
pub fn trap_for_testing() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}
