import { callerIdentity, type AgentClient } from './agent-client';
import { join } from 'node:path';
import type { AgentToolInfo } from '../../../shared/agents';
import { createHash } from 'node:crypto';
import {
  ADMIN_ASKER,
  connectionLabel,
  type ApprovalDecision,
  type AuditOutcome,
  type ToolMode,
} from '../../../shared/agent-words';
import type { BridgeTool } from '../../../shared/bridge-protocol';
import { Emitter, type Event } from '../../../shared/base/emitter';
import { Sequencer } from '../../../shared/base/sequencer';
import { CustodianError } from '../../../shared/errors';
import type { EventPayload } from '../../../shared/ipc/contract';
import {
  AuditLog,
  vaultKeyring,
  type AuditDecision,
  type AuditEntryInput,
  type AuditFileSystem,
  type AuditLogOptions,
} from '../audit';
import { allSecretForms } from '../credentials/secret-values';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import { containsSecretForm, type SecretForm } from '../credentials/secret-scan';
import type { MonotonicClock } from '../clock';
import type { FileSystem } from '../files/atomic-file';
import type { Vault } from '../vault/vault';
import { requireUnlocked } from '../vault/require-unlocked';
import { AGENT_TOOLS_FILE } from '../../../shared/agent-tools-file';
import { describeCall } from './call-summary';
import { LastKnownTools } from './last-known-tools';
import {
  ApprovalBroker,
  type ApprovalClock,
  PolicyGate,
  RateLimiter,
  RefusalRecorder,
  type RefusalRecorderOptions,
  ToolPolicyStore,
  defaultFor,
  type ApprovalOutcome,
  type GateResult,
  type PendingApproval,
  type RateLimiterOptions,
  withdrawnByAgent,
} from './policy';
import { textResult, type AgentTool, type ToolCatalog, type ToolResult } from './tools';
import { cleanText, TOOL_NAME_MAX } from './tools/text';

// Every agent's way to a tool: the tool list with its policy, and each call
// through the gate (policy, rate limit, grants, the person), the audit log
// and the catalog, in that order. The bridge server and the window both ask
// here; nothing else runs a tool.

/** A question of the command line's admin channel, for the person in the window. */
export interface AdminQuestion {
  /** The socket connection that asks. */
  connection: string;
  /** What the client called itself at hello (shown in the audit log beside the connection). */
  clientName: string;
  /** The dialog's title, e.g. "Allow the custodian command line to manage Custodian?". */
  question: string;
  /** What the audit log names it by: "command line session", "weakening change (tools:setMode)". */
  subject: string;
  /** What it asks, in full: what the dialog shows the person. */
  summary: string;
  /** The audit entry's short detail. */
  detail: string;
}

/** How "ask" is answered: by a person in the window, or by the start-up list headless. */
export type ApprovalMode =
  | {
      kind: 'window';
      /** Bring the window forward when a call waits for the person. */ bringForward?: () => void;
    }
  | { kind: 'headless'; /** serve --allow-tools */ allowTools?: readonly string[] };

export interface AgentServiceOptions {
  dataDir: string;
  fs: FileSystem & AuditFileSystem;
  vault: Pick<Vault, 'state' | 'read' | 'update'>;
  types: Pick<CredentialTypeRegistry, 'get'>;
  catalog: ToolCatalog;
  approvals: ApprovalMode;
  rateLimit?: RateLimiterOptions;
  /** The audit log's file size and retention (tests shrink them). */
  auditFiles?: Pick<AuditLogOptions, 'maxFileBytes' | 'retainBytes' | 'retainDays'>;
  /** How refused calls are gathered into bursts (tests drive the timer). */
  refusals?: Pick<RefusalRecorderOptions, 'windowMs' | 'perClient' | 'total' | 'schedule'>;
  now?: () => Date;
  /** What grants, approval deadlines and rate limits are measured on (core/clock.ts). */
  monotonic?: MonotonicClock;
  log?: (message: string) => void;
  /** The window's view of changes: approvals waiting, entries written, tools changed. */
  onApprovalsChanged?: (change: EventPayload<'approvals:changed'>) => void;
  onAuditChanged?: () => void;
}

