//! Function and source line of a program counter, from the DWARF sbpf-linker copies into the
//! debug-info build. Addresses in it are offsets into .text (the object's, which sbpf-linker
//! keeps instruction for instruction), so a program counter `pc` is address `pc * 8`.

use gimli::{EndianSlice, LittleEndian, SectionId};
use std::error::Error;

type Reader = EndianSlice<'static, LittleEndian>;

#[derive(Clone)]
pub struct Place {
    /// The function the instruction is compiled in (a symbol of the program).
    pub function: String,
    /// The repository source line it comes from: the innermost inlined frame in the
    /// repository's own code, else the innermost frame.
    pub file: String,
    pub line: u64,
    /// The (possibly inlined) function that line belongs to.
    pub source_function: String,
}

impl Place {
    pub fn unknown(pc: u64) -> Place {
        Place {
            function: format!("<pc {pc}>"),
            file: "<no line info>".into(),
            line: 0,
            source_function: String::new(),
        }
    }
}

pub struct DebugInfo {
    context: addr2line::Context<Reader>,
}

type Sections = Vec<(String, &'static [u8])>;

/// The sections of an ELF64 little-endian file, by name.
fn sections(elf: &'static [u8]) -> Result<Sections, Box<dyn Error>> {
    let u16_at = |at: usize| u16::from_le_bytes([elf[at], elf[at + 1]]) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(elf[at..at + 4].try_into().unwrap()) as usize;
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap()) as usize;
    if elf.get(..4) != Some(b"\x7fELF") {
        return Err("not an ELF file".into());
    }
    let (table, size, count, names) = (u64_at(0x28), u16_at(0x3a), u16_at(0x3c), u16_at(0x3e));
    let header = |i: usize| table + i * size;
    let names_at = u64_at(header(names) + 0x18);
    let mut out = Vec::new();
    for i in 0..count {
        let h = header(i);
        let name_at = names_at + u32_at(h);
        let end = elf[name_at..]
            .iter()
            .position(|&b| b == 0)
            .ok_or("unterminated section name")?;
        let name = String::from_utf8_lossy(&elf[name_at..name_at + end]).into_owned();
        let (offset, len) = (u64_at(h + 0x18), u64_at(h + 0x20));
        let data = if u32_at(h + 4) == 8 {
            &[][..]
        } else {
            elf.get(offset..offset + len)
                .ok_or("section past the end of the file")?
        };
        out.push((name, data));
    }
    Ok(out)
}

impl DebugInfo {
    pub fn load(elf: &[u8]) -> Result<DebugInfo, Box<dyn Error>> {
        let elf: &'static [u8] = Box::leak(elf.to_vec().into_boxed_slice());
        let sections = sections(elf)?;
        if !sections.iter().any(|(name, _)| name == ".debug_line") {
            return Err(
                "the debug-info build has no .debug_line: build it with `npm run build`".into(),
            );
        }
        let dwarf = gimli::Dwarf::load(|id: SectionId| -> Result<Reader, gimli::Error> {
            let data = sections
                .iter()
                .find(|(name, _)| name == id.name())
                .map(|(_, d)| *d)
                .unwrap_or(&[]);
            Ok(EndianSlice::new(data, LittleEndian))
        })?;
        Ok(DebugInfo {
            context: addr2line::Context::from_dwarf(dwarf)?,
        })
    }

    pub fn place(&self, address: u64) -> Place {
        let mut frames: Vec<(String, Option<(String, u64)>)> = Vec::new();
        if let Ok(mut iter) = self.context.find_frames(address).skip_all_loads() {
            while let Ok(Some(frame)) = iter.next() {
                let name = frame
                    .function
                    .as_ref()
                    .and_then(|f| f.raw_name().ok())
                    .map(|n| unescape(&n))
                    .unwrap_or_else(|| "?".into());
                let location = frame
                    .location
                    .and_then(|l| Some((l.file?.to_string(), u64::from(l.line?))));
                frames.push((name, location));
            }
        }
        let Some((function, _)) = frames.last().cloned() else {
            return Place::unknown(address / 8);
        };
        let ours = |file: &str| file.contains("/programs/") || file.contains("/crates/");
        let chosen = frames
            .iter()
            .find(|(_, l)| l.as_ref().is_some_and(|(file, _)| ours(file)))
            .or_else(|| frames.iter().find(|(_, l)| l.is_some()));
        match chosen {
            Some((source_function, Some((file, line)))) => Place {
                function,
                file: shorten(file),
                line: *line,
                source_function: source_function.clone(),
            },
            _ => Place {
                function: function.clone(),
                file: "<no line info>".into(),
                line: 0,
                source_function: function,
            },
        }
    }
}

/// Paths relative to the repository (programs/…, crates/…) or to a crate registry / the Rust
/// library source.
fn shorten(file: &str) -> String {
    for marker in ["/programs/", "/crates/", "/library/", "/registry/src/"] {
        if let Some(at) = file.find(marker) {
            let rest = &file[at + 1..];
            return if marker == "/registry/src/" {
                rest.splitn(3, '/').nth(2).unwrap_or(rest).to_string()
            } else {
                rest.to_string()
            };
        }
    }
    file.to_string()
}

/// bpf-linker's BTF pass writes names' punctuation as `_XX_` (hex): `set_paused_3C_T_3E_`
/// is `set_paused<T>`.
pub fn unescape(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'_' && i + 3 < bytes.len() && bytes[i + 3] == b'_' {
            if let Ok(code) = u8::from_str_radix(&name[i + 1..i + 3], 16) {
                if code.is_ascii_punctuation() || code == b' ' {
                    out.push(char::from(code));
                    i += 4;
                    continue;
                }
            }
        }
        out.push(char::from(bytes[i]));
        i += 1;
    }
    out
}
