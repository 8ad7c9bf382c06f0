//! The durable-equipment register (ครุภัณฑ์) and the work orders on poles.

use super::assets::{date, Pole};
use super::polyline::Pt;
use super::rng::Rng;
use crate::inventory::{AssetPattern, FiscalYear, Prefix};

pub struct Equipment {
    pub uid: String,
    pub asset_no: String,
    pub name: &'static str,
    pub category: &'static str,
    pub acquired_date: String,
    pub quantity: i64,
    pub unit: &'static str,
    pub unit_price: f64,
    pub funding_source: &'static str,
    pub vendor: &'static str,
    pub document_no: String,
    pub department: &'static str,
    pub custodian: &'static str,
    pub location: String,
    pub pole_uid: Option<String>,
    pub status: &'static str,
    pub at: Option<Pt>,
}

pub struct WorkOrder {
    pub uid: String,
    pub asset_kind: &'static str,
    pub order_no: String,
    pub asset_uid: String,
    pub fault_type: &'static str,
    pub reporter: &'static str,
    pub contact: String,
    pub description: &'static str,
    pub status: &'static str,
    pub received_at: String,
    pub started_at: Option<String>,
    pub done_at: Option<String>,
    pub technician: Option<&'static str>,
    pub materials: Option<&'static str>,
    pub cost: Option<f64>,
}

/// (name, category, category code, unit, price range in baht). The category
/// codes are the demo's own numbering, not an official list.
const CATALOGUE: [(&str, &str, u32, &str, f64, f64); 20] = [
    ("โต๊ะทำงานเหล็ก", "office", 416, "ตัว", 3_500.0, 6_500.0),
    ("เก้าอี้สำนักงาน", "office", 416, "ตัว", 1_500.0, 3_500.0),
    ("ตู้เหล็กเก็บเอกสาร 4 ลิ้นชัก", "office", 416, "หลัง", 4_500.0, 7_500.0),
    ("เครื่องปรับอากาศ 24,000 บีทียู", "office", 416, "เครื่อง", 28_000.0, 42_000.0),
    ("รถบรรทุก 6 ล้อ", "vehicle", 417, "คัน", 1_200_000.0, 2_400_000.0),
    ("รถจักรยานยนต์ 110 ซีซี", "motorcycle", 417, "คัน", 38_000.0, 52_000.0),
    ("รถกระเช้าไฟฟ้า", "vehicle", 417, "คัน", 2_500_000.0, 3_500_000.0),
    ("เครื่องกำเนิดไฟฟ้า", "electrical", 418, "เครื่อง", 45_000.0, 120_000.0),
    (
        "ชุดเครื่องขยายเสียงไร้สาย (หอกระจายข่าว)",
        "advertising",
        419,
        "ชุด",
        25_000.0,
        60_000.0,
    ),
    ("กล้องวงจรปิด", "electrical", 418, "ตัว", 8_000.0, 25_000.0),
    ("เครื่องตบดิน", "construction", 420, "เครื่อง", 18_000.0, 32_000.0),
    ("เครื่องตัดคอนกรีต", "construction", 420, "เครื่อง", 22_000.0, 45_000.0),
    (
        "เครื่องคอมพิวเตอร์สำหรับงานประมวลผล",
        "computer",
        421,
        "เครื่อง",
        22_000.0,
        30_000.0,
    ),
    ("เครื่องพิมพ์เลเซอร์", "computer", 421, "เครื่อง", 3_300.0, 15_000.0),
    ("เครื่องสำรองไฟฟ้า", "computer", 421, "เครื่อง", 2_500.0, 6_000.0),
    ("กล้องระดับ", "survey", 422, "ชุด", 35_000.0, 60_000.0),
    ("เครื่องรับสัญญาณ GNSS", "survey", 422, "ชุด", 120_000.0, 350_000.0),
    ("เครื่องตัดหญ้าแบบข้อแข็ง", "agriculture", 423, "เครื่อง", 9_500.0, 14_000.0),
    ("เครื่องวัดความดันโลหิต", "medical", 424, "เครื่อง", 2_800.0, 6_500.0),
    ("ตู้เย็น 7 คิว", "household", 425, "หลัง", 9_000.0, 15_000.0),
];

const DEPARTMENTS: [&str; 5] = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม"];
const PEOPLE: [&str; 8] = [
    "นายสมชาย ใจดี",
    "นางสาวอรทัย ศรีสุข",
    "นายประเสริฐ คำภา",
    "นางสมหมาย พลราช",
    "นายวิชัย แสนทวี",
    "นางสาวกาญจนา บุญมา",
    "นายธนากร ศรีวงศ์",
    "นางบุญเรือน ทองดี",
];
const FUNDS: [&str; 3] = ["เงินงบประมาณ", "เงินอุดหนุนเฉพาะกิจ", "เงินสะสม"];
const VENDORS: [&str; 4] = [
    "หจก.หนองบัวลำภูพาณิชย์",
    "บริษัท อีสานเทคโนโลยี จำกัด",
    "ร้านศรีบุญเรืองการไฟฟ้า",
    "หจก.โนนสะอาดก่อสร้าง",
];

