//! One instruction run in solana_rbpf 0.8.0's interpreter as Solana 1.18's BPF loader runs it:
//! the same VM configuration, the same memory layout (input serialized in the aligned format,
//! stack frames, heap) and the same syscall charges, with every executed instruction and every
//! charge recorded against the program counter that caused it.

use crate::capture::{base58_decode, hex, Account, Capture};
use crate::costs;
use crate::cpi;
use solana_rbpf::{
    aligned_memory::AlignedMemory,
    ebpf,
    elf::Executable,
    memory_region::{AccessType, MemoryMapping, MemoryRegion},
    program::{BuiltinFunction, BuiltinProgram, FunctionRegistry},
    verifier::RequisiteVerifier,
    vm::{Config, ContextObject, EbpfVm},
};
use std::{error::Error, sync::Arc};

pub type SyscallResult = Result<u64, Box<dyn Error>>;

/// Solana 1.18's `create_program_runtime_environment_v1` with every feature of a
/// solana-program-test bank active (bankrun activates them all), no debugging features.
pub fn config() -> Config {
    Config {
        max_call_depth: 64,
        stack_frame_size: 4096,
        enable_address_translation: true,
        // Off when `bpf_account_data_direct_mapping` is active; frames stay 4 KiB-aligned
        // either way, which is all the programs' code can observe.
        enable_stack_frame_gaps: true,
        instruction_meter_checkpoint_distance: 10000,
        enable_instruction_meter: true,
        // Tracing is how the profiler sees every executed instruction; it charges nothing.
        enable_instruction_tracing: true,
        enable_symbol_and_section_labels: false,
        reject_broken_elfs: true,
        noop_instruction_rate: 256,
        sanitize_user_provided_values: true,
        external_internal_function_hash_collision: true,
        reject_callx_r10: true,
        enable_sbpf_v1: true,
        enable_sbpf_v2: false,
        optimize_rodata: false,
        new_elf_parser: true,
        aligned_memory_mapping: true,
    }
}

const HEAP_SIZE: usize = 32 * 1024;
const MAX_PERMITTED_DATA_INCREASE: usize = 10 * 1024;
const NON_DUP_MARKER: u8 = 0xff;

/// What a charge paid for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// The program's own share: a syscall's cost, an invoke's base and byte charges, a built-in
    /// callee's fixed cost.
    Own,
    /// What an invoked program consumed by its own log line (the bench's "invoked").
    Invoked,
}

#[derive(Clone, Debug)]
pub struct Charge {
    /// Index into the trace of the call instruction that paid it.
    pub step: usize,
    pub what: String,
    pub units: u64,
    pub kind: Kind,
}

/// The context object the VM meters through: the instruction meter, the trace, the charges,
/// and what CPIs need (the captured callees and accounts).
pub struct Meter<'c> {
    remaining: u64,
    pub trace: Vec<u64>,
    pub charges: Vec<Charge>,
    pub logs: Vec<String>,
    pub capture: &'c Capture,
    pub next_callee: usize,
    pub clock: Vec<u8>,
    pub rent: Vec<u8>,
}

impl ContextObject for Meter<'_> {
    fn trace(&mut self, state: [u64; 12]) {
        self.trace.push(state[11]);
    }
    fn consume(&mut self, amount: u64) {
        self.remaining = self.remaining.saturating_sub(amount);
    }
    fn get_remaining(&self) -> u64 {
        self.remaining
    }
}

impl Meter<'_> {
    /// Charges `units` to the syscall the program is executing.
    pub fn charge(&mut self, what: impl Into<String>, units: u64, kind: Kind) {
        let step = self.trace.len().saturating_sub(1);
        self.charges.push(Charge {
            step,
            what: what.into(),
            units,
            kind,
        });
        self.consume(units);
    }
}

// ---- memory helpers -------------------------------------------------------------------------

pub fn read<'m>(
    memory: &'m MemoryMapping,
    addr: u64,
    len: u64,
) -> Result<&'m [u8], Box<dyn Error>> {
    if len == 0 {
        return Ok(&[]);
    }
    let host: Result<u64, _> = memory.map(AccessType::Load, addr, len).into();
    let host = host.map_err(|e| format!("reading {len} bytes at {addr:#x}: {e}"))?;
    // Safety: the mapping checked that [addr, addr + len) lies inside one mapped region.
    Ok(unsafe { std::slice::from_raw_parts(host as *const u8, len as usize) })
}

