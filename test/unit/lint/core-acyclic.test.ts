import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeCycle, folderCycles, folderGraph, graphOf } from './folder-graph';

// electron/core's top-level folders (credentials, plugins, store, agents,
// vault, net, files, ...) and its root files (create-core.ts, events.ts, ...)
// depend on each other in one direction only: issue 13 broke the cycles
// credentials <-> plugins and plugins <-> store, and this keeps them broken.

const CORE = fileURLToPath(new URL('../../../electron/core', import.meta.url));

describe("electron/core's folders", () => {
  it('import each other without a cycle', () => {
    const graph = folderGraph(CORE);
    // The walk saw the real tree: the big folders and their known edges are there.
    expect([...graph.keys()]).toEqual(
      expect.arrayContaining(['agents', 'credentials', 'plugins', 'store', 'vault', 'files']),
    );
    expect(graph.get('agents')?.has('vault')).toBe(true);
    const cycles = folderCycles(graph).map((cycle) => describeCycle(graph, cycle));
    expect(cycles, `import cycles between core's folders:\n${cycles.join('\n')}`).toEqual([]);
  });
});

describe('the cycle finder', () => {
  it('finds a cycle and names the imports that make it', () => {
    const graph = graphOf({
      credentials: ['files', 'plugins'],
      plugins: ['store', 'files'],
      store: ['credentials'],
      files: [],
    });
    const cycles = folderCycles(graph);
    expect(cycles).toEqual([['credentials', 'plugins', 'store', 'credentials']]);
    expect(describeCycle(graph, cycles[0] ?? [])).toBe(
      [
        'credentials -> plugins -> store -> credentials',
        '  credentials -> plugins (credentials/x.ts imports plugins/y.ts)',
        '  plugins -> store (plugins/x.ts imports store/y.ts)',
        '  store -> credentials (store/x.ts imports credentials/y.ts)',
      ].join('\n'),
    );
  });

  it('finds a two-folder cycle, and one per separate group', () => {
    const cycles = folderCycles(graphOf({ a: ['b'], b: ['a', 'c'], c: ['d'], d: ['c'], e: ['a'] }));
    expect(cycles).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'c'],
    ]);
  });

  it('finds none in a graph whose folders only point one way', () => {
    expect(
      folderCycles(graphOf({ agents: ['vault', 'files'], vault: ['files', 'crypto'], files: [] })),
    ).toEqual([]);
  });
});
