//! Writes `<out>/<program>.json`, the Anchor IDL (spec 0.1.0) of every MEDIA program, from the
//! descriptions in the interface crates: the same constants the programs are built from.
//!
//! Usage: `idl-gen [out-dir]` (default `target/idl`).
use media_core::idl::{
    IdlAccountDef, IdlFieldDef, IdlInstructionDef, IdlProgramDef, IdlSeed, IdlTy, IdlTypeDef,
};
use serde_json::{json, Map, Value};
use std::path::PathBuf;

const PROGRAMS: &[IdlProgramDef] = &[
    media_staking_interface::IDL,
    media_bandwidth_interface::IDL,
    media_treasury_interface::IDL,
    media_governance_interface::IDL,
];

fn main() {
    let out_dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/idl".into()),
    );
    if let Err(error) = std::fs::create_dir_all(&out_dir) {
        eprintln!("idl-gen: cannot create {}: {error}", out_dir.display());
        std::process::exit(1);
    }
    for program in PROGRAMS {
        let path = out_dir.join(format!("{}.json", program.name));
        let text =
            serde_json::to_string_pretty(&program_idl(program)).expect("IDL serializes") + "\n";
        let unchanged = std::fs::read_to_string(&path)
            .map(|old| old == text)
            .unwrap_or(false);
        if !unchanged {
            if let Err(error) = std::fs::write(&path, text) {
                eprintln!("idl-gen: cannot write {}: {error}", path.display());
                std::process::exit(1);
            }
        }
        println!(
            "{} {}",
            if unchanged { "up to date" } else { "wrote" },
            path.display()
        );
    }
}

fn program_idl(program: &IdlProgramDef) -> Value {
    let mut types: Vec<Value> = Vec::new();
    for def in program
        .accounts
        .iter()
        .chain(program.events)
        .chain(program.types)
    {
        types.push(type_def(def));
    }
    json!({
        "address": program.address,
        "metadata": {
            "name": program.name,
            "version": program.version,
            "spec": "0.1.0",
            "description": program.docs,
        },
        "instructions": program.instructions.iter().map(|ix| instruction(ix, program.address)).collect::<Vec<_>>(),
        "accounts": program.accounts.iter().map(named_discriminator).collect::<Vec<_>>(),
        "events": program.events.iter().map(named_discriminator).collect::<Vec<_>>(),
        "errors": program.errors.iter().map(|(code, name, msg)| json!({"code": code, "name": name, "msg": msg})).collect::<Vec<_>>(),
        "types": types,
    })
}

fn docs(text: &str) -> Option<Value> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    (!lines.is_empty()).then(|| json!(lines))
}

fn instruction(ix: &IdlInstructionDef, program_id: &str) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(ix.name));
    if let Some(docs) = docs(ix.docs) {
        out.insert("docs".into(), docs);
    }
    out.insert("discriminator".into(), json!(ix.discriminator));
    out.insert(
        "accounts".into(),
        json!(ix
            .accounts
            .iter()
            .map(|def| account(def, program_id))
            .collect::<Vec<_>>()),
    );
    out.insert(
        "args".into(),
        json!(ix.args.iter().map(field).collect::<Vec<_>>()),
    );
    Value::Object(out)
}

fn account(account: &IdlAccountDef, program_id: &str) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(account.name));
    if let Some(docs) = docs(account.docs) {
        out.insert("docs".into(), docs);
    }
    if account.writable {
        out.insert("writable".into(), json!(true));
    }
    if account.signer {
        out.insert("signer".into(), json!(true));
    }
    if account.optional {
        out.insert("optional".into(), json!(true));
    }
    if let Some(address) = account.address {
        out.insert("address".into(), json!(address));
    }
    if !account.pda.is_empty() {
        let seeds: Vec<Value> = account
            .pda
            .iter()
            .map(|seed| match seed {
                IdlSeed::Const(bytes) => json!({"kind": "const", "value": bytes}),
                IdlSeed::Account(path) => json!({"kind": "account", "path": path}),
                IdlSeed::Arg(path) => json!({"kind": "arg", "path": path}),
                IdlSeed::ThisProgramId => {
                    json!({"kind": "const", "value": address_bytes(program_id)})
                }
            })
            .collect();
        let mut pda = Map::new();
        pda.insert("seeds".into(), json!(seeds));
        if let Some(program) = account.pda_program {
            pda.insert(
                "program".into(),
                json!({"kind": "const", "value": address_bytes(program)}),
            );
        }
        out.insert("pda".into(), Value::Object(pda));
    }
    Value::Object(out)
}

/// The 32 bytes of a base58 address.
fn address_bytes(base58: &str) -> Vec<u8> {
    media_core::address_from_str(base58).as_ref().to_vec()
}

fn named_discriminator(def: &IdlTypeDef) -> Value {
    json!({"name": def.name, "discriminator": def.discriminator})
}

fn type_def(def: &IdlTypeDef) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(def.name));
    if let Some(docs) = docs(def.docs) {
        out.insert("docs".into(), docs);
    }
    out.insert(
        "type".into(),
        json!({"kind": "struct", "fields": def.fields.iter().map(field).collect::<Vec<_>>()}),
    );
    Value::Object(out)
}

fn field(field: &IdlFieldDef) -> Value {
    json!({"name": field.name, "type": ty(field.ty)})
}

fn ty(ty: IdlTy) -> Value {
    match ty {
        IdlTy::U8 => json!("u8"),
        IdlTy::U16 => json!("u16"),
        IdlTy::U32 => json!("u32"),
        IdlTy::U64 => json!("u64"),
        IdlTy::I64 => json!("i64"),
        IdlTy::U128 => json!("u128"),
        IdlTy::Bool => json!("bool"),
        IdlTy::Pubkey => json!("pubkey"),
        IdlTy::Bytes(len) => json!({"array": ["u8", len]}),
        IdlTy::Defined(name) => json!({"defined": {"name": name}}),
    }
}
