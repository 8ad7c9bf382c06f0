import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { Latest } from "./latest";

/** A question the test answers by hand. */
function asker() {
  const asked: number[] = [];
  const answers: ((v: string) => void)[] = [];
  const fails: (() => void)[] = [];
  const ask = (v: number) =>
    new Promise<string>((resolve, reject) => {
      asked.push(v);
      answers.push(resolve);
      fails.push(() => reject(new Error("no")));
    });
  return { asked, answers, fails, ask };
}

describe("the latest request only", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("asks once, about the newest value, after a quiet moment", async () => {
    const a = asker();
    const shown: (string | null)[] = [];
    const latest = new Latest(a.ask, (r) => shown.push(r), 100);
    latest.request(1);
    await vi.advanceTimersByTimeAsync(50);
    latest.request(2);
    await vi.advanceTimersByTimeAsync(50);
    latest.request(3);
    expect(a.asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(a.asked).toEqual([3]);
    a.answers[0]?.("three");
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual(["three"]);
  });

  it("keeps one question in flight and asks about the newest request when it is answered", async () => {
    const a = asker();
    const shown: (string | null)[] = [];
    const latest = new Latest(a.ask, (r) => shown.push(r), 100);
    latest.request(1);
    await vi.advanceTimersByTimeAsync(100);
    latest.request(2);
    await vi.advanceTimersByTimeAsync(100);
    latest.request(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(a.asked).toEqual([1]);
    a.answers[0]?.("one");
    await vi.advanceTimersByTimeAsync(0);
    expect(a.asked).toEqual([1, 3]);
    expect(shown).toEqual(["one"]);
  });

  it("waits for the quiet moment of a request made while a question was in flight", async () => {
    const a = asker();
    const latest = new Latest(a.ask, () => undefined, 100);
    latest.request(1);
    await vi.advanceTimersByTimeAsync(100);
    latest.request(2);
    a.answers[0]?.("one");
    await vi.advanceTimersByTimeAsync(0);
    expect(a.asked).toEqual([1]);
    await vi.advanceTimersByTimeAsync(100);
    expect(a.asked).toEqual([1, 2]);
  });

  it("drops the answer after cancel and reports failures as null", async () => {
    const a = asker();
    const shown: (string | null)[] = [];
    const latest = new Latest(a.ask, (r) => shown.push(r), 100);
    latest.request(1);
    await vi.advanceTimersByTimeAsync(100);
    latest.cancel();
    a.answers[0]?.("one");
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual([]);
    latest.request(2);
    latest.cancel();
    await vi.advanceTimersByTimeAsync(200);
    expect(a.asked).toEqual([1]);
    latest.request(3);
    await vi.advanceTimersByTimeAsync(100);
    a.fails[1]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual([null]);
  });
});
