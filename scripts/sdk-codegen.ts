/**
 * The SDK's generated module for one program (`sdk/src/generated/<program>.ts`), from the IDL
 * the build wrote: the IDL once, as a `const` object, with its Anchor type derived from it
 * (`sdk/src/idl-type.ts`); the program id; the IDL's constants grouped as the interface crate
 * groups them (seeds, defaults, bounds, the rest); its enums as Anchor encodes them; and a
 * helper for every PDA of the program that its instructions declare.
 */
import { pascal } from "./lib";

interface IdlSeed {
  kind: "const" | "account" | "arg";
  value?: number[];
  path?: string;
}
interface IdlAccountItem {
  name: string;
  docs?: string[];
  pda?: { seeds: IdlSeed[]; program?: IdlSeed };
}
type IdlType = string | { array?: [IdlType, number]; defined?: { name: string }; option?: IdlType };
interface IdlJson {
  address: string;
  metadata: { name: string };
  instructions: { name: string; accounts: IdlAccountItem[]; args: { name: string; type: IdlType }[] }[];
  types: { name: string; docs?: string[]; type: { kind: string; variants?: { name: string }[] } }[];
  constants?: { name: string; type: IdlType; value: string }[];
}

/** What `CamelCaseName` in sdk/src/idl-type.ts computes, for checking it against Anchor. */
function camelCaseName(name: string): string {
  const snakeToCamel = (s: string) => s.replace(/_([^_]*)/g, (_, tail: string) => tail.charAt(0).toUpperCase() + tail.slice(1));
  if (name === name.toUpperCase()) return snakeToCamel(name.toLowerCase());
  if (name.includes("_")) return snakeToCamel(name);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Fails unless the type-level renaming gives exactly what Anchor's client renames at runtime. */
function checkRenaming(idl: unknown): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { convertIdlToCamelCase } = require("@coral-xyz/anchor/dist/cjs/idl") as { convertIdlToCamelCase: (idl: unknown) => unknown };
  const anchor = convertIdlToCamelCase(idl);
  const walk = (ours: unknown, theirs: unknown, at: string): void => {
    if (typeof ours === "string") {
      if (ours !== theirs) throw new Error(`${at}: sdk/src/idl-type.ts renames it ${ours}, Anchor ${String(theirs)}; rename it in the interface crate`);
    } else if (ours && typeof ours === "object") {
      for (const [key, value] of Object.entries(ours)) walk(value, (theirs as Record<string, unknown>)[key], `${at}.${key}`);
    }
  };
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (!node || typeof node !== "object") return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        ["name", "path", "account", "relations", "generic"].includes(key)
          ? Array.isArray(value)
            ? value.map((v: string) => camelCaseName(v))
            : camelCaseName(value as string)
          : rename(value),
      ]),
    );
  };
  walk(rename(idl), anchor, "idl");
}

/** A constant's value as TypeScript, typed as Anchor decodes the IDL type. */
function constValue(type: IdlType, value: string): string {
  if (type === "bytes") {
    const bytes = Buffer.from(JSON.parse(value) as number[]);
    const text = bytes.toString("latin1");
    return /^[\x20-\x7e]*$/.test(text) && !text.includes('"') ? `Buffer.from("${text}")` : `Buffer.from(${value})`;
  }
  if (type === "u8" || type === "u16" || type === "u32") return value;
  if (type === "u64" || type === "i64" || type === "u128") return `${value}n`;
  if (typeof type === "object" && type.array) {
    const items = value
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map((item) => constValue(type.array![0], item.trim()));
    if (items.length !== type.array[1]) throw new Error(`constant ${value} is not ${type.array[1]} long`);
    return `[${items.join(", ")}]`;
  }
  throw new Error(`no TypeScript rendering for a constant of type ${JSON.stringify(type)}`);
}

/** The TypeScript type of a default's value: what any value within its bounds has. */
function constKind(type: IdlType): string {
  if (type === "u8" || type === "u16" || type === "u32") return "number";
  if (type === "u64" || type === "i64" || type === "u128") return "bigint";
  throw new Error(`no TypeScript type for a default of type ${JSON.stringify(type)}`);
}

