// Types of the `kubeharden` package. Every entry (browsers, bundlers, Node ESM and CJS, Deno,
// Cloudflare Workers, Vercel Edge) has this API. The shapes mirror the Rust serde types of the
// report (crates/kubeharden/src/report.rs), the configuration (config.rs) and the rule
// registry (registry.rs); the package's tests check real output against them.

export type Severity = 'error' | 'warning' | 'info';
export type Profile = 'baseline' | 'restricted' | 'hardened';
/** `off`, `on` (at the rule's default severity), a severity, or a boolean for off/on. */
export type RuleSetting = 'off' | 'on' | Severity | boolean;
export type Family = 'structure' | 'schema' | 'pss' | 'workload' | 'rbac' | 'network' | 'control-plane' | 'api';
/** `latest`, `v1.30`, `1.30` or `1.30.2` (the patch is ignored). */
export type KubernetesVersion = 'latest' | `v1.${number}` | `1.${number}` | (string & {});

export interface Limits {
  /** Largest source accepted, in bytes of UTF-8 (default 64 MiB). */
  maxInputBytes?: number;
  /** Most documents read from one source (default 1000000). */
  maxDocuments?: number;
  /** Deepest nesting of mappings and sequences (default 200). */
  maxDepth?: number;
  /** Largest document size once aliases are expanded, in nodes (default 1000000). */
  maxAliasExpansion?: number;
  /**
   * Most findings one rule reports for one object (or one document outside objects); one more
   * finding counts the rest (default 100).
   */
  maxFindingsPerRule?: number;
}

/** An exemption written in the config. Every given field must match; `*` matches anything. */
export interface Exemption {
  /** Rule IDs, or '*' for every rule. */
  rules: string[];
  kind?: string;
  namespace?: string;
  name?: string;
  /** Source name (file path) the exemption is limited to. */
  source?: string;
  reason?: string;
}

export interface Config {
  /** Default 'hardened'. */
  profile?: Profile;
  /** The Kubernetes version whose behaviour the checks follow (default 'latest'). */
  kubernetesVersion?: KubernetesVersion;
  /** Per-rule overrides by rule ID. An unknown ID is an INVALID_CONFIG error. */
  rules?: Record<string, RuleSetting>;
  exemptions?: Exemption[];
  limits?: Limits;
  /** Objects annotated `helm.sh/hook: test*` get no resource-limit findings. */
  skipHelmTestHooks?: boolean;
  /** RuntimeClass names that count as sandboxes (missing-runtime-class). */
  sandboxRuntimeClasses?: string[];
  /**
   * Today's date (YYYY-MM-DD, UTC) for `kubeharden.io/ignore-until`. Filled in from the clock
   * when omitted; `null` means exemptions never expire.
   */
  today?: string | null;
  /** Schema validation (the `schema` rule family); `false` turns every rule of the family off. Default true. */
  schemaValidation?: boolean;
  /** Path globs the CLI skips (`ignore:` in .kubeharden.yaml); accepted and unused here. */
  ignore?: string[];
  /**
   * CRD files or folders the CLI reads (`crds:` in .kubeharden.yaml); accepted and unused here:
   * pass the CRD texts as the `crds` of lint()'s input.
   */
  crds?: string[];

  /**
   * Custom policies: Gatekeeper ConstraintTemplates (Rego or CEL code) and Constraints,
   * conftest files (names ending in `.rego`), ValidatingAdmissionPolicies with their bindings,
   * Kyverno ValidatingPolicies, and objects the policies see without being linted (Namespaces,
   * inventory, params). Evaluated by the engine modules they need (Rego, CEL), each loaded on the
   * first lint that needs it (in browsers and Deno: `await readyPolicies()` first).
   */
  policies?: PolicyFile[];
}

/** What `lint()` takes: the configuration, and how policies are evaluated. */
export interface LintOptions extends Config {
  /** Engine for templates with both Rego and CEL code. Default 'auto' (as Gatekeeper: CEL first). */
  policyEngine?: 'auto' | 'rego' | 'cel';
  /** conftest packages whose rules apply. Default ['main']. */
  policyNamespaces?: string[];
}

