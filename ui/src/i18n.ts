// Every word the UI shows, in Thai (first) and English. Labels of the data
// model (layers, fields) come from the shell's data_model() instead.

export type Lang = "th" | "en";

export const LANGS: readonly Lang[] = ["th", "en"];

const th = {
  mapFeatures: "ข้อมูลเชิงพื้นที่ทั้งหมด",
  moveUp: "เลื่อนขึ้น",
  moveDown: "เลื่อนลง",
  openFileButton: "เปิดไฟล์…",
  openFileLabel: "เปิดไฟล์ GeoPackage (Ctrl+O)",
  recentFiles: "ไฟล์ล่าสุด",
  map: "แผนที่",
  searchPlaceholder: "ค้นหา: เลขเสา รหัสสายทาง ชื่อถนน สถานที่",
  searchLabel: "ค้นหาบนแผนที่",
  searchNone: "ไม่พบ",
  layerPanel: "ชั้นข้อมูลบนแผนที่",
  hillshade: "ภูมิประเทศ (เงาภูเขา)",
  opacity: "ความทึบ",
  legend: "คำอธิบายสัญลักษณ์",
  poleCluster: "กลุ่มเสา (ย่อขนาด)",
  identifyTitle: "รายละเอียด",
  identifyNone: "คลิกที่เสา ถนน หรือสถานที่ เพื่อดูรายละเอียด",
  close: "ปิด",
  coordinates: "พิกัด",
  zone: "โซน",
  north: "ทิศเหนือ",
  appName: "ท้องถิ่น",
  appSubtitle: "ระบบข้อมูลทรัพย์สินขององค์กรปกครองส่วนท้องถิ่น",
  switchLanguage: "English",
  switchLanguageLabel: "Switch the interface to English",
  loading: "กำลังเปิดไฟล์…",
  loadingDemo: "กำลังเตรียมไฟล์ตัวอย่าง…",
  fileSummary: "ข้อมูลไฟล์",
  file: "ไฟล์",
  gpkgVersion: "รุ่น GeoPackage",
  modelVersion: "รุ่นแบบจำลองข้อมูล",
  modelVersionOfApp: "(โปรแกรมใช้รุ่น {v})",
  notTongtin: "ไม่ใช่ไฟล์ของท้องถิ่น",
  modified: "แก้ไขล่าสุด",
  size: "ขนาด",
  layerCount: "จำนวนชั้นข้อมูล",
  layers: "ชั้นข้อมูล",
  colLabel: "ชั้นข้อมูล",
  colName: "ชื่อตาราง",
  colKind: "ประเภท",
  colGeometry: "รูปทรงเรขาคณิต",
  colSrs: "ระบบพิกัด",
  colCount: "จำนวน",
  colExtent: "ขอบเขต",
  colFields: "ฟิลด์",
  fieldsCount: "{n} ฟิลด์",
  zoomLevels: "ระดับซูม {min}–{max}",
  unknownLayer: "ชั้นข้อมูลที่ไม่อยู่ในแบบจำลอง",
  none: "–",
  errorTitle: "เปิดไฟล์ไม่ได้",
  errorDetail: "รายละเอียด",
  openDemo: "เปิดไฟล์ตัวอย่าง",
  dismiss: "ปิดข้อความ",
  noFile: "ยังไม่ได้เปิดไฟล์",
  "err.not_found": "ไม่พบไฟล์นี้",
  "err.not_a_file": "ตำแหน่งนี้ไม่ใช่ไฟล์",
  "err.io": "อ่านไฟล์ไม่ได้ (ตรวจสอบสิทธิ์การเข้าถึง)",
  "err.not_geopackage": "ไฟล์นี้ไม่ใช่ GeoPackage",
  "err.truncated": "ไฟล์ไม่สมบูรณ์ (ถูกตัดขาด)",
  "err.corrupt": "ไฟล์เสียหาย",
  "err.gpkg": "อ่านข้อมูลใน GeoPackage ไม่ได้",
  "err.demo": "สร้างไฟล์ตัวอย่างไม่ได้",
  "err.no_data_dir": "ไม่พบโฟลเดอร์ข้อมูลของโปรแกรม",
  "err.no_shell": "หน้านี้ต้องเปิดในโปรแกรมท้องถิ่น ไม่ใช่ในเว็บเบราว์เซอร์",
  "err.internal": "เกิดข้อผิดพลาดภายในโปรแกรม",
  "kind.features": "ข้อมูลเชิงพื้นที่",
  "kind.attributes": "ตารางข้อมูล",
  "kind.tiles": "ภาพไทล์",
  "kind.coverage": "ข้อมูลกริด",
  "countOf.features": "{n} รายการ",
  "countOf.rows": "{n} แถว",
  "countOf.tiles": "{n} ไทล์",
  "geom.POINT": "จุด",
  "geom.LINESTRING": "เส้น",
  "geom.POLYGON": "รูปปิด",
  "geom.MULTIPOINT": "หลายจุด",
  "geom.MULTILINESTRING": "หลายเส้น",
  "geom.MULTIPOLYGON": "รูปปิดหลายส่วน",
  "geom.GEOMETRY": "รูปทรงใดก็ได้",
  "geom.GEOMETRYCOLLECTION": "ชุดรูปทรง",
  spatialIndex: "มีดัชนีเชิงพื้นที่",
  bytes: "ไบต์",
} as const;

