//! Writes `<out>/<program>.json`, the Anchor IDL (spec 0.1.0) of every MEDIA program, from the
//! descriptions in the interface crates: the same constants the programs are built from.
//!
//! Usage: `idl-gen [out-dir]` (default `target/idl`).
mod spec;

use media_core::idl::{
    IdlAccountDef, IdlConstDef, IdlConstValue, IdlFieldDef, IdlInstructionDef, IdlProgramDef,
    IdlSeed, IdlTy, IdlTypeBody, IdlTypeDef,
};
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

fn program_idl(program: &IdlProgramDef) -> spec::Idl {
    let named = |def: &IdlTypeDef| spec::IdlAccount {
        name: def.name.into(),
        discriminator: def.discriminator,
    };
    spec::Idl {
        address: program.address.into(),
        metadata: spec::IdlMetadata {
            name: program.name.into(),
            version: program.version.into(),
            spec: "0.1.0".into(),
            description: Some(program.docs.into()),
        },
        instructions: program
            .instructions
            .iter()
            .map(|ix| instruction(ix, program.address))
            .collect(),
        accounts: program.accounts.iter().map(named).collect(),
        events: program.events.iter().map(named).collect(),
        errors: program
            .errors
            .iter()
            .map(|(code, name, msg)| spec::IdlErrorCode {
                code: *code,
                name: (*name).into(),
                msg: Some((*msg).into()),
            })
            .collect(),
        types: program
            .accounts
            .iter()
            .chain(program.events)
            .chain(program.types)
            .map(type_def)
            .collect(),
        constants: program.constants.iter().map(constant).collect(),
    }
}

/// Doc comment lines, trimmed, without blank ones.
fn docs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(String::from)
        .collect()
}

fn instruction(ix: &IdlInstructionDef, program_id: &str) -> spec::IdlInstruction {
    spec::IdlInstruction {
        name: ix.name.into(),
        docs: docs(ix.docs),
        discriminator: ix.discriminator,
        accounts: ix
            .accounts
            .iter()
            .map(|def| account(def, program_id))
            .collect(),
        args: ix.args.iter().map(field).collect(),
    }
}

fn account(account: &IdlAccountDef, program_id: &str) -> spec::IdlInstructionAccount {
    let seed = |seed: &IdlSeed| match seed {
        IdlSeed::Const(bytes) => spec::IdlSeed::Const {
            value: bytes.to_vec(),
        },
        IdlSeed::Account(path) => spec::IdlSeed::Account {
            path: (*path).into(),
        },
        IdlSeed::Arg(path) => spec::IdlSeed::Arg {
            path: (*path).into(),
        },
        IdlSeed::ThisProgramId => spec::IdlSeed::Const {
            value: address_bytes(program_id),
        },
    };
    spec::IdlInstructionAccount {
        name: account.name.into(),
        docs: docs(account.docs),
        writable: account.writable,
        signer: account.signer,
        address: account.address.map(String::from),
        pda: (!account.pda.is_empty()).then(|| spec::IdlPda {
            seeds: account.pda.iter().map(seed).collect(),
            program: account.pda_program.map(|program| spec::IdlSeed::Const {
                value: address_bytes(program),
            }),
        }),
        relations: account.relations.iter().map(|r| (*r).into()).collect(),
    }
}

/// The 32 bytes of a base58 address.
fn address_bytes(base58: &str) -> Vec<u8> {
    media_core::address_from_str(base58).as_ref().to_vec()
}

fn type_def(def: &IdlTypeDef) -> spec::IdlTypeDef {
    spec::IdlTypeDef {
        name: def.name.into(),
        docs: docs(def.docs),
        ty: match def.body {
            IdlTypeBody::Struct(fields) => spec::IdlTypeDefTy::Struct {
                fields: fields.iter().map(field).collect(),
            },
            IdlTypeBody::Enum(variants) => spec::IdlTypeDefTy::Enum {
                variants: variants
                    .iter()
                    .map(|name| spec::IdlEnumVariant {
                        name: (*name).into(),
                    })
                    .collect(),
            },
        },
    }
}

fn field(field: &IdlFieldDef) -> spec::IdlField {
    spec::IdlField {
        name: field.name.into(),
        ty: ty(field.ty),
    }
}