pub fn write(memory: &MemoryMapping, addr: u64, bytes: &[u8]) -> Result<(), Box<dyn Error>> {
    if bytes.is_empty() {
        return Ok(());
    }
    let host: Result<u64, _> = memory
        .map(AccessType::Store, addr, bytes.len() as u64)
        .into();
    let host = host.map_err(|e| format!("writing {} bytes at {addr:#x}: {e}", bytes.len()))?;
    // Safety: as in `read`, for a writable region.
    unsafe { std::ptr::copy(bytes.as_ptr(), host as *mut u8, bytes.len()) };
    Ok(())
}

pub fn read_u64(memory: &MemoryMapping, addr: u64) -> Result<u64, Box<dyn Error>> {
    Ok(u64::from_le_bytes(read(memory, addr, 8)?.try_into()?))
}

// ---- syscalls -------------------------------------------------------------------------------

macro_rules! syscall {
    ($name:ident, |$meter:ident, $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $memory:ident| $body:block) => {
        solana_rbpf::declare_builtin_function!(
            $name,
            fn rust(
                $meter: &mut Meter<'static>,
                $a: u64,
                $b: u64,
                $c: u64,
                $d: u64,
                $e: u64,
                $memory: &mut MemoryMapping,
            ) -> SyscallResult {
                $body
            }
        );
    };
}

syscall!(SolLog, |meter, addr, len, _c, _d, _e, memory| {
    meter.charge("sol_log_", costs::SYSCALL_BASE.max(len), Kind::Own);
    let text = String::from_utf8_lossy(read(memory, addr, len)?).into_owned();
    meter.logs.push(format!("Program log: {text}"));
    Ok(0)
});

syscall!(SolLog64, |meter, _a, _b, _c, _d, _e, _memory| {
    meter.charge("sol_log_64_", costs::LOG_64, Kind::Own);
    Ok(0)
});

syscall!(SolLogPubkey, |meter, _a, _b, _c, _d, _e, _memory| {
    meter.charge("sol_log_pubkey", costs::LOG_PUBKEY, Kind::Own);
    Ok(0)
});

syscall!(SolLogComputeUnits, |meter, _a, _b, _c, _d, _e, _memory| {
    meter.charge("sol_log_compute_units_", costs::SYSCALL_BASE, Kind::Own);
    Ok(0)
});

syscall!(SolLogData, |meter, addr, count, _c, _d, _e, memory| {
    let fields = read(memory, addr, count.saturating_mul(16))?.to_vec();
    let bytes: u64 = fields
        .chunks(16)
        .map(|f| u64::from_le_bytes(f[8..16].try_into().unwrap()))
        .sum();
    meter.charge("sol_log_data (base)", costs::SYSCALL_BASE, Kind::Own);
    meter.charge(
        format!("sol_log_data ({count} fields)"),
        costs::SYSCALL_BASE * count,
        Kind::Own,
    );
    meter.charge(format!("sol_log_data ({bytes} bytes)"), bytes, Kind::Own);
    meter
        .logs
        .push(format!("Program data: {count} fields, {bytes} bytes"));
    Ok(0)
});

syscall!(SolMemcpy, |meter, dst, src, n, _d, _e, memory| {
    meter.charge("sol_memcpy_", costs::mem_op(n), Kind::Own);
    if dst < src.saturating_add(n) && src < dst.saturating_add(n) {
        return Err("sol_memcpy_: overlapping copy".into());
    }
    let bytes = read(memory, src, n)?.to_vec();
    write(memory, dst, &bytes)?;
    Ok(0)
});

syscall!(SolMemmove, |meter, dst, src, n, _d, _e, memory| {
    meter.charge("sol_memmove_", costs::mem_op(n), Kind::Own);
    let bytes = read(memory, src, n)?.to_vec();
    write(memory, dst, &bytes)?;
    Ok(0)
});

syscall!(SolMemcmp, |meter, a, b, n, out, _e, memory| {
    meter.charge("sol_memcmp_", costs::mem_op(n), Kind::Own);
    let (left, right) = (read(memory, a, n)?, read(memory, b, n)?);
    let order = left
        .iter()
        .zip(right)
        .find(|(x, y)| x != y)
        .map(|(x, y)| i32::from(*x) - i32::from(*y))
        .unwrap_or(0);
    write(memory, out, &order.to_le_bytes())?;
    Ok(0)
});

syscall!(SolMemset, |meter, dst, value, n, _d, _e, memory| {
    meter.charge("sol_memset_", costs::mem_op(n), Kind::Own);
    write(memory, dst, &vec![value as u8; n as usize])?;
    Ok(0)
});

