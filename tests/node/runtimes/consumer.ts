// A TypeScript program using the package, type-checked as ESM and CommonJS (nodenext), with
// bundler and node10 resolution, without the DOM lib or @types/node. The @ts-expect-error
// lines prove the types are precise (a wrong config does not type-check).
import kubeharden, {
  type Config,
  defaultConfig,
  type ErrorCode,
  explain,
  type Finding,
  KubehardenError,
  lint,
  type Report,
  type RuleMeta,
  ready,
  rules,
  type SarifLog,
  type Severity,
  type Span,
  toSarif,
  version,
} from 'kubeharden';

const config: Config = {
  profile: 'restricted',
  kubernetesVersion: 'v1.30',
  rules: { 'pss-privileged': 'warning', 'image-tag-latest': false, 'writable-root-filesystem': 'on' },
  exemptions: [{ rules: ['*'], kind: 'Job', namespace: 'ci', reason: 'batch jobs are reviewed elsewhere' }],
  limits: { maxDepth: 100, maxInputBytes: 1 << 20 },
  sandboxRuntimeClasses: ['gvisor'],
  today: '2026-01-31',
};

export async function main(): Promise<string[]> {
  await ready();
  await ready(new Uint8Array(0));
  const report: Report = lint('apiVersion: v1\nkind: Pod\n', config);
  const together: Report = lint({ files: [{ name: 'a.yaml', text: '' }, { text: 'b: 1' }] });
  const first: Finding | undefined = report.findings[0];
  const span: Span | undefined = first?.span;
  const column: number | undefined = span?.start.column;
  const severity: Severity | undefined = first?.severity;
  const check: string | undefined = first?.pss?.check;
  const edits: number = first?.fix?.edits.length ?? 0;
  const counted: number = report.summary.error + report.summary.warning + report.summary.info;
  const schema: 1 = together.schemaVersion;
  const meta: RuleMeta[] = rules();
  const optIn: string[] = meta.filter((r) => r.optIn).map((r) => r.id);
  const markdown: string | undefined = explain('pss-privileged');
  const sarif: SarifLog = toSarif(report);
  const latest: string = defaultConfig().kubernetesVersion;
  const sarifVersion: '2.1.0' = sarif.version;
  const ruleIds: string[] = sarif.runs[0]?.results.map((r) => r.ruleId) ?? [];
  try {
    lint('');
  } catch (e) {
    if (e instanceof KubehardenError) {
      const code: ErrorCode = e.code;
      return [code];
    }
  }
  kubeharden.lint('', { profile: 'baseline' });
  // @ts-expect-error an unknown profile
  lint('', { profile: 'paranoid' });
  // @ts-expect-error a misspelt field
  lint('', { profil: 'baseline' });
  // @ts-expect-error an unknown rule setting
  lint('', { rules: { 'pss-privileged': 'fatal' } });
  // @ts-expect-error input is a string or { files }
  lint(42);
  // @ts-expect-error files need a text
  lint({ files: [{ name: 'a.yaml' }] });
  // @ts-expect-error ready() takes a URL, bytes or a module
  ready(42);
  // @ts-expect-error the version is a string
  const n: number = version;
  return [
    latest,
    String(column),
    String(severity),
    String(check),
    String(edits),
    String(counted),
    String(schema),
    ...optIn,
    String(markdown),
    sarifVersion,
    ...ruleIds,
    String(n),
  ];
}
