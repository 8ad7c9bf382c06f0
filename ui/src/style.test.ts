import { readFileSync } from "node:fs";

import postcss from "postcss";
import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("./style.css", import.meta.url), "utf8");

describe("the style sheet", () => {
  it("parses with every block closed", () => {
    expect(() => postcss.parse(css)).not.toThrow();
  });

  it("has no rule nested in another rule, where its selector would silently never match", () => {
    const nested: string[] = [];
    postcss.parse(css).walkRules((rule) => {
      if (rule.parent?.type === "rule") nested.push(rule.selector);
    });
    expect(nested).toEqual([]);
  });

  it("has no empty rule", () => {
    const empty: string[] = [];
    postcss.parse(css).walkRules((rule) => {
      if (rule.nodes.length === 0) empty.push(rule.selector);
    });
    expect(empty).toEqual([]);
  });

  it("gives form controls the app's font, so Thai in inputs and placeholders has glyphs", () => {
    const inheriting = new Set<string>();
    postcss.parse(css).walkDecls("font", (decl) => {
      if (decl.value === "inherit" && decl.parent?.type === "rule") {
        (decl.parent as postcss.Rule).selectors.forEach((s) => inheriting.add(s));
      }
    });
    for (const control of ["button", "input", "select", "textarea"]) expect(inheriting).toContain(control);
  });
});
