/**
 * scripts/sbpf-link.cjs, the link wrapper rustc runs for every program: on fixture objects,
 * each pointer sbpf-linker leaves at 0 in read-only data is placed at its exact load address
 * and each case outside the wrapper's assumptions fails with a named LinkError; then, with the
 * pinned sbpf-linker itself, small LLVM modules link end to end through the command line.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ElfError, readElf } from "../../scripts/elf.cjs";
import { toolchain } from "../../scripts/lib";
import { LinkError, MM_PROGRAM_START, placeReadOnlyPointers } from "../../scripts/sbpf-link.cjs";
import {
  R_BPF_64_64,
  R_BPF_64_ABS64,
  SHT_PROGBITS,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  type SectionSpec,
  buildElf,
  relocationTable,
  symbolTable,
  u64,
} from "./elf-fixture";
import { expectNamedError } from "./expect-error";

/*
 * The object: read-only data in three sections, the second a table of three `&str`
 * ({ pointer, length }) whose pointers reach the strings through a named symbol, a section
 * symbol plus an addend, and a symbol in the third section plus an addend. In the program
 * the three are concatenated into .rodata at 0x118, pointers still 0.
 */
const OBJECT_SECTIONS = [".text", ".rodata", ".data.rel.ro", ".rodata.str1.1", ".data", ".rel.text", ".rel.data.rel.ro", ".symtab", ".strtab"];
const section = (name: string) => OBJECT_SECTIONS.indexOf(name) + 1;
const STRINGS = Buffer.from("helloworld!");
const TAIL = Buffer.from("tail");
const SYMBOLS = [
  { name: "hello", section: section(".rodata") },
  { name: "", section: section(".rodata") },
  { name: "tail", section: section(".rodata.str1.1") },
  { name: "entrypoint", section: section(".text") },
  { name: "counter", section: section(".data") },
  { name: "memcpy", section: 0 },
  { name: "world", section: section(".rodata"), value: 5n },
];
const symbol = (name: string, inSection = section(".rodata")) => SYMBOLS.findIndex((s) => s.name === name && s.section === inSection) + 1;
const TABLE_RELOCATIONS = [
  { offset: 0, symbol: symbol("hello"), type: R_BPF_64_ABS64 },
  { offset: 16, symbol: symbol(""), type: R_BPF_64_ABS64 },
  { offset: 32, symbol: symbol("tail", section(".rodata.str1.1")), type: R_BPF_64_ABS64 },
];
/** The table as it lies in the object (pointer slots hold the addends) or the program. */
const table = (pointers: [bigint, bigint, bigint]) => Buffer.concat([u64(pointers[0]), u64(5), u64(pointers[1]), u64(6), u64(pointers[2]), u64(3)]);
const READ_ONLY_SIZE = STRINGS.length + 48 + TAIL.length;
const RODATA_ADDR = 0x118n;

interface ObjectSpec {
  tableRelocations?: { offset: number; symbol: number; type: number }[];
  relocationType?: number;
  relocationLink?: string;
}

function objectFixture({ tableRelocations = TABLE_RELOCATIONS, relocationType = SHT_REL, relocationLink = ".symtab" }: ObjectSpec = {}): Buffer {
  const { symbols, strings } = symbolTable(SYMBOLS);
  const sections: SectionSpec[] = [
    { name: ".text", type: SHT_PROGBITS, data: Buffer.alloc(16) },
    { name: ".rodata", type: SHT_PROGBITS, data: STRINGS },
    { name: ".data.rel.ro", type: SHT_PROGBITS, data: table([0n, 5n, 1n]) },
    { name: ".rodata.str1.1", type: SHT_PROGBITS, data: TAIL },
    { name: ".data", type: SHT_PROGBITS, data: u64(0) },
    // A code relocation (lddw of the table): sbpf-linker's to resolve, never the wrapper's.
    { name: ".rel.text", type: SHT_REL, data: relocationTable([{ offset: 0, symbol: 2, type: R_BPF_64_64 }]), link: ".symtab", info: ".text" },
    { name: ".rel.data.rel.ro", type: relocationType, data: relocationTable(tableRelocations), link: relocationLink, info: ".data.rel.ro" },
    { name: ".symtab", type: SHT_SYMTAB, data: symbols, link: ".strtab" },
    { name: ".strtab", type: SHT_STRTAB, data: strings },
  ];
  if (sections.some((s, i) => s.name !== OBJECT_SECTIONS[i])) throw new Error("OBJECT_SECTIONS no longer lists the fixture's sections in order");
  return buildElf(sections);
}

