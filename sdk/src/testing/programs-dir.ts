import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGE_NAME = "@media-network/sdk";

/**
 * The SDK package's root: the nearest folder above this module whose package.json names the
 * SDK. The kit's code sits at a different depth in `src/`, `dist/cjs/` and the bundled
 * `dist/esm/` (and its chunks), so the depth cannot be assumed.
 */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`the testing kit found no ${PACKAGE_NAME} package.json above ${from}: reinstall @media-network/sdk`);
  }
}

/**
 * Where the package keeps the programs' `.so` files: `<package>/programs`. The package's build
 * copies them there from `target/deploy`, as does the repository's `npm run build`.
 */
export const PROGRAMS_DIR = join(packageRoot(__dirname), "programs");
