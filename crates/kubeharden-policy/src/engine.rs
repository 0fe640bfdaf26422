//! The seam between the policy layer and a policy language. An engine compiles the code of a
//! template (or a set of conftest files) once per lint and evaluates it per reviewed object;
//! everything around that (reading documents, matching, the inventory, positions in the
//! manifest, findings) is done here, the same for every engine.
//!
//! The Rego engine (feature `rego`, [`crate::rego`]) implements it; the CEL engine
//! (kubeharden-cel) implements it for `K8sNativeValidation` template code, and answers
//! admission policies (ValidatingAdmissionPolicy, Kyverno ValidatingPolicy) through
//! [`Engine::admission`].

use serde_json::Value;

use crate::document::{AdmissionDoc, CodeSource, ConftestFile};
use crate::path::Segment;
use crate::shared::Shared;

/// Which language a piece of policy code is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EngineKind {
    Rego,
    Cel,
}

impl EngineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::Rego => "rego",
            EngineKind::Cel => "cel",
        }
    }

    /// The engine a Gatekeeper `code[].engine` names.
    pub fn of_code_engine(name: &str) -> Option<EngineKind> {
        match name {
            "Rego" => Some(EngineKind::Rego),
            "K8sNativeValidation" => Some(EngineKind::Cel),
            _ => None,
        }
    }
}

/// A problem in policy code, positioned in that code: `code` 0 is the main code (a template's
/// `rego`, a CEL source's first expression), 1.. its libs (Rego) or further expressions (CEL, in
/// the order the engine documents); `line` and `column` are 1-based in that code's own text,
/// the column counting characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeError {
    pub code: usize,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Why an evaluation gave no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalFailure {
    /// The code failed at run time; `at` when the engine knows where.
    Runtime { message: String, at: Option<CodeError> },
    /// The code needs a cluster or the network (`http.send`, external data, `authorizer`).
    NotOffline { what: String },
    /// The code ran out of its work or memory budget.
    Exhausted { message: String },
}

impl EvalFailure {
    pub fn message(&self) -> String {
        match self {
            EvalFailure::Runtime { message, .. } | EvalFailure::Exhausted { message } => message.clone(),
            EvalFailure::NotOffline { what } => {
                format!("{what} is not available offline: the policy needs a cluster to be evaluated")
            }
        }
    }
}

/// What a template's code is asked about one object: Gatekeeper's review (the
/// AdmissionRequest-like `input.review`), the Constraint's parameters, the object itself and
/// its Namespace object when the input has it (CEL's `namespaceObject`).
#[derive(Clone, Copy, Debug)]
pub struct Review<'a> {
    pub request: &'a Shared,
    pub parameters: &'a Value,
    pub object: &'a Value,
    pub namespace: Option<&'a Value>,
}

/// One violation of a template's code for one object.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub message: String,
    /// What the code added (Rego `details`); `null` when nothing.
    pub details: Value,
    /// The field of `object` the violation is about, when the engine can tell (CEL knows the
    /// fields an expression read; Rego guesses from the message). `None`: the object itself.
    pub path: Option<Vec<Segment>>,
}

/// A template's code, compiled: reused for every Constraint of the template and every object.
pub trait CompiledTemplate {
    /// `data.inventory` (Rego) for the reviews that follow; engines without one ignore it.
    fn set_inventory(&mut self, inventory: &Shared) -> Result<(), EvalFailure>;
    fn review(&mut self, review: &Review<'_>) -> Result<Vec<Violation>, EvalFailure>;
}

/// One result of a conftest rule for one object.
#[derive(Clone, Debug, PartialEq)]
pub struct ConftestHit {
    pub namespace: String,
    pub rule: String,
    /// `warn` rules: a warning; `deny`/`violation`: a failure.
    pub warning: bool,
    pub message: String,
    pub metadata: Value,
    pub path: Option<Vec<Segment>>,
}

/// conftest files, compiled together.
pub trait CompiledConftest {
    /// Evaluates the rules over one object (conftest's input is the object itself); `file` is
    /// the name of the file the object came from (`data.conftest.file`).
    fn evaluate(&mut self, object: &Value, file: &str) -> Result<Vec<ConftestHit>, EvalFailure>;
}

/// One failed validation of an admission policy (a VAP through one binding, a Kyverno
/// ValidatingPolicy), for one object.
#[derive(Clone, Debug, PartialEq)]
pub struct AdmissionResult {
    /// Index of the reviewed object among [`AdmissionInput::objects`].
    pub object: usize,
    /// Index of the policy document among [`AdmissionInput::policies`].
    pub policy: usize,
    pub binding: Option<String>,
    pub validation: Option<String>,
    pub message: String,
    /// `Deny`, `Warn` or `Audit`.
    pub action: String,
    pub path: Option<Vec<Segment>>,
}

/// A problem of an admission policy document (a CEL error, a binding naming no policy),
/// positioned in that document: `field` is the field path in the document (such as
/// `spec.validations[0].expression`), `line`/`column` 1-based inside that field's text.
#[derive(Clone, Debug, PartialEq)]
pub struct AdmissionProblem {
    pub policy: usize,
    pub field: Vec<Segment>,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// What an engine that evaluates admission policies gets: the policy documents, the objects
/// to review and everything the input holds (params, Namespaces, CRDs).
#[derive(Clone, Copy, Debug)]
pub struct AdmissionInput<'a> {
    pub policies: &'a [AdmissionDoc],
    pub objects: &'a [&'a Value],
    pub cluster: &'a [&'a Value],
    pub operation: &'a str,
}

