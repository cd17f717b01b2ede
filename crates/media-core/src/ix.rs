//! Instruction data and the program entrypoint.
use crate::discriminator::DISCRIMINATOR_LEN;
use crate::error::{err, CommonError};
use crate::pod::{from_bytes, Transmutable};
use pinocchio::error::ProgramError;

crate::borsh_struct! {
    /// An amount of tokens in base units: the argument of every instruction that moves one.
    pub struct AmountArgs {
        pub amount: crate::pod::PodU64,
    }
}

/// Splits instruction data into its discriminator and argument bytes.
#[inline(always)]
pub fn split_discriminator(data: &[u8]) -> Result<(u64, &[u8]), ProgramError> {
    match data.split_first_chunk::<DISCRIMINATOR_LEN>() {
        Some((disc, args)) => Ok((u64::from_le_bytes(*disc), args)),
        None => err(CommonError::InvalidInstructionData),
    }
}

/// Reads arguments of exactly `size_of::<T>()` bytes: truncated or oversized data fails.
#[inline(always)]
pub fn parse_args<T: Transmutable>(args: &[u8]) -> Result<&T, ProgramError> {
    match from_bytes::<T>(args) {
        Some(args) => Ok(args),
        None => err(CommonError::InvalidInstructionData),
    }
}

/// Requires empty argument bytes (for instructions without arguments).
#[inline(always)]
pub fn no_args(args: &[u8]) -> Result<(), ProgramError> {
    if args.is_empty() {
        Ok(())
    } else {
        err(CommonError::InvalidInstructionData)
    }
}

/// `NotEnoughAccounts`, out of line and not generic: one copy whatever the account count.
#[cold]
#[inline(never)]
fn not_enough_accounts() -> ProgramError {
    CommonError::NotEnoughAccounts.into()
}

/// What an instruction processor receives: the program id, the accounts, and the
/// argument bytes that follow the 8-byte discriminator.
///
/// Passed by reference because upstream LLVM's BPF backend takes at most five register
/// arguments, and three slices plus the hidden result pointer would be six.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub program_id: &'a pinocchio::Address,
    pub accounts: &'a [pinocchio::AccountView],
    pub args: &'a [u8],
}

impl<'a> Context<'a> {
    /// The instruction's first `N` accounts, in the order its interface lists them
    /// (`let [owner, config, ..] = ctx.accounts()?`; `N` is the pattern's length). Fails with
    /// `NotEnoughAccounts` if fewer were passed; accounts past `N` are ignored.
    #[inline(always)]
    pub fn accounts<const N: usize>(
        &self,
    ) -> Result<&'a [pinocchio::AccountView; N], ProgramError> {
        match self.accounts.first_chunk::<N>() {
            Some(accounts) => Ok(accounts),
            None => Err(not_enough_accounts()),
        }
    }

    /// The instruction's arguments as `T` (see [`parse_args`]).
    #[inline(always)]
    pub fn args<T: Transmutable>(&self) -> Result<&'a T, ProgramError> {
        parse_args(self.args)
    }

    /// What every instruction that moves an [`AmountArgs`] amount of tokens signed by `signer`
    /// starts with: the amount, the signature, the SPL Token program, and an amount of zero
    /// refused with the program's own `zero` error.
    #[inline(always)]
    pub fn signed_amount(
        &self,
        signer: &pinocchio::AccountView,
        token_program: &pinocchio::AccountView,
        zero: ProgramError,
    ) -> Result<u64, ProgramError> {
        let amount = self.args::<AmountArgs>()?.amount.get();
        crate::checks::signer(signer)?;
        crate::token::check_program(token_program)?;
        if amount == 0 {
            return Err(zero);
        }
        Ok(amount)
    }

    /// Requires the instruction to carry no arguments (see [`no_args`]).
    #[inline(always)]
    pub fn no_args(&self) -> Result<(), ProgramError> {
        no_args(self.args)
    }
}

/// Declares `pub fn dispatch(discriminator: u64, ctx: Context) -> ProgramResult`, which
/// routes each listed instruction to `$processors::<name>::process` by the discriminator its
/// interface module `$interface::<name>` declares, and the admin family (declared in the
/// interface by [`crate::admin_instructions!`]) to the shared processors of
/// [`crate::admin`] for the config type `$config`.
#[macro_export]
macro_rules! dispatch {
    ($interface:ident, $processors:ident, $config:ty, [$($name:ident),* $(,)?]) => {
        /// Routes an instruction by its 8-byte Anchor discriminator.
        ///
        /// Inlined into the entrypoint, and the `Context` taken by value, each route lending
        /// its own copy (`&{ ctx }`): a processor that is inlined reads the fields from
        /// registers, and only a route to a processor that is not writes them to the stack.
        #[inline(always)]
        pub fn dispatch(discriminator: u64, ctx: $crate::ix::Context) -> $crate::ProgramResult {
            use $crate::admin::{set_paused, set_role, Role};
            match discriminator {
                $($interface::$name::DISCRIMINATOR_U64 => $processors::$name::process(&{ ctx }),)*
                $interface::set_authority::DISCRIMINATOR_U64 => {
                    set_role::<$config>(&{ ctx }, Role::Authority)
                }
                $interface::set_pause_authority::DISCRIMINATOR_U64 => {
                    set_role::<$config>(&{ ctx }, Role::PauseAuthority)
                }
                $interface::set_paused::DISCRIMINATOR_U64 => set_paused::<$config>(&{ ctx }),
                _ => $crate::error::err($crate::error::CommonError::UnknownInstruction),
            }
        }
    };
}

