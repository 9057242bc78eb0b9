// Many requests at once, but not all at once: a fleet of a thousand Pis read through the API
// server's pod proxy must not open a thousand connections to it.

/**
 * `fn` over `items` with at most `limit` calls in flight; results in the order of `items`.
 * The first call that throws stops new ones from starting and, once those in flight have
 * settled, rejects with its error (callers turn per-item failures into results themselves).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, onSettled?: () => void): Promise<R[]> {
  if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      } finally {
        onSettled?.();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

/**
 * Promise.all for requests sent together, whose failure is reported in the order they are
 * listed rather than in the order they failed: with several refused (RBAC), the message names
 * the first one every time.
 */
export async function allInOrder<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
