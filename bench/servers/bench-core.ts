import { KDF_FLOOR } from '../../electron/core/crypto/argon2';
import { NoKeyStore } from '../../electron/core/keychain/key-store';
import { createHeadlessCore } from '../../electron/headless/headless-core';

// The core the agent figures talk to: a headless core in a process of its own,
// as `custodian serve` runs it, so that its memory can be read and the bench's
// own clients do not share its event loop. It differs from serve only where a
// benchmark needs it to: a fresh vault at the cheapest KDF cost, no keychain
// (nothing lands in the person's), pgp_sign allowed without a person, and a
// per-tool rate limit high enough for thousands of calls a minute. Its admin
// channel is open, as `serve --admin` opens it: the bench installs and adds over it.
// Run by bench/support/bench-context.ts with `node --import tsx`; argv[2] is the data folder.

const dataDir = process.argv[2];
if (!dataDir || !process.send) throw new Error('bench-core is started by the bench, over IPC');

const core = await createHeadlessCore({
  dataDir,
  keyStore: new NoKeyStore(),
  kdfCost: { ...KDF_FLOOR },
  approvals: { kind: 'headless', allowTools: ['pgp_sign'] },
  rateLimit: { limit: { perMinute: 60_000, burst: 10_000 } },
  admin: 'open',
});

let closing: Promise<void> | undefined;
const close = () => (closing ??= core.close().finally(() => process.exit(0)));
process.on('SIGTERM', close);
process.on('disconnect', close);

const created = await core.dispatch('vault:create', {});
if ('error' in created) throw new Error(created.error.message);
await core.startBridge();
process.send({ ready: true });
