import { describe, expect, it } from 'vitest';
import { parseElfHeader } from '../src/elf.js';

function header(cls: number, data: number, machine: number): Uint8Array {
  const b = new Uint8Array(20);
  b.set([0x7f, 0x45, 0x4c, 0x46, cls, data]);
  if (data === 1) b.set([machine & 0xff, machine >> 8], 18);
  else b.set([machine >> 8, machine & 0xff], 18);
  return b;
}

describe('parseElfHeader', () => {
  it('reads class, byte order and machine', () => {
    expect(parseElfHeader(header(2, 1, 62))).toEqual({ bits: 64, littleEndian: true, machine: 62 });
    expect(parseElfHeader(header(2, 1, 183))).toEqual({ bits: 64, littleEndian: true, machine: 183 });
    expect(parseElfHeader(header(1, 1, 40))).toEqual({ bits: 32, littleEndian: true, machine: 40 });
    expect(parseElfHeader(header(1, 2, 40))).toEqual({ bits: 32, littleEndian: false, machine: 40 });
  });

  it('rejects what is not ELF', () => {
    expect(() => parseElfHeader(new TextEncoder().encode('#!/bin/sh\necho not elf\n'))).toThrow(/not an ELF file/);
    expect(() => parseElfHeader(header(3, 1, 62))).toThrow(/unknown ELF class 3/);
    expect(() => parseElfHeader(new Uint8Array([0x7f, 0x45]))).toThrow(/not an ELF file/);
  });
});
