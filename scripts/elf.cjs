// @ts-check
/*
 * The one ELF reader of the repository, for the eBPF objects and SBPF v0 programs the build
 * makes: the link wrapper (scripts/sbpf-link.cjs, which rustc runs with plain node, hence
 * CommonJS) and the build's check of each linked program both read ELF through it.
 *
 * It reads 64-bit little-endian eBPF files only, and checks every table it is asked for lies
 * inside the file, so a malformed input is refused with an ElfError (`code` names the problem)
 * rather than read as zeros or past the end.
 */
"use strict";

const EM_BPF = 247;
const HEADER_SIZE = 64;
const SECTION_HEADER_SIZE = 64;
const SYMBOL_SIZE = 24;
const REL_SIZE = 16;

/** Section types (sh_type) the build looks at. */
const SHT = Object.freeze({ SYMTAB: 2, RELA: 4, NOBITS: 8, REL: 9, DYNSYM: 11 });
/** st_shndx of a symbol the file leaves undefined. */
const SHN_UNDEF = 0;

/**
 * The syscalls the SBPF runtimes resolve at load time: the only symbols a program may leave
 * undefined. An undefined helper (say `memcpy` or a 128-bit builtin) would otherwise only show
 * up as a load failure in the bank.
 */
const SYSCALLS = new Set([
  "abort",
  "sol_panic_",
  "sol_log_",
  "sol_log_64_",
  "sol_log_compute_units_",
  "sol_log_pubkey",
  "sol_log_data",
  "sol_create_program_address",
  "sol_try_find_program_address",
  "sol_sha256",
  "sol_keccak256",
  "sol_blake3",
  "sol_secp256k1_recover",
  "sol_curve_validate_point",
  "sol_curve_group_op",
  "sol_memcpy_",
  "sol_memmove_",
  "sol_memcmp_",
  "sol_memset_",
  "sol_invoke_signed_c",
  "sol_invoke_signed_rust",
  "sol_set_return_data",
  "sol_get_return_data",
  "sol_get_stack_height",
  "sol_get_clock_sysvar",
  "sol_get_rent_sysvar",
  "sol_get_epoch_schedule_sysvar",
  "sol_get_fees_sysvar",
  "sol_get_processed_sibling_instruction",
  "sol_remaining_compute_units",
]);

