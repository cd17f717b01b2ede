/**
 * Events read with the transaction that emitted them. The programs leave out of an event what
 * the instruction that emits it already shows (who signed, the amount asked for): logging a
 * field costs compute on every call, and the transaction carries it anyway. Decoding an event
 * together with its instruction gives it back, so `parseTransactionEvents` returns each event
 * whole, plus the instruction it came from.
 */
import { BorshCoder, utils } from "@coral-xyz/anchor";
import { type Message, PublicKey, type TransactionResponse, type VersionedMessage, type VersionedTransactionResponse } from "@solana/web3.js";
import { toBigints } from "./bigint";
import { MEDIA_IDLS, type MediaEventInContext, camelCaseName, camelKeys, pascalCaseName } from "./events";
import type { MediaProgramIds } from "./programs";

type ProgramName = keyof MediaProgramIds;

/** The admin family every program shares: a hand-over names the new key as its argument. */
const ADMIN = {
  set_authority: { AuthoritySet: { authority: "new_address" } },
  set_pause_authority: { PauseAuthoritySet: { pause_authority: "new_address" } },
} as const;

/**
 * The fields each event leaves to the instruction that emits it, by program, instruction and
 * event: each field and the account or argument of the instruction it stands for. Their values
 * are exactly the instruction's (the staker who signed, the escrow named, the amount asked
 * for), so logging them would repeat what the transaction already holds. Names as the IDLs
 * spell them.
 */
export const EVENT_FIELDS_FROM_INSTRUCTION: Readonly<
  Record<ProgramName, Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>>
> = Object.freeze({
  staking: {
    initialize_config: {
      ConfigInitialized: {
        authority: "authority",
        media_mint: "media_mint",
        vault: "vault",
        min_stake: "min_stake",
        unbonding_period: "unbonding_period",
        quota_bytes_per_media: "quota_bytes_per_media",
        reward_duration: "reward_duration",
      },
    },
    stake: { Staked: { owner: "owner", amount: "amount" } },
    request_unstake: { UnstakeRequested: { owner: "owner", amount: "amount" } },
    cancel_unstake: { UnstakeCancelled: { owner: "owner" } },
    withdraw: { Withdrawn: { owner: "owner" } },
    claim_rewards: { RewardsClaimed: { owner: "owner" } },
    initialize_rewards_pool: {
      RewardsPoolInitialized: {
        emission_vault: "emission_vault",
        fee_share_vault: "fee_share_vault",
        initial_rate: "initial_rate",
        halving_period: "halving_period",
        delegation_cap: "delegation_cap",
        commission_notice: "commission_notice",
      },
    },
    set_emission_schedule: { EmissionScheduleUpdated: { initial_rate: "initial_rate", halving_period: "halving_period" } },
    open_operator: { OperatorOpened: { operator: "operator", commission_bps: "commission_bps", fee_share_bps: "fee_share_bps" } },
    set_commission: {
      CommissionChangeScheduled: { operator: "operator", pending_commission_bps: "commission_bps", pending_fee_share_bps: "fee_share_bps" },
    },
    delegate: { Delegated: { owner: "owner" } },
    undelegate: { Undelegated: { owner: "owner" } },
    claim_delegation_rewards: { DelegationRewardsClaimed: { owner: "owner" } },
    claim_commission: { CommissionClaimed: { operator: "operator" } },
    ...ADMIN,
  },
  bandwidth: {
    register_provider: {
      ProviderRegistered: {
        provider: "provider",
        operator: "operator",
        media_price_per_gib: "media_price_per_gib",
        quote_price_per_gib: "quote_price_per_gib",
      },
    },
    update_provider: { ProviderUpdated: { provider: "provider" } },
    deactivate_provider: { ProviderUpdated: { provider: "provider" } },
    open_escrow: { EscrowOpened: { escrow: "escrow", consumer: "consumer", provider: "provider", mint: "mint" } },
    deposit: { EscrowFunded: { escrow: "escrow", amount: "amount" } },
    request_close: { EscrowCloseRequested: { escrow: "escrow" } },
    close_escrow: { EscrowClosed: { escrow: "escrow", consumer: "consumer" } },
    settle_receipt: { ReceiptSettled: { escrow: "escrow", provider: "provider" } },
    ...ADMIN,
  },
  treasury: {
    initialize_config: { ConfigInitialized: { media_mint: "media_mint", quote_mint: "quote_mint", media_vault: "media_vault", quote_vault: "quote_vault" } },
    spend: { Spent: { vault: "vault", destination: "destination", amount: "amount" } },
    ...ADMIN,
  },
  governance: {
    create_proposal: {
      ProposalCreated: {
        proposal: "proposal",
        id: "proposal_id",
        proposer: "proposer",
        instruction_count: "instruction_count",
        description_hash: "description_hash",
      },
    },
    add_instruction: { InstructionAdded: { proposal: "proposal", index: "index" }, VotingStarted: { proposal: "proposal" } },
    cast_vote: { VoteCast: { proposal: "proposal", stake_account: "stake_account", voter: "voter", side: "side" } },
    finalize: { ProposalFinalized: { proposal: "proposal" } },
    execute: { ProposalExecuted: { proposal: "proposal" } },
    cancel: { ProposalCancelled: { proposal: "proposal" } },
    ...ADMIN,
  },
});

