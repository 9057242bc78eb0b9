// Fetching at fleet size: lists in pages, pod reads with a bound on concurrency, progress only
// on a terminal.
import { describe, expect, it } from 'vitest';
import { listAll, type Page } from '../src/kube/paginate.js';
import { progress } from '../src/output/progress.js';
import { mapBounded } from '../src/run/bounded.js';

/** A fake list endpoint over `items`: pages of `limit`, continue tokens as offsets. */
function pages(items: number[], calls: { limit: number; _continue?: string }[], expireAt?: number) {
  let expired = false;
  return (page: { limit: number; _continue?: string }): Promise<Page<number>> => {
    calls.push(page);
    const from = Number(page._continue ?? 0);
    if (expireAt !== undefined && !expired && from >= expireAt) {
      expired = true;
      return Promise.reject(Object.assign(new Error('Gone'), { code: 410, body: '{"reason":"Expired"}' }));
    }
    const next = from + page.limit;
    return Promise.resolve({ items: items.slice(from, next), metadata: { _continue: next < items.length ? String(next) : '' } });
  };
}

describe('listAll', () => {
  const items = Array.from({ length: 7 }, (_, i) => i);

  it('follows continue tokens, limit items a page, and returns every item once', async () => {
    const calls: { limit: number; _continue?: string }[] = [];
    expect(await listAll(3, pages(items, calls))).toEqual(items);
    expect(calls).toEqual([{ limit: 3 }, { limit: 3, _continue: '3' }, { limit: 3, _continue: '6' }]);
  });

  it('makes one call when everything fits in a page', async () => {
    const calls: { limit: number; _continue?: string }[] = [];
    expect(await listAll(500, pages(items, calls))).toEqual(items);
    expect(calls).toHaveLength(1);
  });

  it('starts over when the continue token expired (410), without mixing pages', async () => {
    const calls: { limit: number; _continue?: string }[] = [];
    expect(await listAll(2, pages(items, calls, 4))).toEqual(items);
    expect(calls.map((c) => c._continue ?? '-')).toEqual(['-', '2', '4', '-', '2', '4', '6']);
  });

  it('passes other errors on', async () => {
    await expect(listAll(2, () => Promise.reject(Object.assign(new Error('Forbidden'), { code: 403, body: '' })))).rejects.toThrow('Forbidden');
  });
});

describe('mapBounded', () => {
  it('never has more than the bound in flight, and keeps the order of the items', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded(Array.from({ length: 40 }, (_, i) => i), 16, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, (n * 7) % 5));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(peak).toBe(16);
  });

  it('runs everything at once when the bound is larger than the list, and calls onSettled per item', async () => {
    let settled = 0;
    let peak = 0;
    let inFlight = 0;
    await mapBounded([1, 2, 3], 16, async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    }, () => settled++);
    expect(peak).toBe(3);
    expect(settled).toBe(3);
  });

  it('stops starting new calls after the first error, and rejects with it', async () => {
    const started: number[] = [];
    await expect(
      mapBounded([0, 1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n);
        await new Promise((r) => setTimeout(r, 5));
        if (n === 1) throw new Error('forbidden');
        return n;
      }),
    ).rejects.toThrow('forbidden');
    expect(started.length).toBeLessThan(6);
  });

  it('refuses a bound below 1', async () => {
    await expect(mapBounded([1], 0, () => Promise.resolve(1))).rejects.toThrow(RangeError);
  });
});

describe('progress', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { isTTY, written, write: (s: string) => written.push(s) };
  };

  it('draws "label n/total" on a terminal, at most every interval and always the last, then clears', () => {
    const s = stream(true);
    let t = 0;
    const p = progress(s, 'reading pods', 3, 100, () => t);
    p.tick();
    t = 50;
    p.tick();
    t = 60;
    p.tick();
    p.done();
    expect(s.written).toEqual(['\r\u001b[Kreading pods 1/3', '\r\u001b[Kreading pods 3/3', '\r\u001b[K']);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const s = stream(false);
    const p = progress(s, 'reading pods', 3);
    p.tick();
    p.done();
    expect(s.written).toEqual([]);
  });
});

describe('pod proxy refusals', () => {
  it("tells the API server's Status (RBAC: every pod) from a plain-text refusal of one pod", async () => {
    const { isStatusBody } = await import('../src/kube/errors.js');
    expect(isStatusBody('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}')).toBe(true);
    expect(isStatusBody({ kind: 'Status', code: 403 })).toBe(true);
    expect(isStatusBody('resolve_deny: denied destination')).toBe(false);
    expect(isStatusBody('{"error":"x"}')).toBe(false);
  });
});

describe('allInOrder', () => {
  it('reports the first listed failure, however late it comes', async () => {
    const { allInOrder } = await import('../src/run/bounded.js');
    const late = new Promise<number>((_, reject) => setTimeout(() => reject(new Error('nodes refused')), 30));
    const early = Promise.reject<number>(new Error('pods refused'));
    await expect(allInOrder([late, early])).rejects.toThrow('nodes refused');
    expect(await allInOrder([Promise.resolve(1), Promise.resolve('a')])).toEqual([1, 'a']);
  });
});
