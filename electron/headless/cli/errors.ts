// Exit statuses are part of the interface: scripts branch on them.
export const EXIT = { ok: 0, failed: 1, usage: 2, notRunning: 3 } as const;

/** A failure to report as `custodian: <message>` with its exit status. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}
