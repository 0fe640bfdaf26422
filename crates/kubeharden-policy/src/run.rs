//! One lint's policy evaluation: read the policy documents (from the policy sources and from
//! among the linted manifests, where they apply as they would in a cluster), build what the
//! policies can see (the inventory, the Namespaces), compile each template once, review every
//! linted object against every Constraint that matches it, run conftest files over every
//! object, and turn all of it into findings with positions.

use std::collections::BTreeMap;

use kubeharden::Finding;
use kubeharden_source::{ByteSpan, NodeId, ParsedSource};
use serde_json::{Map, Value, json};

use crate::document::{self, AdmissionDoc, ConftestFile, Constraint, Problem, Read, Template};
use crate::engine::{AdmissionInput, EngineKind, Engines, EvalFailure, Preference, Review};
use crate::finding::{self, Action, Files};
use crate::matching;
use crate::path::Segment;
use crate::shared::Shared;

/// How policies are evaluated.
#[derive(Clone, Debug)]
pub struct Options {
    /// The engine for templates that carry code for several (`--policy-engine`).
    pub preference: Preference,
    /// The packages conftest rules are read from (`--namespace`; default `main`).
    pub conftest_namespaces: Vec<String>,
    /// `input.review.operation` for objects that are not AdmissionReviews.
    pub operation: String,
    /// Which part of the policies this evaluation gives: all of them (a front end with every
    /// engine), or one engine's (the npm package, one module per engine; see [`plan`]).
    pub share: Share,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            preference: Preference::Gatekeeper,
            conftest_namespaces: Vec::new(),
            operation: "CREATE".into(),
            share: Share::All,
        }
    }
}

/// The part of a lint's policies one evaluation gives.
///
/// Each policy belongs to exactly one engine, decided as if every engine were present (by
/// [`Preference::assign`]): a template to the engine its code is run by, conftest files to
/// Rego, admission policies (ValidatingAdmissionPolicy, Kyverno ValidatingPolicy) to CEL. What
/// belongs to no engine (policy-document errors, a Constraint whose kind no template defines, a
/// template with no code the preference runs) is the `lead`'s: the first engine of the
/// [`plan`]. Evaluating every engine of the plan with its share and merging the findings gives
/// exactly what [`Share::All`] gives with every engine, each finding once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Share {
    #[default]
    All,
    Engine {
        kind: EngineKind,
        lead: bool,
    },
}

impl Share {
    fn has(self, kind: Option<EngineKind>) -> bool {
        match (self, kind) {
            (Share::All, _) => true,
            (Share::Engine { kind, .. }, Some(k)) => kind == k,
            (Share::Engine { lead, .. }, None) => lead,
        }
    }
}

/// The engines a lint's policies need, in the order their shares are evaluated (the first is
/// the lead, see [`Share`]): cheap, from the documents' `apiVersion`, `kind` and a template's
/// `code[].engine`, without converting or compiling anything. Empty: [`evaluate`] gives no
/// finding. When policy documents need no engine (only Constraints, or templates without code
/// the preference runs) one engine is still named to report their errors: Rego under
/// `--policy-engine rego`, else CEL.
pub fn plan(manifests: &[ParsedSource], policies: &[ParsedSource], preference: Preference) -> Vec<EngineKind> {
    let (mut rego, mut cel, mut other) = (false, false, false);
    for (i, file) in manifests.iter().chain(policies).enumerate() {
        if i >= manifests.len() && file.name.ends_with(".rego") {
            rego = true;
            continue;
        }
        for d in &file.documents {
            let root = file.tree.node(d.root);
            let api = root.get("apiVersion").and_then(|n| n.str()).unwrap_or("");
            let kind = root.get("kind").and_then(|n| n.str()).unwrap_or("");
            let group = api.rsplit_once('/').map_or("", |(g, _)| g);
            if group == "templates.gatekeeper.sh" && kind == "ConstraintTemplate" {
                let has = document::template_engines(root);
                match preference.assign(|k| has.contains(&k)) {
                    Some(EngineKind::Rego) => rego = true,
                    Some(EngineKind::Cel) => cel = true,
                    None => other = true,
                }
            } else if group == "constraints.gatekeeper.sh" {
                other = true;
            } else if document::is_admission(group, kind) {
                cel = true;
            }
        }
    }
    // As `evaluate`: nothing is evaluated without policies but for policy documents among the
    // manifests (the engines' share reads those the same way).
    let mut out = Vec::new();
    if rego {
        out.push(EngineKind::Rego);
    }
    if cel {
        out.push(EngineKind::Cel);
    }
    if out.is_empty() && other {
        out.push(if preference == Preference::Only(EngineKind::Rego) { EngineKind::Rego } else { EngineKind::Cel });
    }
    out
}