const GROUPS = [
  { prefix: "SEED_", suffix: "SEEDS", doc: "PDA seeds" },
  { prefix: "DEFAULT_", suffix: "DEFAULTS", doc: "Defaults of the spec (ECONOMY.md), used by genesis" },
  { prefix: "BOUNDS_", suffix: "BOUNDS", doc: "Hard bounds every parameter is checked against on-chain, `[min, max]`" },
  { prefix: "", suffix: "CONSTANTS", doc: "Other constants the program is built from" },
];

function renderConstants(idl: IdlJson, label: string, crate: string): { text: string; seedRef: (bytes: number[]) => string } {
  const constants = idl.constants ?? [];
  const seedRefs = new Map<string, string>();
  const groups = GROUPS.map(({ prefix, suffix, doc }) => {
    const members = constants.filter((c) => c.name.startsWith(prefix) && (prefix !== "" || !GROUPS.some((g) => g.prefix && c.name.startsWith(g.prefix))));
    if (members.length === 0) return "";
    const name = `${label}_${suffix}`;
    const lines = members.map((c) => {
      const key = camelCaseName(c.name.slice(prefix.length));
      if (c.type === "bytes" && prefix === "SEED_") seedRefs.set(c.value.replace(/\s/g, ""), `${name}.${key}`);
      return `  ${key}: ${constValue(c.type, c.value)},`;
    });
    if (suffix === "DEFAULTS") {
      // Defaults are values a caller spreads and overrides (`{ ...DEFAULTS, feeBps: 500 }`): typed
      // by their kinds (number, bigint), not their literal values, and frozen.
      const fields = members.map((c) => `readonly ${camelCaseName(c.name.slice(prefix.length))}: ${constKind(c.type)};`);
      return `/** ${doc} (${crate}). */\nexport const ${name}: { ${fields.join(" ")} } = Object.freeze({\n${lines.join("\n")}\n});\n`;
    }
    return `/** ${doc} (${crate}). */\nexport const ${name} = {\n${lines.join("\n")}\n} as const;\n`;
  });
  const seedRef = (bytes: number[]) => seedRefs.get(JSON.stringify(bytes)) ?? `Buffer.from(${JSON.stringify(bytes)})`;
  return { text: groups.filter(Boolean).join("\n"), seedRef };
}

function renderEnums(idl: IdlJson): string {
  return idl.types
    .filter((t) => t.type.kind === "enum")
    .map((t) => {
      const docs = (t.docs ?? []).join(" ");
      const variants = (t.type.variants ?? []).map((v) => `  ${v.name}: { ${camelCaseName(v.name)}: {} },`).join("\n");
      return (
        `/** ${docs ? `${docs} ` : ""}Each value as Anchor encodes and decodes it. */\n` +
        `export const ${t.name} = {\n${variants}\n} as const;\n` +
        `export type ${t.name} = (typeof ${t.name})[keyof typeof ${t.name}];\n`
      );
    })
    .join("\n");
}

/** How an instruction argument used as a seed becomes bytes. */
const ARG_SEEDS: Record<string, { param: string; bytes: (name: string) => string }> = {
  u8: { param: "number", bytes: (n) => `Buffer.from([${n}])` },
  u64: { param: "BN | number | bigint", bytes: (n) => `new BN(${n}.toString()).toArrayLike(Buffer, "le", 8)` },
  pubkey: { param: "PublicKey", bytes: (n) => `${n}.toBuffer()` },
};

function renderPdas(idl: IdlJson, programIdName: string, seedRef: (bytes: number[]) => string): string {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const ix of idl.instructions) {
    for (const account of ix.accounts) {
      if (!account.pda || account.pda.program) continue;
      const shape = JSON.stringify(account.pda.seeds.map((s) => (s.kind === "const" ? s.value : s.kind)));
      const known = seen.get(account.name);
      if (known !== undefined) {
        if (known !== shape) throw new Error(`${idl.metadata.name}: two PDAs named ${account.name} with different seeds; name them apart`);
        continue;
      }
      seen.set(account.name, shape);
      const params: string[] = [];
      const seeds: string[] = [];
      const notation: string[] = [];
      for (const seed of account.pda.seeds) {
        if (seed.kind === "const") {
          seeds.push(seedRef(seed.value!));
          notation.push(JSON.stringify(Buffer.from(seed.value!).toString("latin1")));
          continue;
        }
        const param = camelCaseName(seed.path!);
        if (seed.kind === "account") {
          params.push(`${param}: PublicKey`);
          seeds.push(`${param}.toBuffer()`);
          notation.push(param);
        } else {
          const arg = ix.args.find((a) => a.name === seed.path);
          const encoding = typeof arg?.type === "string" ? ARG_SEEDS[arg.type] : undefined;
          if (!encoding) throw new Error(`${idl.metadata.name}.${ix.name}: no seed encoding for argument ${seed.path}`);
          params.push(`${param}: ${encoding.param}`);
          seeds.push(encoding.bytes(param));
          notation.push(`${param} as ${arg!.type as string} LE`);
        }
      }
      const docs = (account.docs ?? []).join(" ");
      out.push(
        `/** ${docs ? `${docs}: ` : ""}\`[${notation.join(", ")}]\`. */\n` +
          `export function ${camelCaseName(account.name)}Pda(${[...params, `programId: PublicKey = ${programIdName}`].join(", ")}): PublicKey {\n` +
          `  return PublicKey.findProgramAddressSync([${seeds.join(", ")}], programId)[0];\n}\n`,
      );
    }
  }
  return out.join("\n");
}

