//! The rules. A rule is data plus a function: its metadata and docs, and one check per
//! Kubernetes version where its behaviour changes. Each rule lives in its own file inside its
//! family's folder; the family's `mod.rs` lists them, and [`ALL`] lists the families.
//!
//! Adding a rule: write `rules/<family>/<rule_id>.rs` (metadata, docs, check, unit tests), add
//! it to the family list, and add pass/fail fixtures under `tests/fixtures/<rule-id>/`.

pub mod api;
pub mod control_plane;
mod message;
pub mod network;
pub mod pss;
pub mod rbac;
pub mod schema;
mod settings;
pub mod structure;
pub mod workload;

use std::collections::BTreeMap;

use crate::model::{KubeVersion, Model, PodSpec, Resource};
use crate::report::Severity;
use crate::source::{ByteSpan, IssueKind};
use serde::Serialize;

/// Every rule, in catalogue order (the list is the registry's: see [`crate::registry::all`]).
pub use crate::registry::all;
pub use message::Message;
pub use settings::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Structure,
    Schema,
    Pss,
    Workload,
    Rbac,
    Network,
    ControlPlane,
    Api,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Structure => "structure",
            Family::Schema => "schema",
            Family::Pss => "pss",
            Family::Workload => "workload",
            Family::Rbac => "rbac",
            Family::Network => "network",
            Family::ControlPlane => "control-plane",
            Family::Api => "api",
        }
    }
}

pub use crate::profile::Tier;

/// The rule's documentation, rendered by `explain`, the web page, SARIF and `docs/rules.md`.
/// Examples are executed by the registry tests: `fail` must produce this rule's finding,
/// `pass` must not.
/// Written with `docs! { … }` (see `docs_macro.rs`): without the `docs` feature it is
/// [`Docs::EMPTY`] and the registry reads the docs loaded at run time.
#[derive(Debug)]
pub struct Docs {
    /// What it does: one paragraph.
    pub what: &'static str,
    /// Why it matters, with the guidance behind it.
    pub why: &'static str,
    /// A manifest that triggers the rule.
    pub fail: &'static str,
    /// The same manifest, fixed.
    pub pass: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// Links to the guidance and Kubernetes documentation.
    pub references: &'static [&'static str],
}

impl Docs {
    /// What `docs!` stands for in a build without the `docs` feature.
    pub const EMPTY: Docs = Docs { what: "", why: "", fail: "", pass: "", fix: "", references: &[] };
}

/// The Pod Security Admission check a `pss-*` rule implements.
#[derive(Debug)]
pub struct PssCheck {
    /// Upstream check ID, such as `allowPrivilegeEscalation`.
    pub id: &'static str,
    pub level: PssLevel,
    /// Baseline rules this restricted rule replaces when both apply (upstream `overrides`).
    pub overrides: &'static [&'static str],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PssLevel {
    Baseline,
    Restricted,
}

impl PssLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            PssLevel::Baseline => "baseline",
            PssLevel::Restricted => "restricted",
        }
    }
}

/// What a check looks at.
#[derive(Clone, Copy)]
pub enum Check {
    /// Findings the source reader produced (syntax, duplicates, limits, YAML 1.1 values).
    Source(IssueKind),
    /// Runs on every resource.
    Resource(fn(&Cx<'_, '_>, &Resource<'_>, &mut Sink)),
    /// Runs on every pod spec (pods and the templates of workload controllers).
    Pod(fn(&Cx<'_, '_>, &Resource<'_>, &PodSpec<'_>, &mut Sink)),
    /// Runs once over the whole input (cross-resource rules).
    Global(fn(&Cx<'_, '_>, &mut Sink)),
    /// Findings about exemptions, which the engine finds while it applies them.
    Exemption(ExemptionProblem),
    /// Findings the engine itself produces.
    Engine,
    /// Findings of the CEL layer (kubeharden-policy with kubeharden-cel): the core has no CEL
    /// engine, so its own lint never gives them; the CLI, the LSP and the npm package's CEL
    /// module do.
    Cel,
}

/// What can be wrong with an exemption annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExemptionProblem {
    /// It names a rule that finds nothing on the object, or no rule at all.
    Unused,
    /// Its `kubeharden.io/ignore-until` date has passed.
    Expired,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Check::Source(_) => "Source",
            Check::Resource(_) => "Resource",
            Check::Pod(_) => "Pod",
            Check::Global(_) => "Global",
            Check::Exemption(_) => "Exemption",
            Check::Engine => "Engine",
            Check::Cel => "Cel",
        })
    }
}

