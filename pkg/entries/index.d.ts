// Types of the `kubeharden` package. Every entry (browser, Node ESM/CJS, Deno, workers) has
// this API.

export type Severity = 'error' | 'warning' | 'info';
export type Profile = 'baseline' | 'restricted' | 'hardened';
export type RuleSetting = 'off' | 'on' | 'info' | 'warning' | 'error' | boolean;
export type Family = 'structure' | 'pss' | 'workload' | 'rbac' | 'network' | 'control-plane' | 'api';

export interface Limits {
  /** Largest source accepted, in bytes (default 64 MiB). */
  maxInputBytes?: number;
  /** Most documents read from one source (default 1000000). */
  maxDocuments?: number;
  /** Deepest nesting of mappings and sequences (default 200). */
  maxDepth?: number;
  /** Largest document size once aliases are expanded, in nodes (default 1000000). */
  maxAliasExpansion?: number;
}

export interface Exemption {
  /** Rule IDs, or '*' for every rule. */
  rules: string[];
  kind?: string;
  namespace?: string;
  name?: string;
  source?: string;
  reason?: string;
}

export interface Config {
  /** Default 'hardened'. */
  profile?: Profile;
  /** 'latest' (default), 'v1.30', '1.30' … */
  kubernetesVersion?: string;
  /** Per-rule overrides by rule ID. */
  rules?: Record<string, RuleSetting>;
  exemptions?: Exemption[];
  limits?: Limits;
  /** Objects annotated `helm.sh/hook: test*` get no resource-limit findings. */
  skipHelmTestHooks?: boolean;
  /** RuntimeClass names that count as sandboxes (missing-runtime-class). */
  sandboxRuntimeClasses?: string[];
  /** Today's date (YYYY-MM-DD) for kubeharden.io/ignore-until; filled in when omitted. */
  today?: string;
  /** Path globs the CLI skips (`ignore:` in .kubeharden.yaml); accepted and unused here. */
  ignore?: string[];
}

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
  /** Offset from the start of the source, in UTF-16 code units (a JS string index). */
  offset: number;
}

export interface Span {
  start: Position;
  end: Position;
}

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
  /** UTF-16 offsets into the source. */
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: Edit[];
}

export interface Suppression {
  kind: 'annotation' | 'config';
  reason?: string;
  until?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  help: string;
  resource: ResourceRef;
  /** Field path from the document root, e.g. `spec.template.spec.containers[0].image`. */
  path: string;
  span: Span;
  fix?: Fix;
  /** The Pod Security Admission check behind a `pss-*` finding. */
  pss?: { check: string; level: 'baseline' | 'restricted' };
  /** Set when an exemption matched; such findings are not counted in the summary. */
  suppressed?: Suppression;
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
  config: { profile: Profile; kubernetesVersion: string };
  findings: Finding[];
  summary: Summary;
}

export interface RuleDocs {
  what: string;
  why: string;
  /** A manifest that triggers the rule. */
  fail: string;
  /** The same manifest, fixed. */
  pass: string;
  fix: string;
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
  aliases: string[];
  pss?: { check: string; level: 'baseline' | 'restricted'; overrides: string[] };
  /** Kubernetes versions where the rule's behaviour changes. */
  versions: string[];
  helpUri: string;
}

export type Input = string | { files: { name: string; text: string }[] };

export type ErrorCode = 'NOT_READY' | 'INVALID_INPUT' | 'INVALID_CONFIG' | 'TRAP' | 'INTERNAL';

export declare class KubehardenError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown });
}

/** The package version. */
export declare const version: string;

/**
 * Resolves when the WebAssembly module is ready. In Node and workers it resolves at once; in
 * browsers and Deno it fetches the module next to this file unless given a URL, bytes or a
 * compiled WebAssembly.Module (for self-hosting under a strict CSP).
 */
export declare function ready(source?: string | URL | Request | BufferSource | WebAssembly.Module): Promise<void>;

/** Lints manifests. Throws KubehardenError('INVALID_CONFIG') for a bad config. */
export declare function lint(input: Input, config?: Config): Report;

/** Metadata and documentation of every rule. */
export declare function rules(): RuleMeta[];

/** The full documentation of a rule as Markdown, or undefined for an unknown ID. */
export declare function explain(ruleId: string): string | undefined;

/** A report as a SARIF 2.1.0 log. */
export declare function toSarif(report: Report): Record<string, unknown>;

declare const kubeharden: {
  version: typeof version;
  KubehardenError: typeof KubehardenError;
  ready: typeof ready;
  lint: typeof lint;
  rules: typeof rules;
  explain: typeof explain;
  toSarif: typeof toSarif;
};
export default kubeharden;