syscall!(SolSha256, |meter, slices, count, result, _d, _e, memory| {
    use sha2::Digest;
    meter.charge("sol_sha256 (base)", costs::SHA256_BASE, Kind::Own);
    let mut hasher = sha2::Sha256::new();
    let list = read(memory, slices, count.saturating_mul(16))?.to_vec();
    for slice in list.chunks(16) {
        let addr = u64::from_le_bytes(slice[..8].try_into()?);
        let len = u64::from_le_bytes(slice[8..].try_into()?);
        meter.charge(
            "sol_sha256 (slices)",
            costs::MEM_OP_BASE.max(costs::SHA256_BYTE * (len / 2)),
            Kind::Own,
        );
        hasher.update(read(memory, addr, len)?);
    }
    write(memory, result, &hasher.finalize())?;
    Ok(0)
});

syscall!(
    SolCurveValidatePoint,
    |meter, curve, point, _c, _d, _e, memory| {
        let bytes: [u8; 32] = read(memory, point, 32)?.try_into()?;
        match curve {
            0 => {
                meter.charge(
                    "sol_curve_validate_point (edwards)",
                    costs::CURVE25519_EDWARDS_VALIDATE_POINT,
                    Kind::Own,
                );
                let on_curve = curve25519_dalek::edwards::CompressedEdwardsY(bytes)
                    .decompress()
                    .is_some();
                Ok(if on_curve { 0 } else { 1 })
            }
            1 => {
                meter.charge(
                    "sol_curve_validate_point (ristretto)",
                    costs::CURVE25519_RISTRETTO_VALIDATE_POINT,
                    Kind::Own,
                );
                let valid = curve25519_dalek::ristretto::CompressedRistretto(bytes)
                    .decompress()
                    .is_some();
                Ok(if valid { 0 } else { 1 })
            }
            other => Err(format!("sol_curve_validate_point: unknown curve {other}").into()),
        }
    }
);

syscall!(SolGetClockSysvar, |meter, addr, _b, _c, _d, _e, memory| {
    meter.charge(
        "sol_get_clock_sysvar",
        costs::SYSVAR_BASE + costs::CLOCK_SIZE,
        Kind::Own,
    );
    let clock = meter.clock.clone();
    write(memory, addr, &clock)?;
    Ok(0)
});

syscall!(SolGetRentSysvar, |meter, addr, _b, _c, _d, _e, memory| {
    meter.charge(
        "sol_get_rent_sysvar",
        costs::SYSVAR_BASE + costs::RENT_SIZE,
        Kind::Own,
    );
    let mut rent = meter.rent.clone();
    rent.resize(costs::RENT_SIZE as usize, 0);
    write(memory, addr, &rent)?;
    Ok(0)
});

type SeedsAndProgram = (Vec<Vec<u8>>, [u8; 32]);

/// The seeds a program passes (an array of (pointer, length)) and its program id, read.
fn seeds_and_program(
    memory: &MemoryMapping,
    seeds: u64,
    count: u64,
    program: u64,
) -> Result<SeedsAndProgram, Box<dyn Error>> {
    let list = read(memory, seeds, count.saturating_mul(16))?.to_vec();
    let mut out = Vec::new();
    for seed in list.chunks(16) {
        let (addr, len) = (
            u64::from_le_bytes(seed[..8].try_into()?),
            u64::from_le_bytes(seed[8..].try_into()?),
        );
        out.push(read(memory, addr, len)?.to_vec());
    }
    Ok((out, read(memory, program, 32)?.try_into()?))
}

/// sha256(seeds.., program id, "ProgramDerivedAddress"), unless that lies on the curve.
fn program_address(seeds: &[Vec<u8>], program: &[u8; 32]) -> Option<[u8; 32]> {
    use sha2::Digest;
    if seeds.len() > 16 || seeds.iter().any(|s| s.len() > 32) {
        return None;
    }
    let mut hasher = sha2::Sha256::new();
    seeds.iter().for_each(|seed| hasher.update(seed));
    hasher.update(program);
    hasher.update(b"ProgramDerivedAddress");
    let hash: [u8; 32] = hasher.finalize().into();
    curve25519_dalek::edwards::CompressedEdwardsY(hash)
        .decompress()
        .is_none()
        .then_some(hash)
}

syscall!(
    SolCreateProgramAddress,
    |meter, seeds, count, program, out, _e, memory| {
        meter.charge(
            "sol_create_program_address",
            costs::CREATE_PROGRAM_ADDRESS,
            Kind::Own,
        );
        let (seeds, program) = seeds_and_program(memory, seeds, count, program)?;
        match program_address(&seeds, &program) {
            Some(address) => write(memory, out, &address).map(|_| 0),
            None => Ok(1),
        }
    }
);

