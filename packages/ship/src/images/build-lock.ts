// One image build at a time per output directory: a test setup and a developer running
// `npm run build:images` together would otherwise delete each other's layouts mid-push.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Run `fn` while holding `lockDir` (created with mkdir, which is atomic); a lock left by a
 *  dead process is taken over. Waits up to `timeoutMs` for a live holder. */
export async function withBuildLock<T>(lockDir: string, fn: () => Promise<T>, log: (line: string) => void, timeoutMs = 30 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        // being created right now; retry below
      }
      if (Number.isInteger(holder) && !alive(holder)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another image build holds ${lockDir} (pid ${holder}) for too long`, { cause: e });
      if (!announced) log(`waiting for another image build (pid ${holder}) to finish`);
      announced = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
