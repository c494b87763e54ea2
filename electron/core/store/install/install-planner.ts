import { randomBytes } from 'node:crypto';
import semver from 'semver';
import { CustodianError } from '../../../../shared/errors';
import { effectiveCapabilities } from '../../../../shared/capability-words';
import type { PluginAbi } from '../../../../shared/plugin-host-protocol';
import type { PluginInfo } from '../../../../shared/plugins';
import type { InstallPlan } from '../../../../shared/store';
import type { PluginArchive } from '../archive/read-archive';
import { catalogCredentialTypes, catalogTools } from '../catalog/catalog-entry';
import {
  describeChanges,
  isNewer,
  pluginChanges,
  shapeOfInfo,
  shapeOfManifest,
} from '../plugin-changes';
import type { FetchedArchive } from '../sources/archive-source';

// Install plans: what installing a checked archive would do (install, update,
// downgrade or reinstall, and what an update changes), kept under a token
// while the person decides, and the decisions that need their explicit yes
// (an unsigned archive, a downgrade, wider capabilities). Nothing here
// touches the plugins folder.

export interface InstallChoices {
  allowUnsigned?: boolean;
  allowDowngrade?: boolean;
}

export interface PendingInstall {
  plan: InstallPlan;
  archive: PluginArchive;
  /** Where it came from, written to the plugin's record. */
  source: string;
  catalogId?: string;
  createdAt: number;
}

/** A plan is kept this long for the person to decide, then forgotten. */
const PLAN_TTL_MS = 15 * 60_000;
/** Plans hold whole archives in memory: only a few at a time. */
const MAX_PLANS = 4;

export class InstallPlanner {
  private readonly plans = new Map<string, PendingInstall>();

  constructor(private readonly now: () => number) {}

  /** The plan for a checked archive against what is installed, kept under a new token. */
  plan(fetched: FetchedArchive, installed: PluginInfo | undefined, abi?: PluginAbi): InstallPlan {
    const { manifest } = fetched.archive;
    // What it will be given, said as such: a Vultrino module reads secret values.
    const capabilities = effectiveCapabilities(manifest.capabilities, abi);
    const version = manifest.plugin.version;
    const action: InstallPlan['action'] = !installed
      ? 'install'
      : semver.valid(installed.version) && semver.lt(version, installed.version)
        ? 'downgrade'
        : isNewer(version, installed.version)
          ? 'update'
          : 'reinstall';
    const plan: InstallPlan = {
      token: randomBytes(16).toString('hex'),
      name: manifest.plugin.name,
      version,
      description: manifest.plugin.description,
      author: manifest.plugin.author,
      from: fetched.from,
      trust: fetched.trust,
      action,
      installedVersion: installed?.version ?? null,
      capabilities,
      credentialTypes: catalogCredentialTypes(manifest),
      tools: catalogTools(manifest),
      changes: installed
        ? pluginChanges(shapeOfInfo(installed), { ...shapeOfManifest(manifest), capabilities })
        : null,
      size: fetched.bytes.length,
      sha256: fetched.archive.sha256,
    };
    this.keep({
      plan,
      archive: fetched.archive,
      source: fetched.source,
      catalogId: fetched.catalogId,
      createdAt: this.now(),
    });
    return plan;
  }

  /** The plan under `token`, spent: it cannot be installed twice. */
  take(token: string): PendingInstall {
    const pending = this.plans.get(token);
    this.plans.delete(token);
    if (!pending || this.now() - pending.createdAt > PLAN_TTL_MS)
      throw new CustodianError(
        'not_found',
        'This install was cancelled or has expired; start it again.',
      );
    return pending;
  }

  cancel(token: string): boolean {
    return this.plans.delete(token);
  }

  /** Refuses, and forgets, a plan that widens what the plugin may do unless its changes were accepted. */
  checkWidening(plan: InstallPlan, acceptChanges: boolean | undefined): void {
    if (plan.changes?.needsConsent && !acceptChanges) {
      this.cancel(plan.token);
      throw new CustodianError(
        'consent_required',
        `Version ${plan.version} of "${plan.name}" changes what it may do:\n  ${describeChanges(plan.changes).join('\n  ')}\nVersion ${plan.installedVersion ?? ''} stays installed until this is accepted.`,
      );
    }
  }

  private keep(pending: PendingInstall): void {
    for (const [token, old] of this.plans)
      if (this.now() - old.createdAt > PLAN_TTL_MS) this.plans.delete(token);
    while (this.plans.size >= MAX_PLANS) {
      const oldest = this.plans.keys().next().value;
      if (oldest === undefined) break;
      this.plans.delete(oldest);
    }
    this.plans.set(pending.plan.token, pending);
  }
}

/**
 * Refuses a plan the person has not agreed to in full: an unsigned archive or
 * a downgrade needs its own yes, and the installed version must still be the
 * one the plan was made against.
 */
export function checkConsent(
  plan: InstallPlan,
  choices: InstallChoices,
  installed: PluginInfo | undefined,
): void {
  if (plan.trust.kind === 'unsigned' && !choices.allowUnsigned)
    throw new CustodianError(
      'unsigned',
      `${plan.from} is not vouched for by any catalog you trust (${plan.trust.reason}); install it only if you trust where it came from, and confirm that explicitly.`,
    );
  if (plan.action === 'downgrade' && !choices.allowDowngrade)
    throw new CustodianError(
      'downgrade',
      `Version ${plan.version} of "${plan.name}" is older than the installed ${plan.installedVersion ?? ''}; a downgrade must be asked for explicitly.`,
    );
  if ((installed?.version ?? null) !== plan.installedVersion)
    throw new CustodianError(
      'refused',
      `"${plan.name}" changed while you were deciding; start the install again.`,
    );
}

/** A plan as the CLI reports it: the token is spent. */
export function withoutToken(plan: InstallPlan): Omit<InstallPlan, 'token'> {
  const rest: Partial<InstallPlan> = { ...plan };
  delete rest.token;
  return rest as Omit<InstallPlan, 'token'>;
}