syscall!(
    SolTryFindProgramAddress,
    |meter, seeds, count, program, out, bump_out, memory| {
        // One charge up front and one more for every bump that lands on the curve.
        meter.charge(
            "sol_try_find_program_address",
            costs::CREATE_PROGRAM_ADDRESS,
            Kind::Own,
        );
        let (mut seeds, program) = seeds_and_program(memory, seeds, count, program)?;
        seeds.push(vec![u8::MAX]);
        for bump in (1..=u8::MAX).rev() {
            *seeds.last_mut().unwrap() = vec![bump];
            if let Some(address) = program_address(&seeds, &program) {
                write(memory, out, &address)?;
                write(memory, bump_out, &[bump])?;
                return Ok(0);
            }
            meter.charge(
                "sol_try_find_program_address (next bump)",
                costs::CREATE_PROGRAM_ADDRESS,
                Kind::Own,
            );
        }
        Ok(1)
    }
);

syscall!(SolInvokeSignedC, |meter,
                            instruction,
                            infos,
                            infos_len,
                            _d,
                            _e,
                            memory| {
    cpi::invoke_signed_c(meter, instruction, infos, infos_len, memory)
});

syscall!(SolPanic, |_meter, file, len, line, column, _e, memory| {
    let file = String::from_utf8_lossy(read(memory, file, len)?).into_owned();
    Err(format!("the program panicked at {file}:{line}:{column}").into())
});

syscall!(Abort, |_meter, _a, _b, _c, _d, _e, _memory| {
    Err("the program called abort()".into())
});

/// The syscalls the profiler implements, by the name the ELF links against.
fn syscalls() -> Vec<(&'static str, BuiltinFunction<Meter<'static>>)> {
    vec![
        ("abort", Abort::vm),
        ("sol_panic_", SolPanic::vm),
        ("sol_log_", SolLog::vm),
        ("sol_log_64_", SolLog64::vm),
        ("sol_log_pubkey", SolLogPubkey::vm),
        ("sol_log_compute_units_", SolLogComputeUnits::vm),
        ("sol_log_data", SolLogData::vm),
        ("sol_memcpy_", SolMemcpy::vm),
        ("sol_memmove_", SolMemmove::vm),
        ("sol_memcmp_", SolMemcmp::vm),
        ("sol_memset_", SolMemset::vm),
        ("sol_sha256", SolSha256::vm),
        ("sol_curve_validate_point", SolCurveValidatePoint::vm),
        ("sol_get_clock_sysvar", SolGetClockSysvar::vm),
        ("sol_get_rent_sysvar", SolGetRentSysvar::vm),
        ("sol_create_program_address", SolCreateProgramAddress::vm),
        ("sol_try_find_program_address", SolTryFindProgramAddress::vm),
        ("sol_invoke_signed_c", SolInvokeSignedC::vm),
    ]
}

pub fn loader() -> Result<Arc<BuiltinProgram<Meter<'static>>>, Box<dyn Error>> {
    let mut registry = FunctionRegistry::default();
    for (name, function) in syscalls() {
        registry.register_function_hashed(name, function)?;
    }
    Ok(Arc::new(BuiltinProgram::new_loader(config(), registry)))
}

// ---- input ----------------------------------------------------------------------------------

/// The BPF loader's aligned serialization of the instruction's accounts and data.
pub fn serialize_input(capture: &Capture) -> Result<Vec<u8>, Box<dyn Error>> {
    let metas = &capture.instruction.accounts;
    let mut out: Vec<u8> = Vec::new();
    out.extend((metas.len() as u64).to_le_bytes());
    for (position, meta) in metas.iter().enumerate() {
        if let Some(first) = metas[..position]
            .iter()
            .position(|m| m.address == meta.address)
        {
            out.push(first as u8);
            out.extend([0u8; 7]);
            continue;
        }
        let account = account_before(capture, &meta.address)?;
        let data = hex(&account.data)?;
        out.extend([
            NON_DUP_MARKER,
            meta.is_signer as u8,
            meta.is_writable as u8,
            account.executable as u8,
        ]);
        out.extend([0u8; 4]);
        out.extend(base58_decode(&meta.address)?);
        out.extend(base58_decode(&account.owner)?);
        out.extend(account.lamports.parse::<u64>()?.to_le_bytes());
        out.extend((data.len() as u64).to_le_bytes());
        out.extend(&data);
        let align = (8 - data.len() % 8) % 8;
        out.extend(std::iter::repeat_n(
            0u8,
            MAX_PERMITTED_DATA_INCREASE + align,
        ));
        out.extend(u64::MAX.to_le_bytes()); // rent epoch: read by nothing the programs run
    }
    let data = hex(&capture.instruction.data)?;
    out.extend((data.len() as u64).to_le_bytes());
    out.extend(&data);
    out.extend(base58_decode(&capture.program_id)?);
    Ok(out)
}

