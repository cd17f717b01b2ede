//! Anchor's IDL format, spec 0.1.0, as serde structs: the parts the MEDIA programs use. Field
//! order is the order the JSON is written in; optional parts are left out when empty, as
//! `anchor build` does.
use serde::Serialize;

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Serialize)]
pub struct Idl {
    pub address: String,
    pub metadata: IdlMetadata,
    pub instructions: Vec<IdlInstruction>,
    pub accounts: Vec<IdlAccount>,
    pub events: Vec<IdlEvent>,
    pub errors: Vec<IdlErrorCode>,
    pub types: Vec<IdlTypeDef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constants: Vec<IdlConst>,
}

#[derive(Serialize)]
pub struct IdlMetadata {
    pub name: String,
    pub version: String,
    pub spec: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Serialize)]
pub struct IdlInstruction {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub docs: Vec<String>,
    pub discriminator: [u8; 8],
    pub accounts: Vec<IdlInstructionAccount>,
    pub args: Vec<IdlField>,
}

#[derive(Serialize)]
pub struct IdlInstructionAccount {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub docs: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub writable: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub signer: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pda: Option<IdlPda>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<String>,
}

#[derive(Serialize)]
pub struct IdlPda {
    pub seeds: Vec<IdlSeed>,
    /// The program the PDA is derived from, if not this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<IdlSeed>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum IdlSeed {
    Const { value: Vec<u8> },
    Arg { path: String },
    Account { path: String },
}

/// An account type or an event: its name and discriminator (the layout is in `types`).
#[derive(Serialize)]
pub struct IdlAccount {
    pub name: String,
    pub discriminator: [u8; 8],
}

pub type IdlEvent = IdlAccount;

#[derive(Serialize)]
pub struct IdlErrorCode {
    pub code: u32,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
}

#[derive(Serialize)]
pub struct IdlTypeDef {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub docs: Vec<String>,
    #[serde(rename = "type")]
    pub ty: IdlTypeDefTy,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum IdlTypeDefTy {
    Struct { fields: Vec<IdlField> },
    Enum { variants: Vec<IdlEnumVariant> },
}

#[derive(Serialize)]
pub struct IdlEnumVariant {
    pub name: String,
}

#[derive(Serialize)]
pub struct IdlField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: IdlType,
}

/// A type: primitives as their name, the rest as a one-key object (`{"array": [type, len]}`,
/// `{"option": type}`, `{"defined": {"name": ...}}`).
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IdlType {
    Bool,
    U8,
    U16,
    U32,
    U64,
    I64,
    U128,
    Bytes,
    Pubkey,
    Option(Box<IdlType>),
    Array(Box<IdlType>, usize),
    Defined { name: String },
}

#[derive(Serialize)]
pub struct IdlConst {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: IdlType,
    /// The value as Rust would write it (`25000000`, `[99, 111]`), as Anchor does.
    pub value: String,
}
