import { describe, expect, it } from 'vitest';
import { matchesQuery } from '../../../electron/core/audit/audit-query';
import type { AuditLine } from '../../../electron/core/audit/audit-entry';

const line = (client: string) =>
  ({
    client,
    tool: 'http_request',
    outcome: 'succeeded',
    time: '2026-12-05T10:00:00.000Z',
  }) as AuditLine;

describe('filtering the audit log by client', () => {
  it('finds a client by the name it gave, on every connection, and by one full label', () => {
    const lines = [
      'claude-ai (connection 3)',
      'claude-ai (connection 4)',
      'claude-ai',
      'claude-aix (connection 5)',
      'other',
    ].map(line);
    const by = (client: string) =>
      lines.filter((l) => matchesQuery(l, { client })).map((l) => l.client);
    expect(by('claude-ai')).toEqual([
      'claude-ai (connection 3)',
      'claude-ai (connection 4)',
      'claude-ai',
    ]);
    expect(by('claude-ai (connection 4)')).toEqual(['claude-ai (connection 4)']);
    expect(by('claude')).toEqual([]);
  });
});