/// An object to review: where it is and what it is.
pub struct Reviewed {
    pub source: usize,
    pub document: u32,
    pub root: NodeId,
    pub object: Value,
}

/// Everything read from the sources.
#[derive(Default)]
pub(crate) struct Input {
    pub templates: Vec<Template>,
    pub constraints: Vec<Constraint>,
    pub conftest: Vec<ConftestFile>,
    pub admission: Vec<AdmissionDoc>,
    pub reviewed: Vec<Reviewed>,
    /// Objects the policies see: the reviewed ones and those of the policy sources.
    pub cluster: Vec<Value>,
    pub problems: Vec<Problem>,
}

fn read(files: &Files<'_>) -> Input {
    let mut out = Input::default();
    for (index, file) in files.list.iter().enumerate() {
        let linted = index < files.manifests;
        if !linted && file.name.ends_with(".rego") {
            out.conftest.push(ConftestFile { source: index, name: file.name.clone(), text: file.text.clone() });
            continue;
        }
        for d in 0..file.documents.len() {
            let Some(doc) = document::read_document(file, index, d, &mut out.problems) else { continue };
            match doc {
                Read::Template(t) => out.templates.push(t),
                Read::Constraint(c) => out.constraints.push(c),
                Read::Admission(a) => out.admission.push(a),
                Read::Skip => {}
                Read::Object(object) => {
                    if linted && let Some(doc) = file.documents.get(d) {
                        out.reviewed.push(Reviewed {
                            source: index,
                            document: doc.number,
                            root: doc.root,
                            object: object.clone(),
                        });
                    }
                    out.cluster.push(object);
                }
            }
        }
    }
    out
}