/** The program sbpf-linker would write; `null` for one without read-only data. */
function programFixture(readOnly: Buffer | null = Buffer.concat([STRINGS, table([0n, 0n, 0n]), TAIL])): Buffer {
  const sections: SectionSpec[] = [{ name: ".text", type: SHT_PROGBITS, data: Buffer.alloc(16), addr: 0xe8n }];
  if (readOnly) sections.push({ name: ".rodata", type: SHT_PROGBITS, data: readOnly, addr: RODATA_ADDR });
  return buildElf(sections);
}

const refused = (object: Buffer, program: Buffer, code: string, message: string) =>
  expectNamedError(() => placeReadOnlyPointers(object, program), LinkError, code, message);

describe("tools: sbpf-link placing read-only pointers (fixtures)", () => {
  it("writes each pointer as MM_PROGRAM_START + .rodata's address + its target, and no other byte", () => {
    const program = programFixture();
    const placed = placeReadOnlyPointers(objectFixture(), program);
    const loaded = (offset: number) => MM_PROGRAM_START + RODATA_ADDR + BigInt(offset);
    // "hello" at 0, "world!" at 0 + 5, "ail" in the third section: 11 + 48 + 1.
    expect(placed.equals(programFixture(Buffer.concat([STRINGS, table([loaded(0), loaded(5), loaded(60)]), TAIL])))).to.equal(true);
    expect(program.equals(programFixture()), "the input is left as it was").to.equal(true);
  });

  it("adds a named symbol's value to the addend the object stores in place (REL)", () => {
    const placed = placeReadOnlyPointers(
      objectFixture({ tableRelocations: [{ offset: 16, symbol: symbol("world"), type: R_BPF_64_ABS64 }] }),
      programFixture(),
    );
    const viaSection = placeReadOnlyPointers(objectFixture({ tableRelocations: [{ offset: 16, symbol: symbol(""), type: R_BPF_64_ABS64 }] }), programFixture());
    // The table's addend there is 5, so the named symbol `world` (value 5) points 5 bytes further.
    const rodata = readElf(placed).sections.find((s) => s.name === ".rodata")!;
    expect(placed.readBigUInt64LE(rodata.offset + 11 + 16)).to.equal(MM_PROGRAM_START + RODATA_ADDR + 10n);
    expect(viaSection.readBigUInt64LE(rodata.offset + 11 + 16)).to.equal(MM_PROGRAM_START + RODATA_ADDR + 5n);
  });

  it("returns the program unchanged when no pointer lies in read-only data, .rodata or not", () => {
    expect(placeReadOnlyPointers(objectFixture({ tableRelocations: [] }), programFixture()).equals(programFixture())).to.equal(true);
    expect(placeReadOnlyPointers(objectFixture({ tableRelocations: [] }), programFixture(null)).equals(programFixture(null))).to.equal(true);
  });

  it("READ_ONLY_DATA_MISMATCH: the program's .rodata is missing or not the object's read-only sections end to end", () => {
    refused(
      objectFixture(),
      programFixture(null),
      "READ_ONLY_DATA_MISMATCH",
      `read-only data is 0 bytes in the program, expected ${READ_ONLY_SIZE}; cannot place its pointers`,
    );
    refused(
      objectFixture(),
      programFixture(Buffer.alloc(READ_ONLY_SIZE + 8)),
      "READ_ONLY_DATA_MISMATCH",
      `read-only data is ${READ_ONLY_SIZE + 8} bytes in the program, expected ${READ_ONLY_SIZE}; cannot place its pointers`,
    );
  });

  it("UNSUPPORTED_RELOCATION: anything but R_BPF_64_ABS64 in read-only data", () => {
    const tableRelocations = [TABLE_RELOCATIONS[0], { ...TABLE_RELOCATIONS[1], type: R_BPF_64_64 }];
    refused(objectFixture({ tableRelocations }), programFixture(), "UNSUPPORTED_RELOCATION", "unsupported relocation type 1 at .data.rel.ro+16");
  });

  it("RELA_IN_READ_ONLY_DATA: relocations with explicit addends, which an eBPF object does not carry", () => {
    refused(
      objectFixture({ relocationType: SHT_RELA }),
      programFixture(),
      "RELA_IN_READ_ONLY_DATA",
      ".rel.data.rel.ro: eBPF objects carry REL relocations; RELA is not supported",
    );
  });

  it("POINTER_OUTSIDE_READ_ONLY_DATA: a function pointer, a pointer to writable data, an undefined symbol", () => {
    const pointingTo = (name: string, inSection: number) =>
      objectFixture({ tableRelocations: [{ offset: 0, symbol: symbol(name, inSection), type: R_BPF_64_ABS64 }] });
    const only = "only pointers to read-only data are supported";
    refused(
      pointingTo("entrypoint", section(".text")),
      programFixture(),
      "POINTER_OUTSIDE_READ_ONLY_DATA",
      `.data.rel.ro+0 points into .text ('entrypoint'); ${only}`,
    );
    refused(
      pointingTo("counter", section(".data")),
      programFixture(),
      "POINTER_OUTSIDE_READ_ONLY_DATA",
      `.data.rel.ro+0 points into .data ('counter'); ${only}`,
    );
    refused(pointingTo("memcpy", 0), programFixture(), "POINTER_OUTSIDE_READ_ONLY_DATA", `.data.rel.ro+0 points into an undefined symbol ('memcpy'); ${only}`);
  });

  it("RELOCATION_OUTSIDE_SECTION and NO_SUCH_SYMBOL: entries that do not fit the object", () => {
    refused(
      objectFixture({ tableRelocations: [{ offset: 44, symbol: symbol("hello"), type: R_BPF_64_ABS64 }] }),
      programFixture(),
      "RELOCATION_OUTSIDE_SECTION",
      ".data.rel.ro+44 is past the end of the 48-byte section",
    );
    refused(
      objectFixture({ tableRelocations: [{ offset: 0, symbol: 99, type: R_BPF_64_ABS64 }] }),
      programFixture(),
      "NO_SUCH_SYMBOL",
      `.data.rel.ro+0 refers to symbol 99 of ${SYMBOLS.length + 1}`,
    );
  });

  it("ElfError naming the file: an object or program that is not an eBPF ELF, relocations without a symbol table", () => {
    const x86 = buildElf([], { machine: 62 });
    expectNamedError(() => placeReadOnlyPointers(x86, programFixture()), ElfError, "NOT_BPF", "the object: not an eBPF object (e_machine 62)");
    expectNamedError(
      () => placeReadOnlyPointers(objectFixture(), Buffer.from("#!/bin/sh\n")),
      ElfError,
      "TRUNCATED",
      "the program: the ELF header (bytes 0..64) lies outside the 10-byte file",
    );
    expectNamedError(
      () => placeReadOnlyPointers(objectFixture({ relocationLink: ".strtab" }), programFixture()),
      ElfError,
      "BAD_TABLE",
      `the symbol table of .rel.data.rel.ro is section ${section(".strtab")}, which is not of type 2`,
    );
  });
});

