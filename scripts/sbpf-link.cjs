#!/usr/bin/env node
/*
 * The linker rustc calls for bpfel-unknown-none (see .cargo/config.toml): runs the pinned
 * sbpf-linker, then applies the relocations it leaves out.
 *
 * sbpf-linker 0.1.9 relinks the LLVM object into SBPF v0 and resolves relocations inside
 * code (lddw, calls) but not pointers stored in read-only data: a `&[&[u8]]` of seeds, a
 * table of `&str`, a panic `Location`. Those stay 0 and fault at run time. Its layout of
 * read-only data is simple (every .rodata* / .data.rel.ro* section of the object, in
 * section order, concatenated into the output's .rodata), so each such pointer can be
 * written here as the absolute address the SBPF v0 loader maps it at:
 * MM_PROGRAM_START + .rodata's address + the target's offset. Any case outside those
 * assumptions fails the link with an explanation rather than producing a broken program.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { basename, join } = require("node:path");

const MM_PROGRAM_START = 0x1_0000_0000n;
const SHT_SYMTAB = 2;
const SHT_REL = 9;
const R_BPF_64_ABS64 = 2;

function fail(message) {
  process.stderr.write(`sbpf-link: ${message}\n`);
  process.exit(1);
}

function readElf(buffer) {
  const shoff = Number(buffer.readBigUInt64LE(40));
  const shentsize = buffer.readUInt16LE(58);
  const shnum = buffer.readUInt16LE(60);
  const shstrndx = buffer.readUInt16LE(62);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    sections.push({
      index: i,
      nameOffset: buffer.readUInt32LE(at),
      type: buffer.readUInt32LE(at + 4),
      addr: buffer.readBigUInt64LE(at + 16),
      offset: Number(buffer.readBigUInt64LE(at + 24)),
      size: Number(buffer.readBigUInt64LE(at + 32)),
      link: buffer.readUInt32LE(at + 40),
      info: buffer.readUInt32LE(at + 44),
    });
  }
  const names = sections[shstrndx];
  for (const section of sections) {
    const start = names.offset + section.nameOffset;
    section.name = buffer.toString("latin1", start, buffer.indexOf(0, start));
  }
  return sections;
}

const args = process.argv.slice(2);
const outIndex = args.indexOf("-o");
if (outIndex < 0 || outIndex + 1 >= args.length) fail("no -o <output> argument");
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
  if (linked.error) fail(`cannot run sbpf-linker (${linked.error.message}); run bash scripts/setup.sh`);
  if (linked.status !== 0) process.exit(linked.status ?? 1);

  const object = readFileSync(objectPath);
  const program = readFileSync(join(work, `${stem}.so`));
  const objectSections = readElf(object);
  const isReadOnlyData = (s) => s.name.startsWith(".rodata") || s.name.startsWith(".data.rel.ro");
  const readOnly = objectSections.filter(isReadOnlyData).sort((a, b) => a.index - b.index);
  const base = new Map();
  let total = 0;
  for (const section of readOnly) {
    base.set(section.index, total);
    total += section.size;
  }
  const rodata = readElf(program).find((s) => s.name === ".rodata");
  const relocations = objectSections.filter((s) => s.type === SHT_REL && base.has(s.info));
  if (relocations.length > 0) {
    if (!rodata || rodata.size !== total) {
      fail(`read-only data is ${rodata ? rodata.size : 0} bytes in ${stem}.so, expected ${total}; cannot place its pointers`);
    }
    const symtab = objectSections.find((s) => s.type === SHT_SYMTAB);
    for (const rel of relocations) {
      const source = objectSections[rel.info];
      for (let at = rel.offset; at < rel.offset + rel.size; at += 16) {
        const offset = Number(object.readBigUInt64LE(at));
        const info = object.readBigUInt64LE(at + 8);
        const type = Number(info & 0xffffffffn);
        const symbolIndex = Number(info >> 32n);
        const symbolAt = symtab.offset + symbolIndex * 24;
        const symbolSection = object.readUInt16LE(symbolAt + 6);
        const symbolValue = object.readBigUInt64LE(symbolAt + 8);
        if (type !== R_BPF_64_ABS64) fail(`unsupported relocation type ${type} in ${source.name}`);
        if (!base.has(symbolSection)) {
          const target = objectSections[symbolSection];
          fail(`${source.name}+${offset} points into ${target ? target.name : "an undefined symbol"}; only pointers to read-only data are supported`);
        }
        const addend = object.readBigUInt64LE(source.offset + offset);
        const target = BigInt(base.get(symbolSection)) + symbolValue + addend;
        program.writeBigUInt64LE(MM_PROGRAM_START + rodata.addr + target, rodata.offset + base.get(source.index) + offset);
      }
    }
  }
  writeFileSync(output, program);
} finally {
  rmSync(work, { recursive: true, force: true });
}
