// A minimal W3C WebDriver client on Node's fetch: enough to drive the real
// app through tauri-driver without another dependency.

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, application, args = []) {
    const body = { capabilities: { alwaysMatch: { "tauri:options": { application, args } } } };
    const value = await request(base, "POST", "/session", body);
    return new Session(base, value.sessionId);
  }

  call(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const value = await this.call("POST", "/element", { using: "css selector", value: css });
    return value[ELEMENT];
  }

  /** Waits until `css` matches an element whose text satisfies `test`. */
  async waitForText(css, test, timeoutMs = 20000) {
    const until = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < until) {
      try {
        last = await this.text(await this.find(css));
        if (test(last)) return last;
      } catch {
        // not there yet
      }
      await sleep(250);
    }
    throw new Error(`timed out waiting for ${css}; last text: ${JSON.stringify(last)}`);
  }

  async text(element) {
    return this.call("GET", `/element/${element}/text`);
  }

  /** The current value of a form control (what the user sees in it). */
  async value(element) {
    return this.call("GET", `/element/${element}/property/value`);
  }

  async type(element, text) {
    return this.call("POST", `/element/${element}/value`, { text });
  }

  async click(element) {
    return this.call("POST", `/element/${element}/click`, {});
  }

  /**
   * Clicks what `css` matches. The UI redraws parts of itself (tabs, dialogs,
   * lists) as answers arrive, so the element found can be replaced before the
   * click lands: it is then found again, a few times at most.
   */
  async clickOn(css) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.click(await this.find(css));
      } catch (error) {
        if (attempt >= 5 || !String(error.message).includes("stale element reference")) throw error;
        await sleep(100);
      }
    }
  }

  /** Performs one sequence of mouse pointer actions. */
  async pointer(actions) {
    return this.call("POST", "/actions", {
      actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions }],
    });
  }

  /** Clicks the middle of an element with a real pointer. */
  async clickCentre(element) {
    return this.clickAt(element, 0, 0);
  }

  /** Clicks `dx`, `dy` pixels off the middle of an element with a real pointer. */
  async clickAt(element, dx, dy) {
    return this.pointer([
      { type: "pointerMove", origin: { [ELEMENT]: element }, x: Math.round(dx), y: Math.round(dy) },
      { type: "pointerDown", button: 0 },
      { type: "pause", duration: 50 },
      { type: "pointerUp", button: 0 },
    ]);
  }

  /** Moves a real pointer to `dx`, `dy` pixels off the middle of an element, in a few steps (hovering). */
  async pointerMove(element, dx, dy) {
    const origin = { [ELEMENT]: element };
    return this.pointer([
      { type: "pointerMove", origin, x: Math.round(dx) - 6, y: Math.round(dy) - 6 },
      { type: "pointerMove", origin, x: Math.round(dx) - 3, y: Math.round(dy) - 3, duration: 50 },
      { type: "pointerMove", origin, x: Math.round(dx), y: Math.round(dy), duration: 50 },
    ]);
  }

  /** Double-clicks `dx`, `dy` pixels off the middle of an element (ends a line being drawn). */
  async doubleClickAt(element, dx, dy) {
    const click = [{ type: "pointerDown", button: 0 }, { type: "pointerUp", button: 0 }];
    return this.pointer([
      { type: "pointerMove", origin: { [ELEMENT]: element }, x: Math.round(dx), y: Math.round(dy) },
      ...click,
      { type: "pause", duration: 60 },
      ...click,
    ]);
  }

  /** Presses a key with modifiers held (WebDriver key codes, e.g. "\uE009" for Control). */
  async chord(modifiers, key) {
    const down = [...modifiers, key].map((value) => ({ type: "keyDown", value }));
    const up = [key, ...[...modifiers].reverse()].map((value) => ({ type: "keyUp", value }));
    await this.call("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions: [...down, ...up] }] });
    return this.call("DELETE", "/actions");
  }

  async run(script, ...args) {
    return this.call("POST", "/execute/sync", { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.call("GET", "/screenshot"), "base64");
  }

  async end() {
    await this.call("DELETE", "");
  }
}

async function request(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok || (json.value && json.value.error)) {
    throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  }
  return json.value;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How many pixels of the canvases matching `css` pass `test`, a JavaScript
 *  expression over `r`, `g`, `b` and `a` (0–255). */
export function countPixels(session, css, test) {
  return session.run(`
    let n = 0;
    for (const c of document.querySelectorAll(arguments[0])) {
      try {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) {
          const r = d[i], g = d[i + 1], b = d[i + 2], a = d[i + 3];
          if (${test}) n++;
        }
      } catch (e) {}
    }
    return n;`, css);
}

/** The most strongly coloured pixels on any of the map's canvases: poles,
 *  roads and the boundary draw in colour, the relief in grey. */
export function colouredPixels(session) {
  return session.run(`
    let best = 0;
    for (const c of document.querySelectorAll('#map canvas')) {
      try {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] > 200 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
        }
        best = Math.max(best, n);
      } catch (e) {}
    }
    return best;`);
}