/// About `count` items, most kept at the office, loudspeakers and cameras on poles.
pub fn equipment(count: usize, office: Pt, poles: &[Pole], rng: &mut Rng) -> Vec<Equipment> {
    let mut running = std::collections::HashMap::new();
    let numbers = AssetPattern::local();
    (0..count)
        .map(|i| {
            let (name, category, code, unit, lo, hi) = rng.pick(&CATALOGUE);
            let acquired = date(rng, 2012, 2025);
            let fiscal = chrono::NaiveDate::parse_from_str(&acquired, "%Y-%m-%d")
                .map(FiscalYear::of)
                .unwrap_or(FiscalYear(2563));
            let n = running.entry((code, fiscal)).or_insert(0);
            *n += 1;
            let on_pole = (category == "advertising" || name == "กล้องวงจรปิด") && !poles.is_empty();
            let pole = on_pole.then(|| &poles[rng.index(poles.len())]);
            Equipment {
                uid: rng.uuid(),
                asset_no: numbers.format(Prefix::local(&code.to_string()), fiscal, *n),
                name,
                category,
                acquired_date: acquired,
                quantity: 1,
                unit,
                unit_price: (rng.range(lo, hi) / 10.0).round() * 10.0,
                funding_source: rng.pick(&FUNDS),
                vendor: rng.pick(&VENDORS),
                document_no: format!("{}/{}", rng.int(1, 250), fiscal),
                department: rng.pick(&DEPARTMENTS),
                custodian: rng.pick(&PEOPLE),
                location: match pole {
                    Some(p) => format!("เสาไฟฟ้า {}", p.pole_no),
                    None => "สำนักงานเทศบาลตำบลโนนสะอาด".to_string(),
                },
                pole_uid: pole.map(|p| p.uid.clone()),
                status: rng.weighted(&[
                    ("in_use", 0.85),
                    ("damaged", 0.07),
                    ("awaiting_disposal", 0.05),
                    ("disposed", 0.03),
                ]),
                at: Some(pole.map_or((office.0 + (i % 7) as f64, office.1 + (i % 5) as f64), |p| p.at)),
            }
        })
        .collect()
}

/// Open work orders for every pole that is not in service, a history of
/// finished repairs, and repairs of damaged equipment. Numbers follow the
/// core's WO-{fiscal year}-{running number}.
pub fn work_orders(poles: &[Pole], equipment: &[Equipment], rng: &mut Rng) -> Vec<WorkOrder> {
    let mut out = Vec::new();
    let mut running: std::collections::HashMap<FiscalYear, u32> = std::collections::HashMap::new();
    let mut order = |rng: &mut Rng, asset_uid: &str, status: &'static str| {
        let fault_type = rng.weighted(&[
            ("light_out", 0.5),
            ("flickering", 0.2),
            ("lamp_broken", 0.2),
            ("pole_damaged", 0.1),
        ]);
        let received = format!(
            "{}T{:02}:{:02}:00.000Z",
            date(rng, 2024, 2025),
            rng.int(1, 10),
            rng.int(0, 59)
        );
        let later =
            |rng: &mut Rng, days: i64| format!("{}T{:02}:00:00.000Z", shift_days(&received[..10], days), rng.int(2, 9));
        let (start_after, done_after) = (rng.int(0, 3), rng.int(3, 20));
        let started = (status != "received").then(|| later(rng, start_after));
        let done = (status == "done").then(|| later(rng, done_after));
        let fy = chrono::NaiveDate::parse_from_str(&received[..10], "%Y-%m-%d")
            .map(FiscalYear::of)
            .unwrap_or(FiscalYear(2568));
        let n = running.entry(fy).or_insert(0);
        *n += 1;
        WorkOrder {
            uid: rng.uuid(),
            asset_kind: "pole",
            order_no: format!("WO-{fy}-{n:05}"),
            asset_uid: asset_uid.to_string(),
            fault_type,
            reporter: rng.pick(&PEOPLE),
            contact: format!("08{}-{:03}-{:04}", rng.int(1, 9), rng.int(0, 999), rng.int(0, 9999)),
            description: match fault_type {
                "light_out" => "ไฟดับทั้งต้น",
                "flickering" => "ไฟกะพริบช่วงหัวค่ำ",
                "lamp_broken" => "โคมแตกเนื่องจากพายุ",
                _ => "เสาเอียงหลังรถชน",
            },
            status,
            received_at: received.clone(),
            started_at: started,
            done_at: done,
            technician: (status != "received").then(|| rng.pick(&PEOPLE[4..])),
            materials: (status == "done").then_some("หลอด LED 50 วัตต์ 1 ชุด, สายไฟ THW 2.5 ตร.มม. 10 ม."),
            cost: (status == "done").then(|| (rng.range(350.0, 4500.0) / 10.0).round() * 10.0),
        }
    };
    for pole in poles {
        match pole.status {
            "damaged" => {
                let status = rng.pick(&["received", "in_progress"]);
                out.push(order(rng, &pole.uid, status));
            }
            "awaiting_repair" => out.push(order(rng, &pole.uid, "received")),
            _ if rng.chance(0.05) => out.push(order(rng, &pole.uid, "done")),
            _ => {}
        }
    }
    // Damaged equipment waits for repair; a few items were repaired before.
    for e in equipment {
        let status = match e.status {
            "damaged" => rng.pick(&["received", "in_progress"]),
            "in_use" if rng.chance(0.03) => "done",
            _ => continue,
        };
        let mut w = order(rng, &e.uid, status);
        w.asset_kind = "equipment";
        w.fault_type = "equipment_fault";
        w.description = "ชำรุด ใช้งานไม่ได้";
        w.materials = (status == "done").then_some("อะไหล่ตามใบเสนอราคา");
        out.push(w);
    }
    out
}

/// `YYYY-MM-DD` moved by `days`, with chrono's calendar.
fn shift_days(date: &str, days: i64) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(days)).format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| date.to_string())
}
