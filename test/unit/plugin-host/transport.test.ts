import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { detectTransport } from '../../../electron/plugin-host/transport';

// One entry for both launchers, told apart at run time without importing
// electron: a utilityProcess has process.parentPort, a fork child process.send.

describe('detectTransport', () => {
  it('uses parentPort in an Electron utility process, unwrapping event.data', () => {
    const port = Object.assign(new EventEmitter(), {
      sent: [] as unknown[],
      postMessage(m: unknown) {
        this.sent.push(m);
      },
    });
    const proc = Object.assign(new EventEmitter(), {
      parentPort: port,
    }) as unknown as NodeJS.Process;
    const transport = detectTransport(proc);
    expect(transport.kind).toBe('utility-process');
    const received: unknown[] = [];
    transport.onMessage((m) => received.push(m));
    port.emit('message', { data: { id: 1, kind: 'ping' } });
    transport.send({ kind: 'ready' });
    expect(received).toEqual([{ id: 1, kind: 'ping' }]);
    expect(port.sent).toEqual([{ kind: 'ready' }]);
  });

  it('uses process.send under child_process.fork, and sends nothing once disconnected', () => {
    const sent: unknown[] = [];
    const proc = Object.assign(new EventEmitter(), {
      connected: true,
      send: (m: unknown) => sent.push(m),
    }) as unknown as NodeJS.Process & { connected: boolean };
    const transport = detectTransport(proc);
    expect(transport.kind).toBe('fork');
    const received: unknown[] = [];
    transport.onMessage((m) => received.push(m));
    (proc as unknown as EventEmitter).emit('message', { id: 2, kind: 'ping' });
    transport.send({ kind: 'ready' });
    proc.connected = false;
    transport.send({ kind: 'ready' });
    expect(received).toEqual([{ id: 2, kind: 'ping' }]);
    expect(sent).toEqual([{ kind: 'ready' }]);
  });

  it('refuses to start without a launcher', () => {
    expect(() => detectTransport(new EventEmitter() as unknown as NodeJS.Process)).toThrow(
      /started by Custodian/,
    );
  });
});