/*
 * End to end with the pinned sbpf-linker: an LLVM module (as rustc hands one over) with a
 * table of `&str` in read-only data, and one with a table of function pointers, which the
 * wrapper must refuse (a trait object's vtable is one).
 */
const LLVM_PRELUDE = `target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"
declare void @sol_log_data(ptr, i64)
`;
const STR_TABLE_MODULE = `${LLVM_PRELUDE}
@hello = private unnamed_addr constant [5 x i8] c"hello"
@world = private unnamed_addr constant [6 x i8] c"world!"
@table = internal constant [2 x { ptr, i64 }] [{ ptr, i64 } { ptr @hello, i64 5 }, { ptr, i64 } { ptr @world, i64 6 }]
define i64 @entrypoint(ptr %input) {
  call void @sol_log_data(ptr @table, i64 2)
  ret i64 0
}
`;
const FUNCTION_TABLE_MODULE = `${LLVM_PRELUDE}
@handlers = internal constant [1 x ptr] [ptr @handler]
define i64 @handler(ptr %input) noinline {
  ret i64 7
}
define i64 @entrypoint(ptr %input) {
  call void @sol_log_data(ptr @handlers, i64 1)
  ret i64 0
}
`;
const WRAPPER = join(__dirname, "..", "..", "scripts", "sbpf-link.cjs");

