// What the extension sends the server and which binary it starts, kept apart from the VS Code
// API so the tests can check them in plain Node.
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The settings of the `kubeharden` section as the server reads them. */
export interface ServerSettings {
  profile?: string;
  kubernetesVersion?: string;
  rules: Record<string, string>;
  diagnostics: string;
}

/** Reads a setting (VS Code's `WorkspaceConfiguration.get`). */
export type Get = <T>(key: string) => T | undefined;

/** The server's settings from the `kubeharden` configuration section: unset or `config` values are left out, so `.kubeharden.yaml` decides. */
export function serverSettings(get: Get): ServerSettings {
  const settings: ServerSettings = {
    rules: {},
    diagnostics: get<string>('diagnostics') === 'workspace' ? 'workspace' : 'openFiles',
  };
  const profile = get<string>('profile')?.trim();
  if (profile && profile !== 'config') settings.profile = profile;
  const version = get<string>('kubernetesVersion')?.trim();
  if (version) settings.kubernetesVersion = version;
  const rules = get<Record<string, unknown>>('rules') ?? {};
  for (const [id, value] of Object.entries(rules)) {
    if (typeof value === 'string' && value.trim()) settings.rules[id] = value.trim();
    else if (typeof value === 'boolean') settings.rules[id] = value ? 'on' : 'off';
  }
  return settings;
}

/** The binary to start: the configured path (with `~` expanded), or `kubeharden` found on `PATH`; `undefined` when there is none. */
export function resolveBinary(
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, platform === 'win32' ? constants.F_OK : constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const home = env.HOME ?? env.USERPROFILE ?? '';
  const path = configured?.trim().replace(/^~(?=$|[\\/])/, home);
  if (path) return executable(path) ? path : undefined;
  const names = platform === 'win32' ? ['kubeharden.exe', 'kubeharden.cmd'] : ['kubeharden'];
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d && isAbsolute(d));
  // `cargo install` puts binaries in ~/.cargo/bin, which GUI-started editors often lack on PATH.
  if (home) dirs.push(join(home, '.cargo', 'bin'));
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return undefined;
}
