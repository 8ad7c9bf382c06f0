//! The document writers read back by independent tools: CSV as bytes, XLSX by
//! Python's standard library (zipfile + XML), PDF by poppler's `pdftotext` and
//! `pdfinfo`, label sheets rendered by `pdftoppm` and decoded by `zbarimg`.
//! A missing tool fails the test with the Debian package to install
//! (scripts/install-deps.sh installs them all).

use chrono::NaiveDate;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use tongtin::document::{
    write, write_labels, Cell, Chart, Column, ColumnKind, Format, Label, Lang, Report, Series, Table,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

/// A depreciation-like report: Thai text with marks above and below, a date,
/// money, a percentage, a totals row, a second table and a chart.
fn fixture(rows: usize) -> Report {
    let columns = vec![
        Column::new("date", "วันที่", "Date", ColumnKind::Date),
        Column::new("asset_number", "เลขครุภัณฑ์", "Asset number", ColumnKind::Text),
        Column::new("item", "รายการ", "Item", ColumnKind::Text),
        Column::new("quantity", "จำนวน", "Quantity", ColumnKind::Integer),
        Column::new("unit_price", "ราคาต่อหน่วย", "Unit price", ColumnKind::Money),
        Column::new("rate", "อัตรา", "Rate", ColumnKind::Percent),
        Column::new("net_value", "มูลค่าสุทธิ", "Net value", ColumnKind::Money),
    ];
    let items = [
        "เครื่องคอมพิวเตอร์ตั้งโต๊ะ",
        "รถจักรยานยนต์ ฮอนด้า",
        "เก้าอี้สำนักงาน, บุนวม",
        "เครื่องพิมพ์ \"เลเซอร์\"",
    ];
    let mut body = Vec::new();
    let mut total = 0.0;
    for i in 0..rows {
        let price = 25_000.5 + i as f64;
        total += price;
        body.push(vec![
            Cell::Date(date(2023, 10, 12) + chrono::Days::new(i as u64 % 300)),
            text(&format!("416-66-{:04}", i + 1)),
            text(items[i % items.len()]),
            Cell::Int(1 + i as i64 % 3),
            Cell::Num(price),
            Cell::Num(0.125),
            if i == 2 { Cell::Empty } else { Cell::Num(price) },
        ]);
    }
    let mut totals = vec![Cell::Empty; columns.len()];
    totals[2] = text("รวมทั้งสิ้น");
    totals[6] = Cell::Num(total);
    Report {
        name: "depreciation".into(),
        title_th: "ทะเบียนค่าเสื่อมราคาครุภัณฑ์".into(),
        title_en: "Depreciation register".into(),
        subtitle: vec!["เทศบาลตำบลโนนสะอาด".into(), "ปีงบประมาณ พ.ศ. 2567".into()],
        tables: vec![
            Table {
                title_th: "ครุภัณฑ์สำนักงาน".into(),
                title_en: "Office equipment".into(),
                columns,
                rows: body,
                totals: Some(totals),
            },
            Table {
                title_th: "สรุปตามหมวด".into(),
                title_en: "By category".into(),
                columns: vec![
                    Column::new("category", "หมวด", "Category", ColumnKind::Text),
                    Column::new("value", "มูลค่า", "Value", ColumnKind::Money),
                ],
                rows: vec![
                    vec![text("ครุภัณฑ์สำนักงาน"), Cell::Num(1234567.891)],
                    vec![text("ครุภัณฑ์ยานพาหนะและขนส่ง"), Cell::Num(-0.001)],
                ],
                totals: None,
            },
        ],
        charts: vec![Chart {
            title_th: "มูลค่าตามหมวด".into(),
            title_en: "Value by category".into(),
            labels: vec!["สำนักงาน".into(), "ยานพาหนะ".into(), "คอมพิวเตอร์".into()],
            series: vec![
                Series {
                    name: "ราคาทุน".into(),
                    values: vec![120_000.0, 450_000.0, 80_000.0],
                },
                Series {
                    name: "มูลค่าสุทธิ".into(),
                    values: vec![60_000.0, 300_000.0, 10_000.0],
                },
            ],
        }],
    }
}

fn render(report: &Report, format: Format, lang: Lang) -> Vec<u8> {
    let mut out = Vec::new();
    write(report, format, lang, &mut out).unwrap();
    out
}

/// Runs a tool, failing with the package that provides it when it is missing.
fn run(tool: &str, package: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install the Debian package {package} (scripts/install-deps.sh)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

// ---------------------------------------------------------------- CSV

#[test]
fn csv_is_excel_ready_utf8_with_bom_crlf_and_quoting() {
    let bytes = render(&fixture(4), Format::Csv, Lang::Th);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "ครุภัณฑ์สำนักงาน");
    assert_eq!(lines[1], "วันที่,เลขครุภัณฑ์,รายการ,จำนวน,ราคาต่อหน่วย,อัตรา,มูลค่าสุทธิ");
    assert_eq!(
        lines[2],
        "12/10/2566,416-66-0001,เครื่องคอมพิวเตอร์ตั้งโต๊ะ,1,25000.50,12.50%,25000.50"
    );
    assert_eq!(
        lines[4],
        "14/10/2566,416-66-0003,\"เก้าอี้สำนักงาน, บุนวม\",3,25002.50,12.50%,"
    );
    assert!(lines[5].contains("\"เครื่องพิมพ์ \"\"เลเซอร์\"\"\""), "{}", lines[5]);
    assert_eq!(lines[6], ",,รวมทั้งสิ้น,,,,100008.00");
    // The second table follows after an empty line, with its own title.
    assert_eq!(lines[7], "");
    assert_eq!(lines[8], "สรุปตามหมวด");
    assert_eq!(lines[10], "ครุภัณฑ์สำนักงาน,1234567.89");
    assert_eq!(lines[11], "ครุภัณฑ์ยานพาหนะและขนส่ง,0.00");
    assert_eq!(lines.last(), Some(&""), "ends with CRLF");
}

#[test]
fn csv_round_trips_thai_through_a_standard_reader() {
    let path = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(path.path(), render(&fixture(4), Format::Csv, Lang::Th)).unwrap();
    let script = r#"
import csv, json, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    print(json.dumps(list(csv.reader(f))))
"#;
    let out = run("python3", "python3", &["-c", script, path.path().to_str().unwrap()]);
    let rows: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0], ["ครุภัณฑ์สำนักงาน"]);
    assert_eq!(rows[2][2], "เครื่องคอมพิวเตอร์ตั้งโต๊ะ");
    assert_eq!(rows[4][2], "เก้าอี้สำนักงาน, บุนวม");
    assert_eq!(rows[5][2], "เครื่องพิมพ์ \"เลเซอร์\"");
}