export const AUDIT_FOLDER = 'audit';
/** The audit entry's detail for a call its agent withdrew. */
const WITHDRAWN_DETAIL = 'the agent withdrew the call';

export class AgentService {
  readonly policy: ToolPolicyStore;
  readonly broker: ApprovalBroker;
  readonly audit: AuditLog;
  private readonly gate: PolicyGate;
  private readonly refusals: RefusalRecorder;
  /** agent-tools.json, which the bridge answers from while the app is closed. */
  private readonly lastKnown: LastKnownTools;
  /** The tools and modes as the window last heard of them, to tell a real change from noise. */
  private lastTools: string | undefined;
  /** The enabled tools as agents last heard of them. */
  private lastEnabled: string | undefined;
  /** Checks run in turn, so each change is compared with the one before it and told once. */
  private readonly toolChecks = new Sequencer();
  // Fired from background checks: a listener's failure is logged, not thrown into the check.
  private readonly toolsChangedEmitter = new Emitter<void>({
    onListenerError: (error) => this.listenerFailed(error),
  });
  private readonly enabledToolsChangedEmitter = new Emitter<void>({
    onListenerError: (error) => this.listenerFailed(error),
  });
  /** A tool, its mode or the plugins that bring tools changed: what the window and tray show. */
  readonly onToolsChanged: Event<void> = this.toolsChangedEmitter.event;
  /** The set of tools an agent may see changed (a plugin, a mode, the vault's state). */
  readonly onEnabledToolsChanged: Event<void> = this.enabledToolsChangedEmitter.event;

  constructor(private readonly options: AgentServiceOptions) {
    const log = options.log;
    this.policy = new ToolPolicyStore({ dataDir: options.dataDir, fs: options.fs, log });
    const { approvals } = options;
    this.broker = new ApprovalBroker(
      approvals.kind === 'window'
        ? {
            present: () => {
              this.approvalsChanged();
              approvals.bringForward?.();
            },
            // A withdrawn one is named, so the window says the agent withdrew it.
            dismiss: (_id, _outcome, { approval, withdrawn }) =>
              this.approvalsChanged(
                withdrawn
                  ? { id: approval.id, client: approval.client, tool: approval.tool }
                  : undefined,
              ),
            log,
            ...(options.monotonic ? { clock: brokerClock(options.monotonic) } : {}),
          }
        : { allowTools: approvals.allowTools ?? [], log },
    );
    this.gate = new PolicyGate({
      policy: this.policy,
      broker: this.broker,
      rateLimiter: new RateLimiter({
        ...options.rateLimit,
        ...(options.monotonic ? { clock: { now: options.monotonic } } : {}),
      }),
    });
    this.audit = new AuditLog({
      folder: join(options.dataDir, AUDIT_FOLDER),
      fs: options.fs,
      now: options.now,
      ...options.auditFiles,
      // The key and the anchored head live in the vault.
      keyring: vaultKeyring(options.vault),
      redact: (text) => this.redact(text),
    });
    this.refusals = new RefusalRecorder({
      write: (entry) => this.record(entry),
      now: options.now ?? (() => new Date()),
      ...options.refusals,
    });
    this.lastKnown = new LastKnownTools({ dataDir: options.dataDir, fs: options.fs });
    this.policy.onChange(() => void this.checkToolsChanged());
  }

