// Debian packages of any architecture, downloaded (never installed) for the VMs: kernels,
// kernel headers and busybox for amd64, arm64 and armhf. apt runs with its own package lists
// under the VM cache, so the host's dpkg architectures and lists stay as they are, and a
// foreign package never lands on the host's filesystem.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type Log } from './progress.js';

/** The architectures whose package lists the private state holds (amd64 is the host's own). */
export const LIST_ARCHITECTURES = ['amd64', 'arm64', 'armhf'] as const;

/** apt options that point it at a private state directory. Pure. */
export function aptOptions(stateDir: string): string[] {
  const o = (kv: string): string[] => ['-o', kv];
  return [
    ...o(`Dir::State::Lists=${join(stateDir, 'lists')}`),
    ...o(`Dir::Cache=${join(stateDir, 'cache')}`),
    // Each `::=` adds one entry: exactly these lists, whatever dpkg's foreign architectures are.
    ...LIST_ARCHITECTURES.flatMap((a) => o(`APT::Architectures::=${a}`)),
    // Only the Packages indices: no translations, no AppStream metadata.
    ...o('Acquire::Languages=none'),
    ...o('Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false'),
    ...o('Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false'),
    ...o('Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false'),
    // Downloads go to cache directories root owns; apt's unprivileged user cannot write there.
    ...o('APT::Sandbox::User=root'),
  ];
}

/** "linux-image-6.1.0-57-arm64:arm64=6.1.192-3" -> how apt names the downloaded file's start and end. Pure. */
export function debFilePattern(spec: string): { prefix: string; suffixes: string[] } {
  const m = /^([^:=]+)(?::([^=]+))?(?:=(.+))?$/.exec(spec);
  if (!m) throw new Error(`not a package spec: "${spec}" (expected name[:arch][=version])`);
  const [, name, arch] = m;
  return { prefix: `${name}_`, suffixes: arch ? [`_${arch}.deb`] : ['.deb'] };
}

export class DebianDownloader {
  constructor(
    readonly stateDir: string,
    private readonly log: Log,
  ) {}

  private listsPresent(): boolean {
    const lists = join(this.stateDir, 'lists');
    return existsSync(lists) && readdirSync(lists).some((f) => f.includes('_Packages'));
  }

  /** apt-get update into the private lists (a few seconds; about 30 MB for the three architectures). */
  async refresh(): Promise<void> {
    await mkdir(join(this.stateDir, 'lists', 'partial'), { recursive: true });
    await mkdir(join(this.stateDir, 'cache', 'archives', 'partial'), { recursive: true });
    this.log(`refreshing the package lists for ${LIST_ARCHITECTURES.join(', ')} (${this.stateDir})`);
    await run('apt-get', ['-q', ...aptOptions(this.stateDir), 'update']);
  }

  /**
   * Download `specs` (name[:arch][=version]) into `dir`; returns the file of each spec, in order.
   * Lists that do not know a version yet (the archive moved on) are refreshed once.
   */
  async download(specs: readonly string[], dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    if (!this.listsPresent()) await this.refresh();
    try {
      await run('apt-get', ['-q', ...aptOptions(this.stateDir), 'download', ...specs], { cwd: dir });
    } catch (err) {
      this.log(`download failed (${(err as Error).message.split('\n').slice(0, 3).join(' ')}); refreshing the lists and retrying`);
      await this.refresh();
      await run('apt-get', ['-q', ...aptOptions(this.stateDir), 'download', ...specs], { cwd: dir });
    }
    const files = readdirSync(dir);
    return specs.map((spec) => {
      const { prefix, suffixes } = debFilePattern(spec);
      const found = files.find((f) => f.startsWith(prefix) && suffixes.some((s) => f.endsWith(s)));
      if (!found) throw new Error(`apt-get download ${spec} left no matching file in ${dir} (${files.join(', ')})`);
      return join(dir, found);
    });
  }
}
