import { LOG_LEVELS, type LogLevel, type WorkerMessage } from './protocol';

// Log lines from the Extism runtime and the plugin, on their way to the host:
// forwarded only when the plugin was granted logging, cut to the longest line
// the host takes. The runtime's "memory limit exceeded" line is not the
// plugin's to print: it marks the run as stopped by its memory limit.

export type Logger = Record<LogLevel, (message: unknown) => void>;

export class PluginLogForwarder {
  /** The runtime said the memory limit was exceeded since the last reset(). */
  memoryHit = false;
  readonly logger: Logger;

  constructor(
    private readonly options: { logGranted: boolean; rawLineMax: number },
    private readonly post: (message: WorkerMessage) => void,
  ) {
    const logger: Partial<Logger> = {};
    for (const level of LOG_LEVELS) logger[level] = (message) => this.forward(level, message);
    this.logger = logger as Logger;
  }

  /** Starts a new run. */
  reset(): void {
    this.memoryHit = false;
  }

  forward(level: LogLevel, message: unknown): void {
    let text = String(message);
    if (text.startsWith('memory limit exceeded')) {
      this.memoryHit = true;
      return;
    }
    if (!this.options.logGranted) return;
    const truncated = text.length > this.options.rawLineMax;
    if (truncated) text = text.slice(0, this.options.rawLineMax);
    this.post({ type: 'log', level, message: text, truncated });
  }
}
