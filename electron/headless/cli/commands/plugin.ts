import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PLUGIN_NAME_PATTERN, type Capabilities } from '../../../../shared/manifest';
import type { InstallPlan, InstallSource, Trust } from '../../../../shared/store';
import { withCore } from '../client';
import { plain, print, printJson, printTable, say } from '../output';
import { capabilityTexts } from '../../../../shared/capability-words';
import { CustodianError } from '../../../../shared/errors';

// Installing, updating and removing plugins on the running app or `custodian
// serve`, which checks, installs and hot-reloads them. Running `plugin
// install` is the operator's consent to what it prints; an update that widens
// a plugin's capabilities needs --yes as well, and an archive nobody vouches
// for needs --allow-unsigned.

type Plan = Omit<InstallPlan, 'token'>;

export interface InstallOptions {
  allowUnsigned: boolean;
  allowDowngrade: boolean;
  yes: boolean;
}

export async function installPlugin(
  dataDir: string,
  target: string,
  options: InstallOptions,
): Promise<number> {
  const source = await sourceOf(target);
  const { plan } = await withCore(dataDir, (core) =>
    core.call('plugins:install', {
      source,
      allowUnsigned: options.allowUnsigned,
      allowDowngrade: options.allowDowngrade,
      acceptChanges: options.yes,
    }),
  ).catch(withAdvice);
  printPlan(headline(plan), plan);
  return 0;
}

export async function updatePlugin(dataDir: string, name: string, yes: boolean): Promise<number> {
  checkName(name);
  const result = await withCore(dataDir, (core) =>
    core.call('plugins:update', { name, acceptChanges: yes }),
  ).catch(withAdvice);
  if (!result.updated || result.plan === null)
    print(`${plain(result.name)} is up to date (${plain(result.from)})\n`);
  else printPlan(`updated ${result.name} ${result.from} → ${result.to}`, result.plan);
  return 0;
}

export async function removePlugin(dataDir: string, name: string): Promise<number> {
  checkName(name);
  const removed = await withCore(dataDir, (core) => core.call('plugins:remove', { name }));
  say(`removed plugin "${plain(removed.name)}"`);
  return 0;
}

export async function listPlugins(dataDir: string, json: boolean): Promise<number> {
  const { plugins } = await withCore(dataDir, (core) => core.call('plugins:list', {}));
  if (json) printJson(plugins);
  else if (plugins.length === 0) say('no plugins');
  else
    printTable(
      ['NAME', 'VERSION', 'STATUS', 'SOURCE'],
      plugins.map((p) => [
        p.name,
        p.version,
        p.status === 'error' && p.error ? `error: ${p.error}` : p.status,
        p.development ? `${p.source} (development)` : p.source,
      ]),
    );
  return 0;
}

/**
 * What TARGET names: a URL, a local archive (made absolute: the core has its
 * own working folder), else a plugin from the catalogs, NAME or NAME@VERSION.
 */
async function sourceOf(target: string): Promise<InstallSource> {
  if (/^https?:\/\//i.test(target)) return { kind: 'url', url: target };
  const path = resolve(target);
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (isFile) return { kind: 'file', path };
  if (target.toLowerCase().endsWith('.zip'))
    throw new CustodianError('invalid_input', `${plain(target)} does not exist (or is not a file)`);
  const at = target.indexOf('@');
  const name = at < 0 ? target : target.slice(0, at);
  const version = at < 0 ? undefined : target.slice(at + 1);
  if (!PLUGIN_NAME_PATTERN.test(name) || version === '')
    throw new CustodianError(
      'usage',
      `"${plain(target).slice(0, 80)}" is not an archive, a URL or a plugin name (NAME or NAME@VERSION)`,
    );
  return version === undefined ? { kind: 'name', name } : { kind: 'name', name, version };
}

function checkName(name: string): void {
  if (!PLUGIN_NAME_PATTERN.test(name))
    throw new CustodianError('usage', `"${plain(name).slice(0, 80)}" is not a plugin name`);
}

/** The core's refusals, with what to rerun when a flag would let it through. */
function withAdvice(error: unknown): never {
  if (!(error instanceof CustodianError)) throw error;
  const advice: Record<string, string> = {
    unsigned: 'rerun with --allow-unsigned if you trust it',
    downgrade: 'rerun with --allow-downgrade to install the older version',
    consent_required: 'rerun with --yes to accept',
  };
  const fix = advice[error.code];
  if (fix === undefined) throw error;
  throw new CustodianError(error.code, `${error.message}\n${fix}`, error.details);
}

function headline(plan: Plan): string {
  const from = plan.installedVersion ?? '';
  switch (plan.action) {
    case 'install':
      return `installed ${plan.name} ${plan.version}`;
    case 'update':
      return `updated ${plan.name} ${from} → ${plan.version}`;
    case 'downgrade':
      return `downgraded ${plan.name} ${from} → ${plan.version}`;
    case 'reinstall':
      return `reinstalled ${plan.name} ${plan.version}`;
  }
}

function printPlan(title: string, plan: Plan): void {
  const grants = describeCapabilities(plan.capabilities);
  const readsValues = grants.find((line) =>
    line.startsWith('this plugin reads your secret values'),
  );
  const lines: [string, string[]][] = [
    ['from', [plan.from]],
    ['trust', [describeTrust(plan.trust)]],
    ...(readsValues ? [['WARNING', [readsValues]] as [string, string[]]] : []),
    [
      'grants',
      grants.filter((line) => line !== readsValues).length
        ? grants.filter((line) => line !== readsValues)
        : ['nothing beyond its sandbox'],
    ],
    [
      'tools',
      plan.tools.length
        ? plan.tools.map((t) => `${t.name}: ${t.description.split('\n', 1)[0] ?? ''}`)
        : ['none'],
    ],
  ];
  const width = Math.max(...lines.map(([label]) => label.length)) + 1;
  let text = `${plain(title)}\n`;
  for (const [label, values] of lines)
    values.forEach((value, i) => {
      text += `  ${(i === 0 ? `${label}:` : '').padEnd(width)} ${plain(value)}\n`;
    });
  print(text);
}

export function describeTrust(trust: Trust): string {
  switch (trust.kind) {
    case 'catalog':
      return `listed in catalog "${trust.catalogName}"`;
    case 'signed':
      return `signed by key ${trust.keyId} (catalog "${trust.catalogName}")`;
    case 'unsigned':
      return `UNSIGNED (${trust.reason})`;
  }
}

/** A plugin's capabilities in plain words, one line each (the window's words, lower-cased). */
export function describeCapabilities(capabilities: Capabilities): string[] {
  return capabilityTexts(capabilities).map(
    ({ text }) => `${text.charAt(0).toLowerCase()}${text.slice(1)}`,
  );
}
