import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

// The import graph of one source tree, folded onto its top-level folders, and
// the cycles in it. A folder's files may import each other freely; what must
// not happen is folder A reaching B while B reaches back to A, however long
// the way round. Type-only imports count: a layer that names another's types
// depends on it as much as one that calls it.

/** One file's import of another, as the evidence for an edge between folders. */
export interface FileImport {
  from: string;
  to: string;
}

/** Folder -> folders it imports -> the file imports that make that edge. */
export type FolderGraph = Map<string, Map<string, FileImport[]>>;

/** Every .ts/.tsx file under `root` (declaration files aside), as absolute paths. */
export function sourceFiles(root: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** The specifiers a file imports, re-exports or loads with import(), read by TypeScript's scanner. */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** Where a relative specifier leads, as TypeScript would resolve it; null for a package. */
export function resolveRelative(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
    // ESM spelling: './x.js' names './x.ts'.
    base.replace(/\.js$/, '.ts'),
  ];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile()) ?? null;
}

/**
 * The folder a file belongs to under `root`: its first path segment, or the
 * file itself for one that sits at the root (e.g. create-core.ts).
 */
export function folderOf(root: string, file: string): string | null {
  const rel = relative(root, file);
  if (rel.startsWith('..')) return null;
  return rel.split(sep)[0] ?? null;
}

/** The graph of imports between the top-level folders of `root`. */
export function folderGraph(root: string): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles(root)) {
    const from = folderOf(root, file);
    if (!from) continue;
    const edges = graph.get(from) ?? new Map<string, FileImport[]>();
    graph.set(from, edges);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolveRelative(file, specifier);
      const to = target && folderOf(root, target);
      if (!target || !to || to === from) continue;
      const evidence = edges.get(to) ?? [];
      evidence.push({ from: relative(root, file), to: relative(root, target) });
      edges.set(to, evidence);
    }
  }
  return graph;
}

/** A graph from plain edges, for tests of the cycle finder itself. */
export function graphOf(edges: Record<string, string[]>): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const [from, tos] of Object.entries(edges)) {
    graph.set(from, new Map(tos.map((to) => [to, [{ from: `${from}/x.ts`, to: `${to}/y.ts` }]])));
  }
  return graph;
}

/**
 * The cycles between folders: one per strongly connected group of folders,
 * as a closed path (first folder repeated at the end), sorted so the answer
 * is stable. Empty when the folders form a DAG.
 */
export function folderCycles(graph: FolderGraph): string[][] {
  return stronglyConnected(graph)
    .filter((group) => group.length > 1)
    .map((group) => cycleThrough(graph, new Set(group)))
    .sort((a, b) => a.join().localeCompare(b.join()));
}

/** A cycle written for a person: the folders in order, each step with one file import that makes it. */
export function describeCycle(graph: FolderGraph, cycle: string[]): string {
  const steps = cycle.slice(1).map((to, i) => {
    const from = cycle[i] ?? '';
    const [evidence] = graph.get(from)?.get(to) ?? [];
    return `  ${from} -> ${to}${evidence ? ` (${evidence.from} imports ${evidence.to})` : ''}`;
  });
  return [cycle.join(' -> '), ...steps].join('\n');
}

/** Tarjan's algorithm: the graph's strongly connected components. */
function stronglyConnected(graph: FolderGraph): string[][] {
  const nodes = new Set<string>(graph.keys());
  for (const edges of graph.values()) for (const to of edges.keys()) nodes.add(to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;

  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    groups.push(group.sort());
  };

  for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);
  return groups;
}

/** The shortest closed path from the group's first folder back to itself, inside the group. */
function cycleThrough(graph: FolderGraph, group: Set<string>): string[] {
  const [start] = [...group].sort();
  if (start === undefined) return [];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const to of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!group.has(to)) continue;
      if (to === start) {
        // Walk back from `node` to the start, then read it forwards and close it.
        const back = [node];
        for (let at = cameFrom.get(node); at !== undefined; at = cameFrom.get(at)) back.push(at);
        return [...back.reverse(), start];
      }
      if (!cameFrom.has(to) && to !== start) {
        cameFrom.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}
