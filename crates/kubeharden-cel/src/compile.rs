//! Compiling one expression: the `cel` crate's parser, then our check of the names it uses
//! against the environment of the target Kubernetes version.
//!
//! The parser is the crate's hand-written Pratt parser (feature `parser_pratt`), not its
//! ANTLR-generated default, whose runtime was a fifth of the CEL wasm module. It builds the
//! same trees (only the ids inside optional selections differ, and nothing here reads ids
//! but the positions); its syntax error messages are its own, at the positions cel-go's
//! ANTLR parser gives, which the code below keeps where the two parsers count differently.
//!
//! Positions are reported inside the expression text (line and column, 1-based, columns
//! in characters); the caller knows where the text sits in the policy file and adds them.

use cel::common::ast::SourceInfo;
use cel::common::ast::{EntryExpr, Expr, IdedExpr};
use cel::parser::PrattParser;

use crate::library;
use crate::version::KubernetesVersion;

/// cel-go's parser limits as the API server keeps them: expressions of at most 100,000
/// code points, nesting at most 250 deep (we stop at 96, the `cel` crate's default, which
/// keeps the recursive evaluator far from the 1 MiB wasm stack).
pub const MAX_CODE_POINTS: usize = 100_000;
pub const MAX_DEPTH: u16 = 96;

/// A compiled expression.
#[derive(Debug)]
pub struct Program {
    pub source: String,
    pub expr: IdedExpr,
}

/// A problem in a policy document, at a place the caller can map back to the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// JSON pointer of the field in the policy document (`/spec/validations/0/expression`);
    /// `""` for the document itself.
    pub pointer: String,
    /// Line and column inside the field's text (1-based); 1:1 when the problem is the
    /// whole field.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl CompileError {
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        CompileError { pointer: pointer.into(), line: 1, column: 1, message: message.into() }
    }
}

/// What an expression may refer to.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Top-level variables (`object`, `params`, ...).
    pub names: Vec<&'static str>,
    /// Names under `variables.` declared before this expression (VAP variables may only
    /// use earlier ones).
    pub variables: Vec<String>,
    pub version: KubernetesVersion,
    /// Kyverno's environment adds its own libraries.
    pub kyverno: bool,
}

/// Parses and checks `source`; `pointer` names the field for the errors.
pub fn compile(source: &str, pointer: &str, scope: &Scope) -> Result<Program, Vec<CompileError>> {
    let expr = parse(source, pointer, scope)?;
    let mut problems = Vec::new();
    check(&expr, scope, &mut Vec::new(), &mut problems);
    if problems.is_empty() {
        return Ok(Program { source: source.to_string(), expr });
    }
    let info = offsets(source, parser(scope));
    Err(problems
        .into_iter()
        .map(|(id, message)| {
            let (line, column) = info
                .as_ref()
                .and_then(|info| info.offset_for(id))
                .map_or((1, 1), |(start, _)| line_column(source, call_start(source, start as usize)));
            CompileError {
                pointer: pointer.to_string(),
                line,
                column,
                message: format!("compilation failed: {message}"),
            }
        })
        .collect())
}

/// The line and column (in `source`) of each node id, for problems found by checks of our
/// own after [`compile`] (1:1 where a node's offset is not known).
pub(crate) fn positions(source: &str, scope: &Scope, ids: &[u64]) -> Vec<(u32, u32)> {
    let info = offsets(source, parser(scope));
    ids.iter()
        .map(|id| {
            info.as_ref()
                .and_then(|info| info.offset_for(*id))
                .map_or((1, 1), |(start, _)| line_column(source, call_start(source, start as usize)))
        })
        .collect()
}

/// The parser of `scope`'s Kubernetes version.
fn parser(scope: &Scope) -> PrattParser {
    PrattParser::new().enable_optional_syntax(scope.version.at_least(28)).max_recursion_depth(MAX_DEPTH)
}