export interface PolicyFile {
  name: string;
  text: string;
}

/** The custom policy behind a finding. */
export interface PolicyRef {
  /** 'rego' or 'cel'. */
  engine: string;
  /** The Constraint's kind, 'conftest', 'ConstraintTemplate' (its own errors), ... */
  kind: string;
  /** The Constraint's name, or the conftest rule (`main.deny`). */
  name: string;
  template?: string;
  /** The policy file. */
  file: string;
  /** deny, warn or dryrun (Gatekeeper). */
  action: string;
  /** What the policy is for (the template's description annotation). */
  description?: string;
}

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units (a JS string index within the line, plus one). */
  column: number;
  /** Offset from the start of the source, in UTF-16 code units (a JS string index). */
  offset: number;
}

export interface Span {
  start: Position;
  end: Position;
}

/** The object a finding is about. For a document that is not an object, only `document` and `source`. */
export interface ResourceRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  /** True when the namespace was not written and `default` applies. */
  namespaceDefaulted?: boolean;
  name?: string;
  /** 1-based document number in the source (0: the source as a whole). */
  document: number;
  source: string;
}

export interface Edit {
  /** UTF-16 offsets into the source: replace `text.slice(start, end)` by `text`. */
  start: number;
  end: number;
  text: string;
}

/**
 * How safe a fix is to apply without looking: `safe` (no change in behaviour), `hardening`
 * (tightens a setting the workload might still need), `unsafe` (likely to break a workload
 * unless someone checks).
 */
export type Applicability = 'safe' | 'hardening' | 'unsafe';

export interface Fix {
  description: string;
  applicability: Applicability;
  edits: Edit[];
}

export interface Suppression {
  /** `annotation` (kubeharden.io/ignore on the object) or `config` (an exemption). */
  kind: 'annotation' | 'config';
  reason?: string;
  until?: string;
}

export interface PssRef {
  /** The upstream Pod Security Admission check ID, such as `allowPrivilegeEscalation`. */
  check: string;
  level: 'baseline' | 'restricted';
}

export interface Finding {
  /** The rule ID, such as `pss-privileged`. */
  rule: string;
  severity: Severity;
  message: string;
  /** The message's short, stable reason, for rules that write `reason: detail` messages (the `pss-*` rules). */
  reason?: string;
  /** The message after its reason: what exactly is wrong and where. */
  detail?: string;
  help: string;
  resource: ResourceRef;
  /** Field path from the document root, such as `spec.template.spec.containers[0].image`. */
  path: string;
  span: Span;
  fix?: Fix;
  /** The Pod Security Admission check behind a `pss-*` finding. */
  pss?: PssRef;
  /** Set when an exemption matched; such findings are not counted in the summary. */
  suppressed?: Suppression;
  /** Set on findings of custom policies. */
  policy?: PolicyRef;
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
  sources: number;
  documents: number;
  resources: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'kubeharden'; version: string };
  config: { profile: Profile; kubernetesVersion: `v1.${number}` };
  /** Sorted by source, document, offset, rule. */
  findings: Finding[];
  summary: Summary;
}

export interface RuleDocs {
  /** What it does (Markdown). */
  what: string;
  /** Why it matters (Markdown). */
  why: string;
  /** A manifest that triggers the rule. */
  fail: string;
  /** The same manifest, fixed. */
  pass: string;
  /** How to fix (Markdown). */
  fix: string;
  /** URLs. */
  references: string[];
}

export interface RuleMeta {
  id: string;
  family: Family;
  severity: Severity;
  /** Profiles that turn the rule on (empty for opt-in rules). */
  profiles: Profile[];
  optIn: boolean;
  summary: string;
  docs: RuleDocs;
  /** Upstream check IDs, CIS/NSA sections, other linters' IDs. */
  aliases: string[];
  /** IDs the rule had before it was renamed; configs, exemptions and `explain` still accept them. */
  formerIds?: string[];
  pss?: { check: string; level: 'baseline' | 'restricted'; overrides: string[] };
  /** Kubernetes versions where the rule's behaviour changes (`v1.0`: from the start). */
  versions: string[];
  helpUri: string;
  /** Whether the rule attaches fixes to its findings. */
  fixable: boolean;
  /** The applicability of its fixes, when it has them. */
  fix?: { applicability: Applicability };
}

