#!/usr/bin/env node
// @ts-check
/*
 * The linker rustc calls for bpfel-unknown-none (see .cargo/config.toml): runs the pinned
 * sbpf-linker, then applies the relocations it leaves out.
 *
 * sbpf-linker 0.1.9 relinks the LLVM object into SBPF v0 and resolves relocations inside
 * code (lddw, calls) but not pointers stored in read-only data: a `&[&[u8]]` of seeds, a
 * table of `&str`, a panic `Location`. Those keep only their offset into the section they
 * point to, and fault at run time. Its layout of
 * read-only data is simple (every .rodata* / .data.rel.ro* section of the object, in
 * section order, concatenated into the output's .rodata), so each such pointer can be
 * written here as the absolute address the SBPF v0 loader maps it at:
 * MM_PROGRAM_START + .rodata's address + the target's offset. Any case outside those
 * assumptions fails the link with a LinkError naming it, rather than producing a broken
 * program. tests/tools/sbpf-link.test.ts covers each of them.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { basename, join } = require("node:path");
const { ElfError, SHN_UNDEF, SHT, readElf, relocationsOf } = require("./elf.cjs");

/** Where the SBPF v0 loader maps a program's ELF. */
const MM_PROGRAM_START = 0x1_0000_0000n;
/** The one relocation a pointer stored in data carries: S + A, 64 bits. */
const R_BPF_64_ABS64 = 2;

class LinkError extends Error {
  /**
   * @param {"NO_OUTPUT" | "NO_LINKER" | "RELA_IN_READ_ONLY_DATA" | "READ_ONLY_DATA_MISMATCH" | "UNSUPPORTED_RELOCATION" | "RELOCATION_OUTSIDE_SECTION" | "NO_SUCH_SYMBOL" | "POINTER_OUTSIDE_READ_ONLY_DATA"} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = "LinkError";
    this.code = code;
  }
}

/**
 * @param {Buffer} bytes
 * @param {string} what named in the error, which does not know the file it reads
 */
function readElfOf(bytes, what) {
  try {
    return readElf(bytes);
  } catch (error) {
    if (error instanceof ElfError) error.message = `${what}: ${error.message}`;
    throw error;
  }
}

/** @param {{ name: string }} section */
const isReadOnlyData = (section) => section.name.startsWith(".rodata") || section.name.startsWith(".data.rel.ro");

/**
 * The program sbpf-linker wrote, with every pointer the object stores in read-only data
 * written as the address it has once loaded. Throws a LinkError for any pointer it cannot
 * place, an ElfError for a malformed object or program.
 * @param {Buffer} objectBytes the LLVM object sbpf-linker wrote at -o
 * @param {Buffer} programBytes the SBPF v0 program it wrote next to it
 * @returns {Buffer}
 */
function placeReadOnlyPointers(objectBytes, programBytes) {
  const object = readElfOf(objectBytes, "the object");
  const placed = Buffer.from(programBytes);
  const rodata = readElfOf(placed, "the program").sections.find((s) => s.name === ".rodata");
  /** @type {Map<number, number>} offset of each read-only section of the object inside the program's .rodata */
  const base = new Map();
  let total = 0;
  for (const section of object.sections.filter(isReadOnlyData)) {
    base.set(section.index, total);
    total += section.size;
  }
  const onReadOnlyData = object.sections.filter((s) => (s.type === SHT.REL || s.type === SHT.RELA) && base.has(s.info) && s.size > 0);
  if (onReadOnlyData.length === 0) return placed;
  const rela = onReadOnlyData.find((s) => s.type === SHT.RELA);
  if (rela) throw new LinkError("RELA_IN_READ_ONLY_DATA", `${rela.name}: eBPF objects carry REL relocations; RELA is not supported`);
  if (!rodata || rodata.size !== total) {
    throw new LinkError(
      "READ_ONLY_DATA_MISMATCH",
      `read-only data is ${rodata ? rodata.size : 0} bytes in the program, expected ${total}; cannot place its pointers`,
    );
  }
  for (const rel of onReadOnlyData) {
    const source = object.sections[rel.info];
    const sourceBase = /** @type {number} */ (base.get(source.index));
    const { relocations, symbols } = relocationsOf(object, rel);
    for (const { offset, type, symbolIndex } of relocations) {
      const where = `${source.name}+${offset}`;
      if (type !== R_BPF_64_ABS64) throw new LinkError("UNSUPPORTED_RELOCATION", `unsupported relocation type ${type} at ${where}`);
      if (offset + 8 > source.size) throw new LinkError("RELOCATION_OUTSIDE_SECTION", `${where} is past the end of the ${source.size}-byte section`);
      const symbol = symbols[symbolIndex];
      if (!symbol) throw new LinkError("NO_SUCH_SYMBOL", `${where} refers to symbol ${symbolIndex} of ${symbols.length}`);
      const targetBase = base.get(symbol.sectionIndex);
      if (targetBase === undefined) {
        const into =
          symbol.sectionIndex === SHN_UNDEF ? "an undefined symbol" : (object.sections[symbol.sectionIndex]?.name ?? `section ${symbol.sectionIndex}`);
        const named = symbol.name ? ` ('${symbol.name}')` : "";
        throw new LinkError("POINTER_OUTSIDE_READ_ONLY_DATA", `${where} points into ${into}${named}; only pointers to read-only data are supported`);
      }
      const addend = object.buffer.readBigUInt64LE(source.offset + offset);
      placed.writeBigUInt64LE(MM_PROGRAM_START + rodata.addr + BigInt(targetBase) + symbol.value + addend, rodata.offset + sourceBase + offset);
    }
  }
  return placed;
}

/**
 * Runs sbpf-linker with rustc's arguments and writes the placed program at -o.
 * @param {string[]} args
 * @returns {number} the exit status
 */
function link(args) {
  const outIndex = args.indexOf("-o");
  if (outIndex < 0 || outIndex + 1 >= args.length) throw new LinkError("NO_OUTPUT", "no -o <output> argument");
  const output = args[outIndex + 1];
  const stem = basename(output).replace(/\.so$/, "");
  const work = mkdtempSync(join(tmpdir(), "sbpf-link-"));
  try {
    const objectPath = join(work, `${stem}.o`);
    // `--deploy=false`: sbpf-linker would otherwise also copy the unpatched program into
    // ./target/deploy, where only the build's patched copy belongs.
    const linkArgs = [...args, "--deploy=false"];
    linkArgs[outIndex + 1] = objectPath;
    // sbpf-linker writes the LLVM object at -o and the SBPF program next to it as <stem>.so.
    const linked = spawnSync("sbpf-linker", linkArgs, { stdio: ["ignore", "ignore", "inherit"] });
    if (linked.error) throw new LinkError("NO_LINKER", `cannot run sbpf-linker (${linked.error.message}); run bash scripts/setup.sh`);
    if (linked.status !== 0) return linked.status ?? 1;
    writeFileSync(output, placeReadOnlyPointers(readFileSync(objectPath), readFileSync(join(work, `${stem}.so`))));
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = link(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof LinkError || error instanceof ElfError)) throw error;
    process.stderr.write(`sbpf-link: ${error.message}\n`);
    process.exitCode = 1;
  }
}

module.exports = { LinkError, MM_PROGRAM_START, placeReadOnlyPointers };