/// Compiled conftest files, or the errors by file index.
pub type ConftestCompiled = Result<Box<dyn CompiledConftest>, Vec<(usize, CodeError)>>;

/// A policy language.
pub trait Engine {
    fn kind(&self) -> EngineKind;

    /// Compiles one code source of a template (already chosen for this engine).
    fn compile_template(&self, code: &CodeSource) -> Result<Box<dyn CompiledTemplate>, Vec<CodeError>>;

    /// Compiles conftest files together, for the packages named in `namespaces`. `None`: the
    /// engine does not run conftest files.
    fn compile_conftest(&self, _files: &[ConftestFile], _namespaces: &[String]) -> Option<ConftestCompiled> {
        None
    }

    /// Evaluates admission policies. `None`: the engine does not evaluate them.
    fn admission(&self, _input: &AdmissionInput<'_>) -> Option<(Vec<AdmissionResult>, Vec<AdmissionProblem>)> {
        None
    }
}

/// Which engine runs a template that carries code for several.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Preference {
    /// Gatekeeper's driver order: the CEL code when the template has some, else the Rego code.
    /// Every front end has both engines (the npm package in two modules), so `auto` gives the
    /// same answer everywhere. The two engines can word and count a template's violations
    /// differently.
    #[default]
    Gatekeeper,
    Only(EngineKind),
}

impl Preference {
    /// The engines to try for a template, in order.
    pub fn order(self) -> &'static [EngineKind] {
        match self {
            Preference::Gatekeeper => &[EngineKind::Cel, EngineKind::Rego],
            Preference::Only(EngineKind::Rego) => &[EngineKind::Rego],
            Preference::Only(EngineKind::Cel) => &[EngineKind::Cel],
        }
    }

    /// The engine that runs a template with code for `has`, as if every engine were present:
    /// the same answer in the CLI (both engines) and in each npm engine module.
    pub fn assign(self, has: impl Fn(EngineKind) -> bool) -> Option<EngineKind> {
        self.order().iter().copied().find(|k| has(*k))
    }
}

/// The engines a front end has.
#[derive(Default)]
pub struct Engines {
    pub list: Vec<Box<dyn Engine>>,
}

impl core::fmt::Debug for Engines {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.list.iter().map(|e| e.kind())).finish()
    }
}

impl Engines {
    /// Every engine this build has (by features).
    pub fn built_in() -> Engines {
        let list: Vec<Box<dyn Engine>> = vec![
            #[cfg(feature = "rego")]
            Box::new(crate::rego::RegoEngine),
            #[cfg(feature = "cel")]
            Box::new(crate::cel::CelEngine::default()),
        ];
        Engines { list }
    }

    pub fn get(&self, kind: EngineKind) -> Option<&dyn Engine> {
        self.list.iter().find(|e| e.kind() == kind).map(|e| e.as_ref())
    }

    /// The engine and code source for a template, by preference, among the sources it has.
    pub fn choose<'a>(
        &self,
        sources: &'a [CodeSource],
        preference: Preference,
    ) -> Result<(&dyn Engine, &'a CodeSource), ChooseError> {
        let order = preference.order();
        for kind in order {
            if let (Some(engine), Some(source)) = (self.get(*kind), sources.iter().find(|s| s.engine() == *kind)) {
                return Ok((engine, source));
            }
        }
        let has: Vec<EngineKind> = sources.iter().map(CodeSource::engine).collect();
        Err(ChooseError { has, wanted: order.to_vec() })
    }
}

/// No engine of this build runs any of a template's code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChooseError {
    pub has: Vec<EngineKind>,
    pub wanted: Vec<EngineKind>,
}
