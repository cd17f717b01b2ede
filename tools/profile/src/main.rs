//! `media-profile <capture.json>`: replays a captured instruction (see `scripts/profile.ts`) in
//! Solana 1.18's interpreter and cost table, and prints a JSON report: the CU the replay
//! counts against the bench's, and where the program's own CU goes, per function and per
//! source line (from the debug-info build's DWARF).

mod capture;
mod costs;
mod cpi;
mod lines;
mod vm;

use capture::Capture;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use vm::{Kind, Run};

const CALL_IMM: u8 = 0x85;
const CALL_REG: u8 = 0x8d;
const EXIT: u8 = 0x95;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path] = args.as_slice() else {
        eprintln!("usage: media-profile <capture.json>   (written by `npm run profile`)");
        std::process::exit(2);
    };
    match profile(path) {
        Ok(report) => println!("{report}"),
        Err(error) => {
            eprintln!("media-profile: {error}");
            std::process::exit(1);
        }
    }
}

fn profile(path: &str) -> Result<serde_json::Value, Box<dyn Error>> {
    let capture: Capture =
        serde_json::from_slice(&std::fs::read(path).map_err(|e| format!("{path}: {e}"))?)?;
    let deployed = vm::run(
        &capture,
        &std::fs::read(&capture.elf).map_err(|e| format!("{}: {e}", capture.elf))?,
    )?;
    // Without a debug-info build the deployed run is the profiled one: running it again would
    // only double the time a replay takes (the bench replays every row).
    let debug_run;
    let (profiled, debug) = match &capture.debug_elf {
        Some(debug_path) => {
            let elf = std::fs::read(debug_path).map_err(|e| format!("{debug_path}: {e}"))?;
            debug_run = vm::run(&capture, &elf)?;
            (&debug_run, Some(lines::DebugInfo::load(&elf)?))
        }
        None => (&deployed, None),
    };
    // The debug build must execute the same code as the deployed one: the same instructions,
    // in the same order, with the same charges (only addresses of functions may differ).
    let same_code = profiled.error == deployed.error
        && executed_code(&deployed) == executed_code(profiled)
        && deployed
            .charges
            .iter()
            .map(|c| c.units)
            .eq(profiled.charges.iter().map(|c| c.units));

    let mut functions: BTreeMap<String, FunctionFigures> = BTreeMap::new();
    let mut lines: BTreeMap<(String, u64), LineFigures> = BTreeMap::new();
    let mut places: HashMap<u64, lines::Place> = HashMap::new();
    let mut place_of = |pc: u64| -> lines::Place {
        places
            .entry(pc)
            .or_insert_with(|| match &debug {
                Some(debug) => debug.place(pc * 8),
                None => lines::Place::unknown(pc),
            })
            .clone()
    };
    let mut charges_at: HashMap<usize, u64> = HashMap::new();
    for charge in profiled.charges.iter().filter(|c| c.kind == Kind::Own) {
        *charges_at.entry(charge.step).or_default() += charge.units;
    }
    // The call stack, as the function names of each frame.
    let mut stack: Vec<String> = Vec::new();
    let mut pending_call = false;
    for (step, &pc) in profiled.trace.iter().enumerate() {
        let place = place_of(pc);
        if pending_call || stack.is_empty() {
            stack.push(place.function.clone());
            functions.entry(place.function.clone()).or_default().calls += 1;
            pending_call = false;
        }
        let units = 1 + charges_at.get(&step).copied().unwrap_or(0);
        functions.entry(place.function.clone()).or_default().own += units;
        let mut counted: Vec<&String> = Vec::new();
        for name in &stack {
            if !counted.contains(&name) {
                functions.entry(name.clone()).or_default().inclusive += units;
                counted.push(name);
            }
        }
        let line = lines.entry((place.file.clone(), place.line)).or_default();
        line.units += units;
        line.function = place.source_function.clone();
        let opcode = profiled.text.get(pc as usize * 8).copied().unwrap_or(0);
        if opcode == CALL_IMM {
            let imm = u32::from_le_bytes(
                profiled.text[pc as usize * 8 + 4..pc as usize * 8 + 8].try_into()?,
            );
            pending_call = !profiled.syscall_keys.contains(&imm);
        } else if opcode == CALL_REG {
            pending_call = true;
        } else if opcode == EXIT {
            stack.pop();
        }
    }

    let mut charge_totals: BTreeMap<String, (u64, u64, &str)> = BTreeMap::new();
    for charge in &profiled.charges {
        let entry = charge_totals.entry(charge.what.clone()).or_insert((
            0,
            0,
            if charge.kind == Kind::Own {
                "own"
            } else {
                "invoked"
            },
        ));
        entry.0 += charge.units;
        entry.1 += 1;
    }
    let mut function_rows: Vec<_> = functions.into_iter().collect();
    function_rows.sort_by(|a, b| {
        b.1.inclusive
            .cmp(&a.1.inclusive)
            .then(b.1.own.cmp(&a.1.own))
    });
    let mut line_rows: Vec<_> = lines.into_iter().collect();
    line_rows.sort_by_key(|row| std::cmp::Reverse(row.1.units));
    let cpis = deployed
        .charges
        .iter()
        .filter(|c| c.what == "invoke (base)")
        .count();
    Ok(json!({
        "bench": { "total": capture.bench.total, "own": capture.bench.own, "invoked": capture.bench.invoked, "cpis": capture.bench.cpis },
        "replay": {
            "total": deployed.own() + deployed.invoked(),
            "own": deployed.own(),
            "invoked": deployed.invoked(),
            "instructions": deployed.instructions,
            "cpis": cpis,
            "error": deployed.error,
        },
        "debugBuild": {
            "used": debug.is_some(),
            "own": profiled.own(),
            "invoked": profiled.invoked(),
            "sameCodeAsDeployed": same_code,
        },
        "charges": charge_totals.into_iter().map(|(what, (units, count, kind))| json!({ "what": what, "units": units, "count": count, "kind": kind })).collect::<Vec<_>>(),
        "functions": function_rows.into_iter().map(|(name, f)| json!({ "name": name, "own": f.own, "inclusive": f.inclusive, "calls": f.calls })).collect::<Vec<_>>(),
        "lines": line_rows.into_iter().map(|((file, line), l)| json!({ "file": file, "line": line, "function": l.function, "units": l.units })).collect::<Vec<_>>(),
        "logs": profiled.logs,
    }))
}

#[derive(Default)]
struct FunctionFigures {
    own: u64,
    inclusive: u64,
    calls: u64,
}

#[derive(Default)]
struct LineFigures {
    units: u64,
    function: String,
}

/// The executed instruction stream with call targets left out (they are hashes of function
/// addresses, which the two builds lay out differently).
fn executed_code(run: &Run) -> Vec<u64> {
    run.trace
        .iter()
        .map(|&pc| {
            let at = pc as usize * 8;
            let insn = &run.text[at..at + 8];
            if insn[0] == CALL_IMM {
                u64::from(insn[0])
            } else {
                u64::from_le_bytes(insn.try_into().unwrap())
            }
        })
        .collect()
}
