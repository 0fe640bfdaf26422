//! The wasm-bindgen facade of kubeharden: strings in, JSON strings out. No logic lives here;
//! the hand-written JS entry files of the npm package wrap these functions into the public API
//! (`lint`, `rules`, `explain`, `toSarif`, `version`).
//!
//! Findings cross the boundary as one JSON string that JS parses with `JSON.parse`: it is the
//! serializer the CLI uses, so every front end gets the same bytes.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

use kubeharden::{Config, Report, Source, registry, sarif};
use wasm_bindgen::prelude::*;

/// A JS `Error` with a `code` property the JS wrapper turns into a `KubehardenError`.
fn error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

/// The config of a lint, fix or plan; every such call goes through here, so here is also where
/// a call before the schema table is loaded is refused (its report would lack every schema
/// finding, silently).
fn config_from(json: &str) -> Result<Config, JsValue> {
    if !kubeharden::schema::table::builtin_loaded() {
        return Err(error("NOT_READY", "the schema table is not loaded: call loadSchema first"));
    }
    if json.trim().is_empty() {
        return Ok(Config::default());
    }
    Config::from_json(json).map_err(|e| error("INVALID_CONFIG", &format!("invalid config: {e}")))
}

/// Lints files together. `names` and `texts` are parallel arrays; `config` is JSON (or empty).
/// Returns the report as JSON.
#[wasm_bindgen(js_name = lintFiles)]
pub fn lint_files(names: Vec<String>, texts: Vec<String>, config: &str) -> Result<String, JsValue> {
    if names.len() != texts.len() {
        return Err(error("INVALID_INPUT", "names and texts must have the same length"));
    }
    let config = config_from(config)?;
    let sources: Vec<Source> = names.into_iter().zip(texts).map(|(name, text)| Source { name, text }).collect();
    Ok(kubeharden::lint_owned(sources, &config).to_json())
}

/// Which policy engines a lint's policies need (kubeharden-policy's `plan`): `"rego"`,
/// `"cel"`, `"rego,cel"` or `""`, the first being the one that reports policy-document errors.
/// The JS loads only the engine modules named here. `engine` is `auto`, `rego` or `cel`.
#[wasm_bindgen(js_name = policyPlan)]
pub fn policy_plan(
    names: Vec<String>,
    texts: Vec<String>,
    policy_names: Vec<String>,
    policy_texts: Vec<String>,
    config: &str,
    engine: &str,
) -> Result<String, JsValue> {
    use kubeharden_policy::{EngineKind, Preference};
    let preference = match engine {
        "auto" => Preference::Gatekeeper,
        "rego" => Preference::Only(EngineKind::Rego),
        "cel" => Preference::Only(EngineKind::Cel),
        other => return Err(error("INVALID_INPUT", &format!("policyEngine must be auto, rego or cel, not {other:?}"))),
    };
    let limits = config_from(config)?.limits;
    let parse = |(name, text): (String, String)| kubeharden::parse_owned(Source { name, text }, &limits);
    let manifests: Vec<_> = names.into_iter().zip(texts).map(parse).collect();
    let policies: Vec<_> = policy_names.into_iter().zip(policy_texts).map(parse).collect();
    let plan = kubeharden_policy::plan(&manifests, &policies, preference);
    Ok(plan.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(","))
}

/// Loads the rules' documentation: the package's `rule-docs.json` (generated from the registry),
/// which this module is built without to keep it small. The JS wrapper calls it once, before
/// the first call that renders docs (`rules`, `explain`, `toSarif`).
#[wasm_bindgen(js_name = loadDocs)]
pub fn load_docs(json: &str) -> Result<(), JsValue> {
    registry::load_docs(json).map_err(|e| error("LOAD_FAILED", &format!("cannot load rule-docs.json: {e}")))
}

/// Loads the built-in schema table: the package's `data/schema-table.json` (`builtin.bin`,
/// base64), which this module is built without to keep it small. The JS wrapper calls it once
/// per instance, before the first call that lints, fixes or looks up a field.
#[wasm_bindgen(js_name = loadSchema)]
pub fn load_schema(bytes: Vec<u8>) -> Result<(), JsValue> {
    kubeharden::schema::table::load_builtin(bytes)
        .map_err(|e| error("LOAD_FAILED", &format!("cannot load schema-table.json: {e}")))
}

/// Whether this instance holds the schema table (a restart after a trap starts without it).
#[wasm_bindgen(js_name = schemaLoaded)]
pub fn schema_loaded() -> bool {
    kubeharden::schema::table::builtin_loaded()
}

/// Lints files together, with CRD files read only for the schemas of their
/// CustomResourceDefinitions (not linted). Parallel arrays, as in `lintFiles`.
#[wasm_bindgen(js_name = lintFilesWithCrds)]
pub fn lint_files_with_crds(
    names: Vec<String>,
    texts: Vec<String>,
    crd_names: Vec<String>,
    crd_texts: Vec<String>,
    config: &str,
) -> Result<String, JsValue> {
    if names.len() != texts.len() || crd_names.len() != crd_texts.len() {
        return Err(error("INVALID_INPUT", "names and texts must have the same length"));
    }
    let config = config_from(config)?;
    let sources: Vec<Source> = names.into_iter().zip(texts).map(|(name, text)| Source { name, text }).collect();
    let crds: Vec<Source> = crd_names.into_iter().zip(crd_texts).map(|(name, text)| Source { name, text }).collect();
    Ok(kubeharden::lint_with_crds(&sources, &crds, &config).to_json())
}

