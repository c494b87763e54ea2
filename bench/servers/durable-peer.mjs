#!/usr/bin/env node
// The second process of durable_floor: listens on a Unix socket and, for each
// line it receives, appends one line to a file and fsyncs it before answering.
// Synchronous calls on purpose: this process does nothing else, so they are
// the cheapest way to the disk, with no thread-pool hop. That is the physical
// part of an audited call: one process hop there and back, one durable append.
// argv: socket path, log file. Prints "ready" once listening; exits when its
// stdin closes (the server that started it went away).
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';

const [socketPath, logPath] = process.argv.slice(2);
if (!socketPath || !logPath) throw new Error('usage: durable-peer.mjs SOCKET LOGFILE');
const fd = openSync(logPath, 'a', 0o600);
rmSync(socketPath, { force: true });

const server = createServer((socket) => {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end + 1);
      buffered = buffered.slice(end + 1);
      writeSync(fd, line);
      fsyncSync(fd);
      socket.write(line);
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen(socketPath, () => process.stdout.write('ready\n'));
process.stdin.resume();
process.stdin.on('end', () => {
  server.close();
  closeSync(fd);
  rmSync(socketPath, { force: true });
  process.exit(0);
});
