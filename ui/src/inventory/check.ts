// The annual inventory check: open it for a fiscal year with the
// committee, record findings by scanning or typing asset numbers (a USB
// scanner types the number and Enter), the live list of items not yet
// checked with its count, and closing the check.

import { toIpcError } from "../api";
import { h, replace } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { closeCheck, findCheck, openCheck, recordFinding, uncheckedItems, type Check, type Item } from "./api";
import { codeLabel, dateText, errorWords, select, textInput, type Host } from "./common";
import { committeeNames, fiscalYearOf, scanned } from "./values";

/** The unchecked list shows this many rows at most; the count is always the whole. */
const SHOWN = 300;

export class CheckPanel {
  readonly element = h("section", { class: "inv-check", id: "inv-check" });
  private readonly year = textInput(String(fiscalYearOf(new Date())), { id: "chk-fy", inputmode: "numeric" });
  private readonly committee = h("textarea", { id: "chk-committee", rows: 3 });
  private readonly scan = textInput("", { id: "chk-scan" });
  private finding = "found";
  private check: Check | null = null;
  private items: Item[] = [];
  private log: string[] = [];
  private message = "";
  private force = false;

  constructor(private readonly host: Host) {
    this.year.addEventListener("change", () => void this.load());
    this.scan.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      void this.record(scanned(this.scan.value));
    });
  }

  private get fy(): number {
    return Number(this.year.value.trim()) || fiscalYearOf(new Date());
  }

  async load(): Promise<void> {
    this.message = "";
    try {
      this.check = await findCheck(this.fy);
      this.items = this.check?.status === "open" ? await uncheckedItems(this.fy) : [];
    } catch (error) {
      this.check = null;
      this.message = errorWords(toIpcError(error), this.host.lang());
    }
    this.render(this.host.lang());
  }

  private async record(number: string): Promise<void> {
    if (!number) return;
    const lang = this.host.lang();
    try {
      const r = await recordFinding(this.fy, number, this.finding, null);
      const finding = codeLabel(this.host.model(), "finding", this.finding, lang);
      this.log.unshift(t(lang, r.replaced ? "invRecordedAgain" : "invRecorded", { no: r.asset_no, name: r.name, finding }));
      this.log = this.log.slice(0, 20);
      this.message = "";
      this.scan.value = "";
      this.items = await uncheckedItems(this.fy);
    } catch (error) {
      this.message = errorWords(toIpcError(error), lang);
      this.scan.select();
    }
    this.render(lang);
    this.scan.focus();
  }

  private async open(): Promise<void> {
    const lang = this.host.lang();
    try {
      this.check = await openCheck(this.fy, committeeNames(this.committee.value));
      this.items = await uncheckedItems(this.fy);
      this.message = "";
    } catch (error) {
      this.message = errorWords(toIpcError(error), lang);
    }
    this.render(lang);
    this.scan.focus();
  }

  private async close(): Promise<void> {
    const lang = this.host.lang();
    try {
      await closeCheck(this.fy, this.force);
      await this.load();
    } catch (error) {
      this.message = errorWords(toIpcError(error), lang);
      this.render(lang);
    }
  }

  render(lang: Lang): void {
    const model = this.host.model();
    const c = this.check;
    const yearField = h("div", { class: "field inline" }, h("label", { for: "chk-fy" }, t(lang, "invFiscalYear")), this.year);
    const message = this.message ? h("p", { class: "problem", id: "chk-message", role: "alert" }, this.message) : null;
    if (!c) {
      const open = h("button", { type: "button", id: "chk-open" }, t(lang, "invCheckOpen"));
      open.addEventListener("click", () => void this.open());
      replace(
        this.element,
        yearField,
        h("p", {}, t(lang, "invCheckNone", { fy: this.fy })),
        h("div", { class: "field" }, h("label", { for: "chk-committee" }, t(lang, "invCommittee")), this.committee),
        open,
        message,
      );
      return;
    }
    const head = h(
      "p",
      { id: "chk-state" },
      t(lang, "invCheckOpened", { date: dateText(c.opened_on, lang), names: c.committee.join(", ") }),
      c.closed_on ? ` · ${t(lang, "invCheckClosed", { date: dateText(c.closed_on, lang) })}` : "",
    );
    if (c.status !== "open") {
      replace(this.element, yearField, head, message);
      return;
    }
    const findings = select(
      (model?.domains["finding"]?.values ?? []).map((v) => ({ value: v.code, text: lang === "th" ? v.th : v.en })),
      this.finding,
    );
    findings.id = "chk-finding";
    findings.addEventListener("change", () => (this.finding = findings.value));
    this.scan.placeholder = t(lang, "invScan");
    const force = h("input", { type: "checkbox", id: "chk-force", checked: this.force });
    force.addEventListener("change", () => (this.force = force.checked));
    const close = h("button", { type: "button", class: "secondary", id: "chk-close" }, t(lang, "invCheckClose"));
    close.addEventListener("click", () => void this.close());
    const count = this.items.length;
    replace(
      this.element,
      yearField,
      head,
      h(
        "div",
        { class: "chk-scan" },
        h("div", { class: "field" }, h("label", { for: "chk-finding" }, t(lang, "invFinding")), findings),
        h("div", { class: "field grow" }, h("label", { for: "chk-scan" }, t(lang, "invScan")), this.scan),
      ),
      message,
      h("ul", { class: "chk-log", id: "chk-log", "aria-live": "polite" }, ...this.log.map((l) => h("li", {}, l))),
      h("h4", { id: "chk-unchecked-count" }, count === 0 ? t(lang, "invUncheckedNone") : t(lang, "invUnchecked", { n: formatNumber(count, lang) })),
      h(
        "ul",
        { class: "chk-unchecked", id: "chk-unchecked" },
        ...this.items.slice(0, SHOWN).map((i) => h("li", { "data-asset": i.asset_no }, h("strong", {}, i.asset_no), ` ${i.name}`, i.department ? h("span", { class: "note" }, ` · ${i.department}`) : null)),
      ),
      h("div", { class: "inv-toolbar" }, close, h("label", { for: "chk-force", class: "check" }, force, t(lang, "invCheckForce"))),
    );
  }
}