/// Parses `source` as [`compile`] does (limits, parser options of the version), without
/// checking the names it uses: the conformance test runs expressions that cel-spec
/// evaluates unchecked.
pub(crate) fn parse(source: &str, pointer: &str, scope: &Scope) -> Result<IdedExpr, Vec<CompileError>> {
    if source.chars().count() > MAX_CODE_POINTS {
        return Err(vec![CompileError::at(
            pointer,
            format!(
                "expression code point size exceeds limit: size: {}, limit {MAX_CODE_POINTS}",
                source.chars().count()
            ),
        )]);
    }
    if source.trim().is_empty() {
        return Err(vec![CompileError::at(pointer, "compilation failed: expression is empty")]);
    }
    if let Err(message) = nesting_guard(source) {
        return Err(vec![CompileError::at(pointer, format!("compilation failed: {message}"))]);
    }
    match parser(scope).parse(source) {
        Ok(expr) => Ok(expr),
        Err(errors) => {
            let mut found: Vec<CompileError> = Vec::new();
            for e in &errors.errors {
                // The offset of the token the error is at, where the parser kept it: a position
                // in characters, and the end of the text after a final newline is on the next
                // line (the parser's own column counts bytes and stays on the last line).
                let at = e.source_info.as_ref().and_then(|info| info.offset_for(e.expr_id));
                let (line, column) = match at {
                    Some((start, _)) => line_column(source, start as usize),
                    None => {
                        let line = usize::try_from(e.pos.0.max(1)).unwrap_or(1);
                        let byte_column = usize::try_from(e.pos.1.max(1)).unwrap_or(1);
                        (u32::try_from(line).unwrap_or(1), char_column(source, line, byte_column))
                    }
                };
                // The parser may give a second message for the same token (`expected ')'` after
                // `mismatched input`): the first says it.
                if found.iter().any(|f| (f.line, f.column) == (line, column)) {
                    continue;
                }
                let message = if e.msg.starts_with("Syntax error") || e.msg.starts_with("invalid ") {
                    format!("compilation failed: {}", e.msg)
                } else {
                    format!("compilation failed: Syntax error: {}", e.msg)
                };
                found.push(CompileError { pointer: pointer.to_string(), line, column, message });
            }
            Err(found)
        }
    }
}

/// How deep the syntax tree of `source` can be, bounded before the parser sees it: the
/// parser and the evaluator both recurse on the tree, and a few thousand levels overflow the
/// 1 MiB wasm stack. Each open bracket adds a level, and so does each operator, member
/// selection or `?` in a chain at the same bracket level (`a + b + c`, `a.b.c`, nested
/// ternaries); `&&` and `||` chains do not, the parser balances them.
pub const MAX_TREE_DEPTH: usize = 250;

fn nesting_guard(source: &str) -> Result<(), String> {
    let mut open: Vec<usize> = vec![0];
    let mut depth_max = 0usize;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                // Skip the literal (triple-quoted ones too), escapes included.
                let triple = chars.peek() == Some(&c) && {
                    let mut look = chars.clone();
                    look.next();
                    look.peek() == Some(&c)
                };
                if triple {
                    chars.next();
                    chars.next();
                }
                let mut run = 0;
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                        run = 0;
                        continue;
                    }
                    if d == c {
                        run += 1;
                        if !triple || run == 3 {
                            break;
                        }
                    } else {
                        run = 0;
                    }
                }
                continue;
            }
            '(' | '[' | '{' => open.push(0),
            ')' | ']' | '}' => {
                if open.len() > 1 {
                    open.pop();
                }
            }
            '+' | '-' | '*' | '/' | '%' | '<' | '>' | '=' | '!' | '.' | '?' => {
                if c == '=' && chars.peek() == Some(&'=') {
                    chars.next();
                }
                if let Some(top) = open.last_mut() {
                    *top += 1;
                }
            }
            _ => continue,
        }
        let depth = open.len() + open.iter().sum::<usize>();
        depth_max = depth_max.max(depth);
        if depth_max > MAX_TREE_DEPTH {
            return Err(format!(
                "expression recursion limit exceeded: more than {MAX_TREE_DEPTH} nested brackets or chained operators"
            ));
        }
    }
    Ok(())
}

