import { describe, expect, it } from 'vitest';
import { ApprovalsWaiting } from '../../../electron/core/socket-api/approvals-waiting';

// Each bridge connection hears how many of its own calls wait for the person,
// once per change, and nothing about anyone else's.

function recorder() {
  const sent: [number, number][] = [];
  const waiting = new ApprovalsWaiting({
    sendTo: (id, _event, data) => {
      sent.push([id, data.waiting]);
      return true;
    },
  });
  return { sent, waiting };
}

describe('approvals:waiting', () => {
  it('tells each connection its own count when it changes, and 0 when its approvals end', () => {
    const { sent, waiting } = recorder();
    waiting.update([{ connection: 'socket:3' }]);
    expect(sent).toEqual([[3, 1]]);
    waiting.update([{ connection: 'socket:3' }, { connection: 'socket:7' }]);
    expect(sent.slice(1)).toEqual([[7, 1]]);
    waiting.update([
      { connection: 'socket:3' },
      { connection: 'socket:3' },
      { connection: 'socket:7' },
    ]);
    expect(sent.slice(2)).toEqual([[3, 2]]);
    waiting.update([]);
    expect(sent.slice(3).sort()).toEqual([
      [3, 0],
      [7, 0],
    ]);
    waiting.update([]);
    expect(sent).toHaveLength(5);
  });

  it('sends nothing for a caller that is not a socket connection', () => {
    const { sent, waiting } = recorder();
    waiting.update([{ connection: 'in-process:test' }, { connection: 'socket:x' }]);
    waiting.update([]);
    expect(sent).toEqual([]);
  });
});
