import { installLastResort } from '../../../electron/core/last-resort';

// A process with the last resort installed, failing the ways a request's
// handler can: a throw from a timer and a rejection nobody awaits, both with a
// message that quotes a secret. It must log them by name and place and live on.

installLastResort({ label: 'child' });
setTimeout(() => {
  throw new TypeError('header value sk-live-SECRET-123 is bad');
}, 1);
void Promise.reject(new RangeError('body had sk-live-SECRET-123'));
setTimeout(() => process.stdout.write('still alive\n'), 50);
