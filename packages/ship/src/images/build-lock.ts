// One image build at a time per output directory: a test setup and a developer running
// `npm run build:images` together would otherwise delete each other's layouts mid-push. The
// lock itself is test-tools' (the one the tool builds take); this waits for it without
// blocking the event loop.
import { tryLock, unlock } from '@gpio-fleet/test-tools/provision';

/** Run `fn` while holding `lockDir`; a lock left by a dead process is taken over. Waits up to
 *  `timeoutMs` for a live holder. */
export async function withBuildLock<T>(lockDir: string, fn: () => Promise<T>, log: (line: string) => void, timeoutMs = 30 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (let holder = tryLock(lockDir); holder !== undefined; holder = tryLock(lockDir)) {
    if (Date.now() > deadline) throw new Error(`another image build holds ${lockDir} (pid ${Number.isInteger(holder) ? holder : '?'}) for too long`);
    if (!announced) log(`waiting for another image build (pid ${Number.isInteger(holder) ? holder : '?'}) to finish`);
    announced = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  try {
    return await fn();
  } finally {
    unlock(lockDir);
  }
}
