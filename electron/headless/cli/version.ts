import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The CLI runs from the repository through tsx, so package.json sits two folders above electron/.
export const CLI_VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
