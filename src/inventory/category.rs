//! Equipment categories (ประเภทครุภัณฑ์) and their default useful lives.
//!
//! A municipality edits its categories (the `equipment_categories` table):
//! these are only the rows a new or migrated file starts with.
//!
//! Useful lives: the Budget Bureau's table of the effective useful life of
//! assets by the categories of its standard equipment price list
//! (ตารางอายุการใช้งานอย่างมีประสิทธิภาพของทรัพย์สินตามบัญชีราคามาตรฐาน
//! ครุภัณฑ์ของสำนักงบประมาณ, as reproduced by
//! <http://www.supplydivision.somee.com/Page2.aspx>): construction,
//! agriculture, medical, education, advertising, household, electrical and
//! radio, factory, office and survey equipment 10 years; vehicles and
//! transport 8 years, motorcycles 5. That table has no computer category;
//! computers take the 3 years commonly cited for them (not found in an
//! official source here; set your own figure).
//!
//! The codes used in asset numbers (`number_code`, e.g. 416) differ between
//! municipalities: the defaults below are placeholders to set. `fsc_code` is
//! the Federal Supply Classification class and a type number, as central
//! agencies number equipment (7110-002-0001: 7110 office furniture).

use rusqlite::{params, Connection};

/// One category as a file stores it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Category {
    pub uid: String,
    pub code: String,
    pub th: String,
    pub en: String,
    pub number_code: String,
    pub fsc_code: String,
    pub useful_life_years: u32,
}

/// (code, th, en, number code, FSC class-type, useful life in years)
pub const DEFAULT_CATEGORIES: [(&str, &str, &str, &str, &str, u32); 14] = [
    ("office", "ครุภัณฑ์สำนักงาน", "Office", "416", "7110-001", 10),
    (
        "vehicle",
        "ครุภัณฑ์ยานพาหนะและขนส่ง",
        "Vehicles and transport",
        "417",
        "2320-001",
        8,
    ),
    ("motorcycle", "รถจักรยานยนต์", "Motorcycles", "417", "2340-001", 5),
    (
        "electrical",
        "ครุภัณฑ์ไฟฟ้าและวิทยุ",
        "Electrical and radio",
        "418",
        "6110-001",
        10,
    ),
    (
        "advertising",
        "ครุภัณฑ์โฆษณาและเผยแพร่",
        "Advertising and publicity",
        "419",
        "5830-001",
        10,
    ),
    ("construction", "ครุภัณฑ์ก่อสร้าง", "Construction", "420", "3895-001", 10),
    ("computer", "ครุภัณฑ์คอมพิวเตอร์", "Computer", "421", "7021-001", 3),
    ("survey", "ครุภัณฑ์สำรวจ", "Survey", "422", "6675-001", 10),
    ("agriculture", "ครุภัณฑ์การเกษตร", "Agriculture", "423", "3750-001", 10),
    ("medical", "ครุภัณฑ์การแพทย์", "Medical", "424", "6515-001", 10),
    (
        "household",
        "ครุภัณฑ์งานบ้านงานครัว",
        "Household and kitchen",
        "425",
        "7310-001",
        10,
    ),
    ("education", "ครุภัณฑ์การศึกษา", "Education", "426", "6910-001", 10),
    ("factory", "ครุภัณฑ์โรงงาน", "Factory", "427", "3411-001", 10),
    ("science", "ครุภัณฑ์วิทยาศาสตร์", "Science", "428", "6640-001", 10),
];

/// When the default rows were written (fixed, so that the same defaults are
/// the same rows in every file and the demo stays deterministic).
const SEEDED_AT: &str = "2025-10-01T00:00:00.000Z";

/// The uid of a default category: the same in every file (UUID v5 of its
/// code), so two offices' defaults are one row to sync, not two.
pub fn default_uid(code: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("tongtin:equipment_categories:{code}").as_bytes(),
    )
    .to_string()
}

/// Writes the default categories a file lacks (by code).
pub fn seed(conn: &Connection) -> rusqlite::Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO equipment_categories (uid, created_at, created_by, updated_at, updated_by, code, th, en, number_code, fsc_code, useful_life_years)
         SELECT ?1, ?2, 'tongtin', ?2, 'tongtin', ?3, ?4, ?5, ?6, ?7, ?8
         WHERE NOT EXISTS (SELECT 1 FROM equipment_categories WHERE code = ?3)",
    )?;
    let mut n = 0;
    for (code, th, en, number, fsc, life) in DEFAULT_CATEGORIES {
        n += stmt.execute(params![default_uid(code), SEEDED_AT, code, th, en, number, fsc, life])?;
    }
    Ok(n)
}

/// Every category of the file, by code.
pub fn categories(conn: &Connection) -> rusqlite::Result<Vec<Category>> {
    let mut stmt = conn.prepare(
        "SELECT uid, code, th, coalesce(en, ''), coalesce(number_code, code), coalesce(fsc_code, ''), coalesce(useful_life_years, 0)
         FROM equipment_categories ORDER BY code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Category {
            uid: r.get(0)?,
            code: r.get(1)?,
            th: r.get(2)?,
            en: r.get(3)?,
            number_code: r.get(4)?,
            fsc_code: r.get(5)?,
            useful_life_years: r.get::<_, i64>(6)?.clamp(0, 1000) as u32,
        })
    })?;
    rows.collect()
}

/// One category by code.
pub fn category(conn: &Connection, code: &str) -> rusqlite::Result<Option<Category>> {
    Ok(categories(conn)?.into_iter().find(|c| c.code == code))
}
