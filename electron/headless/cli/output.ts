import { terminal } from './terminal';

// What the CLI prints. Results go to stdout (tables for people, --json for
// programs); messages and errors go to stderr, so a pipe gets only results.

/** Names and descriptions come from people and plugins: no escape sequences reach the terminal. */
export function plain(text: string): string {
  return text.replace(/\p{C}/gu, ' ');
}

/** A result, as given: the caller makes it plain where it holds words from elsewhere. */
export function print(text: string): void {
  terminal().stdout.write(text);
}

export function printJson(value: unknown): void {
  print(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  if (rows.length === 0) return;
  const cells = [headers, ...rows].map((row) => row.map(plain));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  for (const row of cells) {
    const line = row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)));
    print(`${line.join('  ').trimEnd()}\n`);
  }
}

export function say(message: string): void {
  terminal().stderr.write(`custodian: ${message}\n`);
}