class ElfError extends Error {
  /**
   * @param {"TRUNCATED" | "NOT_ELF" | "NOT_ELF64_LE" | "NOT_BPF" | "BAD_SECTION_NAME" | "BAD_TABLE"} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = "ElfError";
    this.code = code;
  }
}

/**
 * @typedef {{ index: number, name: string, type: number, addr: bigint, offset: number, size: number, link: number, info: number }} Section
 * @typedef {{ buffer: Buffer, sections: Section[] }} Elf
 * @typedef {{ name: string, sectionIndex: number, value: bigint }} ElfSymbol
 * @typedef {{ offset: number, type: number, symbolIndex: number }} Relocation
 */

/**
 * @param {Buffer} buffer
 * @param {number} start
 * @param {number} end
 * @param {string} what
 */
function requireInside(buffer, start, end, what) {
  if (start < 0 || end < start || end > buffer.length) {
    throw new ElfError("TRUNCATED", `${what} (bytes ${start}..${end}) lies outside the ${buffer.length}-byte file`);
  }
}

/**
 * The NUL-terminated string at `start`, which must end before `end`.
 * @param {Buffer} buffer
 * @param {number} start
 * @param {number} end
 * @param {string} what
 */
function stringAt(buffer, start, end, what) {
  const nul = start < end ? buffer.indexOf(0, start) : -1;
  if (nul < 0 || nul >= end) throw new ElfError("BAD_SECTION_NAME", `${what} at byte ${start} is not a string inside its string table`);
  return buffer.toString("latin1", start, nul);
}

/**
 * Reads the ELF header and section headers of a 64-bit little-endian eBPF file.
 * @param {Buffer} buffer
 * @returns {Elf}
 */
function readElf(buffer) {
  requireInside(buffer, 0, HEADER_SIZE, "the ELF header");
  if (buffer.readUInt32BE(0) !== 0x7f454c46) throw new ElfError("NOT_ELF", "not an ELF file (no \\x7fELF magic)");
  if (buffer[4] !== 2 || buffer[5] !== 1) throw new ElfError("NOT_ELF64_LE", "not a 64-bit little-endian ELF");
  const machine = buffer.readUInt16LE(18);
  if (machine !== EM_BPF) throw new ElfError("NOT_BPF", `not an eBPF object (e_machine ${machine})`);
  const shoff = Number(buffer.readBigUInt64LE(40));
  const shentsize = buffer.readUInt16LE(58);
  const shnum = buffer.readUInt16LE(60);
  const shstrndx = buffer.readUInt16LE(62);
  if (shentsize !== SECTION_HEADER_SIZE) throw new ElfError("BAD_TABLE", `section headers are ${shentsize} bytes each, expected ${SECTION_HEADER_SIZE}`);
  requireInside(buffer, shoff, shoff + shnum * SECTION_HEADER_SIZE, "the section header table");
  /** @type {Section[]} */
  const sections = [];
  const nameOffsets = [];
  for (let index = 0; index < shnum; index++) {
    const at = shoff + index * SECTION_HEADER_SIZE;
    nameOffsets.push(buffer.readUInt32LE(at));
    const section = {
      index,
      name: "",
      type: buffer.readUInt32LE(at + 4),
      addr: buffer.readBigUInt64LE(at + 16),
      offset: Number(buffer.readBigUInt64LE(at + 24)),
      size: Number(buffer.readBigUInt64LE(at + 32)),
      link: buffer.readUInt32LE(at + 40),
      info: buffer.readUInt32LE(at + 44),
    };
    if (section.type !== SHT.NOBITS) requireInside(buffer, section.offset, section.offset + section.size, `section ${index}`);
    sections.push(section);
  }
  const names = sections[shstrndx];
  if (!names) throw new ElfError("BAD_TABLE", `the section name table is section ${shstrndx} of ${shnum}`);
  for (const section of sections) {
    section.name = stringAt(buffer, names.offset + nameOffsets[section.index], names.offset + names.size, `the name of section ${section.index}`);
  }
  return { buffer, sections };
}

/**
 * @param {Elf} elf
 * @param {number} index
 * @param {number} type
 * @param {string} what
 */
function sectionOfType(elf, index, type, what) {
  const section = elf.sections[index];
  if (!section || section.type !== type) throw new ElfError("BAD_TABLE", `${what} is section ${index}, which is not of type ${type}`);
  return section;
}

/**
 * The entries of a symbol table (SHT_SYMTAB or SHT_DYNSYM), named through its linked string table.
 * @param {Elf} elf
 * @param {Section} table
 * @returns {ElfSymbol[]}
 */
function symbolsOf(elf, table) {
  if (table.size % SYMBOL_SIZE !== 0) throw new ElfError("BAD_TABLE", `${table.name} is ${table.size} bytes, not a whole number of symbols`);
  const strings = elf.sections[table.link];
  if (!strings) throw new ElfError("BAD_TABLE", `${table.name} links to section ${table.link}, which does not exist`);
  const { buffer } = elf;
  /** @type {ElfSymbol[]} */
  const symbols = [];
  for (let at = table.offset; at < table.offset + table.size; at += SYMBOL_SIZE) {
    const nameOffset = buffer.readUInt32LE(at);
    symbols.push({
      name: nameOffset === 0 ? "" : stringAt(buffer, strings.offset + nameOffset, strings.offset + strings.size, `a symbol name in ${table.name}`),
      sectionIndex: buffer.readUInt16LE(at + 6),
      value: buffer.readBigUInt64LE(at + 8),
    });
  }
  return symbols;
}

/**
 * The entries of an SHT_REL section and the symbol table they index.
 * @param {Elf} elf
 * @param {Section} rel
 * @returns {{ relocations: Relocation[], symbols: ElfSymbol[] }}
 */
function relocationsOf(elf, rel) {
  if (rel.size % REL_SIZE !== 0) throw new ElfError("BAD_TABLE", `${rel.name} is ${rel.size} bytes, not a whole number of relocations`);
  const symbols = symbolsOf(elf, sectionOfType(elf, rel.link, SHT.SYMTAB, `the symbol table of ${rel.name}`));
  /** @type {Relocation[]} */
  const relocations = [];
  for (let at = rel.offset; at < rel.offset + rel.size; at += REL_SIZE) {
    const info = elf.buffer.readBigUInt64LE(at + 8);
    relocations.push({ offset: Number(elf.buffer.readBigUInt64LE(at)), type: Number(info & 0xffffffffn), symbolIndex: Number(info >> 32n) });
  }
  return { relocations, symbols };
}

/**
 * Problems that keep a linked program from loading (empty when there are none): a file that is
 * not a 64-bit eBPF ELF, or a symbol left undefined that is not a runtime syscall.
 * @param {Buffer} buffer
 * @returns {string[]}
 */
function programProblems(buffer) {
  let elf;
  try {
    elf = readElf(buffer);
  } catch (error) {
    if (error instanceof ElfError) return [error.message];
    throw error;
  }
  return elf.sections
    .filter((section) => section.type === SHT.DYNSYM)
    .flatMap((dynsym) => symbolsOf(/** @type {Elf} */ (elf), dynsym))
    .filter((symbol) => symbol.name !== "" && symbol.sectionIndex === SHN_UNDEF && !SYSCALLS.has(symbol.name))
    .map((symbol) => `leaves '${symbol.name}' undefined: it is not a runtime syscall`);
}

module.exports = { ElfError, EM_BPF, SHN_UNDEF, SHT, SYSCALLS, programProblems, readElf, relocationsOf, symbolsOf };
