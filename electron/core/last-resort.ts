// The last resort of a long-running process (the app's main process,
// `custodian serve`, the plugin host): an error nobody caught, thrown from a
// timer or an event handler of one request, is logged and the process keeps
// serving. Exiting would drop every agent's connection and, in the app, the
// window and the unlocked vault; what one failed request left behind is its
// own (every vault save is atomic, and a failed call is answered as failed).
// A failing plugin host is still restarted by main, as before.
//
// The line names the error and where it was thrown, never its message: a
// message can quote a request, a header or a secret.

export interface LastResortOptions {
  /** Names the process in the line, such as "custodian" or "plugin-host". */
  label: string;
  /** Writes one line (stderr by default). */
  log?: (line: string) => void;
}

const INSTALLED = Symbol.for('custodian.last-resort');

/** Where an error was thrown: its first stack frame's file, line and column. */
export function thrownAt(error: unknown): string {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return 'an unknown place';
  // The stack opens with "Name: message", and a message may span lines: skip them all.
  const header = `${error.name}: ${error.message}`.split('\n').length;
  for (const line of error.stack.split('\n').slice(header)) {
    const frame =
      /^\s+at (?:.*?\()?((?:file:\/\/|node:|\/|[A-Za-z]:\\)[^()\s]*?:\d+:\d+)\)?\s*$/.exec(line);
    if (frame?.[1]) return frame[1];
  }
  return 'an unknown place';
}

function nameOf(error: unknown): string {
  if (error instanceof Error) {
    // A name is a class name; anything else might be data.
    const name = /^[A-Za-z_$][\w$.]{0,60}$/.test(error.name) ? error.name : 'Error';
    const code = (error as NodeJS.ErrnoException).code;
    return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? `${name} ${code}` : name;
  }
  return error === null ? 'null' : typeof error;
}

/** The line logged for an error nobody caught: its name (and code) and where, never its message. */
export function lastResortLine(label: string, kind: string, error: unknown): string {
  return `[${label}] ${kind}: ${nameOf(error)} at ${thrownAt(error)}; still serving`;
}

/**
 * Installs the handlers once per process (a second call is a no-op and
 * answers false).
 */
export function installLastResort(options: LastResortOptions): boolean {
  const flagged = process as NodeJS.Process & { [INSTALLED]?: true };
  if (flagged[INSTALLED]) return false;
  flagged[INSTALLED] = true;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const report = (kind: string, error: unknown) => {
    try {
      log(lastResortLine(options.label, kind, error));
    } catch {
      // Logging must not become the next uncaught error.
    }
  };
  process.on('uncaughtException', (error) => report('uncaught exception', error));
  process.on('unhandledRejection', (reason) => report('unhandled rejection', reason));
  return true;
}
