// "Report a fault" on any asset (pole, lamp, road, drain, equipment): the
// fault types the core allows for the asset's kind, reporter, contact,
// description; once saved, photos can be attached to the new order.

import { toIpcError } from "../api";
import { h } from "../dom";
import { PhotoSection } from "../edit/photos";
import { PhotoViewer } from "../edit/photoviewer";
import { t } from "../i18n";
import { faultTypes, openWorkOrder } from "./api";
import { codeLabel, errorWords, field, Modal, select, textInput, type Host } from "./common";

export interface Asset {
  kind: "pole" | "lamp" | "road" | "drain" | "equipment";
  uid: string;
  label: string;
}

export class FaultForm {
  private modal: Modal | null = null;

  constructor(
    private readonly host: Host,
    private readonly asset: Asset,
    private readonly done: (orderNo: string) => void,
  ) {}

  open(): void {
    void this.build();
  }

  private async build(): Promise<void> {
    const lang = this.host.lang();
    const model = this.host.model();
    let types: string[] = [];
    try {
      types = await faultTypes(this.asset.kind);
    } catch {
      types = ["other"];
    }
    const type = select(types.map((c) => ({ value: c, text: codeLabel(model, "fault_type", c, lang) })));
    const reporter = textInput();
    const contact = textInput();
    const description = h("textarea", { rows: 3 });
    let saved: string | null = null;
    const modal = new Modal("inv-fault-form", t(lang, "invFaultTitle", { asset: this.asset.label }), lang, async () => {
      if (saved) return true;
      try {
        const opened = await openWorkOrder({
          asset_kind: this.asset.kind,
          asset_uid: this.asset.uid,
          fault_type: type.value,
          reporter: reporter.value.trim() || null,
          contact: contact.value.trim() || null,
          description: description.value.trim() || null,
        });
        saved = opened.order_no;
        this.host.redraw();
        this.done(opened.order_no);
        modal.status.textContent = t(lang, "invOrderOpened", { no: opened.order_no });
        // The order exists now: its photos can be attached before closing.
        const viewer = new PhotoViewer();
        const photos = new PhotoSection(viewer, () => undefined);
        photos.setEditable(true);
        await photos.show({ layer: "work_orders", uid: opened.uid });
        photos.render(lang);
        modal.fill(h("p", { class: "inv-message", id: "inv-fault-saved" }, t(lang, "invOrderOpened", { no: opened.order_no })), photos.element);
        return false;
      } catch (error) {
        modal.status.textContent = errorWords(toIpcError(error), lang);
        return false;
      }
    });
    modal.fill(
      field("inv-fault-type", t(lang, "invFaultType"), type),
      field("inv-fault-reporter", t(lang, "invReporter"), reporter),
      field("inv-fault-contact", t(lang, "invContact"), contact),
      field("inv-fault-description", t(lang, "invDescription"), description),
      h("p", { class: "hint" }, t(lang, "invPhotosAfter")),
    );
    this.modal = modal;
    modal.open();
  }

  close(): void {
    this.modal?.close();
  }
}