/// A check and the first Kubernetes version it applies to.
#[derive(Debug, Clone, Copy)]
pub struct Versioned {
    pub since: KubeVersion,
    pub check: Check,
}

impl Versioned {
    /// A check that does not change with the Kubernetes version.
    pub const fn always(check: Check) -> Self {
        Versioned { since: KubeVersion::v1(0), check }
    }

    pub const fn since(minor: u16, check: Check) -> Self {
        Versioned { since: KubeVersion::v1(minor), check }
    }
}

#[derive(Debug)]
pub struct Rule {
    /// Kebab-case name of the bad pattern; a public contract.
    pub id: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub tier: Tier,
    /// One sentence.
    pub summary: &'static str,
    pub docs: Docs,
    /// Other names: PSA check ID, CIS/NSA sections, other linters' IDs.
    pub aliases: &'static [&'static str],
    pub pss: Option<PssCheck>,
    /// Checks by the first version they apply to, oldest first.
    pub checks: &'static [Versioned],
    /// The applicability of the fixes the rule attaches to its findings, `None` when it has no
    /// fix (docs/fixes.md says why). A fix may declare a safer applicability of its own.
    pub fix: Option<crate::fix::Applicability>,
}

impl Rule {
    /// The check in force at `version`: the newest whose `since` is not newer.
    pub fn check_at(&self, version: KubeVersion) -> Option<Check> {
        self.checks.iter().rev().find(|v| v.since <= version).map(|v| v.check)
    }
}

/// What a check reads: the model, the Kubernetes version and the settings that rules take
/// from the config.
pub struct Cx<'m, 's> {
    pub model: &'m Model<'s>,
    pub version: KubeVersion,
    pub settings: Settings<'m>,
}

impl<'s> Cx<'_, 's> {
    /// The text of the source a resource comes from (for building fixes).
    pub fn text(&self, resource: &Resource<'_>) -> &'s str {
        self.model.sources.get(resource.source).map_or("", |s| s.text.as_str())
    }
}

/// A finding as a check reports it; the engine adds rule, severity, positions and resource.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub source: usize,
    pub document: u32,
    pub resource: Option<crate::model::ResourceId>,
    pub span: ByteSpan,
    pub path: String,
    pub message: Message,
    pub help: String,
    pub fix: Option<RawFix>,
    /// Overrides the rule's severity for this finding (for example warn vs enforce labels).
    pub severity: Option<Severity>,
}

impl Diagnostic {
    /// A finding at `span` of a source's document (and of an object in it, if any), without a
    /// fix and at the rule's severity.
    pub fn new(
        source: usize,
        document: u32,
        resource: Option<crate::model::ResourceId>,
        span: ByteSpan,
        path: String,
        message: impl Into<Message>,
        help: String,
    ) -> Self {
        Diagnostic { source, document, resource, span, path, message: message.into(), help, fix: None, severity: None }
    }
}

/// A fix in byte offsets; the engine converts them to UTF-16 offsets.
#[derive(Debug, Clone)]
pub struct RawFix {
    pub description: String,
    pub edits: Vec<(ByteSpan, String)>,
    /// When this fix is safer than the rule's declared applicability.
    pub applicability: Option<crate::fix::Applicability>,
}

/// Which object a diagnostic counts against for [`Sink`]'s cap: source, document, and the
/// object (none for a document that is not one).
type CapKey = (usize, u32, Option<crate::model::ResourceId>);

/// Diagnostics past a sink's cap for one object: the first of them (where the summary points)
/// and how many there were.
#[derive(Debug)]
pub struct Omitted {
    pub first: Diagnostic,
    pub count: usize,
}

/// Collects a check's diagnostics, keeping at most `cap` per object (or per document, for
/// findings outside objects) and counting the rest, so that one mistake repeated 100,000 times
/// costs the report one summary finding instead of 100,000 (see `limits.maxFindingsPerRule`).
#[derive(Debug)]
pub struct Sink {
    pub(crate) items: Vec<Diagnostic>,
    cap: usize,
    kept: BTreeMap<CapKey, usize>,
    omitted: BTreeMap<CapKey, Omitted>,
}