describe("tools: sbpf-link with the pinned sbpf-linker (end to end)", () => {
  const pins = toolchain();
  const linkerPath = `${join(pins.TOOLCHAIN_DIR, "bin")}:${process.env.PATH}`;
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), "sbpf-link-test-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** Assembles an LLVM module to bitcode with LLVM's own assembler. */
  function bitcode(name: string, module: string): string {
    writeFileSync(join(work, `${name}.ll`), module);
    const assembled = spawnSync(join(pins.LLVM_PREFIX, "bin", "llvm-as"), [join(work, `${name}.ll`), "-o", join(work, `${name}.bc`)], { encoding: "utf8" });
    expect(assembled.status, assembled.stderr).to.equal(0);
    return join(work, `${name}.bc`);
  }

  const wrapper = (args: string[], path = linkerPath) =>
    spawnSync(process.execPath, [WRAPPER, ...args], { encoding: "utf8", env: { ...process.env, PATH: path } });

  it("links a table of &str: each pointer addresses its string once loaded, where sbpf-linker alone leaves the bare addend", () => {
    const input = bitcode("str-table", STR_TABLE_MODULE);
    const output = join(work, "str_table.so");
    const linked = wrapper(["--export", "entrypoint,sol_log_data", "-o", output, input]);
    expect({ status: linked.status, stderr: linked.stderr }).to.deep.equal({ status: 0, stderr: "" });
    const program = readFileSync(output);
    const rodata = readElf(program).sections.find((s) => s.name === ".rodata")!;
    const bytes = program.subarray(rodata.offset, rodata.offset + rodata.size);
    const tableAt = bytes.indexOf("helloworld!") + 11;
    const stringAt = (slot: number) => {
      const pointer = bytes.readBigUInt64LE(tableAt + slot * 16);
      const length = Number(bytes.readBigUInt64LE(tableAt + slot * 16 + 8));
      const at = Number(pointer - MM_PROGRAM_START - rodata.addr);
      return bytes.toString("latin1", at, at + length);
    };
    expect([stringAt(0), stringAt(1)]).to.deep.equal(["hello", "world!"]);

    const raw = spawnSync("sbpf-linker", ["--export", "entrypoint,sol_log_data", "-o", join(work, "raw.o"), input, "--deploy=false"], {
      encoding: "utf8",
      env: { ...process.env, PATH: linkerPath },
    });
    expect(raw.status, raw.stderr).to.equal(0);
    // sbpf-linker's own program: the same bytes, but each pointer is only its offset into its section.
    const unplaced = readFileSync(join(work, "raw.so"));
    const slots = [rodata.offset + tableAt, rodata.offset + tableAt + 16];
    expect(slots.map((at) => unplaced.readBigUInt64LE(at))).to.deep.equal([0n, 5n]);
    for (const at of slots) unplaced.writeBigUInt64LE(program.readBigUInt64LE(at), at);
    expect(unplaced.equals(program)).to.equal(true);
  });

  it("fails the link of a table of function pointers, naming the pointer, and writes no program", () => {
    const output = join(work, "function_table.so");
    const linked = wrapper(["--export", "entrypoint,sol_log_data", "-o", output, bitcode("function-table", FUNCTION_TABLE_MODULE)]);
    expect({ status: linked.status, stderr: linked.stderr }).to.deep.equal({
      status: 1,
      stderr: "sbpf-link: .data.rel.ro+0 points into .text; only pointers to read-only data are supported\n",
    });
    expect(existsSync(output)).to.equal(false);
  });

  it("fails without -o, without sbpf-linker on PATH, and with sbpf-linker's status when it fails", () => {
    expect(wrapper(["input.bc"])).to.include({ status: 1, stderr: "sbpf-link: no -o <output> argument\n" });
    expect(wrapper(["-o", join(work, "x.so"), "input.bc"], "/nonexistent")).to.include({
      status: 1,
      stderr: "sbpf-link: cannot run sbpf-linker (spawnSync sbpf-linker ENOENT); run bash scripts/setup.sh\n",
    });
    const missingInput = wrapper(["-o", join(work, "missing.so"), join(work, "missing.bc")]);
    expect(missingInput.status).to.not.equal(0);
    expect(existsSync(join(work, "missing.so"))).to.equal(false);
  });
});
