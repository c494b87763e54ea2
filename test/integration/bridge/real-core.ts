import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import type { ApprovalMode } from '../../../electron/core/agents/agent-service';
import type { RateLimiterOptions } from '../../../electron/core/agents/policy/rate-limiter';
import type { ToolCatalogOptions } from '../../../electron/core/agents/tools';
import type { BridgeServer } from '../../../electron/core/bridge';
import type { Core } from '../../../electron/core/create-core';
import type { AdminMode } from '../../../electron/core/use-cases';
import { createHeadlessCore } from '../../../electron/headless/headless-core';
import { resultOf, TEST_KDF_COST } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';

// The core the bridge talks to in these tests: a real headless core (vault,
// keychain, plugin host, policy, audit) on a temporary data folder, with the
// echo fixture plugin installed and one credential for it. It can be stopped
// and started again on the same folder, as the app is quit and reopened.

export const ECHO_CREDENTIAL = 'echo-cred';
export const ECHO_SECRET = 'echo-SECRET-token-4711';
export const BUILTIN_TOOLS = ['list_credentials', 'credential_info', 'http_request'];

export class RealCore {
  private current: Core | undefined;
  server: BridgeServer | undefined;

  private constructor(
    readonly dataDir: string,
    private readonly keychainService: string,
    private readonly approvals: ApprovalMode,
    private readonly rateLimit: RateLimiterOptions | undefined,
    private readonly tools: ToolCatalogOptions | undefined,
    private readonly admin: AdminMode | undefined,
  ) {}

  /** Unix socket paths are capped near 100 bytes, so the folder name is short. */
  static async create(
    options: {
      approvals?: ApprovalMode;
      start?: boolean;
      rateLimit?: RateLimiterOptions;
      tools?: ToolCatalogOptions;
      /** The command line's admin channel (closed headless by default). */
      admin?: AdminMode;
      /** More plugin folders to install after echo. */
      plugins?: string[];
    } = {},
  ): Promise<RealCore> {
    const real = new RealCore(
      await mkdtemp(join(tmpdir(), 'cmcp-')),
      `custodian-test-${randomUUID()}`,
      options.approvals ?? { kind: 'headless', allowTools: ['fixture_echo'] },
      options.rateLimit,
      options.tools,
      options.admin,
    );
    const core = await real.open();
    resultOf(await core.dispatch('vault:create', {}));
    await core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
    for (const dir of options.plugins ?? [])
      await core.plugins.installFromDirectory(dir, { source: 'test' });
    resultOf(
      await core.dispatch('credentials:create', {
        type: 'echo_token',
        name: ECHO_CREDENTIAL,
        fields: { token: ECHO_SECRET },
      }),
    );
    if (options.start !== false) real.server = await core.startBridge();
    return real;
  }

  get core(): Core {
    if (!this.current) throw new Error('The core is stopped.');
    return this.current;
  }

  /** Opens the app again on the same folder, unlocked by the keychain, listening. */
  async start(): Promise<void> {
    if (!this.current) {
      const core = await this.open();
      resultOf(await core.dispatch('vault:unlock', {}));
    }
    this.server = await this.core.startBridge();
  }

  /** Quits the app: socket closed, plugins stopped, vault locked. */
  async stop(): Promise<void> {
    await this.current?.close();
    this.current = undefined;
    this.server = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    for (const { account } of await keytar.findCredentials(this.keychainService))
      await keytar.deletePassword(this.keychainService, account);
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private async open(): Promise<Core> {
    this.current = await createHeadlessCore({
      dataDir: this.dataDir,
      keychainService: this.keychainService,
      kdfCost: TEST_KDF_COST,
      approvals: this.approvals,
      rateLimit: this.rateLimit,
      tools: this.tools,
      admin: this.admin,
    });
    return this.current;
  }
}

/** fixture_echo's arguments: the echo plugin answers with them. */
export function echoArgs(message: string): Record<string, unknown> {
  return { credential: ECHO_CREDENTIAL, message };
}
