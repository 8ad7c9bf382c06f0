//! Dates as Thai documents write them: Buddhist era (พ.ศ. = ค.ศ. + 543).
//!
//! ```
//! use chrono::NaiveDate;
//! use tongtin::document::thai_date;
//! let d = NaiveDate::from_ymd_opt(2023, 10, 12).unwrap();
//! assert_eq!(thai_date::short(d), "12 ต.ค. 2566");
//! assert_eq!(thai_date::numeric(d), "12/10/2566");
//! assert_eq!(thai_date::long(d), "12 ตุลาคม 2566");
//! assert_eq!(thai_date::be_year(d), 2566);
//! ```

use chrono::{Datelike, NaiveDate};

/// The difference between the Buddhist and the Christian era.
pub const BE_OFFSET: i32 = 543;

/// Month abbreviations as government documents write them.
pub const MONTHS_SHORT: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];

/// Full month names.
pub const MONTHS_LONG: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// The พ.ศ. year of a date.
///
/// ```
/// # use chrono::NaiveDate;
/// assert_eq!(tongtin::document::thai_date::be_year(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()), 2567);
/// ```
pub fn be_year(d: NaiveDate) -> i32 {
    d.year() + BE_OFFSET
}

/// `12 ต.ค. 2566`: day, abbreviated month, พ.ศ. year (tables, headers).
///
/// ```
/// # use chrono::NaiveDate;
/// assert_eq!(tongtin::document::thai_date::short(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()), "29 ก.พ. 2567");
/// ```
pub fn short(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS_SHORT[d.month0() as usize], be_year(d))
}

/// `12 ตุลาคม 2566`: day, month name, พ.ศ. year (letters, titles).
pub fn long(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS_LONG[d.month0() as usize], be_year(d))
}

/// `12/10/2566`: day/month/พ.ศ. year, two-digit month (data exports).
///
/// ```
/// # use chrono::NaiveDate;
/// assert_eq!(tongtin::document::thai_date::numeric(NaiveDate::from_ymd_opt(2023, 1, 5).unwrap()), "05/01/2566");
/// ```
pub fn numeric(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), be_year(d))
}

/// `2023-10-12`: ISO 8601, for English documents and data.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_years() {
        let d = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        assert_eq!(short(d), "31 ธ.ค. 2542");
        assert_eq!(numeric(d), "31/12/2542");
        assert_eq!(iso(d), "1999-12-31");
        for m in 1..=12 {
            let d = NaiveDate::from_ymd_opt(2020, m, 1).unwrap();
            assert!(short(d).contains(MONTHS_SHORT[m as usize - 1]));
        }
    }
}