#[test]
fn csv_in_english_has_english_headers_and_iso_dates() {
    let bytes = render(&fixture(1), Format::Csv, Lang::En);
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "Office equipment");
    assert_eq!(lines[1], "Date,Asset number,Item,Quantity,Unit price,Rate,Net value");
    assert!(lines[2].starts_with("2023-10-12,416-66-0001,"), "{}", lines[2]);
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_rows_are_keyed_by_column() {
    let v: Value = serde_json::from_slice(&render(&fixture(3), Format::Json, Lang::Th)).unwrap();
    assert_eq!(v["name"], "depreciation");
    assert_eq!(v["title"], "ทะเบียนค่าเสื่อมราคาครุภัณฑ์");
    let row = &v["tables"][0]["rows"][0];
    assert_eq!(row["date"], "2023-10-12");
    assert_eq!(row["item"], "เครื่องคอมพิวเตอร์ตั้งโต๊ะ");
    assert_eq!(row["unit_price"], 25000.5);
    assert_eq!(row["quantity"], 1);
    assert!(v["tables"][0]["rows"][2]["net_value"].is_null());
    assert_eq!(v["tables"][0]["totals"]["item"], "รวมทั้งสิ้น");
    assert_eq!(v["tables"][0]["columns"][4]["kind"], "money");
    assert_eq!(v["charts"][0]["series"][1]["values"][1], 300000.0);
}

