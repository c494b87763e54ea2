import type { BridgeEventData } from '../../../shared/bridge-protocol';
import { socketConnectionId } from '../agents/agent-client';

// Tells each bridge connection how many of its calls wait for the person,
// whenever that number changes, so the bridge can keep its MCP client hearing
// progress while (and only while) a person decides. Only the connection's own
// count goes to it: no agent learns of another's approvals.

export interface WaitingSink {
  sendTo(
    id: number,
    event: 'approvals:waiting',
    data: BridgeEventData<'approvals:waiting'>,
  ): boolean;
}

export class ApprovalsWaiting {
  private told = new Map<string, number>();

  constructor(private readonly sink: WaitingSink) {}

  /** After any change of the pending approvals (each names its caller's connection, "socket:N"): each connection whose count changed hears it. */
  update(pending: readonly { connection: string }[]): void {
    const counts = new Map<string, number>();
    for (const { connection } of pending) counts.set(connection, (counts.get(connection) ?? 0) + 1);
    for (const connection of new Set([...this.told.keys(), ...counts.keys()])) {
      const waiting = counts.get(connection) ?? 0;
      if ((this.told.get(connection) ?? 0) === waiting) continue;
      const id = socketConnectionId(connection);
      if (id !== undefined) this.sink.sendTo(id, 'approvals:waiting', { waiting });
    }
    this.told = counts;
  }
}
