//! `sol_invoke_signed_c` as Solana 1.18 charges it (1,000 CU, then instruction data and every
//! account the callee receives at one CU per 250 bytes, an executable account by the length
//! of its program data), with the callee itself accounted by the CU the bank reported for it,
//! and its effect on the caller's accounts written back into the caller's memory, as the
//! runtime does when the invoke returns.
//!
//! Effects: the System program's and SPL Token's instructions the programs use are applied
//! here; any other callee's writable accounts take the state the transaction left them in.

use crate::capture::{base58_decode, base58_encode, hex, Account};
use crate::costs;
use crate::vm::{read, read_u64, write, Kind, Meter, SyscallResult};
use solana_rbpf::memory_region::MemoryMapping;
use std::error::Error;

const SYSTEM_PROGRAM: [u8; 32] = [0; 32];
const TOKEN_PROGRAM: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
const SOL_ACCOUNT_INFO_SIZE: u64 = 56;

/// A `SolAccountInfo` the caller passed, and where it points.
struct Info {
    addr: u64,
    key: [u8; 32],
    lamports_addr: u64,
    data_len: u64,
    data_addr: u64,
    owner_addr: u64,
}

/// An account's state as the callee sees and leaves it.
struct State {
    lamports: u64,
    owner: [u8; 32],
    data: Vec<u8>,
}

pub fn invoke_signed_c(
    meter: &mut Meter,
    instruction: u64,
    infos_addr: u64,
    infos_len: u64,
    memory: &mut MemoryMapping,
) -> SyscallResult {
    meter.charge("invoke (base)", costs::INVOKE, Kind::Own);
    let ix = read(memory, instruction, 40)?.to_vec();
    let word = |i: usize| u64::from_le_bytes(ix[i * 8..i * 8 + 8].try_into().unwrap());
    let program_id: [u8; 32] = read(memory, word(0), 32)?.try_into()?;
    let data = read(memory, word(3), word(4))?.to_vec();
    meter.charge(
        format!("invoke ({} bytes of instruction data)", data.len()),
        data.len() as u64 / costs::CPI_BYTES_PER_UNIT,
        Kind::Own,
    );

    let mut metas: Vec<([u8; 32], bool)> = Vec::new();
    let raw_metas = read(memory, word(1), word(2).saturating_mul(16))?.to_vec();
    for meta in raw_metas.chunks(16) {
        let key: [u8; 32] =
            read(memory, u64::from_le_bytes(meta[..8].try_into()?), 32)?.try_into()?;
        metas.push((key, meta[8] != 0));
    }
    let raw_infos = read(
        memory,
        infos_addr,
        infos_len.saturating_mul(SOL_ACCOUNT_INFO_SIZE),
    )?
    .to_vec();
    let mut infos = Vec::new();
    for (i, info) in raw_infos.chunks(SOL_ACCOUNT_INFO_SIZE as usize).enumerate() {
        let field = |f: usize| u64::from_le_bytes(info[f * 8..f * 8 + 8].try_into().unwrap());
        infos.push(Info {
            addr: infos_addr + i as u64 * SOL_ACCOUNT_INFO_SIZE,
            key: read(memory, field(0), 32)?.try_into()?,
            lamports_addr: field(1),
            data_len: field(2),
            data_addr: field(3),
            owner_addr: field(4),
        });
    }

    // The callee's accounts, each once: an executable one is charged by its program data's
    // length as the bank holds it, any other by the data length its account info declares.
    let mut seen: Vec<[u8; 32]> = Vec::new();
    for (key, _) in &metas {
        if seen.contains(key) {
            continue;
        }
        seen.push(*key);
        let address = base58_encode(key);
        let known = meter.capture.accounts.get(&address);
        if let Some(account) = known.filter(|a| a.executable) {
            let len = account.data.len() as u64 / 2;
            meter.charge(
                format!("invoke (executable {address}: {len} bytes)"),
                len / costs::CPI_BYTES_PER_UNIT,
                Kind::Own,
            );
        } else if let Some(info) = infos.iter().find(|info| info.key == *key) {
            meter.charge(
                format!("invoke (account {address}: {} bytes)", info.data_len),
                info.data_len / costs::CPI_BYTES_PER_UNIT,
                Kind::Own,
            );
        } else {
            return Err(format!("invoke: account {address} is not among the account infos").into());
        }
    }

    let callee_index = meter.next_callee;
    let callee = meter
        .capture
        .callees
        .get(callee_index)
        .ok_or("the replay invoked more programs than the bank's logs show")?;
    meter.next_callee += 1;
    let callee_name = base58_encode(&program_id);
    if callee.program_id != callee_name {
        return Err(format!(
            "invoke #{callee_index} calls {callee_name}; the bank's logs show {}",
            callee.program_id
        )
        .into());
    }
    match callee.consumed {
        Some(units) => meter.charge(
            format!("{callee_name} (its own logged consumption)"),
            units,
            Kind::Invoked,
        ),
        None if program_id == SYSTEM_PROGRAM => meter.charge(
            "System program (built-in)",
            costs::SYSTEM_PROGRAM,
            Kind::Own,
        ),
        None => {
            return Err(format!(
                "invoke of {callee_name}: no consumption logged and no built-in cost known"
            )
            .into())
        }
    }

    // Every account the callee receives, through the caller's account infos.
    let accounts: Option<Vec<&Info>> = metas
        .iter()
        .map(|(key, _)| infos.iter().find(|info| info.key == *key))
        .collect();
    let mut states = Vec::new();
    for info in accounts.iter().flatten() {
        states.push(load(memory, info)?);
    }
    let applied = match &accounts {
        Some(_) if program_id == SYSTEM_PROGRAM => system(&data, &mut states)?,
        Some(_) if callee_name == TOKEN_PROGRAM => token(&data, &mut states, &metas)?,
        _ => false,
    };
    let accounts = accounts.unwrap_or_default();
    if applied {
        for (info, state) in accounts.iter().zip(&states) {
            store(memory, info, state)?;
        }
    } else {
        // A callee the profiler does not emulate: its writable accounts as the transaction
        // left them.
        for (info, (key, writable)) in infos_of(&infos, &metas) {
            if writable {
                if let Some(after) = meter.capture.accounts_after.get(&base58_encode(&key)) {
                    store(memory, info, &state_of(after)?)?;
                }
            }
        }
    }
    Ok(0)
}

