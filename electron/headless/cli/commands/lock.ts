import { withCore } from '../client';
import { say } from '../output';

export async function lock(dataDir: string): Promise<number> {
  const { vault } = await withCore(dataDir, (core) => core.call('vault:lock', {}));
  say(`vault ${vault}`);
  return 0;
}
