//! One regorus engine set up the way OPA runs Gatekeeper and conftest policies: modules
//! rewritten where regorus reads syntax differently, non-strict builtin errors, the
//! builtins that are ours, and evaluation under a budget.

use regorus::Value;

use crate::budget::{self, Budget, Exhausted};
use crate::error::{EvalError, PolicyError, from_regorus, line_column};
use crate::extensions;
use crate::rewrite::{Rewritten, recursive_function, rewrite, too_deeply_nested};
use crate::{Module, RegoVersion};

/// A module as written and as compiled.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    pub original: String,
    pub rewritten: Rewritten,
}

/// Modules compiled into one engine. Cloning is cheap (regorus shares the compiled policy).
#[derive(Clone)]
pub(crate) struct Policy {
    engine: regorus::Engine,
    pub modules: Vec<Compiled>,
    /// `data.<package>` of each module, in order.
    pub packages: Vec<String>,
}

impl core::fmt::Debug for Policy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Policy").field("packages", &self.packages).finish_non_exhaustive()
    }
}

impl Policy {
    /// Parses and compiles the modules, each in its own Rego version; all syntax errors are
    /// reported, one per module.
    pub fn compile(modules: &[(Module, RegoVersion)]) -> Result<Policy, Vec<PolicyError>> {
        let mut engine = regorus::Engine::new();
        // OPA's default: a builtin that fails makes its expression undefined.
        engine.set_strict_builtin_errors(false);
        extensions::register(&mut engine);
        let compiled: Vec<Compiled> = modules
            .iter()
            .map(|(m, version)| Compiled { original: m.text.clone(), rewritten: rewrite(&m.text, *version) })
            .collect();
        let mut errors = Vec::new();
        for (index, (module, _)) in modules.iter().enumerate() {
            if let Some(offset) = too_deeply_nested(&module.text) {
                let (line, column) = line_column(&module.text, offset);
                let message =
                    "brackets nest too deeply here for the Rego parser (its time grows fourfold per level)".to_string();
                errors.push(PolicyError { module: index, line, column, offset, message });
            }
        }
        let texts: Vec<&str> = modules.iter().map(|(m, _)| m.text.as_str()).collect();
        if errors.is_empty()
            && let Some((index, offset, cycle)) = recursive_function(&texts)
        {
            let text = texts.get(index).copied().unwrap_or("");
            let (line, column) = line_column(text, offset);
            errors.push(PolicyError {
                module: index,
                line,
                column,
                offset,
                message: format!("recursive function: {cycle}"),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut packages = Vec::new();
        for (index, (module, (_, version))) in compiled.iter().zip(modules).enumerate() {
            engine.set_rego_v0(*version == RegoVersion::V0);
            match engine.add_policy(index.to_string(), module.rewritten.text.clone()) {
                Ok(package) => packages.push(package),
                Err(e) => errors.push(from_regorus(&e, &compiled)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut policy = Policy { engine, modules: compiled, packages };
        // Analysis (rule conflicts, unsafe variables, recursion) happens on first use:
        // run it now so that compile errors are reported as such, once.
        policy.engine.set_input(Value::new_object());
        if let Err(e) = policy.engine.eval_query("true".to_string(), false) {
            return Err(vec![from_regorus(&e, &policy.modules)]);
        }
        Ok(policy)
    }

    /// Replaces `data` (for Gatekeeper, `{"inventory": ...}`).
    /// Whether `module` parses in `version` (for conftest files of either syntax).
    pub fn parses(module: &Module, version: RegoVersion) -> bool {
        let mut engine = regorus::Engine::new();
        engine.set_rego_v0(version == RegoVersion::V0);
        engine.add_policy("0".into(), rewrite(&module.text, version).text).is_ok()
    }

    pub fn set_data(&mut self, data: Value) -> Result<(), PolicyError> {
        self.engine.clear_data();
        self.engine.add_data(data).map_err(|e| from_regorus(&e, &self.modules))
    }

    /// The value of `rule` (a path such as `data.pkg.violation`) for `input`, within budget.
    pub fn eval_rule(&mut self, rule: &str, input: Value, limits: &Budget) -> Result<Value, EvalError> {
        self.engine.set_input(input);
        let timer = budget::arm(limits);
        self.engine.set_execution_timer_config(timer);
        extensions::begin_evaluation();
        let result = self.engine.eval_rule(rule.to_string());
        let over_memory = budget::disarm();
        let offline = extensions::end_evaluation();
        match result {
            Ok(v) => Ok(v),
            Err(e) => Err(self.classify(&e, limits, over_memory, offline)),
        }
    }

    fn classify(
        &self,
        e: &anyhow::Error,
        limits: &Budget,
        over_memory: Option<u64>,
        offline: Option<String>,
    ) -> EvalError {
        if let Some(limit) = over_memory {
            return EvalError::Exhausted(Exhausted::Memory { limit });
        }
        if let Some(what) = offline {
            return EvalError::NotOffline { what, at: Some(from_regorus(e, &self.modules)) };
        }
        if e.downcast_ref::<regorus::LimitError>().is_some()
            || format!("{e:#}").contains("execution exceeded time limit")
        {
            return EvalError::Exhausted(Exhausted::Work { limit: limits.work });
        }
        EvalError::Runtime(from_regorus(e, &self.modules))
    }
}
