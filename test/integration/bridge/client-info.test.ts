import { describe, expect, it } from 'vitest';
import { helloClientInfo } from '../../../electron/bridge/mcp-server';
import { clientInfoSchema } from '../../../shared/bridge-protocol';

describe('the hello names the MCP client', () => {
  it('as it introduced itself in initialize', () => {
    expect(helloClientInfo({ name: 'claude-ai', version: '0.1.0' })).toEqual({
      name: 'claude-ai',
      version: '0.1.0',
    });
  });

  it('in printable text the socket protocol accepts, never splitting a character', () => {
    const info = helloClientInfo({
      name: `evil\u202e\u200bagent\n${'😀'.repeat(40)}`,
      version: '\u0000' + '9'.repeat(40),
    });
    expect(info.name.startsWith('evilagent')).toBe(true);
    expect(info.name.length).toBeLessThanOrEqual(64);
    expect(info.name.endsWith('😀')).toBe(true);
    expect(info.version).toBe('9'.repeat(32));
    expect(clientInfoSchema.safeParse(info).success).toBe(true);
  });

  it('as an unknown MCP client when it did not say', () => {
    expect(helloClientInfo(undefined)).toEqual({ name: 'MCP client', version: 'unknown' });
    expect(helloClientInfo({ name: '\u200b', version: '1' })).toEqual({
      name: 'MCP client',
      version: 'unknown',
    });
    expect(helloClientInfo({ name: 'x', version: '' })).toEqual({ name: 'x', version: 'unknown' });
  });
});
