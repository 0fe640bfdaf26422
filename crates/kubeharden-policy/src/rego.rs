//! The Rego engine (kubeharden-rego) behind the [`Engine`] seam: Gatekeeper templates' Rego
//! and conftest files.

use kubeharden_rego::position::{self, Segment as RegoSegment};
use kubeharden_rego::{
    Budget, Conftest, ConftestRule, Document, EvalError, Module, PolicyError, RegoVersion, Template,
};
use serde_json::Value;

use crate::document::{CodeSource, ConftestFile};
use crate::engine::{
    CodeError, CompiledConftest, CompiledTemplate, ConftestCompiled, ConftestHit, Engine, EngineKind, EvalFailure,
    Review, Violation,
};
use crate::path::Segment;
use crate::shared::Shared;

/// regorus, bounded by [`Budget::default`] for each evaluation.
#[derive(Debug)]
pub struct RegoEngine;

impl Engine for RegoEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Rego
    }

    fn compile_template(&self, code: &CodeSource) -> Result<Box<dyn CompiledTemplate>, Vec<CodeError>> {
        let CodeSource::Rego { rego, libs, v1 } = code else {
            return Err(vec![CodeError { code: 0, line: 1, column: 1, message: "not Rego code".into() }]);
        };
        let main = Module::new("rego", rego.text.clone());
        let libs: Vec<Module> =
            libs.iter().enumerate().map(|(i, l)| Module::new(format!("lib{i}"), l.text.clone())).collect();
        let version = if *v1 { RegoVersion::V1 } else { RegoVersion::V0 };
        let template =
            Template::compile(&main, &libs, version).map_err(|e| e.into_iter().map(code_error).collect::<Vec<_>>())?;
        Ok(Box::new(RegoTemplate { template }))
    }

    fn compile_conftest(&self, files: &[ConftestFile], namespaces: &[String]) -> Option<ConftestCompiled> {
        let modules: Vec<Module> = files.iter().map(|f| Module::new(f.name.clone(), f.text.clone())).collect();
        Some(match Conftest::compile(&modules, None) {
            Ok(conftest) => Ok(Box::new(RegoConftest { conftest, namespaces: namespaces.to_vec() })),
            Err(errors) => Err(errors.into_iter().map(|e| (e.module, code_error(e))).collect()),
        })
    }
}

fn code_error(e: PolicyError) -> CodeError {
    CodeError { code: e.module, line: e.line, column: e.column, message: e.message }
}

fn failure(e: EvalError) -> EvalFailure {
    match e {
        EvalError::Runtime(p) => EvalFailure::Runtime { message: p.message.clone(), at: Some(code_error(p)) },
        EvalError::NotOffline { what, .. } => EvalFailure::NotOffline { what },
        EvalError::Exhausted(x) => EvalFailure::Exhausted { message: x.to_string() },
    }
}

fn segments(path: Vec<RegoSegment>) -> Vec<Segment> {
    path.into_iter()
        .map(|s| match s {
            RegoSegment::Key(k) => Segment::Key(k),
            RegoSegment::Index(i) => Segment::Index(i),
        })
        .collect()
}

struct RegoTemplate {
    template: Template,
}

impl CompiledTemplate for RegoTemplate {
    fn set_inventory(&mut self, inventory: &Shared) -> Result<(), EvalFailure> {
        self.template
            .set_inventory_document(&inventory.converted(Document::from_json))
            .map_err(|e| EvalFailure::Runtime { message: e.message.clone(), at: Some(code_error(e)) })
    }

    fn review(&mut self, review: &Review<'_>) -> Result<Vec<Violation>, EvalFailure> {
        let found = self
            .template
            .review(&review.request.converted(Document::from_json), review.parameters, &Budget::default())
            .map_err(failure)?;
        Ok(found
            .into_iter()
            .map(|v| {
                // Rego names no fields: where the violation points is read from what it says.
                let (path, _) = position::locate(review.object, &v);
                Violation { message: v.msg, details: v.details, path: Some(segments(path)) }
            })
            .collect())
    }
}

struct RegoConftest {
    conftest: Conftest,
    namespaces: Vec<String>,
}

impl CompiledConftest for RegoConftest {
    fn evaluate(&mut self, object: &Value, file: &str) -> Result<Vec<ConftestHit>, EvalFailure> {
        self.conftest
            .set_file(file)
            .map_err(|e| EvalFailure::Runtime { message: e.message.clone(), at: Some(code_error(e)) })?;
        let results = self.conftest.evaluate(object, &self.namespaces, &Budget::default()).map_err(failure)?;
        Ok(results
            .into_iter()
            .map(|r| {
                let v = kubeharden_rego::Violation { msg: r.msg.clone(), details: r.metadata.clone() };
                let (path, _) = position::locate(object, &v);
                ConftestHit {
                    namespace: r.namespace,
                    rule: r.rule,
                    warning: r.kind == ConftestRule::Warning,
                    message: r.msg,
                    metadata: r.metadata,
                    path: Some(segments(path)),
                }
            })
            .collect())
    }
}