/// The policy findings of one lint. `manifests` are the linted sources, `policies` the policy
/// sources (their objects are seen by the policies, not reviewed).
pub fn evaluate(
    manifests: &[ParsedSource],
    policies: &[ParsedSource],
    engines: &Engines,
    options: &Options,
) -> Vec<Finding> {
    if policies.is_empty() && !manifests.iter().any(has_policy_documents) {
        // The common lint: nothing to evaluate, and no object is converted for nothing.
        return Vec::new();
    }
    let files = Files::new(manifests, policies);
    let input = read(&files);
    let mut out = Vec::new();
    let share = options.share;
    if share.has(None) {
        for p in &input.problems {
            out.push(finding::problem(&files, p));
        }
    }
    let namespaces: BTreeMap<&str, &Value> = input
        .cluster
        .iter()
        .filter(|o| o.get("kind").and_then(Value::as_str) == Some("Namespace"))
        .filter_map(|o| Some((o.pointer("/metadata/name")?.as_str()?, o)))
        .collect();
    let inventory = Shared::new(inventory(&input.cluster));

    // Each object's review is built once, for every Constraint.
    let reviews: Vec<(Shared, Vec<&Value>)> = input
        .reviewed
        .iter()
        .map(|r| {
            let (request, objects) = review_of(&r.object, &options.operation);
            (Shared::new(request), objects)
        })
        .collect();
    for template in &input.templates {
        let has = |k: EngineKind| template.sources.iter().any(|s| s.engine() == k);
        if !share.has(options.preference.assign(has)) {
            continue;
        }
        evaluate_template(&files, &input, &reviews, template, engines, options, &inventory, &namespaces, &mut out);
    }
    for c in input.constraints.iter().filter(|_| share.has(None)) {
        if !input.templates.iter().any(|t| t.kind == c.kind) {
            out.push(finding::problem(
                &files,
                &Problem {
                    source: c.at.source,
                    document: c.at.document,
                    span: c.at.span,
                    message: format!("no ConstraintTemplate defines the kind {} of Constraint {}", c.kind, c.name),
                    policy: Some((c.kind.clone(), c.name.clone())),
                },
            ));
        }
    }
    if share.has(Some(EngineKind::Rego)) {
        evaluate_conftest(&files, &input, engines, options, &mut out);
    }
    if share.has(Some(EngineKind::Cel)) {
        evaluate_admission(&files, &input, engines, options, &mut out);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn evaluate_template<'n>(
    files: &Files<'_>,
    input: &Input,
    reviews: &[(Shared, Vec<&Value>)],
    template: &Template,
    engines: &Engines,
    options: &Options,
    inventory: &Shared,
    namespaces: &BTreeMap<&'n str, &'n Value>,
    out: &mut Vec<Finding>,
) {
    let by_name = |name: &str| -> Option<&'n Value> { namespaces.get(name).copied() };
    let lookup: &dyn Fn(&str) -> Option<&'n Value> = &by_name;
    let (engine, code) = match engines.choose(&template.sources, options.preference) {
        Ok(chosen) => chosen,
        Err(e) => {
            let has: Vec<&str> = e.has.iter().map(|k| k.as_str()).collect();
            let wanted: Vec<&str> = e.wanted.iter().map(|k| k.as_str()).collect();
            out.push(finding::template_problem(
                files,
                template,
                None,
                format!(
                    "ConstraintTemplate {} has {} code, and this build evaluates {} code: its Constraints are not evaluated",
                    template.name,
                    has.join(" and "),
                    // A share is evaluated as if every engine were present.
                    wanted.iter().filter(|w| options.share != Share::All || engines.get(if **w == "cel" { EngineKind::Cel } else { EngineKind::Rego }).is_some()).copied().collect::<Vec<_>>().join(" and ")
                ),
            ));
            return;
        }
    };
    let mut compiled = match engine.compile_template(code) {
        Ok(c) => c,
        Err(errors) => {
            for e in errors {
                out.push(finding::code_problem(files, template, code, &e));
            }
            return;
        }
    };
    if let Err(e) = compiled.set_inventory(inventory) {
        out.push(finding::template_problem(files, template, Some(code), e.message()));
        return;
    }
    for constraint in input.constraints.iter().filter(|c| c.kind == template.kind) {
        let action = match Action::of(&constraint.object) {
            Ok(a) => a,
            Err(message) => {
                out.push(finding::problem(
                    files,
                    &Problem {
                        source: constraint.at.source,
                        document: constraint.at.document,
                        span: constraint.at.span,
                        message,
                        policy: Some((constraint.kind.clone(), constraint.name.clone())),
                    },
                ));
                continue;
            }
        };
        let m = constraint.object.pointer("/spec/match").cloned().unwrap_or(Value::Null);
        let parameters = match constraint.object.pointer("/spec/parameters") {
            Some(p) if !p.is_null() => p.clone(),
            _ => json!({}),
        };
        let mut failures: Vec<(EvalFailure, String, usize)> = Vec::new();
        let mut undecided: Vec<(String, String, usize)> = Vec::new();
        for (reviewed, (request, objects)) in input.reviewed.iter().zip(reviews) {
            let mut any = Ok(false);
            for o in objects {
                match matching::matches(&m, o, lookup) {
                    Ok(true) => {
                        any = Ok(true);
                        break;
                    }
                    Ok(false) => {}
                    Err(e) => any = Err(e),
                }
            }
            let subject = objects.first().copied().unwrap_or(&reviewed.object);
            let described = describe(subject);
            match any {
                Ok(false) => continue,
                Err(e) => {
                    match undecided.iter_mut().find(|(m, _, _)| *m == e.0) {
                        Some(u) => u.2 += 1,
                        None => undecided.push((e.0, described, 1)),
                    }
                    continue;
                }
                Ok(true) => {}
            }
            let namespace = subject.pointer("/metadata/namespace").and_then(Value::as_str).and_then(lookup);
            let review = Review { request, parameters: &parameters, object: subject, namespace };
            match compiled.review(&review) {
                Ok(violations) => {
                    for v in violations {
                        out.push(finding::violation(
                            files,
                            reviewed,
                            subject,
                            template,
                            constraint,
                            engine.kind(),
                            action,
                            &v,
                        ));
                    }
                }
                Err(f) => match failures.iter_mut().find(|(g, _, _)| *g == f) {
                    Some(g) => g.2 += 1,
                    None => failures.push((f, described, 1)),
                },
            }
        }
        for (f, first, count) in failures {
            let more = if count > 1 { format!(" (and {} more objects)", count - 1) } else { String::new() };
            let message =
                format!("Constraint {}/{} failed on {first}{more}: {}", constraint.kind, constraint.name, f.message());
            let at = match &f {
                EvalFailure::Runtime { at: Some(at), .. } => Some(at.clone()),
                _ => None,
            };
            out.push(finding::runtime_problem(files, template, code, constraint, at, message));
        }
        for (message, first, count) in undecided {
            let more = if count > 1 { format!(" (and {} more objects)", count - 1) } else { String::new() };
            out.push(finding::undecided(
                files,
                constraint,
                format!(
                    "Constraint {}/{} cannot tell whether it applies to {first}{more}: {message}",
                    constraint.kind, constraint.name
                ),
            ));
        }
    }
}

/// Does a linted source hold a policy document (read from the tree, without converting)?
fn has_policy_documents(source: &ParsedSource) -> bool {
    source.documents.iter().any(|d| {
        let root = source.tree.node(d.root);
        let api = root.get("apiVersion").and_then(|n| n.str()).unwrap_or("");
        let kind = root.get("kind").and_then(|n| n.str()).unwrap_or("");
        document::is_policy(&json!({"apiVersion": api, "kind": kind}))
    })
}

/// `Kind/namespace/name` of an object, for messages.
fn describe(object: &Value) -> String {
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("object");
    let name = object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("?");
    match object.pointer("/metadata/namespace").and_then(Value::as_str) {
        Some(ns) => format!("{kind} {ns}/{name}"),
        None => format!("{kind} {name}"),
    }
}

/// Gatekeeper's review of an object, as gator builds it, and the objects `match` is decided
/// on: an AdmissionReview's own request (its operation, userInfo, oldObject; matched on its
/// object or oldObject), else `{kind, name, namespace, operation, object}`.
pub(crate) fn review_of<'a>(object: &'a Value, operation: &str) -> (Value, Vec<&'a Value>) {
    if object.get("kind").and_then(Value::as_str) == Some("AdmissionReview")
        && let Some(request) = object.get("request")
    {
        let objects: Vec<&Value> =
            ["object", "oldObject"].iter().filter_map(|k| request.get(*k)).filter(|o| o.is_object()).collect();
        return (request.clone(), objects);
    }
    let api = object.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let (group, version) = api.rsplit_once('/').unwrap_or(("", api));
    let mut review = Map::new();
    review.insert(
        "kind".into(),
        json!({"group": group, "version": version, "kind": object.get("kind").cloned().unwrap_or(Value::Null)}),
    );
    review.insert("object".into(), object.clone());
    review.insert("operation".into(), json!(operation));
    review.insert("userInfo".into(), json!({}));
    review.insert("uid".into(), json!(""));
    if let Some(name) = object.pointer("/metadata/name") {
        review.insert("name".into(), name.clone());
    }
    if let Some(ns) = object.pointer("/metadata/namespace") {
        review.insert("namespace".into(), ns.clone());
    }
    (Value::Object(review), vec![object])
}