  /** Every tool with its mode, for the window, the tray and `custodian tool list`. */
  async tools(): Promise<AgentToolInfo[]> {
    const tools = await this.policy.list(this.options.catalog.list());
    return tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      source: tool.source.kind === 'plugin' ? tool.source.plugin : 'built-in',
      readOnly: tool.readOnly,
      mode: tool.mode,
      defaultMode: defaultFor(tool),
      isDefault: tool.isDefault,
    }));
  }

  /** What an agent sees: every tool that is not off. */
  async enabledTools(): Promise<BridgeTool[]> {
    const tools = await this.policy.list(this.options.catalog.list());
    return tools
      .filter((tool) => tool.mode !== 'off')
      .map(({ name, title, description, inputSchema, outputSchema, annotations }) => ({
        name,
        title,
        description,
        inputSchema: inputSchema as BridgeTool['inputSchema'],
        ...(outputSchema ? { outputSchema: outputSchema as BridgeTool['inputSchema'] } : {}),
        annotations: { ...annotations },
      }));
  }

  async setMode(name: string, mode: ToolMode): Promise<AgentToolInfo> {
    const tool = this.options.catalog.get(name);
    if (!tool)
      throw new CustodianError(
        'not_found',
        `No tool named "${cleanText(name, TOOL_NAME_MAX)}"; a plugin's tools exist only while it is loaded and the vault is unlocked.`,
      );
    await this.policy.set(tool, mode);
    // Whoever shows modes hears of the change before the answer arrives.
    await this.checkToolsChanged();
    const info = (await this.tools()).find((t) => t.name === tool.name);
    if (!info) throw new CustodianError('internal', `The tool ${tool.name} vanished.`);
    return info;
  }

  /**
   * One tool call from an agent. Refuses with vault_locked while locked (the
   * bridge tells the agent to unlock); otherwise always answers a result, an
   * isError one for anything refused or failed, and writes the audit log.
   */
  async call(
    /** The socket's connection and the name it gave; a plain name for a caller inside the process. */
    client: string | AgentClient,
    name: string,
    args: Record<string, unknown>,
    /** Fires when the agent withdraws the call (MCP notifications/cancelled). */
    signal?: AbortSignal,
  ): Promise<ToolResult> {
    await requireUnlocked(this.options.vault);
    const caller = callerIdentity(client);
    // Looked up once: the policy, the person, the audit log and the run all use this.
    const resolved = this.options.catalog.resolve(name, args);
    if (!resolved) {
      const shown = cleanText(name, TOOL_NAME_MAX);
      await this.refusals.record({
        client: caller.auditLabel,
        tool: shown,
        credential: null,
        outcome: 'failed',
        payload: { tool: name, arguments: args },
        detail: 'no such tool',
      });
      return textResult(`No tool named "${shown}". List the tools to see what is available.`, true);
    }
    const { tool } = resolved;
    const call = describeCall(tool, args);
    // The stored credential by its own name, when the call names one that exists.
    const credential = resolved.credential?.name ?? call.credential;
    const decision = await this.gate.decide({
      connection: caller.connection,
      client: caller.name,
      tool,
      credential,
      summary: call.summary,
      payloadHash: call.payloadHash,
      ...(signal ? { signal } : {}),
    });
    const base = {
      client: caller.auditLabel,
      tool: tool.name,
      credential,
      payload: call.payload,
      // Hashed once, for the person and the log alike.
      payloadHash: call.payloadHash,
    };
    // An allowed call with no effect outside Custodian gets one entry, decision and
    // outcome together, on disk before the agent has its answer: whatever it signs or
    // reads stays here until then, so there is nothing to record before it runs. A
    // call that reaches out (http_request, a plugin granted a host) is recorded as
    // decided first; so is the person's answer, when it was theirs to give.
    const oneEntry =
      decision.allowed && decision.decision !== 'person' && !tool.reachesOut
        ? (decision.decision as Exclude<GateResult['decision'], 'person' | 'rate_limit'>)
        : undefined;
    if (!oneEntry) {
      const entry = {
        ...base,
        ...auditOfDecision(decision),
        // The log says who ended it: the agent, not the person or a lock.
        ...(withdrawnByAgent(decision.outcome, signal) ? { detail: WITHDRAWN_DETAIL } : {}),
      };
      // Refusals nobody had to think about cost an agent nothing: a burst is one entry.
      if (unattendedRefusal(decision)) await this.refusals.record(entry);
      else {
        const unrecorded = await this.mustRecord(entry);
        // Fail closed: an agent's call does not run unrecorded.
        if (unrecorded && decision.allowed)
          return textResult(
            `Custodian did not run ${tool.name}, because the audit log could not record it: ${unrecorded}`,
            true,
          );
      }
    }
    if (!decision.allowed) return textResult(decision.message, true);
    // Withdrawn after it was allowed: the tool never starts.
    if (signal?.aborted) return this.withdrawn(base, oneEntry);

    const result = await this.options.catalog.run(resolved, signal);
    if (signal?.aborted) return this.withdrawn(base, oneEntry);
    const detail = result.isError ? result.content[0]?.text : undefined;
    const unrecorded = await this.mustRecord({
      ...base,
      outcome: result.isError ? 'failed' : 'succeeded',
      ...(oneEntry ? { decision: oneEntry } : {}),
      ...(detail ? { detail } : {}),
    });
    // What the log does not hold does not reach the agent either.
    if (unrecorded)
      return textResult(
        `Custodian withheld the result of ${tool.name}, because the audit log could not record it: ${unrecorded}`,
        true,
      );
    return result;
  }

  /** The agent withdrew an allowed call before or while it ran: the log says so. */
  private async withdrawn(
    base: Pick<
      Parameters<AuditLog['append']>[0],
      'client' | 'tool' | 'credential' | 'payload' | 'payloadHash'
    >,
    /** The decision, when the call's one entry carries it. */
    oneEntry: AuditDecision | undefined,
  ): Promise<ToolResult> {
    await this.record({
      ...base,
      outcome: 'cancelled',
      ...(oneEntry ? { decision: oneEntry } : {}),
      detail: WITHDRAWN_DETAIL,
    });
    return textResult('The call was cancelled.', true);
  }

  /**
   * Asks the person in the window a question of the command line's admin
   * channel (AdminGate decides when), and records their answer in the audit
   * log: who asked on which connection, about what, and what they said.
   */
  async askAdmin(question: AdminQuestion, signal?: AbortSignal): Promise<ApprovalOutcome> {
    const summary = question.summary;
    const payloadHash = createHash('sha256').update(summary, 'utf8').digest('hex');
    const outcome = await this.broker.request(
      {
        kind: 'admin',
        question: question.question,
        connection: `socket:${question.connection}`,
        client: ADMIN_ASKER,
        tool: question.subject,
        credential: null,
        summary,
        payloadHash,
      },
      signal,
    );
    await this.record({
      client: connectionLabel(question.clientName, question.connection),
      tool: question.subject,
      credential: null,
      ...auditOfAdminAnswer(outcome),
      payload: { question: question.question, summary },
      detail: question.detail,
    });
    return outcome;
  }

  /** The person's answer in the window. */
  answer(id: string, decision: ApprovalDecision): boolean {
    return this.broker.answer(id, decision);
  }

  pending(): PendingApproval[] {
    return this.broker.pending();
  }

  /** On lock: calls waiting for the person are cancelled and every "10 minutes" grant ends. */
  locking(): void {
    this.broker.cancelAll();
  }

  /** After unlock: the audit log takes its key and anchor from the vault. */
  auditUnlocked(): Promise<void> {
    return this.audit.unlocked();
  }

  /** Before the vault locks, after the calls it cancelled were recorded: bursts written, head anchored, key dropped. */
  async auditLocking(): Promise<void> {
    await this.refusals.flush();
    await this.audit.locking();
  }

  /** Tells the window and agents about a change in the tools each sees, once per real change. */
  checkToolsChanged(): Promise<void> {
    return this.toolChecks.queue(() => this.compareTools());
  }

  private async compareTools(): Promise<void> {
    let tools: string;
    let enabled: string;
    let enabledList: BridgeTool[];
    try {
      tools = JSON.stringify(await this.tools());
      enabledList = await this.enabledTools();
      enabled = JSON.stringify(enabledList);
    } catch (error) {
      this.options.log?.(`Could not list tools: ${(error as Error).message}`);
      return;
    }
    await this.saveLastKnown(enabledList);
    // The first check sets what later ones compare with; nobody has heard anything yet.
    const first = this.lastTools === undefined;
    const toolsChanged = tools !== this.lastTools;
    const enabledChanged = enabled !== this.lastEnabled;
    this.lastTools = tools;
    this.lastEnabled = enabled;
    if (first) return;
    if (toolsChanged) this.toolsChangedEmitter.fire();
    if (enabledChanged) this.enabledToolsChangedEmitter.fire();
  }

  /**
   * The list with the vault open is the one worth keeping for the bridge:
   * locked, the plugins are unloaded and only the built-ins remain.
   */
  private async saveLastKnown(tools: BridgeTool[]): Promise<void> {
    try {
      if ((await this.options.vault.state()) !== 'unlocked') return;
      await this.lastKnown.save(tools);
    } catch (error) {
      this.options.log?.(`Could not save ${AGENT_TOOLS_FILE}: ${(error as Error).message}`);
    }
  }

  /** Resolves once no tool check (and its agent-tools.json write) is under way. */
  toolChecksSettled(): Promise<void> {
    return this.toolChecks.idle();
  }

  close(): Promise<void> {
    this.broker.cancelAll();
    return this.audit.close();
  }

  /**
   * Writes an entry a call depends on. Returns null once it is written (or held
   * for the next unlock), or why it could not be: the caller then fails closed.
   */
  private async mustRecord(entry: AuditEntryInput): Promise<string | null> {
    try {
      await this.audit.appendOrHold(entry);
      this.options.onAuditChanged?.();
      return null;
    } catch (error) {
      const message =
        error instanceof CustodianError ? error.message : 'the audit log failed unexpectedly.';
      this.options.log?.(`Could not write the audit log: ${message}`);
      return message;
    }
  }

  private async record(entry: AuditEntryInput): Promise<void> {
    try {
      await this.audit.appendOrHold(entry);
      this.options.onAuditChanged?.();
    } catch (error) {
      // The call's outcome stands; the person learns of the gap from the app's log.
      this.options.log?.(`Could not write the audit log: ${(error as Error).message}`);
    }
  }

  private listenerFailed(error: unknown): void {
    this.options.log?.(`A tools-changed listener failed: ${(error as Error)?.name ?? 'error'}`);
  }

  private approvalsChanged(withdrawn?: EventPayload<'approvals:changed'>['withdrawn']): void {
    const pending = this.broker.pending().length;
    this.options.onApprovalsChanged?.(withdrawn ? { pending, withdrawn } : { pending });
  }

  /** An error text that echoes a stored secret never reaches the log. */
  private redact(text: string): string {
    let forms: SecretForm[];
    try {
      forms = allSecretForms(this.options.vault, this.options.types);
    } catch {
      return text;
    }
    return containsSecretForm(text, forms)
      ? '(withheld: the text contained a stored secret)'
      : text;
  }
}