/// The input past the account at `cursor`: past its data and realloc room, padded to 8 bytes,
/// and its rent epoch (counted in `FIXED`).
///
/// # Safety
/// `account` is `cursor`, a (non-duplicate) account of the runtime's serialized input.
#[inline(always)]
unsafe fn past_account(
    cursor: *mut u8,
    account: *const pinocchio::account::RuntimeAccount,
) -> *mut u8 {
    use pinocchio::account::{RuntimeAccount, MAX_PERMITTED_DATA_INCREASE};
    /// Each account without its data: the header, the realloc room and the rent epoch.
    const FIXED: usize = core::mem::size_of::<RuntimeAccount>() + MAX_PERMITTED_DATA_INCREASE + 8;
    // SAFETY: the caller's contract; far from wrapping: addresses inside the input region.
    unsafe {
        cursor
            .add(FIXED.wrapping_add((*account).data_len as usize))
            .map_addr(|address| address.wrapping_add(7) & !7)
    }
}

/// Reads the runtime's serialized input: the accounts (views of the first `accounts.len()`
/// written into `accounts`, the rest skipped), the instruction data and the program id.
/// Returns `(program_id, accounts written, data)`.
///
/// One loop over the accounts kept (nine instructions per account), one over the rest.
/// pinocchio's `deserialize` unrolls the same walk five accounts at a time with a copy per
/// remainder (about 2.8 KB per program) to save a jump or two per account.
///
/// # Safety
/// `input` must be the runtime's serialized program input (SBPF v0 aligned layout), alive for
/// the whole instruction.
#[inline(always)]
pub unsafe fn deserialize(
    input: *mut u8,
    accounts: &mut [core::mem::MaybeUninit<pinocchio::AccountView>],
) -> (&'static pinocchio::Address, usize, &'static [u8]) {
    use pinocchio::account::{RuntimeAccount, NOT_BORROWED};
    use pinocchio::AccountView;
    // SAFETY (whole body): every read follows the loader's layout: `u64` account count; per
    // account either a duplicate marker (the index of an earlier account) padded to 8 bytes, or
    // the account (header, data, realloc room, padding to 8, rent epoch); then the `u64` data
    // length, the data and the program id.
    unsafe {
        let total = *(input as *const u64) as usize;
        let mut cursor = input.add(8);
        let views = accounts.as_mut_ptr() as *mut AccountView;
        let kept = total.min(accounts.len());
        // The accounts the program keeps views of, bounded by the view pointer (no index to
        // count and compare with `kept`); then the rest, skipped.
        let end = views.add(kept);
        let mut view = views;
        while view < end {
            let account = cursor as *mut RuntimeAccount;
            let marker = (*account).borrow_state;
            if marker == NOT_BORROWED {
                // Volatile only to keep this store before the cursor moves: LLVM otherwise
                // sinks it below the cursor update and copies the cursor register to store
                // the old value, two instructions more per account. (The view is the account
                // pointer: `transmute` checks the sizes.)
                let kept_view: *mut RuntimeAccount =
                    core::mem::transmute(AccountView::new_unchecked(account));
                (view as *mut *mut RuntimeAccount).write_volatile(kept_view);
                cursor = past_account(cursor, account);
            } else {
                // A duplicate names an earlier account, written above.
                view.write(*views.add(marker as usize));
                cursor = cursor.add(8);
            }
            view = view.add(1);
        }
        for _ in kept..total {
            let account = cursor as *mut RuntimeAccount;
            cursor = if (*account).borrow_state == NOT_BORROWED {
                past_account(cursor, account)
            } else {
                cursor.add(8)
            };
        }
        let data_len = *(cursor as *const u64) as usize;
        let data = core::slice::from_raw_parts(cursor.add(8), data_len);
        let program_id = &*(cursor.add(data_len.wrapping_add(8)) as *const pinocchio::Address);
        (program_id, kept, data)
    }
}

/// Declares the program entrypoint: no heap, `no_std` panics, dispatch of the 8-byte
/// discriminator to `$dispatch(discriminator: u64, ctx: Context) -> ProgramResult`. A failure
/// returns its custom code and logs nothing: clients name the code from the IDL.
///
/// `$max_accounts` is the most accounts any instruction of the program reads (the views are
/// on the stack): the interface's `instruction::MAX_ACCOUNTS`, derived from its account lists,
/// unless an instruction reads more than it lists. Accounts past it are ignored.
#[macro_export]
macro_rules! program_entrypoint {
    ($dispatch:path, $max_accounts:expr) => {
        /// The program's entrypoint, called by the SBPF loader.
        ///
        /// # Safety
        /// `input` must be the runtime's serialized program input, alive for the whole call.
        #[no_mangle]
        pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
            const UNINIT: core::mem::MaybeUninit<$crate::AccountView> =
                core::mem::MaybeUninit::uninit();
            let mut accounts = [UNINIT; $max_accounts];
            // SAFETY: the loader hands us its serialized input; `deserialize` initializes the
            // first `count` views of `accounts`.
            let (program_id, count, data) =
                unsafe { $crate::ix::deserialize(input, &mut accounts) };
            // SAFETY: the first `count` views were initialized just above.
            let accounts = unsafe {
                core::slice::from_raw_parts(accounts.as_ptr() as *const $crate::AccountView, count)
            };
            let result = match $crate::ix::split_discriminator(data) {
                Ok((discriminator, args)) => $dispatch(
                    discriminator,
                    $crate::ix::Context {
                        program_id,
                        accounts,
                        args,
                    },
                ),
                Err(error) => Err(error),
            };
            match result {
                Ok(()) => pinocchio::SUCCESS,
                Err(error) => error.into(),
            }
        }
        pinocchio::no_allocator!();
        pinocchio::nostd_panic_handler!();
    };
}
