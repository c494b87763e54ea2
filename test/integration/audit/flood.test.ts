import { afterEach, describe, expect, it } from 'vitest';
import { resultOf } from '../../support/core-fixture';
import { startAuditCore, type AuditCore } from './audit-core';

// Issue 14: 100,000 refused calls rotated every earlier entry out of the kept
// files. Refusals are now gathered per client into bursts, so 3,000 of them
// write a handful of entries and the earlier ones stay. The files are shrunk
// and the 30-day rule is off here, so only the gathering keeps them.

let fixture: AuditCore | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe('a flood of refused calls', () => {
  it('leaves the earlier entries in place: 3,000 refusals become a few counted entries', async () => {
    fixture = await startAuditCore({
      audit: {
        auditFiles: { maxFileBytes: 4096, retainBytes: 8192, retainDays: 0 },
        // The burst's timer is the test's: counts are written at lock, not by wall time.
        refusals: { schedule: () => () => undefined },
      },
      rateLimit: { limit: { perMinute: 3, burst: 3 } },
    });
    const { core, clock } = fixture;
    for (let i = 0; i < 3; i++) await core.agents.call('honest', 'list_credentials', {});
    const before = await core.agents.audit.query({ limit: 1000 });
    expect(before.map((e) => e.seq)).toEqual([2, 1, 0]);

    for (let i = 0; i < 3000; i++) {
      clock.advance(10);
      const kind = i % 3;
      if (kind === 0) await core.agents.call('flood', 'no_such_tool', { i });
      // Another name each time: they fold into one burst for the client.
      else if (kind === 1) await core.agents.call('flood', `tool_${i}`, {});
      else await core.agents.call('flood', 'list_credentials', {});
    }
    // Locking writes the bursts' counts.
    resultOf(await core.dispatch('vault:lock', {}));
    resultOf(await core.dispatch('vault:unlock', {}));

    const after = await core.agents.audit.query({ limit: 1000 });
    // The earlier entries are all still there, in the kept files.
    expect(after.filter((e) => e.client === 'honest').map((e) => e.seq)).toEqual([2, 1, 0]);
    expect(after.filter((e) => e.event === 'rotated')).toEqual([]);
    expect(after.length).toBeLessThan(30);
    // Every refusal is accounted for: written alone or counted in a burst.
    const refused = after.filter((e) => e.client === 'flood');
    const total = refused.reduce(
      (sum, e) => sum + 1 + (e.coalesced?.count ?? 0) - (e.coalesced ? 1 : 0),
      0,
    );
    expect(total).toBe(3000);
    const burst = refused.find((e) => e.coalesced && e.tool === 'no_such_tool');
    expect(burst?.coalesced).toEqual({
      count: 999,
      from: '2026-03-01T09:00:00.040Z',
      until: '2026-03-01T09:00:29.980Z',
    });
    expect(resultOf(await core.dispatch('audit:verify', {}))).toMatchObject({
      ok: true,
      firstSeq: 0,
    });
  });
});