/**
 * One program invocation of a transaction: a top-level instruction, or one a program made
 * (a cross-program invocation). `transactionInvocations` lists them in the order they ran.
 */
export interface Invocation {
  /** Base58. */
  programId: string;
  /** The instruction's accounts, base58, in order. */
  accounts: readonly string[];
  data: Uint8Array;
  /** One of the transaction's own instructions, not one a program made. */
  topLevel: boolean;
}

/** What `parseTransactionEvents` reads of a transaction: its logs and its invocations. */
export interface TransactionActivity {
  /** `meta.logMessages`. */
  logs: readonly string[];
  invocations: readonly Invocation[];
}

/** A MEDIA instruction as a transaction ran it, decoded with its program's IDL. */
export interface MediaInstruction {
  program: ProgramName;
  /** camelCase, as Anchor's `Program` names it (`requestUnstake`). */
  name: string;
  /** Each account by its IDL name (camelCase). */
  accounts: Record<string, PublicKey>;
  /** Each argument by its IDL name (camelCase); integers as bigint. */
  args: Record<string, unknown>;
}

/** An event decoded with its transaction: whole (see `EVENT_FIELDS_FROM_INSTRUCTION`), and the instruction that emitted it. */
export interface MediaTransactionEvent extends MediaEventInContext {
  /** The top-level instruction (0-based) during which it was logged. */
  instructionIndex: number;
  /** The instruction that logged it; absent when the transaction's record does not name it (a node that kept no inner instructions). */
  instruction?: MediaInstruction;
}

type ResponseMessage = Message | VersionedMessage;

/**
 * The invocations of a transaction as `getTransaction` returns it, in the order they ran: each
 * top-level instruction, then the ones it made. Without `meta.innerInstructions` (a node that
 * did not record them) only the top-level ones are listed.
 */
export function transactionInvocations(response: TransactionResponse | VersionedTransactionResponse): Invocation[] {
  const message = response.transaction.message as ResponseMessage;
  const keys = message.getAccountKeys({ accountKeysFromLookups: response.meta?.loadedAddresses ?? undefined });
  const key = (index: number) => {
    const found = keys.get(index);
    if (!found) throw new Error(`the transaction names account index ${index}, but lists only ${keys.length} accounts`);
    return found.toBase58();
  };
  const inner = new Map((response.meta?.innerInstructions ?? []).map((group) => [group.index, group.instructions]));
  return message.compiledInstructions.flatMap((instruction, index) => [
    { programId: key(instruction.programIdIndex), accounts: instruction.accountKeyIndexes.map(key), data: instruction.data, topLevel: true },
    ...(inner.get(index) ?? []).map((made) => ({
      programId: key(made.programIdIndex),
      accounts: made.accounts.map(key),
      data: utils.bytes.bs58.decode(made.data),
      topLevel: false,
    })),
  ]);
}

