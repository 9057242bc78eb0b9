// The three machines the suite boots, one row each: everything that differs between the x64,
// arm64 and armv7 VMs lives here, so the kernel build, the initramfs, the boot and the scenarios
// are one code path parameterised by this table.
import type { TargetArch } from '@gpio-fleet/ship';
import type { Accel } from './qemu.js';

export interface VmArch {
  arch: TargetArch;
  /** Debian's name for the architecture (packages are downloaded as name:debArch). */
  debArch: 'amd64' | 'arm64' | 'armhf';
  /** The Debian kernel flavour: linux-image-<abi number>-<flavour>. */
  flavour: string;
  /** What `uname -m` must say inside the guest. */
  unameMachine: string;
  /** Kbuild's ARCH and CROSS_COMPILE for the out-of-tree modules. */
  kbuild: { arch: string; crossCompile: string };
  /** C compiler for the static guest helper, and the Debian packages that provide it with a static libc. */
  cc: string;
  ccPackages: readonly string[];
  /** Where the dynamic loader of this architecture looks (guest path) and where the host keeps those libraries. */
  libraries: { guestDir: string; hostDirs: readonly string[] };
  qemu: {
    binary: string;
    debianPackage: string;
    /** -M/-cpu and the port that carries the RESULT lines (after the console's `-serial stdio`). */
    machine: (resultsFile: string, accel: Accel) => string[];
    /** Kernel command line beyond the common part. */
    append: string;
  };
  /** The console and the results port as the guest sees them. */
  consoleTty: string;
  resultsTty: string;
}

/**
 * The virt board also has a PL061 GPIO controller (for its power button), which would become
 * gpiochip0 and shift our chips. Leaving its driver out keeps the same chip layout on every
 * architecture; poweroff goes through PSCI, not that button.
 */
const VIRT_APPEND = 'initcall_blacklist=pl061_gpio_driver_init';

export const VM_ARCHES: Readonly<Record<TargetArch, VmArch>> = {
  x64: {
    arch: 'x64',
    debArch: 'amd64',
    flavour: 'amd64',
    unameMachine: 'x86_64',
    kbuild: { arch: 'x86', crossCompile: '' },
    cc: 'gcc',
    ccPackages: ['gcc', 'libc6-dev', 'linux-libc-dev'],
    libraries: { guestDir: '/lib/x86_64-linux-gnu', hostDirs: ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu'] },
    qemu: {
      binary: 'qemu-system-x86_64',
      debianPackage: 'qemu-system-x86',
      // Under KVM the guest sees the host CPU; TCG emulates every feature Node's x64 build may
      // use. The second 16550 carries the results.
      machine: (results, accel) => ['-cpu', accel === 'kvm' ? 'host' : 'max', '-serial', `file:${results}`],
      append: '',
    },
    consoleTty: 'ttyS0',
    resultsTty: 'ttyS1',
  },
  arm64: {
    arch: 'arm64',
    debArch: 'arm64',
    flavour: 'arm64',
    unameMachine: 'aarch64',
    kbuild: { arch: 'arm64', crossCompile: 'aarch64-linux-gnu-' },
    cc: 'aarch64-linux-gnu-gcc',
    ccPackages: ['gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross', 'linux-libc-dev-arm64-cross'],
    libraries: { guestDir: '/lib/aarch64-linux-gnu', hostDirs: ['/usr/aarch64-linux-gnu/lib'] },
    qemu: {
      binary: 'qemu-system-aarch64',
      debianPackage: 'qemu-system-arm',
      // A Pi 3/4-class ARMv8.0 core. `-cpu max` also works but boots 5x slower under TCG
      // (pointer authentication and SVE are emulated in software).
      machine: (results) => ['-M', 'virt', '-cpu', 'cortex-a57', ...pciSerial(results)],
      append: VIRT_APPEND,
    },
    consoleTty: 'ttyAMA0',
    resultsTty: 'ttyS0',
  },
  armv7: {
    arch: 'armv7',
    debArch: 'armhf',
    // The LPAE build runs on Cortex-A7/A15-class cores (Pi 2 and later) and can use highmem.
    flavour: 'armmp-lpae',
    unameMachine: 'armv7l',
    kbuild: { arch: 'arm', crossCompile: 'arm-linux-gnueabihf-' },
    cc: 'arm-linux-gnueabihf-gcc',
    ccPackages: ['gcc-arm-linux-gnueabihf', 'libc6-dev-armhf-cross', 'linux-libc-dev-armhf-cross'],
    libraries: {
      guestDir: '/lib/arm-linux-gnueabihf',
      hostDirs: ['/lib/arm-linux-gnueabihf', '/usr/lib/arm-linux-gnueabihf', '/usr/arm-linux-gnueabihf/lib'],
    },
    qemu: {
      binary: 'qemu-system-arm',
      debianPackage: 'qemu-system-arm',
      machine: (results) => ['-M', 'virt', '-cpu', 'cortex-a15', ...pciSerial(results)],
      append: VIRT_APPEND,
    },
    consoleTty: 'ttyAMA0',
    resultsTty: 'ttyS0',
  },
};

/**
 * qemu's ARM `virt` board has one UART (the PL011 console). The results go to a 16550 on its
 * PCI bus instead, which Debian's ARM kernels drive with built-in drivers (8250_pci), so it
 * appears as ttyS0 with nothing to load.
 */
function pciSerial(resultsFile: string): string[] {
  return ['-chardev', `file,id=results,path=${resultsFile}`, '-device', 'pci-serial,chardev=results'];
}

/** The architectures to boot: VM_ARCHES=arm64,armv7 picks some (for a by-hand run), default all. */
export function requestedArches(env: NodeJS.ProcessEnv = process.env): VmArch[] {
  const raw = env.VM_ARCHES?.trim();
  if (!raw) return Object.values(VM_ARCHES);
  return raw.split(',').map((name) => {
    const a = VM_ARCHES[name.trim() as TargetArch];
    if (!a) throw new Error(`VM_ARCHES: unknown architecture "${name}"; expected a comma-separated list of ${Object.keys(VM_ARCHES).join(', ')}`);
    return a;
  });
}
