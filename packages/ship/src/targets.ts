// The three Linux targets a Raspberry Pi fleet needs (plus x64 for VMs and CI), and what
// building for and running on each one takes on an x64 Debian build host.

export const TARGET_ARCHES = ['x64', 'arm64', 'armv7'] as const;
export type TargetArch = (typeof TARGET_ARCHES)[number];

export interface Target {
  readonly arch: TargetArch;
  /** process.arch inside the built executable. */
  readonly nodeArch: 'x64' | 'arm64' | 'arm';
  /** ELF e_machine / class the executable and addons must have. */
  readonly elf: { readonly machine: number; readonly bits: 32 | 64 };
  /** GNU toolchain prefix for cross tools ('' = the host's own gcc/strip). */
  readonly toolPrefix: string;
  /** Prefix that runs a target binary on the x64 build host. */
  readonly emulator: readonly string[];
  /** Debian packages needed to build for and run this target here (node-gyp needs python3 and make). */
  readonly debianPackages: readonly string[];
  /** Foreign dpkg architectures those packages need. */
  readonly debianArchitectures: readonly string[];
}

export const TARGETS: Readonly<Record<TargetArch, Target>> = {
  x64: {
    arch: 'x64',
    nodeArch: 'x64',
    elf: { machine: 62, bits: 64 },
    toolPrefix: '',
    emulator: [],
    debianPackages: ['python3', 'make', 'binutils', 'g++'],
    debianArchitectures: [],
  },
  arm64: {
    arch: 'arm64',
    nodeArch: 'arm64',
    elf: { machine: 183, bits: 64 },
    toolPrefix: 'aarch64-linux-gnu-',
    // The cross libc lives under /usr/aarch64-linux-gnu; -L makes it the target's root.
    emulator: ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'],
    debianPackages: [
      'python3',
      'make',
      'qemu-user-static',
      'binutils-aarch64-linux-gnu',
      'g++-aarch64-linux-gnu',
      'libc6-arm64-cross',
      'libatomic1-arm64-cross',
      'libstdc++6-arm64-cross',
    ],
    debianArchitectures: [],
  },
  armv7: {
    arch: 'armv7',
    nodeArch: 'arm',
    elf: { machine: 40, bits: 32 },
    toolPrefix: 'arm-linux-gnueabihf-',
    // Uses the multiarch armhf libraries (/lib/arm-linux-gnueabihf), found without -L.
    emulator: ['qemu-arm-static'],
    debianPackages: [
      'python3',
      'make',
      'qemu-user-static',
      'binutils-arm-linux-gnueabihf',
      'g++-arm-linux-gnueabihf',
      'libc6:armhf',
      'libatomic1:armhf',
      'libstdc++6:armhf',
    ],
    debianArchitectures: ['armhf'],
  },
};

export function parseArches(list: string): TargetArch[] {
  const out: TargetArch[] = [];
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(TARGET_ARCHES as readonly string[]).includes(raw)) {
      throw new Error(`unknown architecture "${raw}": expected a comma-separated list of ${TARGET_ARCHES.join(', ')}`);
    }
    if (!out.includes(raw as TargetArch)) out.push(raw as TargetArch);
  }
  if (out.length === 0) throw new Error('no architecture given');
  return out;
}

/** Command + args that run `binary` for `target` on the build host. */
export function emulated(target: Target, binary: string, args: readonly string[]): [string, string[]] {
  const [first, ...rest] = [...target.emulator, binary, ...args];
  return [first!, rest];
}
