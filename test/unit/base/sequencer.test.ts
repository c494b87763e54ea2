import { describe, expect, it } from 'vitest';
import { Sequencer, SequencerByKey } from '../../../shared/base/sequencer';

/** A promise the test settles by hand, to hold a task running. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** Lets every queued microtask and promise reaction run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Sequencer', () => {
  it('runs tasks one after another, in the order they were queued', async () => {
    const sequencer = new Sequencer();
    const log: string[] = [];
    const first = gate();
    const a = sequencer.queue(async () => {
      log.push('a start');
      await first.promise;
      log.push('a end');
      return 'a';
    });
    const b = sequencer.queue(() => {
      log.push('b');
      return 'b';
    });
    await settle();
    expect(log).toEqual(['a start']);
    first.open();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('a failing task rejects its own promise and the queue goes on', async () => {
    const sequencer = new Sequencer();
    const failed = sequencer.queue(async () => {
      throw new Error('first failed');
    });
    const thrown = sequencer.queue(() => {
      throw new Error('second threw');
    });
    const after = sequencer.queue(() => 'still runs');
    await expect(failed).rejects.toThrow('first failed');
    await expect(thrown).rejects.toThrow('second threw');
    expect(await after).toBe('still runs');
  });

  it('idle() waits for what was queued before it and never rejects', async () => {
    const sequencer = new Sequencer();
    const hold = gate();
    let done = false;
    void sequencer
      .queue(async () => {
        await hold.promise;
        done = true;
      })
      .catch(() => undefined);
    const idle = sequencer.idle();
    await settle();
    expect(done).toBe(false);
    hold.fail(new Error('task failed'));
    await expect(idle).resolves.toBeUndefined();
  });
});

describe('SequencerByKey', () => {
  it('runs one key in turn while another key runs beside it', async () => {
    const sequencer = new SequencerByKey<string>();
    const log: string[] = [];
    const holdA = gate();
    const a1 = sequencer.queue('a', async () => {
      log.push('a1 start');
      await holdA.promise;
      log.push('a1 end');
    });
    const a2 = sequencer.queue('a', () => void log.push('a2'));
    const b1 = sequencer.queue('b', () => void log.push('b1'));
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    holdA.open();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('a failing task does not stop its key', async () => {
    const sequencer = new SequencerByKey<string>();
    const failed = sequencer.queue('k', () => Promise.reject(new Error('no')));
    const next = sequencer.queue('k', () => 'next');
    await expect(failed).rejects.toThrow('no');
    expect(await next).toBe('next');
  });

  it('forgets a key once its queue is empty, and idle(key) waits for that key only', async () => {
    const sequencer = new SequencerByKey<string>();
    const hold = gate();
    const running = sequencer.queue('slow', () => hold.promise);
    await sequencer.queue('fast', () => undefined);
    await settle();
    expect(sequencer.size).toBe(1);
    await sequencer.idle('fast');
    let idle = false;
    const waiting = sequencer.idle('slow').then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    hold.open();
    await running;
    await waiting;
    await settle();
    expect(sequencer.size).toBe(0);
  });
});