export type MessageKey = keyof typeof th;

const en: Record<MessageKey, string> = {
  mapFeatures: "All map features",
  moveUp: "move up",
  moveDown: "move down",
  openFileButton: "Open…",
  openFileLabel: "Open a GeoPackage file (Ctrl+O)",
  recentFiles: "Recent files",
  map: "Map",
  searchPlaceholder: "Search: pole no., road code, road or place name",
  searchLabel: "Search the map",
  searchNone: "Nothing found",
  layerPanel: "Map layers",
  hillshade: "Terrain (hillshade)",
  opacity: "Opacity",
  legend: "Legend",
  poleCluster: "Poles (grouped)",
  identifyTitle: "Details",
  identifyNone: "Click a pole, road or place to see its details",
  close: "Close",
  coordinates: "Coordinates",
  zone: "zone",
  north: "North",
  appName: "Tongtin",
  appSubtitle: "Asset inventory for Thai local government",
  switchLanguage: "ไทย",
  switchLanguageLabel: "เปลี่ยนเป็นภาษาไทย (switch the interface to Thai)",
  loading: "Opening the file…",
  loadingDemo: "Preparing the demo file…",
  fileSummary: "File",
  file: "File",
  gpkgVersion: "GeoPackage version",
  modelVersion: "Data model version",
  modelVersionOfApp: "(the app uses version {v})",
  notTongtin: "not a Tongtin file",
  modified: "Last modified",
  size: "Size",
  layerCount: "Layers",
  layers: "Layers",
  colLabel: "Layer",
  colName: "Table name",
  colKind: "Kind",
  colGeometry: "Geometry",
  colSrs: "Coordinate system",
  colCount: "Count",
  colExtent: "Extent",
  colFields: "Fields",
  fieldsCount: "{n} fields",
  zoomLevels: "zoom {min}–{max}",
  unknownLayer: "Layer not in the data model",
  none: "–",
  errorTitle: "The file could not be opened",
  errorDetail: "Details",
  openDemo: "Open the demo file",
  dismiss: "Dismiss",
  noFile: "No file is open",
  "err.not_found": "This file does not exist",
  "err.not_a_file": "This path is not a file",
  "err.io": "The file cannot be read (check its permissions)",
  "err.not_geopackage": "This file is not a GeoPackage",
  "err.truncated": "The file is incomplete (truncated)",
  "err.corrupt": "The file is damaged",
  "err.gpkg": "The GeoPackage's contents cannot be read",
  "err.demo": "The demo file could not be created",
  "err.no_data_dir": "The app's data folder cannot be found",
  "err.no_shell": "This page must run inside the Tongtin app, not in a web browser",
  "err.internal": "Internal error in the app",
  "kind.features": "Features",
  "kind.attributes": "Attributes",
  "kind.tiles": "Tiles",
  "kind.coverage": "Gridded coverage",
  "countOf.features": "{n} features",
  "countOf.rows": "{n} rows",
  "countOf.tiles": "{n} tiles",
  "geom.POINT": "Point",
  "geom.LINESTRING": "Line",
  "geom.POLYGON": "Polygon",
  "geom.MULTIPOINT": "Multi-point",
  "geom.MULTILINESTRING": "Multi-line",
  "geom.MULTIPOLYGON": "Multi-polygon",
  "geom.GEOMETRY": "Any geometry",
  "geom.GEOMETRYCOLLECTION": "Geometry collection",
  spatialIndex: "spatially indexed",
  bytes: "bytes",
};

export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { th, en };

/** `key in object` without the inherited properties (`toString`, `constructor`). */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** The message `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function t(
  lang: Lang,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** `t` for keys built at run time (`err.<code>`, `kind.<kind>`): `undefined` when unknown. */
export function tMaybe(lang: Lang, key: string, params: Record<string, string | number> = {}): string | undefined {
  return hasOwn(MESSAGES[lang], key) ? t(lang, key as MessageKey, params) : undefined;
}

export function isLang(value: unknown): value is Lang {
  return value === "th" || value === "en";
}

export function otherLang(lang: Lang): Lang {
  return lang === "th" ? "en" : "th";
}
