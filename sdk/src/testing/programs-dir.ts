import { join } from "node:path";

/**
 * Where the package keeps the programs' `.so` files: `<package>/programs`, two levels above this
 * module both in the sources (`src/testing/`) and in the build (`dist/testing/`). The package's
 * build copies them there from `target/deploy`, as does the repository's `npm run build`. The
 * one place the kit names a path: a build that moves this module moves this line with it.
 */
export const PROGRAMS_DIR = join(__dirname, "..", "..", "programs");
