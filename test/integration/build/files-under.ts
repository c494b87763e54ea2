import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under dir, relative and with `/`, not entering the folders named in `skip`. */
export function filesUnder(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    if (entry.isDirectory())
      out.push(...filesUnder(join(dir, entry.name), skip).map((f) => `${entry.name}/${f}`));
    else out.push(entry.name);
  }
  return out;
}