/** An event line a MEDIA program logged, with where it was logged. */
export interface LoggedMediaEvent {
  program: ProgramName;
  /** The `Program data:` payload, base64. */
  payload: string;
  /** The top-level instruction (0-based) during which it was logged. */
  instructionIndex: number;
  /** The invocation that logged it, when `invocations` name it. */
  invocation?: Invocation;
}

const INVOKE = /^Program (\S+) invoke \[(\d+)\]$/;
const EXIT = /^Program (\S+) (success|failed)/;
const DATA = "Program data: ";

/**
 * The `Program data:` lines the MEDIA programs at `programIds` logged in `logs`, in order, each
 * matched with the invocation that logged it. The runtime logs `invoke [n]` for every
 * invocation, in the order `invocations` lists them, except a precompile's (the Ed25519 check
 * before a receipt), which it runs without a log line: a top-level invoke line is matched with
 * the next top-level invocation of its program.
 */
export function* mediaEventLines(
  programIds: MediaProgramIds,
  activity: { logs: readonly string[]; invocations?: readonly Invocation[] },
): Generator<LoggedMediaEvent> {
  const programs = new Map((Object.keys(programIds) as ProgramName[]).map((program) => [programIds[program].toBase58(), program]));
  const invocations = activity.invocations ?? [];
  const stack: { programId: string; invocation?: Invocation }[] = [];
  let next = 0;
  // Top-level instructions before `next`: the index of the one a matched invoke line ran.
  let topLevelBefore = 0;
  let instructionIndex = -1;
  for (const line of activity.logs) {
    const invoke = INVOKE.exec(line);
    if (invoke) {
      const programId = invoke[1];
      let invocation: Invocation | undefined;
      if (invoke[2] === "1") {
        instructionIndex += 1;
        let at = next;
        let passed = topLevelBefore;
        while (at < invocations.length && !(invocations[at].topLevel && invocations[at].programId === programId)) {
          if (invocations[at].topLevel) passed += 1;
          at++;
        }
        if (at < invocations.length) {
          invocation = invocations[at];
          instructionIndex = passed;
          topLevelBefore = passed + 1;
          next = at + 1;
        }
      } else if (next < invocations.length && !invocations[next].topLevel && invocations[next].programId === programId) {
        invocation = invocations[next];
        next += 1;
      }
      stack.push({ programId, invocation });
      continue;
    }
    if (EXIT.test(line)) {
      stack.pop();
      continue;
    }
    if (!line.startsWith(DATA)) continue;
    const top = stack[stack.length - 1];
    const program = top && programs.get(top.programId);
    if (!program) continue;
    yield { program, payload: line.slice(DATA.length), instructionIndex: Math.max(instructionIndex, 0), invocation: top.invocation };
  }
}

const coders = new Map<ProgramName, BorshCoder>();

/** The Anchor coder of `program`'s IDL (made once). */
export function mediaCoder(program: ProgramName): BorshCoder {
  let coder = coders.get(program);
  if (!coder) {
    coder = new BorshCoder(MEDIA_IDLS[program]);
    coders.set(program, coder);
  }
  return coder;
}

/** An instruction decoded with its IDL, names as the IDL spells them (snake_case). */
export interface RawMediaInstruction {
  name: string;
  accounts: Record<string, PublicKey>;
  args: Record<string, unknown>;
}

/** `invocation` decoded as an instruction of `program`, or undefined when it is not one. */
export function decodeInvocation(program: ProgramName, invocation: Invocation): RawMediaInstruction | undefined {
  const decoded = mediaCoder(program).instruction.decode(Buffer.from(invocation.data));
  if (!decoded) return undefined;
  const definition = MEDIA_IDLS[program].instructions.find((instruction) => instruction.name === decoded.name);
  if (!definition) return undefined;
  const accounts: Record<string, PublicKey> = {};
  definition.accounts.forEach((account, index) => {
    if (index < invocation.accounts.length) accounts[account.name] = new PublicKey(invocation.accounts[index]);
  });
  return { name: decoded.name, accounts, args: decoded.data as Record<string, unknown> };
}

