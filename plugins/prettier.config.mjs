// The repository's Prettier settings, plus one exception: the files that
// declare WebAssembly imports use AssemblyScript's @external on a declared
// class, which only the babel-ts parser accepts (see sdk/assembly/imports.ts).
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('../.prettierrc.json', import.meta.url), 'utf8'));

export default {
  ...base,
  overrides: [{ files: '**/assembly/imports.ts', options: { parser: 'babel-ts' } }],
};
