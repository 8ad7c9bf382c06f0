import { describe, expect, it } from "vitest";

import { mergeLines, splitLineAt, type XY } from "./geometry";

const line: XY[] = [
  [0, 0],
  [10, 0],
  [10, 10],
];

describe("splitting a line", () => {
  it("cuts inside a segment at the point nearest the click", () => {
    expect(splitLineAt(line, [4, 3])).toEqual({
      first: [
        [0, 0],
        [4, 0],
      ],
      second: [
        [4, 0],
        [10, 0],
        [10, 10],
      ],
    });
  });

  it("cuts on a vertex without doubling it", () => {
    expect(splitLineAt(line, [10.001, -0.001], 0.01)).toEqual({
      first: [
        [0, 0],
        [10, 0],
      ],
      second: [
        [10, 0],
        [10, 10],
      ],
    });
  });

  it("refuses to cut at an end, which would leave nothing", () => {
    expect(splitLineAt(line, [-5, 0])).toBeNull();
    expect(splitLineAt(line, [10, 12])).toBeNull();
    expect(splitLineAt([[1, 1]], [1, 1])).toBeNull();
  });
});

describe("merging lines", () => {
  const a: XY[] = [
    [0, 0],
    [5, 0],
  ];
  it("joins lines end to end whichever way the second runs, keeping the first's direction", () => {
    const expected = [
      [0, 0],
      [5, 0],
      [9, 0],
    ];
    expect(mergeLines(a, [[5, 0], [9, 0]])).toEqual(expected);
    expect(mergeLines(a, [[9, 0], [5, 0]])).toEqual(expected);
    expect(mergeLines(a, [[-3, 0], [0, 0]])).toEqual([
      [-3, 0],
      [0, 0],
      [5, 0],
    ]);
    expect(mergeLines(a, [[0, 0], [-3, 0]])).toEqual([
      [-3, 0],
      [0, 0],
      [5, 0],
    ]);
  });

  it("accepts ends a hair apart and refuses lines that do not meet", () => {
    expect(mergeLines(a, [[5.004, 0], [9, 0]])).toHaveLength(3);
    expect(mergeLines(a, [[6, 0], [9, 0]])).toBeNull();
  });
});
