import type * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { readFileIfExists, syncFolder } from '../files/atomic-file';

// Where the log lives on disk and how it rotates: audit.jsonl is written,
// audit.1.jsonl is the one before it, audit.N.jsonl the oldest kept.

export type AuditFileSystem = Pick<
  typeof nodeFs,
  'open' | 'readFile' | 'rename' | 'unlink' | 'readdir' | 'mkdir' | 'stat' | 'chmod'
>;

export const CURRENT_FILE = 'audit.jsonl';
const ROTATED = /^audit\.([1-9]\d{0,5})\.jsonl$/;

export function rotatedFile(n: number): string {
  return `audit.${n}.jsonl`;
}

/** The log's files that exist, oldest first, ending with audit.jsonl when it exists. */
export async function listLogFiles(fs: AuditFileSystem, folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const rotated = rotatedNumbers(names).map(rotatedFile);
  return names.includes(CURRENT_FILE) ? [...rotated, CURRENT_FILE] : rotated;
}

/** Rotated file numbers, highest (oldest) first. */
function rotatedNumbers(names: string[]): number[] {
  return names
    .map((name) => ROTATED.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
}

/**
 * Moves audit.jsonl to audit.1.jsonl, shifting older files up by one.
 * Oldest first, so no rename lands on a file that has not moved yet; a crash
 * part-way leaves a gap in the numbers, which listing tolerates and the chain
 * check sees through. Nothing is deleted here: see `dropOldest`.
 */
export async function rotate(fs: AuditFileSystem, folder: string): Promise<void> {
  for (const n of rotatedNumbers(await fs.readdir(folder))) {
    await fs.rename(join(folder, rotatedFile(n)), join(folder, rotatedFile(n + 1)));
  }
  await fs.rename(join(folder, CURRENT_FILE), join(folder, rotatedFile(1)));
  await syncFolder(fs, folder);
}

/** The rotated files, oldest first. */
export async function rotatedFiles(fs: AuditFileSystem, folder: string): Promise<string[]> {
  return rotatedNumbers(await fs.readdir(folder)).map(rotatedFile);
}

export async function readTextIfExists(fs: AuditFileSystem, path: string): Promise<string | null> {
  return (await readFileIfExists(fs, path))?.toString('utf8') ?? null;
}

/** A file's lines without the empty piece after its final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
