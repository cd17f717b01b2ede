/**
 * LiteSVM's transaction errors, converted to the JSON a validator's RPC returns
 * (`"BlockhashNotFound"`, `{"InstructionError":[0,{"Custom":6100}]}`) and to the text of its
 * preflight failure message ("Error processing Instruction 0: custom program error: 0x17d4").
 */
import type { FailedTransactionMetadata } from "litesvm";

/** A transaction error as the RPC serializes it. */
export type TransactionErrorJson = string | Record<string, unknown>;

// Names in the order of LiteSVM's `TransactionErrorFieldless` and `InstructionErrorFieldless`
// (const enums of its type declarations, so not readable at run time).
const TRANSACTION_ERRORS = [
  "AccountInUse",
  "AccountLoadedTwice",
  "AccountNotFound",
  "ProgramAccountNotFound",
  "InsufficientFundsForFee",
  "InvalidAccountForFee",
  "AlreadyProcessed",
  "BlockhashNotFound",
  "CallChainTooDeep",
  "MissingSignatureForFee",
  "InvalidAccountIndex",
  "SignatureFailure",
  "InvalidProgramForExecution",
  "SanitizeFailure",
  "ClusterMaintenance",
  "AccountBorrowOutstanding",
  "WouldExceedMaxBlockCostLimit",
  "UnsupportedVersion",
  "InvalidWritableAccount",
  "WouldExceedMaxAccountCostLimit",
  "WouldExceedAccountDataBlockLimit",
  "TooManyAccountLocks",
  "AddressLookupTableNotFound",
  "InvalidAddressLookupTableOwner",
  "InvalidAddressLookupTableData",
  "InvalidAddressLookupTableIndex",
  "InvalidRentPayingAccount",
  "WouldExceedMaxVoteCostLimit",
  "WouldExceedAccountDataTotalLimit",
  "MaxLoadedAccountsDataSizeExceeded",
  "ResanitizationNeeded",
  "InvalidLoadedAccountsDataSizeLimit",
  "UnbalancedTransaction",
  "ProgramCacheHitMaxLimit",
  "CommitCancelled",
] as const;

const INSTRUCTION_ERRORS = [
  "GenericError",
  "InvalidArgument",
  "InvalidInstructionData",
  "InvalidAccountData",
  "AccountDataTooSmall",
  "InsufficientFunds",
  "IncorrectProgramId",
  "MissingRequiredSignature",
  "AccountAlreadyInitialized",
  "UninitializedAccount",
  "UnbalancedInstruction",
  "ModifiedProgramId",
  "ExternalAccountLamportSpend",
  "ExternalAccountDataModified",
  "ReadonlyLamportChange",
  "ReadonlyDataModified",
  "DuplicateAccountIndex",
  "ExecutableModified",
  "RentEpochModified",
  "NotEnoughAccountKeys",
  "AccountDataSizeChanged",
  "AccountNotExecutable",
  "AccountBorrowFailed",
  "AccountBorrowOutstanding",
  "DuplicateAccountOutOfSync",
  "InvalidError",
  "ExecutableDataModified",
  "ExecutableLamportChange",
  "ExecutableAccountNotRentExempt",
  "UnsupportedProgramId",
  "CallDepth",
  "MissingAccount",
  "ReentrancyNotAllowed",
  "MaxSeedLengthExceeded",
  "InvalidSeeds",
  "InvalidRealloc",
  "ComputationalBudgetExceeded",
  "PrivilegeEscalation",
  "ProgramEnvironmentSetupFailure",
  "ProgramFailedToComplete",
  "ProgramFailedToCompile",
  "Immutable",
  "IncorrectAuthority",
  "AccountNotRentExempt",
  "InvalidAccountOwner",
  "ArithmeticOverflow",
  "UnsupportedSysvar",
  "IllegalOwner",
  "MaxAccountsDataAllocationsExceeded",
  "MaxAccountsExceeded",
  "MaxInstructionTraceLengthExceeded",
  "BuiltinProgramsMustConsumeComputeUnits",
  "BorshIoError",
] as const;

/** Converts LiteSVM's error object to the validator's JSON shape. */
export function transactionErrorJson(error: ReturnType<FailedTransactionMetadata["err"]>): TransactionErrorJson {
  if (typeof error === "number") return TRANSACTION_ERRORS[error] ?? `UnknownTransactionError(${error})`;
  const name = error.constructor.name;
  if (name === "TransactionErrorInstructionError") {
    const instructionError = error as { index: number; err(): unknown };
    return { InstructionError: [instructionError.index, instructionErrorJson(instructionError.err())] };
  }
  if (name === "TransactionErrorDuplicateInstruction") {
    return { DuplicateInstruction: (error as { index: number }).index };
  }
  if (name === "TransactionErrorInsufficientFundsForRent") {
    return { InsufficientFundsForRent: { account_index: (error as { accountIndex: number }).accountIndex } };
  }
  if (name === "TransactionErrorProgramExecutionTemporarilyRestricted") {
    return { ProgramExecutionTemporarilyRestricted: { account_index: (error as { accountIndex: number }).accountIndex } };
  }
  return String(error);
}

