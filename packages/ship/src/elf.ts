// Reads the ELF header, to check that an executable or addon was built for the right CPU
// before it is shipped (a wrong-arch addon only fails on the Pi, at load time).

export interface ElfInfo {
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_machine: 62 x86-64, 183 AArch64, 40 ARM. */
  machine: number;
}

export function parseElfHeader(head: Uint8Array): ElfInfo {
  if (head.length < 20 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) {
    throw new Error('not an ELF file');
  }
  const bits = head[4] === 2 ? 64 : head[4] === 1 ? 32 : undefined;
  if (bits === undefined) throw new Error(`unknown ELF class ${head[4]}`);
  const littleEndian = head[5] === 1;
  const lo = head[18]!;
  const hi = head[19]!;
  return { bits, littleEndian, machine: littleEndian ? lo | (hi << 8) : (lo << 8) | hi };
}

export const ELF_MACHINE_NAMES: Readonly<Record<number, string>> = { 62: 'x86-64', 183: 'AArch64', 40: 'ARM' };
