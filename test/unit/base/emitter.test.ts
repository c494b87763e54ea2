import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from '../../../shared/base/disposable';
import { Emitter } from '../../../shared/base/emitter';

describe('Emitter', () => {
  it('delivers each value to every listener in the order they subscribed', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    emitter.event((n) => heard.push(`first ${n}`));
    emitter.event((n) => heard.push(`second ${n}`));
    emitter.fire(1);
    emitter.fire(2);
    expect(heard).toEqual(['first 1', 'second 1', 'first 2', 'second 2']);
  });

  it('stops delivering to a listener once its subscription is disposed', () => {
    const emitter = new Emitter<string>();
    const heard: string[] = [];
    const subscription = emitter.event((value) => heard.push(value));
    emitter.fire('before');
    subscription.dispose();
    subscription.dispose();
    emitter.fire('after');
    expect(heard).toEqual(['before']);
    expect(emitter.hasListeners).toBe(false);
  });

  it('a listener disposed by an earlier one during a fire is not called', () => {
    const emitter = new Emitter<void>();
    const heard: string[] = [];
    emitter.event(() => {
      heard.push('first');
      second.dispose();
    });
    const second = emitter.event(() => heard.push('second'));
    emitter.fire();
    expect(heard).toEqual(['first']);
  });

  it('a listener added during a fire hears the next fire, not this one', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    const once = emitter.event(() => {
      once.dispose();
      emitter.event((n) => heard.push(n));
    });
    emitter.fire(1);
    emitter.fire(2);
    expect(heard).toEqual([2]);
  });

  it('a listener that throws does not stop the others; the error reaches whoever fired', () => {
    const emitter = new Emitter<string>();
    const heard: string[] = [];
    emitter.event(() => {
      throw new Error('listener broke');
    });
    emitter.event((value) => heard.push(value));
    expect(() => emitter.fire('x')).toThrow('listener broke');
    expect(heard).toEqual(['x']);
  });

  it('several failing listeners are reported together, or to onListenerError when given', () => {
    const failing = () => {
      throw new Error('broke');
    };
    const loud = new Emitter<void>();
    loud.event(failing);
    loud.event(failing);
    expect(() => loud.fire()).toThrow(AggregateError);

    const reported: unknown[] = [];
    const quiet = new Emitter<void>({ onListenerError: (error) => reported.push(error) });
    let reached = false;
    quiet.event(failing);
    quiet.event(() => (reached = true));
    expect(() => quiet.fire()).not.toThrow();
    expect(reached).toBe(true);
    expect(reported).toHaveLength(1);
  });

  it('after dispose nothing is delivered and subscribing does nothing', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    emitter.event((n) => heard.push(n));
    emitter.dispose();
    emitter.event((n) => heard.push(n * 10));
    emitter.fire(1);
    expect(heard).toEqual([]);
    expect(emitter.hasListeners).toBe(false);
  });
});

describe('DisposableStore', () => {
  it('disposes everything it holds once, newest first, even past a failure', () => {
    const store = new DisposableStore();
    const order: string[] = [];
    store.add(toDisposable(() => order.push('first')));
    store.add(
      toDisposable(() => {
        order.push('second');
        throw new Error('second failed');
      }),
    );
    store.add(toDisposable(() => order.push('third')));
    expect(() => store.dispose()).toThrow('second failed');
    store.dispose();
    expect(order).toEqual(['third', 'second', 'first']);
  });

  it('disposes at once what is added after it was disposed', () => {
    const store = new DisposableStore();
    store.dispose();
    let disposed = false;
    store.add(toDisposable(() => (disposed = true)));
    expect(disposed).toBe(true);
    expect(store.isDisposed).toBe(true);
  });

  it('stops an emitter subscription it holds', () => {
    const emitter = new Emitter<number>();
    const store = new DisposableStore();
    const heard: number[] = [];
    store.add(emitter.event((n) => heard.push(n)));
    emitter.fire(1);
    store.dispose();
    emitter.fire(2);
    expect(heard).toEqual([1]);
  });
});