pub fn account_before<'c>(
    capture: &'c Capture,
    address: &str,
) -> Result<&'c Account, Box<dyn Error>> {
    capture
        .accounts
        .get(address)
        .ok_or_else(|| format!("the capture has no account {address}").into())
}

// ---- a run ----------------------------------------------------------------------------------

pub struct Run {
    pub instructions: u64,
    pub trace: Vec<u64>,
    pub charges: Vec<Charge>,
    pub logs: Vec<String>,
    /// Keys of the syscalls (call immediates the loader resolves, not internal calls).
    pub syscall_keys: Vec<u32>,
    pub text: Vec<u8>,
    pub error: Option<String>,
}

impl Run {
    pub fn own(&self) -> u64 {
        self.instructions
            + self
                .charges
                .iter()
                .filter(|c| c.kind == Kind::Own)
                .map(|c| c.units)
                .sum::<u64>()
    }
    pub fn invoked(&self) -> u64 {
        self.charges
            .iter()
            .filter(|c| c.kind == Kind::Invoked)
            .map(|c| c.units)
            .sum()
    }
}

const BUDGET: u64 = 1_400_000;

pub fn run(capture: &Capture, elf: &[u8]) -> Result<Run, Box<dyn Error>> {
    let loader = loader()?;
    let executable = Executable::<Meter<'static>>::load(elf, loader.clone())
        .map_err(|e| format!("loading the ELF: {e}"))?;
    executable
        .verify::<RequisiteVerifier>()
        .map_err(|e| format!("verifying the ELF: {e}"))?;
    let config = *executable.get_config();
    let sbpf_version = executable.get_sbpf_version().clone();
    let input = serialize_input(capture)?;
    let mut input = AlignedMemory::<{ ebpf::HOST_ALIGN }>::from_slice(&input);
    let mut stack = AlignedMemory::<{ ebpf::HOST_ALIGN }>::zero_filled(config.stack_size());
    let mut heap = AlignedMemory::<{ ebpf::HOST_ALIGN }>::zero_filled(HEAP_SIZE);
    let stack_len = stack.len();
    let gap = if config.enable_stack_frame_gaps {
        config.stack_frame_size as u64
    } else {
        0
    };
    let regions = vec![
        executable.get_ro_region(),
        MemoryRegion::new_writable_gapped(stack.as_slice_mut(), ebpf::MM_STACK_START, gap),
        MemoryRegion::new_writable(heap.as_slice_mut(), ebpf::MM_HEAP_START),
        MemoryRegion::new_writable(input.as_slice_mut(), ebpf::MM_INPUT_START),
    ];
    let memory = MemoryMapping::new(regions, &config, &sbpf_version)?;
    // The meter borrows the capture for the run only; the VM's type wants 'static.
    let capture_static: &'static Capture = unsafe { &*(capture as *const Capture) };
    let mut meter = Meter {
        remaining: BUDGET,
        trace: Vec::new(),
        charges: Vec::new(),
        logs: Vec::new(),
        capture: capture_static,
        next_callee: 0,
        clock: hex(&capture.clock)?,
        rent: hex(&capture.rent)?,
    };
    let mut vm = EbpfVm::new(loader.clone(), &sbpf_version, &mut meter, memory, stack_len);
    let (_, result) = vm.execute_program(&executable, true);
    let error = match Result::<u64, _>::from(result) {
        Ok(0) => None,
        Ok(code) => Some(format!("the program returned error {code:#x}")),
        Err(e) => Some(e.to_string()),
    };
    drop(vm);
    let charged: u64 = meter.charges.iter().map(|c| c.units).sum();
    let instructions = BUDGET - meter.remaining - charged;
    let syscall_keys = loader.get_function_registry().keys().collect();
    let text = executable.get_text_bytes().1.to_vec();
    let error = error.or_else(|| {
        (meter.next_callee != capture.callees.len()).then(|| {
            format!(
                "the replay invoked {} programs; the bank's logs show {}",
                meter.next_callee,
                capture.callees.len()
            )
        })
    });
    Ok(Run {
        instructions,
        trace: meter.trace,
        charges: meter.charges,
        logs: meter.logs,
        syscall_keys,
        text,
        error,
    })
}
