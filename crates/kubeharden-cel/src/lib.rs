//! kubeharden's CEL engine: Kubernetes `ValidatingAdmissionPolicy` (with its bindings),
//! Gatekeeper `ConstraintTemplate`s whose code is `K8sNativeValidation`, and Kyverno
//! `ValidatingPolicy`, evaluated offline as the API server (or Gatekeeper, or Kyverno) would.
//!
//! Inputs and outputs are JSON values: the caller parses policy files and manifests, this
//! crate never reads a file. The parser is the `cel` crate's; evaluation is ours
//! ([`eval`]), because the API server's cost limits ([`Budget`]) need an interpreter that
//! counts, and findings need to know which field of `object` a failing expression read.
//!
//! - [`PolicySet::add`] compiles one policy document (a VAP, a binding, a Kyverno
//!   ValidatingPolicy) or says it is not one; compile errors carry the JSON pointer of the
//!   expression inside the document and the line and column inside the expression text.
//! - [`PolicySet::admit`] evaluates every bound policy against one admission [`Request`],
//!   with the [`Cluster`] (namespaces, params, CRDs of the input) as what it can see.
//! - [`GatekeeperTemplate`] compiles a template's CEL code; Constraint matching is the
//!   policy layer's (kubeharden-policy), which calls [`GatekeeperTemplate::evaluate`]
//!   with the Constraint's `parameters`.
//!
//! Every problem is a value, never a panic: a policy that runs out of its budget, fails at
//! run time, or needs the cluster (`authorizer`, Kyverno's `resource.*`) gives an
//! [`Outcome`] saying so.
//!
//! ```
//! use kubeharden_cel::{Cluster, CompileOptions, Outcome, PolicySet, Request};
//! use serde_json::json;
//! let policy = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
//!   "metadata": {"name": "replicas"},
//!   "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
//!       "operations": ["CREATE"], "resources": ["deployments"]}]},
//!     "validations": [{"expression": "object.spec.replicas <= 5", "message": "too many"}]}});
//! let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
//!   "metadata": {"name": "replicas"}, "spec": {"policyName": "replicas", "validationActions": ["Deny"]}});
//! let mut set = PolicySet::new(CompileOptions::default());
//! set.add(&policy).unwrap().unwrap();
//! set.add(&binding).unwrap().unwrap();
//! let object = json!({"apiVersion": "apps/v1", "kind": "Deployment",
//!   "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": 9}});
//! let decisions = set.admit(&Request::create(&object), &Cluster::default());
//! let Outcome::Violation(v) = &decisions[0].outcome else { panic!() };
//! assert_eq!(v.message, "too many");
//! assert_eq!(v.path.len(), 2); // spec.replicas
//! ```

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

pub mod budget;
pub mod cluster;
pub mod compile;
#[doc(hidden)]
pub mod conformance;
pub mod crd;
pub mod eval;
mod gatekeeper;
mod inputs;
mod kyverno;
pub mod kyverno_test;
mod library;
mod matching;
mod policy;
mod set;
pub mod value;
pub mod version;

pub use budget::Budget;
pub use cluster::Cluster;
pub use compile::CompileError;
pub use gatekeeper::GatekeeperTemplate;
pub use policy::{Binding, Policy, PolicyKind};
pub use set::PolicySet;
pub use version::KubernetesVersion;

use serde_json::Value;

/// How policies are compiled: for which Kubernetes version's CEL environment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CompileOptions {
    pub kubernetes_version: KubernetesVersion,
}

/// The admission operation of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Connect,
}

impl Operation {
    /// The name the API server gives it (`CREATE`, ...), as `request.operation` holds it.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
        }
    }
}

/// One admission request, as the policies see it.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The object being admitted (`null` on DELETE).
    pub object: Option<&'a Value>,
    /// The object before the change (UPDATE and DELETE).
    pub old_object: Option<&'a Value>,
    pub operation: Operation,
    /// `request.userInfo`; offline there is no user, so by default an empty one.
    pub user_info: Option<&'a Value>,
    pub dry_run: bool,
}

impl<'a> Request<'a> {
    /// A CREATE of `object`: what linting a manifest means.
    pub fn create(object: &'a Value) -> Self {
        Request {
            object: Some(object),
            old_object: None,
            operation: Operation::Create,
            user_info: None,
            dry_run: false,
        }
    }

    /// The object the request is about: `object`, or `oldObject` on DELETE.
    pub fn subject(&self) -> Option<&'a Value> {
        self.object.filter(|o| !o.is_null()).or(self.old_object)
    }
}

/// What a binding (or a Kyverno policy, or a Constraint) does with a failed validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// The API server rejects the request: an error finding.
    Deny,
    /// The request is admitted with a warning: a warning finding.
    Warn,
    /// Recorded in the audit log: an info finding.
    Audit,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Deny => "Deny",
            Action::Warn => "Warn",
            Action::Audit => "Audit",
        }
    }
}

/// One step of a path inside `object`: a map key or a list index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// One policy's answer for one request (through one binding, for a VAP).
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// `metadata.name` of the VAP, the ValidatingPolicy, or the Constraint.
    pub policy: String,
    /// The policy object's kind (`ValidatingAdmissionPolicy`, `ValidatingPolicy`, the
    /// Constraint's kind).
    pub kind: String,
    /// The binding's `metadata.name` (VAP only).
    pub binding: Option<String>,
    pub outcome: Outcome,
}

/// What came of evaluating a policy.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A validation evaluated to false.
    Violation(Violation),
    /// An expression failed at run time (or ran out of budget) and the policy's
    /// `failurePolicy` is `Fail`: the request is rejected with this message.
    Error(EvalFailure),
    /// An expression needs what is not available offline (`authorizer`, Kyverno's
    /// `resource.*`, `http.*`, `globalContext`): not evaluated, never guessed.
    NotEvaluable(EvalFailure),
    /// An audit annotation the policy wrote (`auditAnnotations`).
    AuditAnnotation { key: String, value: String },
}

/// A failed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The index of the validation in the policy's `validations`.
    pub validation: usize,
    /// The validation's expression text.
    pub expression: String,
    /// JSON pointer of the expression in the policy document (`/spec/validations/0/expression`).
    pub pointer: String,
    /// The message as the API server prints it: `message`, the evaluated
    /// `messageExpression`, or `failed expression: <expression>`.
    pub message: String,
    /// `reason` (`Invalid` unless set; VAP only).
    pub reason: Option<String>,
    /// What the binding does with it; several when `validationActions` lists several.
    pub actions: Vec<Action>,
    /// The field of `object` the failing expression read last (down to the list element
    /// that made an `all()` false); empty when it read none.
    pub path: Vec<PathSegment>,
}

/// An expression that could not be evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalFailure {
    /// JSON pointer of the expression in the policy document.
    pub pointer: String,
    pub message: String,
    /// What the binding does with the rejection (empty: nothing, e.g. failurePolicy Ignore
    /// for a NotEvaluable outcome, which is still reported).
    pub actions: Vec<Action>,
}
