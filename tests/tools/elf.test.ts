/**
 * scripts/elf.cjs, the ELF reader the link wrapper and the build share: what it reads from a
 * well-formed file, each malformed input it refuses by name, and the build's check of the
 * symbols a linked program leaves undefined, on fixtures and on the programs the build made.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ElfError, programProblems, readElf, relocationsOf, symbolsOf } from "../../scripts/elf.cjs";
import { DEPLOY_DIR, PROGRAMS } from "../../scripts/lib";
import { expectNamedError } from "./expect-error";
import { R_BPF_64_ABS64, SHT_DYNSYM, SHT_PROGBITS, SHT_REL, SHT_STRTAB, SHT_SYMTAB, buildElf, relocationTable, symbolTable, u64 } from "./elf-fixture";

const SECTION_HEADER = { size: 32, link: 40 };

/** A program-shaped file: code, read-only data, and dynamic symbols naming what it imports. */
function programWithImports(imports: string[]): Buffer {
  const { symbols, strings } = symbolTable([{ name: "entrypoint", section: 1 }, ...imports.map((name) => ({ name, section: 0 }))]);
  return buildElf([
    { name: ".text", type: SHT_PROGBITS, data: Buffer.alloc(16), addr: 0xe8n },
    { name: ".rodata", type: SHT_PROGBITS, data: Buffer.from("hello"), addr: 0xf8n },
    { name: ".dynsym", type: SHT_DYNSYM, data: symbols, link: ".dynstr" },
    { name: ".dynstr", type: SHT_STRTAB, data: strings },
  ]);
}

/** Overwrites a field of section header `index`. */
function patchSectionHeader(elf: Buffer, index: number, field: number, value: bigint | number): Buffer {
  const patched = Buffer.from(elf);
  const at = Number(patched.readBigUInt64LE(40)) + index * 64 + field;
  if (typeof value === "bigint") patched.writeBigUInt64LE(value, at);
  else patched.writeUInt32LE(value, at);
  return patched;
}

const refuses = (bytes: Buffer, code: string, message: string) => expectNamedError(() => readElf(bytes), ElfError, code, message);

