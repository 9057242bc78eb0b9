// List calls in pages (limit + continue), so a fleet of a thousand nodes never arrives as one
// response the API server has to build, and the client has to hold, at once.

export interface Page<T> {
  items: T[];
  metadata?: { _continue?: string | undefined } | undefined;
}

/** The default page size: the API server's own default for kubectl is 500 as well. */
export const DEFAULT_PAGE_SIZE = 500;

/** How many times a list starts over when its continue token expired (HTTP 410). */
const RESTARTS = 2;

const expired = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 410;

/**
 * Every item of a list, fetched `limit` at a time. A continue token expires once etcd has
 * compacted the revision the list started from (HTTP 410 Gone); the list then starts over,
 * since pages from different revisions must not be mixed.
 */
export async function listAll<T>(limit: number, fetchPage: (page: { limit: number; _continue?: string }) => Promise<Page<T>>): Promise<T[]> {
  for (let attempt = 0; ; attempt++) {
    const items: T[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await fetchPage(token === undefined ? { limit } : { limit, _continue: token });
        items.push(...page.items);
        token = page.metadata?._continue || undefined;
      } while (token !== undefined);
      return items;
    } catch (e) {
      if (!expired(e) || attempt >= RESTARTS) throw e;
    }
  }
}
