import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

describe("OpenLayers", () => {
  it("stays at 10.10.0: 10.11.0 scrambles Thai labels along curved roads", () => {
    // ../shared/PLATFORM.md: OpenLayers 10.11.0's right-to-left detection
    // (geom/flat/textpath.js) matches U+0800–U+0FFF, which includes Thai.
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../node_modules/ol/package.json", import.meta.url)), "utf8"));
    expect(pkg.version).toBe("10.10.0");
  });
});