#[test]
fn ragged_rows_are_refused() {
    let mut r = fixture(2);
    r.tables[0].rows[1].pop();
    let err = write(&r, Format::Csv, Lang::Th, &mut Vec::new()).unwrap_err();
    assert!(err.to_string().contains("row 2"), "{err}");
}

// ---------------------------------------------------------------- XLSX

/// Reads an .xlsx with Python's standard library only: sheet names, and for
/// each cell its value (shared strings resolved), type and number format.
const XLSX_READER: &str = r##"
import json, re, sys, zipfile
import xml.etree.ElementTree as ET
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
z = zipfile.ZipFile(sys.argv[1])
wb = ET.fromstring(z.read("xl/workbook.xml"))
rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
targets = {r.get("Id"): r.get("Target") for r in rels}
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
styles = ET.fromstring(z.read("xl/styles.xml"))
builtin = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 14: "mm-dd-yy"}
numfmts = dict(builtin)
for nf in styles.iterfind("m:numFmts/m:numFmt", NS):
    numfmts[int(nf.get("numFmtId"))] = nf.get("formatCode")
xfs = styles.findall("m:cellXfs/m:xf", NS)
fonts = styles.findall("m:fonts/m:font", NS)
out = {"sheets": []}
for s in wb.iterfind("m:sheets/m:sheet", NS):
    path = "xl/" + targets[s.get("{%s}id" % NS["r"])]
    sh = ET.fromstring(z.read(path))
    cells = {}
    for c in sh.iterfind("m:sheetData/m:row/m:c", NS):
        xf = xfs[int(c.get("s", "0"))]
        v = c.find("m:v", NS)
        val = None if v is None else v.text
        if c.get("t") == "s":
            val = shared[int(val)]
        elif c.get("t") == "inlineStr":
            val = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
        elif val is not None:
            val = float(val)
        font = fonts[int(xf.get("fontId", "0"))]
        cells[c.get("r")] = {"v": val, "fmt": numfmts[int(xf.get("numFmtId", "0"))],
                             "bold": font.find("m:b", NS) is not None}
    pane = sh.find("m:sheetViews/m:sheetView/m:pane", NS)
    cols = {int(c.get("min")): float(c.get("width")) for c in sh.iterfind("m:cols/m:col", NS)}
    drawing = sh.find("m:drawing", NS) is not None
    out["sheets"].append({"name": s.get("name"), "cells": cells, "cols": cols, "drawing": drawing,
                          "frozen": None if pane is None else pane.get("topLeftCell")})
out["charts"] = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
print(json.dumps(out, ensure_ascii=False))
"##;