impl Default for Sink {
    fn default() -> Self {
        Sink::with_cap(usize::MAX)
    }
}

impl Sink {
    /// A sink without a cap (for checks that evaluate others, such as the admission preview).
    pub fn new() -> Self {
        Sink::default()
    }

    /// A sink that keeps at most `cap` diagnostics per object.
    pub fn with_cap(cap: usize) -> Self {
        Sink { items: Vec::new(), cap, kept: BTreeMap::new(), omitted: BTreeMap::new() }
    }

    /// Records a diagnostic, or counts it when its object already has `cap` of them.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        let key = (d.source, d.document, d.resource);
        let kept = self.kept.entry(key).or_insert(0);
        if *kept < self.cap {
            *kept += 1;
            self.items.push(d);
        } else {
            self.omit(d, 1);
        }
    }

    /// Counts `count` diagnostics left out (by the cap, or by the source layer's own cap), the
    /// first of which is `first`.
    pub(crate) fn omit(&mut self, first: Diagnostic, count: usize) {
        let key = (first.source, first.document, first.resource);
        self.omitted.entry(key).and_modify(|o| o.count += count).or_insert(Omitted { first, count });
    }

    /// Counts `count` findings on `resource` that a producer with a cap of its own (schema
    /// validation, a policy engine) left out; the summary finding points at `span`.
    pub fn omitted(&mut self, resource: &Resource<'_>, span: ByteSpan, path: String, count: usize) {
        let first = Diagnostic::new(
            resource.source,
            resource.document,
            Some(resource.id),
            span,
            path,
            String::new(),
            String::new(),
        );
        self.omit(first, count);
    }

    /// The kept diagnostics, and what was left out per object.
    pub(crate) fn finish(self) -> (Vec<Diagnostic>, Vec<Omitted>) {
        (self.items, self.omitted.into_values().collect())
    }

    /// Reports a finding on `resource` at `span`. The returned handle adds a fix or a severity;
    /// the finding is recorded when it is dropped.
    pub fn report(
        &mut self,
        resource: &Resource<'_>,
        span: ByteSpan,
        path: impl Into<String>,
        message: impl Into<Message>,
        help: impl Into<String>,
    ) -> Reported<'_> {
        Reported {
            sink: self,
            diagnostic: Some(Diagnostic::new(
                resource.source,
                resource.document,
                Some(resource.id),
                span,
                path.into(),
                message,
                help.into(),
            )),
        }
    }

    /// Reports a finding on a document that is not an object (no resource to name).
    pub fn report_document(
        &mut self,
        source: usize,
        document: u32,
        span: ByteSpan,
        path: impl Into<String>,
        message: impl Into<Message>,
        help: impl Into<String>,
    ) {
        self.push(Diagnostic::new(source, document, None, span, path.into(), message, help.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// A finding being reported; recorded in its sink when dropped.
pub struct Reported<'a> {
    sink: &'a mut Sink,
    diagnostic: Option<Diagnostic>,
}

impl Reported<'_> {
    /// Attaches a fix (byte ranges of the source and their replacements).
    pub fn fix(mut self, description: impl Into<String>, edits: Vec<(ByteSpan, String)>) -> Self {
        if let Some(d) = self.diagnostic.as_mut() {
            d.fix = Some(RawFix { description: description.into(), edits, applicability: None });
        }
        self
    }

    /// Attaches a fix with an applicability of its own (safer than the rule's, for one case of
    /// its findings).
    pub fn fix_as(
        mut self,
        applicability: crate::fix::Applicability,
        description: impl Into<String>,
        edits: Vec<(ByteSpan, String)>,
    ) -> Self {
        if let Some(d) = self.diagnostic.as_mut() {
            d.fix = Some(RawFix { description: description.into(), edits, applicability: Some(applicability) });
        }
        self
    }

    /// Overrides the rule's default severity for this finding.
    pub fn severity(mut self, severity: Severity) -> Self {
        if let Some(d) = self.diagnostic.as_mut() {
            d.severity = Some(severity);
        }
        self
    }
}

impl Drop for Reported<'_> {
    fn drop(&mut self) {
        if let Some(d) = self.diagnostic.take() {
            self.sink.push(d);
        }
    }
}
