//! Findings and the report: the contract every front end shares (JSON schema version 1).

use serde::{Deserialize, Serialize};

use crate::source::Position;

/// Version of the JSON report layout. Bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A position range. Lines and columns are 1-based; columns and offsets count UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

/// Which object a finding is about. For a document that is not a valid object only `document`
/// and `source` are known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The namespace was not written; `default` is what kubectl would apply.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub namespace_defaulted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 1-based document number in the source (0: the source as a whole).
    pub document: u32,
    pub source: String,
}

/// One text replacement; offsets in UTF-16 code units of the source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub description: String,
    /// How safe it is to apply without looking: `safe`, `hardening` or `unsafe`.
    pub applicability: crate::fix::Applicability,
    pub edits: Vec<Edit>,
}

/// The Pod Security Standards check behind a `pss-*` finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PssRef {
    /// The upstream Pod Security Admission check ID, such as `allowPrivilegeEscalation`.
    pub check: String,
    /// `baseline` or `restricted`.
    pub level: String,
}

/// Why a finding is not counted: an exemption matched it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suppression {
    /// `annotation` (kubeharden.io/ignore on the object) or `config`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// The custom policy behind a finding (a Gatekeeper Constraint, a conftest rule, an admission
/// policy). The core never makes these; the policy layer (kubeharden-policy) does, and the
/// core carries them through the report and SARIF.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRef {
    /// `rego` or `cel`.
    pub engine: String,
    /// The policy object's kind: the Constraint's kind (`K8sRequiredLabels`), `conftest`,
    /// `ConstraintTemplate` (a template's own errors), `ValidatingAdmissionPolicy`, ...
    pub kind: String,
    /// The Constraint's (or policy's) `metadata.name`; for conftest the rule (`main.deny`).
    pub name: String,
    /// The ConstraintTemplate's name, for Gatekeeper policies.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub template: Option<String>,
    /// The file the policy came from.
    pub file: String,
    /// `deny`, `warn` or `dryrun` (Gatekeeper), `Deny`/`Warn`/`Audit` (admission policies).
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub binding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub validation: Option<String>,
    /// What the policy is for (its description annotation, or the template's), for SARIF.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// The message's short, stable reason, for rules that write `reason: detail` messages
    /// (the Pod Security Standards rules: upstream's forbidden reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What exactly is wrong and where: the message after its reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub help: String,
    pub resource: ResourceRef,
    /// Field path from the document root, such as `spec.template.spec.containers[0].image`.
    pub path: String,
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pss: Option<Box<PssRef>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Box<Suppression>>,
    /// Set on findings of custom policies (see [`PolicyRef`]).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub policy: Option<Box<PolicyRef>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub suppressed: usize,
    pub sources: usize,
    pub documents: usize,
    pub resources: usize,
}

impl Summary {
    /// Sets the finding counts (by severity, and suppressed) from `findings`, keeping the
    /// input counts (sources, documents, resources).
    pub fn count(&mut self, findings: &[Finding]) {
        let Summary { sources, documents, resources, .. } = *self;
        *self = Summary { sources, documents, resources, ..Summary::default() };
        for f in findings {
            if f.suppressed.is_some() {
                self.suppressed += 1;
                continue;
            }
            match f.severity {
                Severity::Error => self.error += 1,
                Severity::Warning => self.warning += 1,
                Severity::Info => self.info += 1,
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportConfig {
    pub profile: String,
    pub kubernetes_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub config: ReportConfig,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Report {
    /// The report as JSON: the same bytes from every front end.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
    }

    /// Findings that count (not suppressed).
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_small() {
        // A report of a large input holds tens of thousands of findings, sorted and moved as
        // they are merged: the rare parts (policy, suppression, PSS check) are boxed, which
        // took a finding from 672 bytes to 384 (64-bit).
        let size = std::mem::size_of::<Finding>();
        assert!(size <= 384, "Finding is {size} bytes");
    }
}