/// `data.inventory` as Gatekeeper's sync builds it: `cluster[<groupVersion>][<kind>][<name>]`
/// for objects without a namespace, `namespace[<ns>][<groupVersion>][<kind>][<name>]` for the
/// others. A later object with the same key replaces an earlier one, as a later apply would.
pub fn inventory(objects: &[Value]) -> Value {
    let mut cluster = Map::new();
    let mut namespaced = Map::new();
    for o in objects {
        let (Some(gv), Some(kind), Some(name)) = (
            o.get("apiVersion").and_then(Value::as_str),
            o.get("kind").and_then(Value::as_str),
            o.pointer("/metadata/name").and_then(Value::as_str),
        ) else {
            continue;
        };
        if kind == "AdmissionReview" {
            continue;
        }
        let root = match o.pointer("/metadata/namespace").and_then(Value::as_str).filter(|n| !n.is_empty()) {
            Some(ns) => match namespaced.entry(ns.to_string()).or_insert_with(|| json!({})) {
                Value::Object(m) => m,
                _ => continue,
            },
            None => &mut cluster,
        };
        let by_gv = root.entry(gv.to_string()).or_insert_with(|| json!({}));
        let Some(by_kind) = by_gv.as_object_mut() else { continue };
        let by_name = by_kind.entry(kind.to_string()).or_insert_with(|| json!({}));
        if let Some(names) = by_name.as_object_mut() {
            names.insert(name.to_string(), o.clone());
        }
    }
    json!({"cluster": cluster, "namespace": namespaced})
}