describe("tools: ELF reader (scripts/elf.cjs)", () => {
  it("reads each section header, the symbols and the relocations exactly as written", () => {
    const { symbols, strings } = symbolTable([
      { name: "table", section: 2, value: 8n },
      { name: "sol_log_", section: 0 },
    ]);
    const elf = readElf(
      buildElf([
        { name: ".rodata", type: SHT_PROGBITS, data: Buffer.from("hello"), addr: 0x118n },
        { name: ".data.rel.ro", type: SHT_PROGBITS, data: Buffer.concat([u64(0), u64(5)]) },
        { name: ".rel.data.rel.ro", type: SHT_REL, data: relocationTable([{ offset: 0, symbol: 1, type: R_BPF_64_ABS64 }]), link: ".symtab", info: 2 },
        { name: ".symtab", type: SHT_SYMTAB, data: symbols, link: ".strtab" },
        { name: ".strtab", type: SHT_STRTAB, data: strings },
      ]),
    );
    expect(elf.sections.map(({ index, name, type, addr, size, link, info }) => ({ index, name, type, addr, size, link, info }))).to.deep.equal([
      { index: 0, name: "", type: 0, addr: 0n, size: 0, link: 0, info: 0 },
      { index: 1, name: ".rodata", type: SHT_PROGBITS, addr: 0x118n, size: 5, link: 0, info: 0 },
      { index: 2, name: ".data.rel.ro", type: SHT_PROGBITS, addr: 0n, size: 16, link: 0, info: 0 },
      { index: 3, name: ".rel.data.rel.ro", type: SHT_REL, addr: 0n, size: 16, link: 4, info: 2 },
      { index: 4, name: ".symtab", type: SHT_SYMTAB, addr: 0n, size: 72, link: 5, info: 0 },
      { index: 5, name: ".strtab", type: SHT_STRTAB, addr: 0n, size: strings.length, link: 0, info: 0 },
      { index: 6, name: ".shstrtab", type: SHT_STRTAB, addr: 0n, size: elf.sections[6].size, link: 0, info: 0 },
    ]);
    expect(elf.buffer.toString("latin1", elf.sections[1].offset, elf.sections[1].offset + 5)).to.equal("hello");
    expect(relocationsOf(elf, elf.sections[3])).to.deep.equal({
      relocations: [{ offset: 0, type: R_BPF_64_ABS64, symbolIndex: 1 }],
      symbols: [
        { name: "", sectionIndex: 0, value: 0n },
        { name: "table", sectionIndex: 2, value: 8n },
        { name: "sol_log_", sectionIndex: 0, value: 0n },
      ],
    });
  });

  it("refuses a file that is not a 64-bit little-endian eBPF ELF: NOT_ELF, NOT_ELF64_LE, NOT_BPF", () => {
    const notElf = Buffer.alloc(64);
    notElf.write("MZ", 0);
    refuses(notElf, "NOT_ELF", "not an ELF file (no \\x7fELF magic)");
    refuses(buildElf([], { elfClass: 1 }), "NOT_ELF64_LE", "not a 64-bit little-endian ELF");
    refuses(buildElf([], { byteOrder: 2 }), "NOT_ELF64_LE", "not a 64-bit little-endian ELF");
    refuses(buildElf([], { machine: 62 }), "NOT_BPF", "not an eBPF object (e_machine 62)");
  });

  it("refuses headers and sections that lie outside the file: TRUNCATED", () => {
    const elf = programWithImports([]);
    const shoff = Number(elf.readBigUInt64LE(40));
    refuses(elf.subarray(0, 63), "TRUNCATED", "the ELF header (bytes 0..64) lies outside the 63-byte file");
    refuses(
      elf.subarray(0, shoff + 100),
      "TRUNCATED",
      `the section header table (bytes ${shoff}..${shoff + 6 * 64}) lies outside the ${shoff + 100}-byte file`,
    );
    const rodataOffset = Number(elf.readBigUInt64LE(shoff + 2 * 64 + 24));
    refuses(
      patchSectionHeader(elf, 2, SECTION_HEADER.size, 1n << 20n),
      "TRUNCATED",
      `section 2 (bytes ${rodataOffset}..${rodataOffset + (1 << 20)}) lies outside the ${elf.length}-byte file`,
    );
  });

  it("refuses broken tables: BAD_TABLE, BAD_SECTION_NAME", () => {
    const elf = programWithImports(["sol_log_"]);
    const noNames = Buffer.from(elf);
    noNames.writeUInt16LE(9, 62);
    refuses(noNames, "BAD_TABLE", "the section name table is section 9 of 6");
    const wideHeaders = Buffer.from(elf);
    wideHeaders.writeUInt16LE(40, 58);
    refuses(wideHeaders, "BAD_TABLE", "section headers are 40 bytes each, expected 64");
    refuses(
      patchSectionHeader(elf, 1, 0, 0xffff),
      "BAD_SECTION_NAME",
      `the name of section 1 at byte ${readElf(elf).sections[5].offset + 0xffff} is not a string inside its string table`,
    );

    const read = readElf(elf);
    const dynsym = read.sections[3];
    const strayStrings = { ...read, sections: read.sections.map((s) => (s.index === 3 ? { ...s, link: 42 } : s)) };
    expectNamedError(() => symbolsOf(strayStrings, strayStrings.sections[3]), ElfError, "BAD_TABLE", ".dynsym links to section 42, which does not exist");
    expectNamedError(
      () => symbolsOf(read, { ...dynsym, size: dynsym.size - 1 }),
      ElfError,
      "BAD_TABLE",
      `.dynsym is ${dynsym.size - 1} bytes, not a whole number of symbols`,
    );
    expectNamedError(
      () => relocationsOf(read, { ...dynsym, name: ".rel.fake", type: SHT_REL, size: 16, link: 2 }),
      ElfError,
      "BAD_TABLE",
      "the symbol table of .rel.fake is section 2, which is not of type 2",
    );
  });

  it("programProblems: names each undefined symbol that is not a runtime syscall, and a file it cannot read", () => {
    expect(programProblems(programWithImports(["sol_log_", "sol_invoke_signed_c"]))).to.deep.equal([]);
    expect(programProblems(programWithImports(["sol_log_", "memcpy", "__multi3"]))).to.deep.equal([
      "leaves 'memcpy' undefined: it is not a runtime syscall",
      "leaves '__multi3' undefined: it is not a runtime syscall",
    ]);
    expect(programProblems(buildElf([], { machine: 62 }))).to.deep.equal(["not an eBPF object (e_machine 62)"]);
  });

  for (const program of PROGRAMS) {
    it(`reads the built ${program}.so: code, read-only data, only syscalls imported`, () => {
      const bytes = readFileSync(join(DEPLOY_DIR, `${program}.so`));
      const names = readElf(bytes).sections.map((s) => s.name);
      expect(names).to.include.members([".text", ".rodata", ".dynsym", ".dynstr", ".rel.dyn"]);
      expect(programProblems(bytes)).to.deep.equal([]);
    });
  }
});
