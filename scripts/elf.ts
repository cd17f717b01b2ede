/**
 * Checks on a linked program: that it is an eBPF shared object, and that every symbol it
 * leaves undefined is a runtime syscall. An undefined helper (say `memcpy` or a 128-bit
 * builtin) would otherwise only show up as a load failure in the bank.
 */
import { readFileSync } from "node:fs";

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
const EM_BPF = 247;

/** Returns a list of problems (empty when the binary is fine). */
export function checkProgramElf(path: string): string[] {
  const elf = readFileSync(path);
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) return [`${path} is not a 64-bit little-endian ELF`];
  if (elf.readUInt16LE(18) !== EM_BPF) return [`${path} is not an eBPF object (e_machine ${elf.readUInt16LE(18)})`];
  const shoff = Number(elf.readBigUInt64LE(40));
  const shentsize = elf.readUInt16LE(58);
  const shnum = elf.readUInt16LE(60);
  const sections = Array.from({ length: shnum }, (_, i) => {
    const base = shoff + i * shentsize;
    return {
      type: elf.readUInt32LE(base + 4),
      offset: Number(elf.readBigUInt64LE(base + 24)),
      size: Number(elf.readBigUInt64LE(base + 32)),
      link: elf.readUInt32LE(base + 40),
    };
  });
  const SHT_DYNSYM = 11;
  const problems: string[] = [];
  for (const dynsym of sections.filter((s) => s.type === SHT_DYNSYM)) {
    const strtab = sections[dynsym.link];
    for (let at = dynsym.offset; at < dynsym.offset + dynsym.size; at += 24) {
      const nameOffset = elf.readUInt32LE(at);
      const sectionIndex = elf.readUInt16LE(at + 6);
      if (nameOffset === 0 || sectionIndex !== 0) continue;
      const start = strtab.offset + nameOffset;
      const name = elf.toString("latin1", start, elf.indexOf(0, start));
      if (!SYSCALLS.has(name)) problems.push(`${path} leaves '${name}' undefined: it is not a runtime syscall`);
    }
  }
  return problems;
}
