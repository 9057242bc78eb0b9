// What an ELF file needs at run time, read with binutils' readelf (it reads every architecture,
// so one host tool covers amd64, arm64 and armhf binaries). Parsing is pure; only readElf runs
// the tool.
import { execFileSync } from 'node:child_process';

export interface ElfInfo {
  /** "ELF64" or "ELF32". */
  elfClass: string;
  /** readelf's machine name, e.g. "Advanced Micro Devices X86-64", "AArch64", "ARM". */
  machine: string;
  /** DT_NEEDED entries, in order. */
  needed: string[];
  /** PT_INTERP, the dynamic loader's absolute path, when the file has one. */
  interpreter?: string;
}

/** DT_NEEDED sonames from `readelf -d` output. */
export function parseNeeded(dynamicSection: string): string[] {
  const needed: string[] = [];
  for (const m of dynamicSection.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)) {
    if (m[1]) needed.push(m[1]);
  }
  return needed;
}

/** PT_INTERP from `readelf -l` output. */
export function parseInterpreter(programHeaders: string): string | undefined {
  return /\[Requesting program interpreter: ([^\]]+)\]/.exec(programHeaders)?.[1];
}

/** Class and machine from `readelf -h` output. */
export function parseHeader(fileHeader: string): { elfClass: string; machine: string } {
  const elfClass = /^\s*Class:\s+(\S+)/m.exec(fileHeader)?.[1];
  const machine = /^\s*Machine:\s+(.+?)\s*$/m.exec(fileHeader)?.[1];
  if (!elfClass || !machine) throw new Error('not an ELF file header (readelf -h printed no Class/Machine)');
  return { elfClass, machine };
}

/** Read the dynamic-linking facts of one ELF file. */
export function readElf(file: string): ElfInfo {
  const run = (flag: string): string => execFileSync('readelf', ['-W', flag, file], { encoding: 'utf8' });
  const info: ElfInfo = { ...parseHeader(run('-h')), needed: parseNeeded(run('-d')) };
  const interpreter = parseInterpreter(run('-l'));
  if (interpreter) info.interpreter = interpreter;
  return info;
}