fn infos_of<'i>(
    infos: &'i [Info],
    metas: &[([u8; 32], bool)],
) -> Vec<(&'i Info, ([u8; 32], bool))> {
    metas
        .iter()
        .filter_map(|meta| {
            infos
                .iter()
                .find(|info| info.key == meta.0)
                .map(|info| (info, *meta))
        })
        .collect()
}

fn state_of(account: &Account) -> Result<State, Box<dyn Error>> {
    Ok(State {
        lamports: account.lamports.parse()?,
        owner: base58_decode(&account.owner)?,
        data: hex(&account.data)?,
    })
}

fn load(memory: &MemoryMapping, info: &Info) -> Result<State, Box<dyn Error>> {
    Ok(State {
        lamports: read_u64(memory, info.lamports_addr)?,
        owner: read(memory, info.owner_addr, 32)?.try_into()?,
        data: read(memory, info.data_addr, info.data_len)?.to_vec(),
    })
}

/// Writes a callee's result where the caller sees it: lamports and owner through the account
/// info's pointers; a changed data length into the serialized account and the account info.
fn store(memory: &MemoryMapping, info: &Info, state: &State) -> Result<(), Box<dyn Error>> {
    write(memory, info.lamports_addr, &state.lamports.to_le_bytes())?;
    write(memory, info.owner_addr, &state.owner)?;
    let len = state.data.len() as u64;
    if len != info.data_len {
        write(memory, info.data_addr - 8, &len.to_le_bytes())?;
        write(memory, info.addr + 16, &len.to_le_bytes())?;
        if len < info.data_len {
            write(
                memory,
                info.data_addr + len,
                &vec![0; (info.data_len - len) as usize],
            )?;
        }
    }
    write(memory, info.data_addr, &state.data)
}

