//! The admin component every program's config shares: the config authority, the pause
//! authority and the pause switch, with one set of processors (`set_authority`,
//! `set_pause_authority`, `set_paused`), their arguments, their IDL description
//! ([`crate::admin_instructions!`]) and one family of events for all four programs: the full
//! [`ConfigUpdated`] when a config is created, then one slim event per setter carrying only
//! what it changed ([`AuthoritySet`], [`PauseAuthoritySet`], [`PauseSet`]). A setter's event
//! costs 100 CU plus 100 per field plus one per byte: the three roles and the whole pause state
//! (96 bytes) on every setter was ~56-80 CU of log and ~40 CU of copy that told an indexer
//! nothing it did not already hold from the config's creation and the setters before.
//!
//! The role setters and `set_paused` stay open while the program is paused: handing a role over
//! (a rogue pause key replaced) or lifting the pause is what ends one. A program's parameter
//! setters load their config through [`config_for_authority`] and refuse while paused.
use crate::checks;
use crate::error::{err, CommonError};
use crate::event::Event;
use crate::ix::Context;
use crate::pause::{PauseChange, PauseState};
use crate::pod::{PodBool, PodI64};
use crate::state::{create, load_mut, AccountState, NewPda};
use crate::{borsh_struct, event, sysvar, upgrade};
use pinocchio::account::RefMut;
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

/// A config with the admin component: its two roles and its pause switch, borrowed together.
/// Implemented by [`crate::admin_config!`].
pub trait AdminConfig: AccountState {
    fn admin(&mut self) -> Admin<'_>;
}

/// A config's admin fields.
pub struct Admin<'a> {
    /// Changes parameters and roles; the governance PDA after hand-over.
    pub authority: &'a mut Address,
    /// May pause at once (never renew or unpause; see `crate::pause`).
    pub pause_authority: &'a mut Address,
    pub pause: &'a mut PauseState,
}

impl Admin<'_> {
    /// Emits [`ConfigUpdated`] with these fields (when the config is created).
    #[inline(always)]
    pub fn emit_updated(&self) {
        ConfigUpdated {
            authority: *self.authority,
            pause_authority: *self.pause_authority,
            pause: *self.pause,
        }
        .emit();
    }
}

/// Implements [`AdminConfig`] for a config type with `authority`, `pause_authority` and `pause`.
#[macro_export]
macro_rules! admin_config {
    ($config:ty) => {
        impl $crate::admin::AdminConfig for $config {
            #[inline(always)]
            fn admin(&mut self) -> $crate::admin::Admin<'_> {
                $crate::admin::Admin {
                    authority: &mut self.authority,
                    pause_authority: &mut self.pause_authority,
                    pause: &mut self.pause,
                }
            }
        }
    };
}

borsh_struct! {
    /// A new holder of a role (authority, pause authority).
    pub struct SetAddressArgs {
        pub new_address: Address,
    }
}

borsh_struct! {
    /// The pause switch.
    pub struct SetPausedArgs {
        pub paused: PodBool,
    }
}

event! {
    /// A config's admin component was created: its authority, pause authority and pause
    /// switch. Each setter then emits only what it changed ([`AuthoritySet`],
    /// [`PauseAuthoritySet`], [`PauseSet`]). The same events in every program.
    pub struct ConfigUpdated {
        pub authority: Address,
        pub pause_authority: Address,
        pub pause: PauseState,
    }
}

event! {
    /// `set_authority`: the config authority is now the instruction's `new_address`.
    pub struct AuthoritySet {
    }
}

event! {
    /// `set_pause_authority`: the pause authority is now the instruction's `new_address`.
    pub struct PauseAuthoritySet {
    }
}

event! {
    /// `set_paused`: the program is paused while the clock is before `paused_until` (the
    /// block time for an unpause). Whether this started a new pause is what the previous
    /// `paused_until` says: a pause set while none ran starts at the block time.
    pub struct PauseSet {
        pub paused_until: PodI64,
    }
}

/// Emits [`ConfigUpdated`] for `config` as it is now.
#[inline(always)]
pub fn emit_config_updated<C: AdminConfig>(config: &mut C) {
    config.admin().emit_updated();
}

/// What every program's `initialize_config` starts with. Its `N` accounts start with the
/// authority (`[writable, signer]`: pays, and becomes authority and pause authority) and the
/// config (`[writable]`: the config PDA of `seeds`) and end with the System program and the
/// program's ProgramData, whose upgrade authority the authority must be: only it may create
/// the config. After those checks, `check` runs the program's own checks of the accounts and
/// arguments that must refuse a forged account by its name even when the config exists; then
/// the config is created at its canonical PDA. Returns the accounts, the config (roles set,
/// the rest for the program to fill in) and its bump.
#[inline(always)]
pub fn initialize<'a, C: AdminConfig, const N: usize>(
    ctx: &Context<'a>,
    seeds: &[&[u8]],
    check: impl FnOnce(&'a [AccountView; N]) -> ProgramResult,
) -> Result<(&'a [AccountView; N], RefMut<'a, C>, u8), ProgramError> {
    let accounts = ctx.accounts::<N>()?;
    let ([authority, config, ..], [.., system_program, program_data]) =
        (accounts.as_slice(), accounts.as_slice())
    else {
        return err(CommonError::NotEnoughAccounts);
    };
    checks::writable_signer(authority)?;
    upgrade::require_upgrade_authority(program_data, authority.address(), ctx.program_id)?;
    checks::writable(config)?;
    checks::system_program(system_program)?;
    check(accounts)?;
    let (mut state, bump) = create::<C>(&NewPda {
        payer: authority,
        account: config,
        seeds,
        program_id: ctx.program_id,
    })?;
    let admin = state.admin();
    *admin.authority = *authority.address();
    *admin.pause_authority = *authority.address();
    Ok((accounts, state, bump))
}