function instructionErrorJson(error: unknown): string | Record<string, unknown> {
  if (typeof error === "number") return INSTRUCTION_ERRORS[error] ?? `UnknownInstructionError(${error})`;
  const name = (error as object).constructor.name;
  if (name === "InstructionErrorCustom") return { Custom: (error as { code: number }).code };
  if (name.startsWith("InstructionErrorBorsh")) return { BorshIoError: (error as { msg: string }).msg };
  return String(error);
}

// The validator's wording (Display) of the errors a client is likely to meet.
const TRANSACTION_ERROR_TEXT: Record<string, string> = {
  AccountInUse: "Account in use",
  AccountLoadedTwice: "Account loaded twice",
  AccountNotFound: "Attempt to debit an account but found no record of a prior credit.",
  ProgramAccountNotFound: "Attempt to load a program that does not exist",
  InsufficientFundsForFee: "Insufficient funds for fee",
  InvalidAccountForFee: "This account may not be used to pay transaction fees",
  AlreadyProcessed: "This transaction has already been processed",
  BlockhashNotFound: "Blockhash not found",
  SignatureFailure: "Transaction did not pass signature verification",
  InvalidProgramForExecution: "This program may not be used for executing instructions",
  SanitizeFailure: "Transaction failed to sanitize accounts offsets correctly",
  UnsupportedVersion: "Transaction version is unsupported",
  InvalidWritableAccount: "Transaction loads a writable account that cannot be written",
  TooManyAccountLocks: "Transaction locked too many accounts",
  AddressLookupTableNotFound: "Transaction loads an address table account that doesn't exist",
  InvalidRentPayingAccount: "Transaction leaves an account with a lower balance than rent-exempt minimum",
};

const INSTRUCTION_ERROR_TEXT: Record<string, string> = {
  GenericError: "generic instruction error",
  InvalidArgument: "invalid program argument",
  InvalidInstructionData: "invalid instruction data",
  InvalidAccountData: "invalid account data for instruction",
  AccountDataTooSmall: "account data too small for instruction",
  InsufficientFunds: "insufficient funds for instruction",
  IncorrectProgramId: "incorrect program id for instruction",
  MissingRequiredSignature: "missing required signature for instruction",
  AccountAlreadyInitialized: "instruction requires an uninitialized account",
  UninitializedAccount: "instruction requires an initialized account",
  UnbalancedInstruction: "sum of account balances before and after instruction do not match",
  NotEnoughAccountKeys: "insufficient account keys for instruction",
  AccountNotExecutable: "instruction expected an executable account",
  ComputationalBudgetExceeded: "Computational budget exceeded",
  PrivilegeEscalation: "Cross-program invocation with unauthorized signer or writable account",
  ProgramFailedToComplete: "Program failed to complete",
  InvalidAccountOwner: "Invalid account owner",
  ArithmeticOverflow: "Program arithmetic overflowed",
  IncorrectAuthority: "Incorrect authority provided",
  Immutable: "Account is immutable",
  InvalidSeeds: "Provided seeds do not result in a valid address",
  MissingAccount: "An account required by the instruction is missing",
  ReadonlyDataModified: "instruction modified data of a read-only account",
  ReadonlyLamportChange: "instruction changed the balance of a read-only account",
  ExternalAccountDataModified: "instruction modified data of an account it does not own",
  ExternalAccountLamportSpend: "instruction spent from the balance of an account it does not own",
};

/** The validator's wording of a transaction error, as in "Transaction simulation failed: <text>". */
export function transactionErrorText(error: TransactionErrorJson): string {
  if (typeof error === "string") return TRANSACTION_ERROR_TEXT[error] ?? error;
  if ("InstructionError" in error) {
    const [index, inner] = error.InstructionError as [number, string | Record<string, unknown>];
    let text: string;
    if (typeof inner === "string") text = INSTRUCTION_ERROR_TEXT[inner] ?? inner;
    else if ("Custom" in inner) text = `custom program error: 0x${(inner.Custom as number).toString(16)}`;
    else text = JSON.stringify(inner);
    return `Error processing Instruction ${index}: ${text}`;
  }
  if ("DuplicateInstruction" in error) {
    return `Transaction contains a duplicate instruction (${error.DuplicateInstruction}) that is not allowed`;
  }
  if ("InsufficientFundsForRent" in error) {
    const { account_index } = error.InsufficientFundsForRent as { account_index: number };
    return `Transaction results in an account (${account_index}) with insufficient funds for rent`;
  }
  return JSON.stringify(error);
}
