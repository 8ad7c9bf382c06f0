// Asks about the newest of many requests (the cursor's position): after a
// quiet moment, one question at a time, only the latest position; answers to
// cancelled questions are dropped. Tested in latest.test.ts.

export class Latest<A, R> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: { value: A } | null = null;
  private busy = false;
  /** Bumped by cancel(): answers to questions asked before it are dropped. */
  private generation = 0;

  /** `answer` gets null when the question failed. */
  constructor(
    private readonly ask: (value: A) => Promise<R>,
    private readonly answer: (result: R | null) => void,
    private readonly delayMs: number,
  ) {}

  /** Asks about `value` once no newer request came for `delayMs` and no question is in flight. */
  request(value: A): void {
    this.pending = { value };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, this.delayMs);
  }

  /** Forgets the request waiting and the answer of the question in flight. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = null;
    this.generation += 1;
  }

  private send(): void {
    if (this.busy || !this.pending) return;
    const { value } = this.pending;
    this.pending = null;
    this.busy = true;
    const generation = this.generation;
    const settle = (result: R | null) => {
      this.busy = false;
      if (generation === this.generation) this.answer(result);
      // A request that came while this one was in flight, and is quiet by now.
      if (this.timer === undefined) this.send();
    };
    this.ask(value).then(settle, () => settle(null));
  }
}