export interface FixOptions {
  config?: Config;
  /** Apply fixes up to this applicability (default `hardening`, as `kubeharden lint --fix`). */
  applicability?: Applicability;
}

/** A fix that was applied. */
export interface AppliedFix {
  rule: string;
  description: string;
  applicability: Applicability;
  source: string;
  /** 1-based line of its finding, in the text it was applied to. */
  line: number;
  path: string;
}

export interface FixResult {
  /** Every input file, fixed (`changed` tells which), with its unified diff (empty if unchanged). */
  files: { name: string; text: string; changed: boolean; diff: string }[];
  applied: AppliedFix[];
  /** The report of what remains, on the fixed texts. */
  report: Report;
}

/** A SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), one run. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: { name: 'kubeharden'; version: string; rules: Record<string, unknown>[]; [key: string]: unknown } };
  /** Columns count UTF-16 code units, as in the report. */
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
  [key: string]: unknown;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: Record<string, unknown>[];
  /** `kubeharden/v1`: a hash that survives edits elsewhere in the file. */
  partialFingerprints: Record<string, string>;
  suppressions?: Record<string, unknown>[];
  fixes?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface SourceFile {
  /** Reported as `resource.source`; default `file<N>.yaml`. */
  name?: string;
  text: string;
}

/**
 * One text (named `manifest.yaml` in the report), or files linted together. `crds` are files
 * read only for their CustomResourceDefinitions: their schemas validate the custom resources
 * of `files`, and they are not linted (CRDs among `files` count too).
 */
export type Input = string | { files: SourceFile[]; crds?: SourceFile[] };

/**
 * - `NOT_READY`: a call before `await ready()` where loading is asynchronous (browsers, Deno).
 * - `LOAD_FAILED`: the .wasm could not be fetched, compiled or instantiated.
 * - `INVALID_INPUT`: wrong argument types, or `toSarif()` given something that is not a report.
 * - `INVALID_CONFIG`: an unknown field, profile, rule ID, setting or version in the config.
 * - `TRAP`: the engine stopped on this input (it is built never to); it was restarted and the
 *   next call works.
 * - `INTERNAL`: anything else.
 */
export type ErrorCode = 'NOT_READY' | 'LOAD_FAILED' | 'INVALID_INPUT' | 'INVALID_CONFIG' | 'TRAP' | 'INTERNAL';

export declare class KubehardenError extends Error {
  readonly name: 'KubehardenError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown });
}

// Platform types resolve to `never` where the program's libs do not declare them, so these
// declarations compile with or without the DOM lib, @types/node or workers types.
type GlobalInstance<K extends string> = typeof globalThis extends { [P in K]: { prototype: infer T } } ? T : never;
// WebAssembly.Module is an empty interface in the DOM lib: `& object` keeps primitives out.
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M & object : never;

/**
 * Where `ready()` loads the module from: a URL (string, URL or Request) fetched with `fetch`
 * (Node also reads `file:` URLs and paths), a fetch Response, the bytes of
 * `kubeharden_bg.wasm`, or a compiled WebAssembly.Module; or a promise of one of these.
 */
export type WasmLoadable =
  | string
  | GlobalInstance<'URL'>
  | GlobalInstance<'Request'>
  | GlobalInstance<'Response'>
  | ArrayBuffer
  | ArrayBufferView
  | WasmModule;
export type WasmSource = WasmLoadable | PromiseLike<WasmLoadable>;

/** The package version (the same as the CLI's and the report's `tool.version`). */
export declare const version: string;

/**
 * Resolves when the WebAssembly module is loaded; calls are synchronous after that. In Node and
 * in workers it resolves at once (the first call would load the module anyway). In browsers and
 * Deno it fetches `kubeharden_bg.wasm` next to the entry file unless given a URL, a Response,
 * the bytes or a compiled WebAssembly.Module (to self-host the file, for example under a strict
 * Content-Security-Policy, which must allow 'wasm-unsafe-eval'). Rejects with a KubehardenError.
 */
