/**
 * Small eBPF ELF files assembled byte by byte, so each test states the exact input the linker
 * wrapper or the ELF reader sees (the layouts are the System V ELF64 ones the reader decodes).
 * Sections are numbered from 1 in the order given (0 is the null section) and the section
 * name table comes last; `link` and `info` may name another section instead of its number.
 */

export const EM_BPF = 247;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const R_BPF_64_64 = 1;
export const R_BPF_64_ABS64 = 2;

export interface SectionSpec {
  name: string;
  type: number;
  data?: Buffer;
  addr?: bigint;
  link?: number | string;
  info?: number | string;
}

export interface HeaderSpec {
  /** e_ident[EI_CLASS]: 2 is 64-bit. */
  elfClass?: number;
  /** e_ident[EI_DATA]: 1 is little-endian. */
  byteOrder?: number;
  machine?: number;
}

export const u64 = (value: bigint | number): Buffer => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
};

/** A string table holding `names`, and the offset of each in it. */
export function stringTable(names: string[]): { data: Buffer; offsetOf: (name: string) => number } {
  const offsets = new Map<string, number>([["", 0]]);
  let data = Buffer.alloc(1);
  for (const name of names) {
    if (offsets.has(name)) continue;
    offsets.set(name, data.length);
    data = Buffer.concat([data, Buffer.from(`${name}\0`, "latin1")]);
  }
  return { data, offsetOf: (name) => offsets.get(name)! };
}

export interface SymbolSpec {
  name: string;
  /** Section index (0 leaves the symbol undefined). */
  section: number;
  value?: bigint;
}

/** Elf64_Sym entries after the null symbol, and the string table naming them. */
export function symbolTable(symbols: SymbolSpec[]): { symbols: Buffer; strings: Buffer } {
  const strings = stringTable(symbols.map((s) => s.name));
  const entries = [{ name: "", section: 0, value: 0n }, ...symbols].map((symbol) => {
    const entry = Buffer.alloc(24);
    entry.writeUInt32LE(strings.offsetOf(symbol.name), 0);
    entry.writeUInt16LE(symbol.section, 6);
    entry.writeBigUInt64LE(symbol.value ?? 0n, 8);
    return entry;
  });
  return { symbols: Buffer.concat(entries), strings: strings.data };
}

/** Elf64_Rel entries; `symbol` indexes the symbol table (1 is the first given symbol). */
export function relocationTable(entries: { offset: number; symbol: number; type: number }[]): Buffer {
  return Buffer.concat(entries.map(({ offset, symbol, type }) => Buffer.concat([u64(offset), u64((BigInt(symbol) << 32n) | BigInt(type))])));
}

/** An ELF64 file with the given sections, their data laid out after the header. */
export function buildElf(sections: SectionSpec[], header: HeaderSpec = {}): Buffer {
  const all: SectionSpec[] = [{ name: "", type: 0 }, ...sections];
  const names = stringTable([...all.map((s) => s.name), ".shstrtab"]);
  all.push({ name: ".shstrtab", type: SHT_STRTAB, data: names.data });
  const indexOf = (ref: number | string | undefined): number => {
    if (ref === undefined) return 0;
    if (typeof ref === "number") return ref;
    const index = all.findIndex((s) => s.name === ref);
    if (index < 0) throw new Error(`no section named ${ref}`);
    return index;
  };
  const chunks: Buffer[] = [Buffer.alloc(64)];
  let at = 64;
  const offsets = all.map((section) => {
    const offset = at;
    const data = section.data ?? Buffer.alloc(0);
    const padded = Buffer.concat([data, Buffer.alloc((8 - (data.length % 8)) % 8)]);
    chunks.push(padded);
    at += padded.length;
    return offset;
  });
  const shoff = at;
  for (const [index, section] of all.entries()) {
    const entry = Buffer.alloc(64);
    entry.writeUInt32LE(names.offsetOf(section.name), 0);
    entry.writeUInt32LE(section.type, 4);
    entry.writeBigUInt64LE(section.addr ?? 0n, 16);
    entry.writeBigUInt64LE(BigInt(index === 0 ? 0 : offsets[index]), 24);
    entry.writeBigUInt64LE(BigInt(section.data?.length ?? 0), 32);
    entry.writeUInt32LE(indexOf(section.link), 40);
    entry.writeUInt32LE(indexOf(section.info), 44);
    chunks.push(entry);
  }
  const elf = Buffer.concat(chunks);
  elf.writeUInt32BE(0x7f454c46, 0);
  elf[4] = header.elfClass ?? 2;
  elf[5] = header.byteOrder ?? 1;
  elf[6] = 1;
  elf.writeUInt16LE(3, 16); // ET_DYN
  elf.writeUInt16LE(header.machine ?? EM_BPF, 18);
  elf.writeUInt32LE(1, 20);
  elf.writeBigUInt64LE(BigInt(shoff), 40);
  elf.writeUInt16LE(64, 52);
  elf.writeUInt16LE(64, 58);
  elf.writeUInt16LE(all.length, 60);
  elf.writeUInt16LE(all.length - 1, 62);
  return elf;
}
