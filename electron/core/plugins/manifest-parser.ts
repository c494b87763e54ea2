import semver from 'semver';
import { parse, TomlError } from 'smol-toml';
import { pluginManifestSchema, type PluginManifest } from '../../../shared/manifest';
import { outputSchemaProblem } from './output-schema';
import { wildcardScopeProblem } from '../net/host-grants';

/** A plugin.toml that cannot be used: says which file, where (when the parser knows) and which field. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly field?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const where = line !== undefined ? `${file}:${line}:${column ?? 1}` : file;
    super(`${where}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'ManifestError';
  }
}

const MAX_MANIFEST_BYTES = 256 * 1024;

/** Parses and validates a plugin.toml; every rule of shared/manifest.ts applies. */
export function parseManifest(text: string, file: string, appVersion: string): PluginManifest {
  if (text.length > MAX_MANIFEST_BYTES)
    throw new ManifestError(file, `is larger than ${MAX_MANIFEST_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      // smol-toml's message repeats the offending line after a blank line; the first line is the reason.
      throw new ManifestError(
        file,
        error.message.split('\n')[0] ?? 'invalid TOML',
        undefined,
        error.line,
        error.column,
      );
    }
    throw new ManifestError(file, 'is not valid TOML');
  }
  const result = pluginManifestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ManifestError(
      file,
      issue?.message ?? 'is invalid',
      formatPath(issue?.path ?? [], raw),
    );
  }
  const manifest = result.data;
  if (!semver.valid(manifest.plugin.version)) {
    throw new ManifestError(
      file,
      `"${manifest.plugin.version}" is not a semantic version such as 1.2.0`,
      'plugin.version',
    );
  }
  manifest.capabilities.http.forEach((host, index) => {
    // A plugin's grant reaches as far as a credential's: never a whole public suffix.
    const problem = wildcardScopeProblem(host);
    if (problem) throw new ManifestError(file, problem, `capabilities.http[${index}]`);
  });
  manifest.mcp_tools.forEach((tool, index) => {
    // Checked now, with the validator each call's output will meet, not at the first call.
    const problem = tool.output_schema && outputSchemaProblem(tool.output_schema);
    if (problem)
      throw new ManifestError(file, problem, `mcp_tools[${index}] ("${tool.name}").output_schema`);
  });
  const minimum = manifest.plugin.min_app_version;
  if (minimum !== undefined) {
    if (!semver.valid(minimum))
      throw new ManifestError(
        file,
        `"${minimum}" is not a semantic version`,
        'plugin.min_app_version',
      );
    if (semver.lt(appVersion, minimum)) {
      throw new ManifestError(
        file,
        `needs Custodian ${minimum} or later; this is ${appVersion}`,
        'plugin.min_app_version',
      );
    }
  }
  return manifest;
}

// Writes a zod path the way the TOML reads: actions[1].parameters[0].type,
// with the entry's name when it has one: actions[1] ("sign").parameters…
function formatPath(path: readonly PropertyKey[], raw: unknown): string {
  let text = '';
  let node: unknown = raw;
  for (const key of path) {
    if (typeof key === 'number') {
      text += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      const name = (node as { name?: unknown } | undefined)?.name;
      if (typeof name === 'string') text += ` ("${name}")`;
    } else {
      text += `${text ? '.' : ''}${String(key)}`;
      node =
        node && typeof node === 'object'
          ? (node as Record<string, unknown>)[String(key)]
          : undefined;
    }
  }
  return text || 'plugin.toml';
}