fn read_xlsx(bytes: &[u8]) -> Value {
    let file = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    let out = run(
        "python3",
        "python3",
        &["-c", XLSX_READER, file.path().to_str().unwrap()],
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Excel's serial day number (1900 system) of a date.
fn excel_serial(d: NaiveDate) -> f64 {
    (d - date(1899, 12, 30)).num_days() as f64
}

#[test]
fn xlsx_has_one_sheet_per_table_with_formats_dates_and_totals() {
    let bytes = render(&fixture(4), Format::Xlsx, Lang::Th);
    assert!(bytes.starts_with(b"PK"), "not a zip");
    let x = read_xlsx(&bytes);
    let sheets = x["sheets"].as_array().unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["ครุภัณฑ์สำนักงาน", "สรุปตามหมวด", "แผนภูมิ"]);

    let s = &sheets[0];
    let cell = |r: &str| &s["cells"][r];
    assert_eq!(cell("A1")["v"], "ทะเบียนค่าเสื่อมราคาครุภัณฑ์");
    assert_eq!(cell("A2")["v"], "เทศบาลตำบลโนนสะอาด");
    assert_eq!(cell("A3")["v"], "ปีงบประมาณ พ.ศ. 2567");
    assert_eq!(cell("A4")["v"], "ครุภัณฑ์สำนักงาน");
    // Header in row 6, bold, frozen under it.
    assert_eq!(cell("A6")["v"], "วันที่");
    assert_eq!(cell("G6")["v"], "มูลค่าสุทธิ");
    assert_eq!(cell("A6")["bold"], true);
    assert_eq!(s["frozen"], "A7");
    // A real date with the Buddhist-era display format.
    assert_eq!(cell("A7")["v"], excel_serial(date(2023, 10, 12)));
    assert_eq!(cell("A7")["fmt"], "[$-107041E]d mmm yyyy;@");
    assert_eq!(cell("C7")["v"], "เครื่องคอมพิวเตอร์ตั้งโต๊ะ");
    assert_eq!(cell("D7")["v"], 1.0);
    assert_eq!(cell("D7")["fmt"], "#,##0");
    assert_eq!(cell("E7")["v"], 25000.5);
    assert_eq!(cell("E7")["fmt"], "#,##0.00");
    assert_eq!(cell("F7")["v"], 0.125);
    assert_eq!(cell("F7")["fmt"], "0.00%");
    assert!(cell("G9")["v"].is_null(), "an empty cell stays empty");
    // Totals row, bold, under the four rows.
    assert_eq!(cell("C11")["v"], "รวมทั้งสิ้น");
    assert_eq!(cell("C11")["bold"], true);
    assert_eq!(cell("G11")["v"], 100008.0);
    assert_eq!(cell("G11")["fmt"], "#,##0.00");
    // Columns are as wide as their content (the item names are the longest).
    let cols = s["cols"].as_object().unwrap();
    assert!(cols["3"].as_f64().unwrap() > cols["4"].as_f64().unwrap());

    // The chart sheet holds the data and a native chart.
    let c = &sheets[2];
    assert_eq!(c["cells"]["A1"]["v"], "มูลค่าตามหมวด");
    assert_eq!(c["cells"]["B2"]["v"], "ราคาทุน");
    assert_eq!(c["cells"]["A3"]["v"], "สำนักงาน");
    assert_eq!(c["cells"]["C4"]["v"], 300000.0);
    assert_eq!(c["drawing"], true);
    assert_eq!(x["charts"].as_array().unwrap().len(), 1);
}

#[test]
fn xlsx_in_english_uses_iso_dates() {
    let x = read_xlsx(&render(&fixture(1), Format::Xlsx, Lang::En));
    let s = &x["sheets"][0];
    assert_eq!(s["name"], "Office equipment");
    assert_eq!(s["cells"]["A6"]["v"], "Date");
    assert_eq!(s["cells"]["A7"]["fmt"], "yyyy-mm-dd");
}

#[test]
fn xlsx_sheet_names_are_valid_and_unique() {
    let mut r = fixture(1);
    let long = "รายงานค่าเสื่อมราคาครุภัณฑ์ประจำปีงบประมาณ: สำนักปลัด/กองช่าง [ทั้งหมด]";
    r.tables[0].title_th = long.into();
    r.tables[1].title_th = long.into();
    let x = read_xlsx(&render(&r, Format::Xlsx, Lang::Th));
    let names: Vec<String> = x["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 3);
    assert_ne!(names[0], names[1]);
    for n in &names {
        assert!(n.chars().count() <= 31, "{n}");
        assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n}");
    }
}

#[allow(dead_code)]
fn exists(p: &Path) -> bool {
    p.exists()
}

#[allow(dead_code)]
fn labels_unused(_: &[Label]) {
    let _ = write_labels;
}
