// Commands typed the way a user types them: one after the other, each in a shell in the
// checkout, each waited for. A command that is still running after a while and serves HTTP is
// left running, as in a second terminal; at the end every such command gets Ctrl-C (SIGINT to
// its whole process group, as a terminal sends it).
import { start, type Started } from '@gpio-fleet/test-tools';

export interface Typed {
  command: string;
  proc: Started;
  /** Set once the command has ended by itself. */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  /** Milliseconds until it ended, or until it was judged a server. */
  ms: number;
  /** Still running: a server the next commands talk to. */
  server: boolean;
}

export class UserShell {
  private readonly running: Typed[] = [];

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
    /** Runs the shell inside a network namespace, e.g. `ip netns exec <name>`. */
    private readonly prefix: string[] = [],
  ) {}

  /**
   * Type `command` and wait up to `patienceMs` for it to end. If it is still running then and
   * has said it serves (`isServing`), it stays running; otherwise it is stopped and the run fails.
   */
  async type(command: string, isServing: (stderr: string) => boolean, patienceMs = 20_000): Promise<Typed> {
    const [bin, ...pre] = [...this.prefix, 'bash', '-c', command];
    const t0 = Date.now();
    const proc = start(bin, pre, { cwd: this.cwd, env: this.env, detached: true });
    const timer = new Promise<'waited'>((r) => setTimeout(() => r('waited'), patienceMs));
    const first = await Promise.race([proc.exited, timer]);
    const ms = Date.now() - t0;
    if (first !== 'waited') return { command, proc, exit: first, ms, server: false };
    if (!isServing(proc.stderr())) {
      this.interrupt(proc);
      await proc.exited;
      throw new Error(`"${command}" neither ended nor started serving within ${patienceMs} ms; it printed:\n${proc.stdout().slice(-2000)}${proc.stderr().slice(-3000)}`);
    }
    const typed: Typed = { command, proc, ms, server: true };
    this.running.push(typed);
    return typed;
  }

  private interrupt(proc: Started): void {
    try {
      process.kill(-proc.child.pid!, 'SIGINT');
    } catch {
      /* already gone */
    }
  }

  /** Ctrl-C every command left running; resolves when all have ended (SIGKILL after `graceMs`). */
  async interruptAll(graceMs = 5000): Promise<Typed[]> {
    const stopped = [...this.running];
    this.running.length = 0;
    await Promise.all(
      stopped.map(async (t) => {
        this.interrupt(t.proc);
        const kill = setTimeout(() => process.kill(-t.proc.child.pid!, 'SIGKILL'), graceMs);
        t.exit = await t.proc.exited;
        clearTimeout(kill);
      }),
    );
    return stopped;
  }
}