fn u64_at(bytes: &[u8], at: usize) -> Result<u64, Box<dyn Error>> {
    Ok(u64::from_le_bytes(
        bytes
            .get(at..at + 8)
            .ok_or("instruction data too short")?
            .try_into()?,
    ))
}

fn move_lamports(
    states: &mut [State],
    from: usize,
    to: usize,
    lamports: u64,
) -> Result<(), Box<dyn Error>> {
    states[from].lamports = states[from]
        .lamports
        .checked_sub(lamports)
        .ok_or("System transfer: insufficient lamports")?;
    states[to].lamports += lamports;
    Ok(())
}

/// The System program instructions: create_account, assign, transfer, allocate.
fn system(data: &[u8], states: &mut [State]) -> Result<bool, Box<dyn Error>> {
    let tag = u32::from_le_bytes(
        data.get(..4)
            .ok_or("System instruction too short")?
            .try_into()?,
    );
    match tag {
        0 => {
            let (lamports, space) = (u64_at(data, 4)?, u64_at(data, 12)?);
            move_lamports(states, 0, 1, lamports)?;
            states[1].data = vec![0; space as usize];
            states[1].owner = data
                .get(20..52)
                .ok_or("create_account data too short")?
                .try_into()?;
        }
        1 => states[0].owner = data.get(4..36).ok_or("assign data too short")?.try_into()?,
        2 => move_lamports(states, 0, 1, u64_at(data, 4)?)?,
        8 => states[0].data = vec![0; u64_at(data, 4)? as usize],
        _ => return Ok(false),
    }
    Ok(true)
}

fn add_at(data: &mut [u8], at: usize, delta: i128) -> Result<(), Box<dyn Error>> {
    let value = i128::from(u64_at(data, at)?) + delta;
    let value = u64::try_from(value).map_err(|_| "token amount out of range")?;
    data[at..at + 8].copy_from_slice(&value.to_le_bytes());
    Ok(())
}

/// SPL Token: the balance and supply moves (transfer, mint, burn), account initialization
/// and close. Token account: amount at 64, state at 108; mint: supply at 36.
fn token(
    data: &[u8],
    states: &mut [State],
    metas: &[([u8; 32], bool)],
) -> Result<bool, Box<dyn Error>> {
    let amount = || -> Result<i128, Box<dyn Error>> { Ok(i128::from(u64_at(data, 1)?)) };
    match data.first() {
        Some(3) => {
            add_at(&mut states[0].data, 64, -amount()?)?;
            add_at(&mut states[1].data, 64, amount()?)?;
        }
        Some(12) => {
            add_at(&mut states[0].data, 64, -amount()?)?;
            add_at(&mut states[2].data, 64, amount()?)?;
        }
        Some(7) | Some(14) => {
            add_at(&mut states[0].data, 36, amount()?)?;
            add_at(&mut states[1].data, 64, amount()?)?;
        }
        Some(8) | Some(15) => {
            add_at(&mut states[0].data, 64, -amount()?)?;
            add_at(&mut states[1].data, 36, -amount()?)?;
        }
        Some(9) => {
            let lamports = states[0].lamports;
            states[0].lamports = 0;
            states[1].lamports += lamports;
            states[0].data.fill(0);
            states[0].owner = SYSTEM_PROGRAM;
        }
        Some(18) => {
            let account = &mut states[0].data;
            account.fill(0);
            account[..32].copy_from_slice(&metas[1].0);
            account[32..64].copy_from_slice(
                data.get(1..33)
                    .ok_or("initialize_account3 data too short")?,
            );
            account[108] = 1;
        }
        _ => return Ok(false),
    }
    Ok(true)
}
