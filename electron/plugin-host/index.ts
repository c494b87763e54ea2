import { installLastResort } from '../core/last-resort';
import { PluginHost } from './host';
import { workerScript } from './plugin-worker';
import { detectTransport } from './transport';
import { unpackedUrl } from './unpacked-url';
import { workerCode } from './worker-code';

// The plugin host process: an Electron utilityProcess in the app, a
// child_process.fork child headless; one entry for both. It holds no vault and
// no state worth keeping: main restarts it whenever it misbehaves. What it
// writes to stderr names errors only, never their messages, which could quote
// a request.

const name = (error: unknown) => (error instanceof Error ? error.name : typeof error);

const transport = detectTransport();
// Its own bundle is not a request: a build failure (source runs only) is printed whole.
const script = workerCode()
  .then(workerScript)
  .catch((error: unknown) => {
    process.stderr.write(`[plugin-host] could not build the plugin worker: ${String(error)}\n`);
    throw error;
  });
const host = new PluginHost(
  (message) => {
    try {
      transport.send(message);
    } catch (error) {
      process.stderr.write(`[plugin-host] could not send to main (${name(error)})\n`);
    }
  },
  unpackedUrl(import.meta.resolve('@extism/extism')),
  script,
);

transport.onMessage((message) => void host.handle(message));
transport.onDisconnect(() => {
  void host.closeAll().finally(() => process.exit(0));
});
// A bug must not take every plugin down with it.
installLastResort({ label: 'plugin-host' });

transport.send({ kind: 'ready' });