/// The package a Rego file declares (its first `package` line), `""` when it has none.
fn package_of(text: &str) -> &str {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("package ").map(|p| p.split('#').next().unwrap_or("").trim()))
        .unwrap_or("")
}

fn evaluate_conftest(files: &Files<'_>, input: &Input, engines: &Engines, options: &Options, out: &mut Vec<Finding>) {
    if input.conftest.is_empty() {
        return;
    }
    let Some(engine) = engines.get(EngineKind::Rego) else {
        for f in &input.conftest {
            out.push(finding::file_problem(
                files,
                f.source,
                ByteSpan::new(0, 1),
                "conftest policies need the Rego engine, which this build does not have".into(),
            ));
        }
        return;
    };
    let Some(compiled) = engine.compile_conftest(&input.conftest, &options.conftest_namespaces) else { return };
    let mut compiled = match compiled {
        Ok(c) => c,
        Err(errors) => {
            for (module, e) in &errors {
                let Some(file) = input.conftest.get(*module) else { continue };
                out.push(finding::conftest_code_problem(files, file, e));
            }
            // conftest itself stops at a file that does not compile; here the packages that
            // file is not part of still run (its own package may be incomplete without it).
            let broken: Vec<&str> =
                errors.iter().filter_map(|(m, _)| input.conftest.get(*m)).map(|f| package_of(&f.text)).collect();
            let rest: Vec<ConftestFile> =
                input.conftest.iter().filter(|f| !broken.contains(&package_of(&f.text))).cloned().collect();
            if rest.is_empty() {
                return;
            }
            match engine.compile_conftest(&rest, &options.conftest_namespaces) {
                Some(Ok(c)) => c,
                _ => return,
            }
        }
    };
    let mut failures: Vec<(String, String, usize)> = Vec::new();
    for reviewed in &input.reviewed {
        let name = files.list.get(reviewed.source).map_or("", |f| f.name.as_str());
        match compiled.evaluate(&reviewed.object, name) {
            Ok(hits) => {
                for hit in hits {
                    let package = format!("package {}", hit.namespace);
                    let file = input
                        .conftest
                        .iter()
                        .find(|f| f.text.lines().any(|l| l.trim() == package))
                        .map_or_else(String::new, |f| f.name.clone());
                    out.push(finding::conftest(files, reviewed, &hit, file));
                }
            }
            Err(f) => {
                let m = f.message();
                match failures.iter_mut().find(|(g, _, _)| *g == m) {
                    Some(g) => g.2 += 1,
                    None => failures.push((m, describe(&reviewed.object), 1)),
                }
            }
        }
    }
    for (message, first, count) in failures {
        let more = if count > 1 { format!(" (and {} more objects)", count - 1) } else { String::new() };
        if let Some(file) = input.conftest.first() {
            out.push(finding::file_problem(
                files,
                file.source,
                ByteSpan::new(0, 1),
                format!("conftest policies failed on {first}{more}: {message}"),
            ));
        }
    }
}

fn evaluate_admission(files: &Files<'_>, input: &Input, engines: &Engines, options: &Options, out: &mut Vec<Finding>) {
    if input.admission.is_empty() {
        return;
    }
    let objects: Vec<&Value> = input.reviewed.iter().map(|r| &r.object).collect();
    let cluster: Vec<&Value> = input.cluster.iter().collect();
    let request = AdmissionInput {
        policies: &input.admission,
        objects: &objects,
        cluster: &cluster,
        operation: &options.operation,
    };
    for engine in &engines.list {
        if let Some((results, problems)) = engine.admission(&request) {
            for r in results {
                let (Some(reviewed), Some(policy)) = (input.reviewed.get(r.object), input.admission.get(r.policy))
                else {
                    continue;
                };
                out.push(finding::admission(files, reviewed, policy, engine.kind(), &r));
            }
            for p in problems {
                if let Some(policy) = input.admission.get(p.policy) {
                    out.push(finding::admission_problem(files, policy, &p));
                }
            }
            return;
        }
    }
    for doc in &input.admission {
        out.push(finding::not_evaluated(files, doc));
    }
}

/// Paths of the object's document root, for positions.
pub fn root_path() -> Vec<Segment> {
    vec![Segment::key("metadata"), Segment::key("name")]
}