fn ty(ty: IdlTy) -> spec::IdlType {
    match ty {
        IdlTy::U8 => spec::IdlType::U8,
        IdlTy::U16 => spec::IdlType::U16,
        IdlTy::U32 => spec::IdlType::U32,
        IdlTy::U64 => spec::IdlType::U64,
        IdlTy::I64 => spec::IdlType::I64,
        IdlTy::U128 => spec::IdlType::U128,
        IdlTy::Bool => spec::IdlType::Bool,
        IdlTy::Pubkey => spec::IdlType::Pubkey,
        IdlTy::Bytes => spec::IdlType::Bytes,
        IdlTy::Array { of, len } => spec::IdlType::Array(Box::new(self::ty(*of)), len),
        IdlTy::Option { of } => spec::IdlType::Option(Box::new(self::ty(*of))),
        IdlTy::Defined(name) => spec::IdlType::Defined { name: name.into() },
    }
}

fn constant(def: &IdlConstDef) -> spec::IdlConst {
    let (ty, value) = match (def.value)() {
        IdlConstValue::U8(v) => (spec::IdlType::U8, v.to_string()),
        IdlConstValue::U16(v) => (spec::IdlType::U16, v.to_string()),
        IdlConstValue::U32(v) => (spec::IdlType::U32, v.to_string()),
        IdlConstValue::U64(v) => (spec::IdlType::U64, v.to_string()),
        IdlConstValue::I64(v) => (spec::IdlType::I64, v.to_string()),
        IdlConstValue::U128(v) => (spec::IdlType::U128, v.to_string()),
        IdlConstValue::Bytes(v) => (spec::IdlType::Bytes, format!("{v:?}")),
        IdlConstValue::U16Range(min, max) => (range(spec::IdlType::U16), format!("[{min}, {max}]")),
        IdlConstValue::U64Range(min, max) => (range(spec::IdlType::U64), format!("[{min}, {max}]")),
        IdlConstValue::I64Range(min, max) => (range(spec::IdlType::I64), format!("[{min}, {max}]")),
    };
    spec::IdlConst {
        name: def.name.into(),
        ty,
        value,
    }
}

/// A `(min, max)` bound: a two-element array.
fn range(of: spec::IdlType) -> spec::IdlType {
    spec::IdlType::Array(Box::new(of), 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::idl::IdlConstSource;

    #[test]
    fn types_are_written_as_the_spec_says() {
        const U8: IdlTy = IdlTy::U8;
        const META: IdlTy = IdlTy::Defined("Meta");
        let json = |t: IdlTy| serde_json::to_string(&ty(t)).unwrap();
        assert_eq!(json(IdlTy::U64), r#""u64""#);
        assert_eq!(
            json(IdlTy::Array { of: &U8, len: 4 }),
            r#"{"array":["u8",4]}"#
        );
        assert_eq!(
            json(IdlTy::Array { of: &META, len: 8 }),
            r#"{"array":[{"defined":{"name":"Meta"}},8]}"#
        );
        assert_eq!(json(IdlTy::Option { of: &U8 }), r#"{"option":"u8"}"#);
    }

    #[test]
    fn constants_carry_their_type_and_value() {
        let json = |value: fn() -> IdlConstValue| {
            serde_json::to_string(&constant(&IdlConstDef { name: "X", value })).unwrap()
        };
        assert_eq!(
            json(|| IdlConstSource::idl_const(b"ab")),
            r#"{"name":"X","type":"bytes","value":"[97, 98]"}"#
        );
        assert_eq!(
            json(|| IdlConstSource::idl_const(&(-1i64, 2i64))),
            r#"{"name":"X","type":{"array":["i64",2]},"value":"[-1, 2]"}"#
        );
        assert_eq!(
            json(|| IdlConstSource::idl_const(&4usize)),
            r#"{"name":"X","type":"u32","value":"4"}"#
        );
    }

    #[test]
    fn enums_list_their_variants_in_index_order() {
        let def = IdlTypeDef {
            name: "Side",
            docs: "",
            discriminator: [0; 8],
            body: IdlTypeBody::Enum(&["For", "Against"]),
        };
        assert_eq!(
            serde_json::to_string(&type_def(&def)).unwrap(),
            r#"{"name":"Side","type":{"kind":"enum","variants":[{"name":"For"},{"name":"Against"}]}}"#
        );
    }
}