/// The schema field under a position of a manifest (`offset` in UTF-16 code units, a JS string
/// index), as JSON: `{apiVersion, kind, path, definition, field}` where `definition` indexes the
/// `definitions` of `field-docs.json` (null when the schema has no such field); `None` when the
/// position is not on a key or value of an object.
#[wasm_bindgen(js_name = fieldAt)]
pub fn field_at(text: &str, offset: u32) -> Option<String> {
    let mut units = 0u32;
    let byte = text
        .char_indices()
        .find(|(_, c)| {
            let found = units >= offset;
            units += c.len_utf16() as u32;
            found
        })
        .map_or(text.len(), |(i, _)| i);
    let parsed = kubeharden::parse(&Source::new("field", text), &kubeharden::Limits::default());
    let newest = kubeharden::schema::table::builtin().minors().1;
    let located = kubeharden::schema::locate::at(&parsed, u32::try_from(byte).ok()?, newest)?;
    let path: Vec<serde_json::Value> = located
        .path
        .iter()
        .map(|s| match s {
            kubeharden::schema::locate::Step::Key(k) => serde_json::Value::from(k.as_str()),
            kubeharden::schema::locate::Step::Item => serde_json::Value::Null,
        })
        .collect();
    let (definition, field) = match &located.field {
        Some((def, name)) => (serde_json::Value::from(def.0), serde_json::Value::from(name.as_str())),
        None => (serde_json::Value::Null, serde_json::Value::Null),
    };
    let out = serde_json::json!({
        "apiVersion": located.api_version,
        "kind": located.kind,
        "path": path,
        "definition": definition,
        "field": field,
    });
    Some(out.to_string())
}

/// Fixes files together (the CLI's `lint --fix`): applies the fixes up to `applicability`
/// (`safe`, `hardening` or `unsafe`), linting again until nothing changes. Returns JSON:
/// `{files: [{name, text, changed, diff}], applied: [...], report}`.
#[wasm_bindgen(js_name = fixFiles)]
pub fn fix_files(names: Vec<String>, texts: Vec<String>, config: &str, applicability: &str) -> Result<String, JsValue> {
    if names.len() != texts.len() {
        return Err(error("INVALID_INPUT", "names and texts must have the same length"));
    }
    let config = config_from(config)?;
    let Some(applicability) = kubeharden::fix::Applicability::parse(applicability) else {
        return Err(error("INVALID_INPUT", "applicability must be safe, hardening or unsafe"));
    };
    let sources: Vec<Source> =
        names.into_iter().zip(texts.iter().cloned()).map(|(name, text)| Source { name, text }).collect();
    let options = kubeharden::fix::FixOptions { applicability, ..kubeharden::fix::FixOptions::default() };
    let outcome = kubeharden::fix::fix(sources, &config, options);
    let files: Vec<serde_json::Value> = outcome
        .sources
        .iter()
        .zip(&texts)
        .map(|(s, before)| {
            serde_json::json!({
                "name": s.name,
                "text": s.text,
                "changed": s.changed,
                "diff": kubeharden::fix::diff::unified(&s.name, before, &s.text),
            })
        })
        .collect();
    let out = serde_json::json!({ "files": files, "applied": outcome.applied, "report": outcome.report });
    Ok(out.to_string())
}

/// Metadata and docs of every rule, as JSON.
#[wasm_bindgen]
pub fn rules() -> String {
    registry::rules_json()
}

/// The full docs of one rule as Markdown, or `undefined` for an unknown ID.
#[wasm_bindgen]
pub fn explain(id: &str) -> Option<String> {
    registry::find(id).map(registry::explain)
}

/// A report (as returned by `lintFiles`) converted to SARIF 2.1.0.
#[wasm_bindgen(js_name = toSarif)]
pub fn to_sarif(report_json: &str) -> Result<String, JsValue> {
    let report: Report = serde_json::from_str(report_json)
        .map_err(|e| error("INVALID_INPUT", &format!("not a kubeharden report: {e}")))?;
    Ok(sarif::to_sarif(&report))
}

/// The default configuration, as JSON.
#[wasm_bindgen(js_name = defaultConfig)]
pub fn default_config() -> String {
    serde_json::to_string(&Config::default()).unwrap_or_default()
}

#[wasm_bindgen]
pub fn version() -> String {
    kubeharden::VERSION.to_owned()
}

/// Executes a WebAssembly `unreachable` instruction. The core never traps; this exists only so
/// the package's tests can prove that a trap resets the instance and surfaces as a typed error.
#[wasm_bindgen(js_name = __trapForTesting)]
pub fn trap_for_testing() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}