/** An admin question's answer as the audit log records it; only an answer is the person's decision. */
function auditOfAdminAnswer(outcome: ApprovalOutcome): {
  outcome: AuditOutcome;
  decision?: AuditDecision;
} {
  switch (outcome) {
    case 'once':
    case 'ten_minutes':
      return { outcome: 'approved', decision: 'person' };
    case 'deny':
      return { outcome: 'denied', decision: 'person' };
    default:
      return { outcome };
  }
}

/** Refused by a rule, with nobody asked: rate limited, off, or not allowed headless. */
function unattendedRefusal(result: GateResult): boolean {
  return !result.allowed && result.decision !== 'person';
}

function auditOfDecision(result: GateResult): {
  outcome: AuditOutcome;
  decision?: AuditDecision;
  detail?: string;
} {
  const decision = result.decision === 'rate_limit' ? undefined : result.decision;
  const outcome: AuditOutcome = (() => {
    switch (result.outcome) {
      case 'allow':
      case 'granted':
        return 'allowed';
      case 'once':
      case 'ten_minutes':
        return 'approved';
      case 'off':
      case 'deny':
        return 'denied';
      default:
        return result.outcome;
    }
  })();
  const detail =
    result.outcome === 'off'
      ? 'the tool is off'
      : result.outcome === 'ten_minutes'
        ? 'allowed for 10 minutes'
        : result.outcome === 'once'
          ? 'allowed once'
          : undefined;
  return { outcome, ...(decision ? { decision } : {}), ...(detail ? { detail } : {}) };
}

export type { AgentTool };

/** The broker's clock on a given monotonic source: its timers are Node's (monotonic already). */
function brokerClock(monotonic: MonotonicClock): ApprovalClock {
  return {
    now: monotonic,
    wall: () => Date.now(),
    setTimeout: (fn, ms) => {
      const handle = setTimeout(fn, ms);
      handle.unref();
      return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}