/// The offsets of every node of `source`, which parsed: the Pratt parser hands them out only
/// with its errors. Parsed again with a closing bracket on a line of its own, the expression
/// gives the same tree with the same ids (the parser numbers nodes as it reads them, and the
/// bracket only ends the expression where the end of the text did), then a syntax error, which
/// carries the offsets. Only a failed check needs them.
fn offsets(source: &str, parser: PrattParser) -> Option<std::sync::Arc<SourceInfo>> {
    let errors = parser.parse(&format!("{source}\n)")).err()?;
    errors.errors.into_iter().find_map(|e| e.source_info)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(source: &str, byte_offset: usize) -> (u32, u32) {
    let mut line = 1u32;
    let mut column = 1u32;
    for c in source.get(..byte_offset).unwrap_or(source).chars() {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

/// The 1-based column in characters of the parser's 1-based column in bytes on `line`.
fn char_column(source: &str, line: usize, byte_column: usize) -> u32 {
    let text = source.split_inclusive('\n').nth(line - 1).unwrap_or("");
    let before = text.get(..byte_column - 1).unwrap_or(text);
    u32::try_from(before.chars().count() + 1).unwrap_or(1)
}

/// Where a name's problem is reported: the parser puts a global call (`quantity(...)`, also
/// `has(...)`) and a message literal (`Foo{...}`) at its name, cel-go's parser at the bracket
/// after it.
fn call_start(source: &str, byte_offset: usize) -> usize {
    let Some(rest) = source.get(byte_offset..) else { return byte_offset };
    let name = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    let after = rest.get(name..).unwrap_or("").trim_start();
    if name > 0 && after.starts_with(['(', '{']) { source.len() - after.len() } else { byte_offset }
}

/// Reports undeclared names and unknown functions, as cel-go's checker does before any
/// evaluation. Types are dynamic here (the objects have no schema offline), so overloads
/// are resolved at run time.
fn check(e: &IdedExpr, scope: &Scope, locals: &mut Vec<String>, out: &mut Vec<(u64, String)>) {
    match &e.expr {
        Expr::Ident(name) => {
            if !locals.iter().any(|l| l == name)
                && !scope.names.contains(&name.as_str())
                && library::type_ident(name).is_none()
            {
                out.push((e.id, format!("undeclared reference to '{name}'")));
            }
        }
        Expr::Select(select) => {
            if let Some((root, _)) = library::qualified_type(e)
                && !locals.iter().any(|l| l == root)
                && !scope.names.contains(&root)
            {
                return;
            }
            if let Expr::Ident(root) = &select.operand.expr
                && root == "variables"
                && !locals.iter().any(|l| l == "variables")
                && scope.names.contains(&"variables")
            {
                if !scope.variables.iter().any(|v| v == &select.field) {
                    out.push((e.id, format!("undeclared reference to 'variables.{}'", select.field)));
                }
                return;
            }
            check(&select.operand, scope, locals, out);
        }
        Expr::Call(call) => {
            let two_var = call.target.is_some()
                && call.args.len() >= 3
                && matches!(
                    call.func_name.as_str(),
                    "all"
                        | "exists"
                        | "existsOne"
                        | "exists_one"
                        | "transformList"
                        | "transformMap"
                        | "transformMapEntry"
                )
                && call.args.iter().take(2).all(|a| matches!(a.expr, Expr::Ident(_)));
            if two_var {
                if !scope.version.at_least(32) {
                    out.push((e.id, format!("undeclared reference to '{}'", call.func_name)));
                }
                if let Some(t) = &call.target {
                    check(t, scope, locals, out);
                }
                let added = 2;
                for a in call.args.iter().take(2) {
                    if let Expr::Ident(n) = &a.expr {
                        locals.push(n.clone());
                    }
                }
                for a in call.args.iter().skip(2) {
                    check(a, scope, locals, out);
                }
                locals.truncate(locals.len() - added);
                return;
            }
            // `opt.optMap(v, expr)`, `opt.optFlatMap(v, expr)`: `v` is bound in `expr`.
            if let (Some(t), "optMap" | "optFlatMap", [IdedExpr { expr: Expr::Ident(v), .. }, body]) =
                (&call.target, call.func_name.as_str(), call.args.as_slice())
                && scope.version.at_least(28)
            {
                check(t, scope, locals, out);
                locals.push(v.clone());
                check(body, scope, locals, out);
                locals.pop();
                return;
            }
            let namespaced = match &call.target {
                Some(t) => match &t.expr {
                    Expr::Ident(ns) if !locals.iter().any(|l| l == ns) && !scope.names.contains(&ns.as_str()) => {
                        Some(ns.as_str())
                    }
                    _ => None,
                },
                None => None,
            };
            let known = match namespaced {
                Some(ns) => library::namespaced_known(ns, &call.func_name, scope),
                None => library::function_known(&call.func_name, call.target.is_some(), scope),
            };
            if !known {
                let name = match namespaced {
                    Some(ns) => format!("{ns}.{}", call.func_name),
                    None => call.func_name.clone(),
                };
                out.push((e.id, format!("undeclared reference to '{name}'")));
            }
            if namespaced.is_none()
                && let Some(t) = &call.target
            {
                check(t, scope, locals, out);
            }
            for a in &call.args {
                // The field name of an optional selection is a literal, not a reference.
                check(a, scope, locals, out);
            }
        }
        Expr::List(list) => {
            for element in &list.elements {
                check(element, scope, locals, out);
            }
        }
        Expr::Map(map) => {
            for entry in &map.entries {
                if let EntryExpr::MapEntry(entry) = &entry.expr {
                    check(&entry.key, scope, locals, out);
                    check(&entry.value, scope, locals, out);
                }
            }
        }
        Expr::Struct(s) => out.push((e.id, format!("undeclared reference to '{}'", s.type_name))),
        Expr::Comprehension(c) => {
            check(&c.iter_range, scope, locals, out);
            check(&c.accu_init, scope, locals, out);
            locals.push(c.accu_var.clone());
            locals.push(c.iter_var.clone());
            if let Some(v2) = &c.iter_var2 {
                locals.push(v2.clone());
            }
            check(&c.loop_cond, scope, locals, out);
            check(&c.loop_step, scope, locals, out);
            check(&c.result, scope, locals, out);
            locals.truncate(locals.len() - 2 - usize::from(c.iter_var2.is_some()));
        }
        Expr::Literal(_) | Expr::Unspecified => {}
    }
}
