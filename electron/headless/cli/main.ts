import { runCommandLine } from './run';

// `custodian`: the process around one command line. The bundle
// (out/cli/custodian.js, run by bin/custodian.mjs) starts here.

const outcome = await runCommandLine(process.argv.slice(2));
if ('bridge' in outcome) {
  // The bridge owns the process from here: it exits when its client goes.
  await (await import('./commands/mcp')).mcp(outcome.bridge);
} else {
  // Explicit, after stdout has drained: a leftover handle (a plugin host
  // being reaped, a keychain D-Bus connection) must not keep a finished
  // command alive, and a pipe must not lose the end of a listing.
  process.stdout.write('', () => process.exit(outcome.exitCode));
}
