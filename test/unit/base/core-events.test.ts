import { describe, expect, it } from 'vitest';
import { CoreEvents } from '../../../electron/core/events';

describe('CoreEvents on the emitter', () => {
  it('delivers an event to its own listeners only, until they unsubscribe', () => {
    const events = new CoreEvents();
    const heard: string[] = [];
    const off = events.on('plugins:changed', () => heard.push('plugins'));
    events.on('tools:changed', () => heard.push('tools'));
    events.emit('plugins:changed', {});
    off();
    events.emit('plugins:changed', {});
    events.emit('tools:changed', {});
    expect(heard).toEqual(['plugins', 'tools']);
  });

  it('a listener that throws does not keep the window from hearing', () => {
    const events = new CoreEvents();
    const pending: number[] = [];
    events.on('approvals:changed', () => {
      throw new Error('tray broke');
    });
    events.on('approvals:changed', ({ pending: count }) => pending.push(count));
    expect(() => events.emit('approvals:changed', { pending: 2 })).toThrow('tray broke');
    expect(pending).toEqual([2]);
  });
});