export declare function ready(source?: WasmSource): Promise<void>;

/** Which engine modules `readyPolicies()` loads, and from where. */
export interface ReadyPoliciesOptions {
  /**
   * Only what these policies need (decided as `lint()` decides: each policy belongs to one
   * engine). Without it, both modules.
   */
  policies?: PolicyFile[];
  /** As `lint()`'s `policyEngine`, with `policies`. */
  policyEngine?: 'auto' | 'rego' | 'cel';
  /**
   * The linted files, when policy documents among them count (with `policies`), or when CRDs
   * with x-kubernetes-validations rules among them need the CEL module.
   */
  files?: { name?: string; text: string }[];
  /** Where to load `kubeharden_policy_bg.wasm` (the Rego engine) from. */
  rego?: WasmSource;
  /** Where to load `kubeharden_cel_bg.wasm` (the CEL engine) from. */
  cel?: WasmSource;
}

/**
 * Loads the engine modules: `kubeharden_policy_bg.wasm` (Rego) and `kubeharden_cel_bg.wasm`
 * (CEL): both, or what `options.policies` need. Needed once before the first lint with
 * `policies` in browsers and Deno (that lint throws NOT_READY otherwise); in Node and workers
 * that lint loads what it needs. Given a source instead of options, loads the Rego module from
 * it. With `policies`, the core module must be loadable too (it decides).
 */
export declare function readyPolicies(options?: ReadyPoliciesOptions | WasmSource): Promise<void>;

/**
 * Lints manifests (YAML or JSON, any number of documents). Cross-resource rules see every file.
 * The x-kubernetes-validations (CEL) rules of the CRDs in the input or its `crds` are evaluated
 * over their custom resources (`violated-validation-rule`) by the CEL module, which the lint
 * loads where it can synchronously (Node, workers); elsewhere `await readyPolicies()` first, or
 * the report says the rules were not evaluated (`unevaluated-validation-rule`).
 */
export declare function lint(input: Input, config?: LintOptions): Report;

/**
 * Applies the fixes of the findings (the CLI's `lint --fix`), linting again until nothing
 * changes: comments and layout are kept, and a second call changes nothing.
 */
export declare function fix(input: Input, options?: FixOptions): FixResult;

/** Metadata and documentation of every rule, in catalogue order. */
export declare function rules(): RuleMeta[];

/** The full documentation of a rule as Markdown, or undefined for an unknown ID. */
export declare function explain(ruleId: string): string | undefined;

/** The schema field under a position of a manifest (see `fieldAt`). */
export interface FieldLocation {
  apiVersion: string;
  kind: string;
  /** Keys from the object down to the field; `null` for an item of a list. */
  path: (string | null)[];
  /** Index into the `definitions` of the field documentation (`web/field-docs.json` of the repository, which the web page loads); null when the schema has no such field. */
  definition: number | null;
  /** The field's name in that definition. */
  field: string | null;
}

/**
 * The field of a built-in kind's schema under `offset` (a string index) of `text`: what the
 * field documentation (`web/field-docs.json`) describes. Undefined when the position is
 * on no key or value of an object.
 */
export declare function fieldAt(text: string, offset: number): FieldLocation | undefined;

/** A report as a SARIF 2.1.0 log, the same as `kubeharden lint --format sarif`. */
export declare function toSarif(report: Report): SarifLog;

/**
 * The configuration `lint()` uses for what a config leaves out, with every field filled in:
 * `kubernetesVersion` is the newest version this build knows (what `'latest'` means), `today`
 * is `null` (`lint()` takes it from the clock).
 */
export declare function defaultConfig(): Required<Config>;

declare const kubeharden: {
  version: typeof version;
  KubehardenError: typeof KubehardenError;
  ready: typeof ready;
  readyPolicies: typeof readyPolicies;
  lint: typeof lint;
  fix: typeof fix;
  rules: typeof rules;
  explain: typeof explain;
  fieldAt: typeof fieldAt;
  toSarif: typeof toSarif;
  defaultConfig: typeof defaultConfig;
};
export default kubeharden;
