//! The Thai government fiscal year: 1 October to 30 September, named by the
//! Buddhist-era year it ends in (ปีงบประมาณ 2569 runs from 1 Oct 2025 to
//! 30 Sep 2026).

use chrono::{Datelike, NaiveDate};

/// A fiscal year by its Buddhist-era number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub i32);

/// Years between the Gregorian and the Buddhist era.
const BE_OFFSET: i32 = 543;

impl FiscalYear {
    /// The fiscal year a day falls in.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use tongtin::inventory::FiscalYear;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(FiscalYear::of(d(2025, 9, 30)), FiscalYear(2568));
    /// assert_eq!(FiscalYear::of(d(2025, 10, 1)), FiscalYear(2569));
    /// assert_eq!(FiscalYear(2569).first_day(), d(2025, 10, 1));
    /// assert_eq!(FiscalYear(2569).last_day(), d(2026, 9, 30));
    /// ```
    pub fn of(day: NaiveDate) -> FiscalYear {
        FiscalYear(day.year() + BE_OFFSET + i32::from(day.month() >= 10))
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 - BE_OFFSET - 1, 10, 1).expect("1 October exists")
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 - BE_OFFSET, 9, 30).expect("30 September exists")
    }

    /// The last two digits, as asset numbers carry them (2566 → 66).
    pub fn short(self) -> i32 {
        self.0.rem_euclid(100)
    }
}

impl std::fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
