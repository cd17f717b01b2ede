/**
 * The contract with every Anchor client, checked from the outside: discriminators are
 * sha256("<namespace>:<name>")[..8], errors are numbered from 6000 with the shared block
 * identical in every program, and account data is exactly 8 + the Borsh size of the IDL type.
 */
import type { Idl } from "@coral-xyz/anchor";
import { expect } from "chai";
import { createHash } from "node:crypto";
import {
  MEDIA_BANDWIDTH_IDL,
  MEDIA_BANDWIDTH_PROGRAM_ID,
  MEDIA_GOVERNANCE_IDL,
  MEDIA_GOVERNANCE_PROGRAM_ID,
  MEDIA_STAKING_IDL,
  MEDIA_STAKING_PROGRAM_ID,
  MEDIA_TREASURY_IDL,
  MEDIA_TREASURY_PROGRAM_ID,
} from "../sdk/src";
import { startBank } from "./utils/bank";
import { MEDIA, MIN_STAKE } from "./utils/constants";
import { newStaker, setUpStaking, stake } from "./utils/staking";

const IDLS: [string, Idl, string][] = [
  ["media_staking", MEDIA_STAKING_IDL as unknown as Idl, MEDIA_STAKING_PROGRAM_ID.toBase58()],
  ["media_bandwidth", MEDIA_BANDWIDTH_IDL as unknown as Idl, MEDIA_BANDWIDTH_PROGRAM_ID.toBase58()],
  ["media_treasury", MEDIA_TREASURY_IDL as unknown as Idl, MEDIA_TREASURY_PROGRAM_ID.toBase58()],
  ["media_governance", MEDIA_GOVERNANCE_IDL as unknown as Idl, MEDIA_GOVERNANCE_PROGRAM_ID.toBase58()],
];

const discriminator = (preimage: string) => [...createHash("sha256").update(preimage).digest().subarray(0, 8)];

/** Borsh size of a fixed-size IDL type. */
function borshSize(type: unknown, idl: Idl): number {
  const sizes: Record<string, number> = { u8: 1, bool: 1, u16: 2, u32: 4, u64: 8, i64: 8, u128: 16, pubkey: 32 };
  if (typeof type === "string") {
    if (!(type in sizes)) throw new Error(`variable-size type ${type} in an account`);
    return sizes[type];
  }
  const t = type as { array?: [unknown, number]; defined?: { name: string } };
  if (t.array) return borshSize(t.array[0], idl) * t.array[1];
  if (t.defined) return definedSize(t.defined.name, idl);
  throw new Error(`unsupported IDL type ${JSON.stringify(type)}`);
}

/** A struct's size, or one byte for an enum of unit variants (Borsh writes the index). */
function definedSize(name: string, idl: Idl): number {
  const def = idl.types?.find((t) => t.name === name);
  if (def?.type.kind === "enum" && def.type.variants.every((v) => !v.fields) && def.type.variants.length <= 256) return 1;
  return structSize(name, idl);
}

function structSize(name: string, idl: Idl): number {
  const def = idl.types?.find((t) => t.name === name);
  if (def?.type.kind !== "struct") throw new Error(`no struct ${name}`);
  return (def.type.fields as { type: unknown }[]).reduce((sum, field) => sum + borshSize(field.type, idl), 0);
}

describe("idl: Anchor's wire format in every program's IDL", () => {
  for (const [name, idl, programId] of IDLS) {
    describe(name, () => {
      it("is spec 0.1.0 at the program's id", () => {
        expect(idl.metadata.spec).to.equal("0.1.0");
        expect(idl.metadata.name).to.equal(name);
        expect(idl.address).to.equal(programId);
      });

      it("uses sha256 discriminators for instructions, accounts and events", () => {
        for (const ix of idl.instructions) expect(ix.discriminator, ix.name).to.deep.equal(discriminator(`global:${ix.name}`));
        for (const account of idl.accounts ?? []) expect(account.discriminator).to.deep.equal(discriminator(`account:${account.name}`));
        for (const event of idl.events ?? []) expect(event.discriminator).to.deep.equal(discriminator(`event:${event.name}`));
        const all = [...idl.instructions, ...(idl.accounts ?? []), ...(idl.events ?? [])].map((x) => x.discriminator.join());
        expect(new Set(all).size, "discriminators collide").to.equal(all.length);
      });

      it("numbers errors from 6000, each code and name once", () => {
        const errors = idl.errors ?? [];
        expect(errors[0]).to.include({ code: 6000, name: "InvalidInstructionData" });
        expect(new Set(errors.map((e) => e.code)).size).to.equal(errors.length);
        expect(new Set(errors.map((e) => e.name)).size).to.equal(errors.length);
        for (const error of errors) expect(error.msg, error.name).to.be.a("string").and.not.empty;
      });

      it("shares the common error block with media_staking", () => {
        const common = (idl.errors ?? []).filter((e) => e.code < 6100);
        const stakingCommon = (MEDIA_STAKING_IDL as unknown as Idl).errors?.filter((e) => e.code < 6100);
        expect(common).to.deep.equal(stakingCommon);
      });

      it("gives a type for every account and event", () => {
        for (const item of [...(idl.accounts ?? []), ...(idl.events ?? [])]) structSize(item.name, idl);
      });
    });
  }

  it("lays out staking accounts as exactly 8 + their Borsh size", async () => {
    const bank = await startBank();
    const world = await setUpStaking(bank);
    const staker = await newStaker(world, 100n * MEDIA);
    await stake(world, staker, MIN_STAKE);
    const idl = MEDIA_STAKING_IDL as unknown as Idl;
    for (const [type, address] of [
      ["StakingConfig", world.config],
      ["StakeAccount", staker.stakeAccount],
    ] as const) {
      const account = await bank.runtime.getAccount(address);
      expect(account?.data.length, type).to.equal(8 + structSize(type, idl));
      expect([...(account?.data.subarray(0, 8) ?? [])]).to.deep.equal(discriminator(`account:${type}`));
    }
  });
});
