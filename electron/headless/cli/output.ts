// What the CLI prints. Results go to stdout (tables for people, --json for
// programs); messages and errors go to stderr, so a pipe gets only results.

/** Names and descriptions come from people and plugins: no escape sequences reach the terminal. */
export function plain(text: string): string {
  return text.replace(/\p{C}/gu, ' ');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  if (rows.length === 0) return;
  const cells = [headers, ...rows].map((row) => row.map(plain));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  for (const row of cells) {
    const line = row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)));
    process.stdout.write(`${line.join('  ').trimEnd()}\n`);
  }
}

export function say(message: string): void {
  process.stderr.write(`custodian: ${message}\n`);
}
