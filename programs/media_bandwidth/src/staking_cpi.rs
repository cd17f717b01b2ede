//! The CPI into `media_staking`'s `fund_rewards`: how the stakers' share of MEDIA revenue
//! reaches the reward pool.
use media_core::cpi::invoke;
use media_core::{AccountView, ProgramResult};
use media_staking_interface::instruction::fund_rewards;
use pinocchio::cpi::Signer;
use pinocchio::instruction::{InstructionAccount, InstructionView};

/// `fund_rewards(amount)` from a token account owned by a PDA of this program.
pub struct FundRewards<'a> {
    /// Owner of `funder_token_account`; signs through `pda_signer`.
    pub funder: &'a AccountView,
    pub funder_token_account: &'a AccountView,
    pub staking_config: &'a AccountView,
    pub staking_vault: &'a AccountView,
    pub token_program: &'a AccountView,
    pub amount: u64,
}

impl FundRewards<'_> {
    /// Invokes `media_staking` (whose program account the caller received), the funder PDA
    /// signing.
    pub fn invoke(&self, pda_signer: &Signer) -> ProgramResult {
        let mut data = [0u8; 16];
        data[..8].copy_from_slice(&fund_rewards::DISCRIMINATOR);
        data[8..].copy_from_slice(&self.amount.to_le_bytes());
        let metas = [
            InstructionAccount::readonly_signer(self.funder.address()),
            InstructionAccount::writable(self.funder_token_account.address()),
            InstructionAccount::writable(self.staking_config.address()),
            InstructionAccount::writable(self.staking_vault.address()),
            InstructionAccount::readonly(self.token_program.address()),
        ];
        let ix = InstructionView {
            program_id: &media_staking_interface::ID,
            data: &data,
            accounts: &metas,
        };
        invoke(
            &ix,
            &[
                self.funder,
                self.funder_token_account,
                self.staking_config,
                self.staking_vault,
                self.token_program,
            ],
            Some(pda_signer),
        )
    }
}