/** One-line JSON with a space after `:` and `,`. */
function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(", ")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${inlineJson(item)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** JSON, indented, with every array or object that fits in 120 columns on one line. */
function formatJson(value: unknown, indent = "", lead = 0): string {
  const inline = inlineJson(value);
  if (indent.length + lead + inline.length <= 120 || !value || typeof value !== "object") return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.every((item) => typeof item !== "object" || item === null)) {
    // Bytes (addresses in seeds): as many to a line as fit.
    const lines: string[] = [];
    for (const item of value.map((v) => JSON.stringify(v))) {
      const last = lines.length - 1;
      if (last >= 0 && inner.length + lines[last].length + item.length + 2 <= 120) lines[last] += `, ${item}`;
      else lines.push(item);
    }
    return `[\n${lines.map((line) => inner + line).join(",\n")}\n${indent}]`;
  }
  if (Array.isArray(value)) return `[\n${value.map((item) => inner + formatJson(item, inner)).join(",\n")}\n${indent}]`;
  const entries = Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner, key.length + 4)}`);
  return `{\n${entries.join(",\n")}\n${indent}}`;
}

/** The SDK's generated module for `program` from its IDL (`target/idl/<program>.json`). */
export function renderSdkModule(program: string, idlJson: string): string {
  const idl = JSON.parse(idlJson) as IdlJson;
  checkRenaming(idl);
  const typeName = pascal(program);
  const upper = program.toUpperCase();
  const label = upper.replace(/^MEDIA_/, "");
  const crate = `crates/${program.replace(/_/g, "-")}-interface`;
  const programIdName = `${upper}_PROGRAM_ID`;
  const constants = renderConstants(idl, label, crate);
  const pdas = renderPdas(idl, programIdName, constants.seedRef);
  const sections = [
    `// Generated by \`npm run idl:sync\` from target/idl/${program}.json, which the build writes from\n` +
      `// ${crate}. Do not edit: change the interface crate, then \`npm run build && npm run idl:sync\`.\n` +
      // Buffer from the "buffer" package (Node's own in Node, web3.js's in a browser bundle): the
      // seeds are built at load time, where a browser has no global Buffer.
      `import { PublicKey } from "@solana/web3.js";\n${pdas.includes("new BN(") ? 'import BN from "bn.js";\n' : ""}import { Buffer } from "buffer";\nimport type { CamelCaseIdl } from "../idl-type";\n`,
    `const IDL = ${formatJson(idl)} as const;\n`,
    `/** The IDL's type as Anchor's client sees it (camelCase names), for \`Program<${typeName}>\`. */\n` +
      `export type ${typeName} = CamelCaseIdl<typeof IDL>;\n\n` +
      `/**\n * The Anchor IDL (spec 0.1.0) as the build wrote it, snake_case names and all, for\n` +
      ` * \`new Program<${typeName}>(${upper}_IDL, provider)\` (which renames it); the published package\n` +
      ` * also ships it as \`idl/${program}.json\`.\n */\n` +
      `export const ${upper}_IDL = IDL as unknown as ${typeName};\n\n` +
      `/** The program id: the IDL's address, from the program's \`declare_id!\`. */\n` +
      `export const ${programIdName} = new PublicKey(IDL.address);\n`,
    constants.text,
    renderEnums(idl),
    pdas,
  ];
  return sections.filter(Boolean).join("\n");
}