/**
 * A decoded event (`name` as the IDL spells it, `data` as Anchor's coder returns it) with the
 * fields it leaves to its instruction added from `instruction` (see
 * `EVENT_FIELDS_FROM_INSTRUCTION`). Unchanged when the instruction is unknown or not the one
 * that emits the event.
 */
export function completeEvent(
  program: ProgramName,
  name: string,
  data: Record<string, unknown>,
  instruction: RawMediaInstruction | undefined,
): Record<string, unknown> {
  if (!instruction) return data;
  // Anchor's coder names events as the IDL does (`Staked`); tolerate its camelCase twin.
  const fields = fieldsFromInstruction(program, instruction.name, pascalCaseName(name));
  if (!fields) return data;
  const added: Record<string, unknown> = {};
  for (const [field, source] of Object.entries(fields)) added[field] = source in instruction.accounts ? instruction.accounts[source] : instruction.args[source];
  return { ...added, ...data };
}

/** The fields `event` leaves to `instruction` of `program` (see `EVENT_FIELDS_FROM_INSTRUCTION`), if any. */
export function fieldsFromInstruction(program: ProgramName, instruction: string, event: string): Readonly<Record<string, string>> | undefined {
  return EVENT_FIELDS_FROM_INSTRUCTION[program][instruction]?.[event];
}

/** Whether some instruction of `program` leaves fields of `event` to it. */
export function leavesFieldsToInstruction(program: ProgramName, event: string): boolean {
  return Object.values(EVENT_FIELDS_FROM_INSTRUCTION[program]).some((events) => event in events);
}

/** `getTransaction`'s answer or its logs and invocations, as `parseTransactionEvents` takes them. */
export type TransactionSource = TransactionResponse | VersionedTransactionResponse | TransactionActivity;

/**
 * The events of the four programs (at `programIds`) in a transaction, in the order logged,
 * each whole (the fields it leaves to its instruction added back from the transaction) and with
 * the instruction that emitted it. `transaction` is `getTransaction`'s answer (ask with
 * `maxSupportedTransactionVersion: 0`), or its logs and invocations. Names and fields come out
 * camelCase, integers as bigint, as `parseMediaEvents` gives them.
 */
export function parseTransactionEvents(programIds: MediaProgramIds, transaction: TransactionSource): MediaTransactionEvent[] {
  const response = "logs" in transaction ? undefined : transaction;
  const activity: TransactionActivity = response
    ? { logs: response.meta?.logMessages ?? [], invocations: transactionInvocations(response) }
    : (transaction as TransactionActivity);
  const signature = response ? (response.transaction.signatures[0] ?? "") : "";
  const slot = response?.slot ?? 0;
  const events: MediaTransactionEvent[] = [];
  for (const line of mediaEventLines(programIds, activity)) {
    const decoded = mediaCoder(line.program).events.decode(line.payload);
    if (!decoded) continue;
    const instruction = line.invocation && decodeInvocation(line.program, line.invocation);
    const data = completeEvent(line.program, decoded.name, decoded.data as Record<string, unknown>, instruction);
    events.push({
      name: camelCaseName(decoded.name),
      data: toBigints(camelKeys(data)) as Record<string, unknown>,
      program: line.program,
      signature,
      slot,
      instructionIndex: line.instructionIndex,
      ...(instruction && {
        instruction: {
          program: line.program,
          name: camelCaseName(instruction.name),
          accounts: camelKeys(instruction.accounts) as Record<string, PublicKey>,
          args: toBigints(camelKeys(instruction.args)) as Record<string, unknown>,
        },
      }),
    });
  }
  return events;
}