/// Requires a bounded parameter to lie within `[low, high]`.
#[inline(always)]
pub fn within<T: PartialOrd>(value: T, (low, high): (T, T)) -> Result<(), ProgramError> {
    if value < low || value > high {
        return err(CommonError::ParameterOutOfBounds);
    }
    Ok(())
}

/// What every authority-only instruction starts with: unpack `[authority, config]`, check the
/// authority's signature, load the config for a change and require the signer to be its
/// authority. Paused or not: a parameter setter adds `pause.require_unpaused()`.
///
/// Accounts:
/// 0. `[signer]` authority
/// 1. `[writable]` config
#[inline(never)]
pub fn config_for_authority<'a, C: AdminConfig>(
    ctx: &Context<'a>,
) -> Result<RefMut<'a, C>, ProgramError> {
    config_for_authority_inline(ctx)
}

/// [`config_for_authority`] inlined into its caller: no call, and the config handed over in
/// registers rather than through the stack (set_emission_schedule 672 -> 649 CU, +296 B).
/// For a setter whose budget needs it; the others share the out-of-line copy.
#[inline(always)]
pub fn config_for_authority_inline<'a, C: AdminConfig>(
    ctx: &Context<'a>,
) -> Result<RefMut<'a, C>, ProgramError> {
    let (authority, mut config) = config_for_signer::<C>(ctx)?;
    checks::address_is(
        authority.address(),
        config.admin().authority,
        CommonError::Unauthorized,
    )?;
    Ok(config)
}

/// Unpacks `[signer, config]`, checks the signature and loads the config for a change.
/// Inlined into its two callers: as a third call level it cost its own result round trip
/// through the stack (set_authority 449 -> 437 CU).
#[inline(always)]
fn config_for_signer<'a, C: AdminConfig>(
    ctx: &Context<'a>,
) -> Result<(&'a pinocchio::AccountView, RefMut<'a, C>), ProgramError> {
    let [signer, config] = ctx.accounts()?;
    checks::signer(signer)?;
    Ok((signer, load_mut::<C>(config, ctx.program_id)?))
}

/// A role [`set_role`] hands over.
#[derive(Clone, Copy)]
pub enum Role {
    Authority,
    PauseAuthority,
}

/// `set_authority(new_address)` and `set_pause_authority(new_address)`: the authority hands
/// `role` over. Open while paused.
///
/// Accounts: see [`config_for_authority`].
#[inline(never)]
pub fn set_role<C: AdminConfig>(ctx: &Context, role: Role) -> ProgramResult {
    let new_address = ctx.args::<SetAddressArgs>()?.new_address;
    let mut config = config_for_authority::<C>(ctx)?;
    let admin = config.admin();
    match role {
        Role::Authority => {
            *admin.authority = new_address;
            AuthoritySet {}.emit();
        }
        Role::PauseAuthority => {
            *admin.pause_authority = new_address;
            PauseAuthoritySet {}.emit();
        }
    }
    Ok(())
}

/// `set_paused(paused)`: the pause switch, at the cluster's current time (rules in
/// [`PauseState::set`]). The pause authority pauses at once, for at most `MAX_PAUSE_DURATION`
/// and not again right after; the authority pauses, renews and unpauses.
///
/// Accounts:
/// 0. `[signer]` signer: pause authority or authority
/// 1. `[writable]` config
/// 2. `[]` clock: the Clock sysvar
#[inline(never)]
pub fn set_paused<C: AdminConfig>(ctx: &Context) -> ProgramResult {
    let pause = ctx.args::<SetPausedArgs>()?.paused.get();
    let [_, _, clock] = ctx.accounts()?;
    let (signer, mut config) = config_for_signer::<C>(ctx)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let admin = config.admin();
    let paused_until = admin.pause.set(&PauseChange {
        authority: admin.authority,
        pause_authority: admin.pause_authority,
        signer: signer.address(),
        pause,
        now,
    })?;
    PauseSet {
        paused_until: paused_until.into(),
    }
    .emit();
    Ok(())
}

/// Declares the admin family's instructions in a program's interface (`set_authority`,
/// `set_pause_authority`, `set_paused`: one module each, as [`crate::instruction_def!`]
/// declares them), given the program's config account as its IDL describes it.
#[macro_export]
macro_rules! admin_instructions {
    ($config:expr) => {
        $crate::instruction_def! {
            /// Hands the config authority to a new address (governance's PDA at genesis).
            /// Open while paused.
            set_authority($crate::admin::SetAddressArgs) [$crate::idl::IdlAccountDef::authority(), $config]
        }

        $crate::instruction_def! {
            /// Sets the emergency key that may pause (never renew or unpause). Open while paused,
            /// so a rogue pause key can be replaced.
            set_pause_authority($crate::admin::SetAddressArgs) [$crate::idl::IdlAccountDef::authority(), $config]
        }

        $crate::instruction_def! {
            /// Pauses (pause authority or authority) or unpauses (authority only); a pause lapses
            /// on its own after `MAX_PAUSE_DURATION` unless the authority renews it.
            set_paused($crate::admin::SetPausedArgs) [
                $crate::idl::IdlAccountDef::new("signer", "The pause authority (pause only) or the config authority").signer(),
                $config,
                $crate::idl::IdlAccountDef::clock_sysvar(),
            ]
        }
    };
}
