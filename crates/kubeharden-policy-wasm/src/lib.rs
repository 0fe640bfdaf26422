//! The wasm-bindgen facade of kubeharden's policy layer, one module per engine, so that a lint
//! without policies loads no engine and a lint with only Rego (or only CEL) policies loads only
//! that engine:
//!
//! - this crate with feature `rego` (the default) is `kubeharden_policy_bg.wasm`: the policy
//!   layer and the Rego engine (Gatekeeper Rego templates, conftest files);
//! - kubeharden-cel-wasm builds it with feature `cel` into `kubeharden_cel_bg.wasm`: the policy
//!   layer and the CEL engine (Gatekeeper K8sNativeValidation templates,
//!   ValidatingAdmissionPolicy with its bindings, Kyverno ValidatingPolicy).
//!
//! The package's JS lints with the core module, asks it which engines the policies need
//! (`policyPlan`, [`kubeharden_policy::plan`]), loads those modules, and hands each the report,
//! the manifests and the policies with its share ([`kubeharden_policy::Share`]): every policy
//! belongs to exactly one engine, decided as if both were present, and what belongs to none
//! (policy-document errors) to the plan's first engine. [`apply_policies`] evaluates that share
//! exactly as the CLI does and returns the report with those findings merged in; the JS hands
//! the result to the next module. The findings are the CLI's, each once.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

use kubeharden::{Config, Report, Source};
use kubeharden_policy::{EngineKind, Engines, Options, Preference, Share};
use wasm_bindgen::prelude::*;

fn error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

#[cfg(feature = "rego")]
fn now_ns() -> i64 {
    (js_sys::Date::now() * 1_000_000.0) as i64
}

/// The core's report and the config it linted with, as the JS hands them over.
fn report_and_config(report_json: &str, config: &str) -> Result<(Report, Config), JsValue> {
    let report: Report = serde_json::from_str(report_json)
        .map_err(|e| error("INVALID_INPUT", &format!("not a kubeharden report: {e}")))?;
    // The core checked this config when it linted (rule IDs against its registry): read without
    // checking again, so this module does not link the registry and with it every rule.
    let config: Config = if config.trim().is_empty() {
        Config::default()
    } else {
        serde_json::from_str(config).map_err(|e| error("INVALID_CONFIG", &format!("invalid config: {e}")))?
    };
    Ok((report, config))
}

/// Evaluates policies over the manifests and merges their findings into `report_json` (the
/// core's `lintFiles` result for the same manifests and config). `options` is JSON:
/// `{"engine": "auto"|"rego"|"cel", "namespaces": [...], "share": "rego"|"cel", "lead": bool}`:
/// `share` names the engine whose policies this call evaluates (this module's; absent: every
/// policy this module's engines can run), `lead` whether it also reports what belongs to no
/// engine (see [`Share`]).
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
    #[cfg(feature = "rego")]
    kubeharden_policy::set_clock(now_ns);
    if names.len() != texts.len() || policy_names.len() != policy_texts.len() {
        return Err(error("INVALID_INPUT", "names and texts must have the same length"));
    }
    let (mut report, config) = report_and_config(report_json, config)?;
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
    let engines = Engines::built_in();
    let share = match options.get("share").and_then(|s| s.as_str()) {
        None => Share::All,
        Some(name) => {
            let kind = match name {
                "rego" => EngineKind::Rego,
                "cel" => EngineKind::Cel,
                other => return Err(error("INVALID_INPUT", &format!("share must be rego or cel, not {other:?}"))),
            };
            if engines.get(kind).is_none() {
                return Err(error("INVALID_INPUT", &format!("this module has no {name} engine")));
            }
            Share::Engine { kind, lead: options.get("lead").and_then(|l| l.as_bool()).unwrap_or(false) }
        }
    };
    let options = Options { preference, conftest_namespaces: namespaces, share, ..Options::default() };
    let parse = |(name, text): (String, String)| kubeharden::parse_owned(Source { name, text }, &config.limits);
    let manifests: Vec<_> = names.into_iter().zip(texts).map(parse).collect();
    let policies: Vec<_> = policy_names.into_iter().zip(policy_texts).map(parse).collect();
    let findings = kubeharden_policy::evaluate(&manifests, &policies, &engines, &options);
    let order: Vec<&str> = manifests.iter().chain(&policies).map(|s| s.name.as_str()).collect();
    kubeharden_policy::merge(&mut report, findings, &order);
    Ok(report.to_json())
}

/// Evaluates the x-kubernetes-validations rules of the CRDs among the manifests and the CRD
/// sources over the manifests' custom resources, and merges the findings into `report_json`
/// (the core's report for the same manifests, CRDs and config), replacing the core's
/// `unevaluated-validation-rule` notes for the CRD versions evaluated: what the CLI does
/// (kubeharden-policy `crd_rules::apply`). Only the CEL module has it.
#[cfg(feature = "cel")]
#[wasm_bindgen(js_name = applyCrdRules)]
pub fn apply_crd_rules(
    report_json: &str,
    names: Vec<String>,
    texts: Vec<String>,
    crd_names: Vec<String>,
    crd_texts: Vec<String>,
    config: &str,
) -> Result<String, JsValue> {
    if names.len() != texts.len() || crd_names.len() != crd_texts.len() {
        return Err(error("INVALID_INPUT", "names and texts must have the same length"));
    }
    let (mut report, config) = report_and_config(report_json, config)?;
    let parse = |(name, text): (String, String)| kubeharden::parse_owned(Source { name, text }, &config.limits);
    let manifests: Vec<_> = names.into_iter().zip(texts).map(parse).collect();
    let crds: Vec<_> = crd_names.into_iter().zip(crd_texts).map(parse).collect();
    kubeharden_policy::crd_rules::apply(&mut report, &manifests, &crds, &config);
    Ok(report.to_json())
}

/// Executes a WebAssembly `unreachable` instruction, for the package's tests of recovery.
#[wasm_bindgen(js_name = __trapForTesting)]
pub fn trap_for_testing() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}
