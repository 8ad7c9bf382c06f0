// A slice of the data model (src/model/schema.toml) for the editing tests:
// poles with their lamps, roads, and the domains they use.

import type { DataModel, ModelField } from "../api";

const field = (f: Partial<ModelField> & Pick<ModelField, "name" | "th" | "en">): ModelField => ({
  type: "text",
  required: false,
  domain: null,
  unique: false,
  min: null,
  max: null,
  format: null,
  ...f,
});

export const MODEL: DataModel = {
  version: 2,
  layers: [
    {
      name: "poles",
      th: "เสาไฟฟ้าส่องสว่าง",
      en: "Street-light poles",
      geometry: "POINT",
      fields: [
        field({ name: "pole_no", th: "หมายเลขเสา", en: "Pole number", required: true, unique: true }),
        field({ name: "pole_type", th: "ชนิดเสา", en: "Pole type", domain: "pole_type", required: true }),
        field({ name: "height_m", th: "ความสูง (ม.)", en: "Height (m)", type: "real", min: 1, max: 60 }),
        field({ name: "village_no", th: "หมู่ที่", en: "Village no.", type: "integer", min: 1, max: 99 }),
        field({ name: "road_code", th: "รหัสสายทาง", en: "Road code", format: "road_code" }),
        field({ name: "install_date", th: "วันที่ติดตั้ง", en: "Installed on", type: "date" }),
        field({ name: "status", th: "สถานะ", en: "Status", domain: "pole_status", required: true }),
        field({ name: "elevation_m", th: "ระดับพื้นดิน (ม. รทก.)", en: "Ground elevation (m MSL)", type: "real" }),
      ],
    },
    {
      name: "lamps",
      th: "โคม/หลอด",
      en: "Lamps",
      geometry: null,
      fields: [
        field({ name: "pole_uid", th: "เสา (uid)", en: "Pole (uid)", required: true }),
        field({ name: "lamp_type", th: "ชนิดหลอด", en: "Lamp type", domain: "lamp_type", required: true }),
        field({ name: "watts", th: "กำลังไฟ (วัตต์)", en: "Power (W)", type: "integer", min: 1, max: 2000 }),
      ],
    },
    {
      name: "roads",
      th: "ทางหลวงท้องถิ่น",
      en: "Local roads",
      geometry: "LINESTRING",
      fields: [
        field({ name: "road_code", th: "รหัสสายทาง", en: "Road code", format: "road_code" }),
        field({ name: "name_th", th: "ชื่อสายทาง", en: "Name (Thai)" }),
        field({ name: "surface", th: "ผิวจราจร", en: "Surface", domain: "road_surface", required: true }),
        field({ name: "village_no", th: "หมู่ที่", en: "Village no.", type: "integer" }),
        field({ name: "length_m", th: "ระยะทาง (ม.)", en: "Length (m)", type: "real" }),
      ],
    },
  ],
  coverages: {},
  domains: {
    pole_type: {
      th: "ชนิดเสา",
      en: "Pole type",
      values: [
        { code: "single_arm", th: "กิ่งเดี่ยว", en: "Single arm" },
        { code: "double_arm", th: "กิ่งคู่", en: "Double arm" },
      ],
    },
    pole_status: {
      th: "สถานะ",
      en: "Status",
      values: [
        { code: "normal", th: "ใช้งานปกติ", en: "In service" },
        { code: "damaged", th: "ชำรุด", en: "Damaged" },
      ],
    },
    lamp_type: { th: "ชนิดหลอด", en: "Lamp type", values: [{ code: "led", th: "แอลอีดี", en: "LED" }] },
    road_surface: { th: "ผิวจราจร", en: "Surface", values: [{ code: "asphalt", th: "ลาดยาง", en: "Asphalt" }] },
  },
};
