//! Straight-line depreciation on the Thai fiscal year, prorated by month and
//! written down to a residual value of 1 baht per unit.
//!
//! The rules, as Thai public-sector registers (ทะเบียนคุมทรัพย์สิน) apply them:
//!
//! - **Rate** = 1 / useful life; the charge for a full year is cost × rate
//!   (45,000 baht over 5 years: 20 %, 9,000 baht a year). The residual value
//!   is not taken off before applying the rate; it is what is left at the end.
//! - **Accumulated depreciation** after `m` months = cost × m / (12 × life),
//!   rounded to the satang, and never more than cost − 1 baht × quantity
//!   (each unit of a line keeps its 1-baht residual, ราคาซาก 1 บาท).
//! - **The month rule** ([`MonthRule`]): by default the months counted are the
//!   whole months elapsed from the day of acquisition to the end of the
//!   period (the end of 30 September for a fiscal year). This is how a
//!   published register computes it: a motorcycle of 45,000 baht received on
//!   9 Oct 2539 shows 0 years 11 months and 8,250 baht at 30 Sep 2540, and
//!   44,999 baht (net 1 baht) at 9 Oct 2544 (kkpsd.com, ทะเบียนครุภัณฑ์
//!   report 2301). An item received on 1 October gets the full 12 months of
//!   its first fiscal year. [`MonthRule::AcquisitionMonth`] (the month of
//!   acquisition counts as a full month) is offered for municipalities whose
//!   auditors ask for it.
//! - The charge of a fiscal year is the accumulated figure at its end less
//!   the one at the end of the year before; an item disposed of during the
//!   year is depreciated to its disposal date.
//!
//! Amounts are computed in satang (integers), so no rounding drifts across
//! the years.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::FiscalYear;

/// Which months of the period an item is depreciated for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthRule {
    /// Whole months elapsed from the acquisition date to the end of the
    /// period's last day (9 Oct → 30 Sep: 11 months; 1 Oct → 30 Sep: 12).
    #[default]
    ElapsedMonths,
    /// The month of acquisition counts as a full month (15 Mar → 30 Sep: 7).
    AcquisitionMonth,
}

/// Residual value of each unit, in satang (1 baht).
pub const RESIDUAL_SATANG: i64 = 100;

/// What depreciation needs to know of a register line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Asset {
    pub acquired: NaiveDate,
    pub quantity: u32,
    /// Baht per unit.
    pub unit_price: f64,
    pub useful_life_years: u32,
}

/// One line's figures for one fiscal year, in baht.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearFigures {
    /// quantity × unit price.
    pub cost: f64,
    /// 1 / useful life (0.2 for 5 years).
    pub rate: f64,
    /// The charge for a full year: cost × rate.
    pub full_year: f64,
    /// The charge of this fiscal year.
    pub this_year: f64,
    /// Accumulated at the end of this fiscal year (or at disposal).
    pub accumulated: f64,
    /// cost − accumulated.
    pub net: f64,
    /// Months depreciated up to the end of this year.
    pub months: u32,
    /// Nothing is left to depreciate (net = the residual value).
    pub written_down: bool,
}

fn satang(baht: f64) -> i64 {
    (baht * 100.0).round() as i64
}

fn baht(satang: i64) -> f64 {
    satang as f64 / 100.0
}

/// Months depreciated from `acquired` to the end of day `until` (0 before acquisition).
///
/// ```
/// use chrono::NaiveDate;
/// use tongtin::inventory::{months_in_service, MonthRule};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// // Received 9 Oct 1996 (2539), counted to 30 Sep 1997 (2540): 11 whole months.
/// assert_eq!(months_in_service(d(1996, 10, 9), d(1997, 9, 30), MonthRule::ElapsedMonths), 11);
/// assert_eq!(months_in_service(d(1996, 10, 1), d(1997, 9, 30), MonthRule::ElapsedMonths), 12);
/// // Bought 15 March: March counts in full, so March to September is 7 months.
/// assert_eq!(months_in_service(d(2026, 3, 15), d(2026, 9, 30), MonthRule::AcquisitionMonth), 7);
/// ```
pub fn months_in_service(acquired: NaiveDate, until: NaiveDate, rule: MonthRule) -> u32 {
    if until < acquired {
        return 0;
    }
    let months = match rule {
        MonthRule::ElapsedMonths => {
            let end = until.succ_opt().unwrap_or(until);
            let mut m = (end.year() - acquired.year()) * 12 + end.month() as i32 - acquired.month() as i32;
            if end.day() < acquired.day() {
                m -= 1;
            }
            m
        }
        MonthRule::AcquisitionMonth => {
            (until.year() - acquired.year()) * 12 + until.month() as i32 - acquired.month() as i32 + 1
        }
    };
    months.max(0) as u32
}

/// Accumulated depreciation in satang at the end of day `until`.
fn accumulated_satang(asset: &Asset, until: NaiveDate, rule: MonthRule) -> (i64, u32) {
    let cost = satang(f64::from(asset.quantity) * asset.unit_price);
    let life_months = i64::from(asset.useful_life_years.max(1)) * 12;
    let months = months_in_service(asset.acquired, until, rule);
    let cap = (cost - RESIDUAL_SATANG * i64::from(asset.quantity)).max(0);
    // cost × m / life, rounded half up, in integers.
    let raw = (2 * cost * i64::from(months) + life_months) / (2 * life_months);
    (raw.min(cap), months)
}

/// Accumulated depreciation in baht at the end of day `until`.
///
/// ```
/// use chrono::NaiveDate;
/// use tongtin::inventory::{accumulated, Asset, MonthRule};
/// let bike = Asset {
///     acquired: NaiveDate::from_ymd_opt(1996, 10, 9).unwrap(),
///     quantity: 1,
///     unit_price: 45_000.0,
///     useful_life_years: 5,
/// };
/// let at = |y, m, d| accumulated(&bike, NaiveDate::from_ymd_opt(y, m, d).unwrap(), MonthRule::ElapsedMonths);
/// assert_eq!(at(1997, 9, 30), 8_250.0); // 45,000 × 11 / 60
/// assert_eq!(at(2001, 9, 30), 44_250.0); // 59 months
/// assert_eq!(at(2001, 10, 9), 44_999.0); // 60 months: down to the 1-baht residual
/// ```
pub fn accumulated(asset: &Asset, until: NaiveDate, rule: MonthRule) -> f64 {
    baht(accumulated_satang(asset, until, rule).0)
}

/// The figures of `asset` for fiscal year `fy`, depreciated to `disposed`
/// when that falls within the year.
pub fn for_year(asset: &Asset, fy: FiscalYear, disposed: Option<NaiveDate>, rule: MonthRule) -> YearFigures {
    let cost = satang(f64::from(asset.quantity) * asset.unit_price);
    let end = match disposed {
        Some(d) if d < fy.last_day() => d,
        _ => fy.last_day(),
    };
    let before = fy.first_day().pred_opt().unwrap_or(fy.first_day());
    let (acc, months) = accumulated_satang(asset, end, rule);
    let (acc_before, _) = if end < fy.first_day() {
        (acc, 0)
    } else {
        accumulated_satang(asset, before, rule)
    };
    let life = asset.useful_life_years.max(1);
    let cap = (cost - RESIDUAL_SATANG * i64::from(asset.quantity)).max(0);
    YearFigures {
        cost: baht(cost),
        rate: 1.0 / f64::from(life),
        full_year: baht((2 * cost + i64::from(life)) / (2 * i64::from(life))),
        this_year: baht(acc - acc_before),
        accumulated: baht(acc),
        net: baht(cost - acc),
        months,
        written_down: acc >= cap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The published example: a motorcycle, 45,000 baht, 5 years (20 %),
    /// received 9 Oct 2539 (1996).
    ///   FY2540: 9 Oct 2539 → 30 Sep 2540 = 11 whole months: 45,000 × 11/60 = 8,250; net 36,750
    ///   FY2541: 23 months = 17,250 (charge 9,000); net 27,750
    ///   FY2544: 59 months = 44,250; net 750
    ///   FY2545: 60 months would be 45,000, capped at 45,000 − 1 = 44,999;
    ///           the year's charge is 44,999 − 44,250 = 749; net 1
    ///   FY2546: nothing more.
    #[test]
    fn the_published_motorcycle() {
        let bike = Asset {
            acquired: d(1996, 10, 9),
            quantity: 1,
            unit_price: 45_000.0,
            useful_life_years: 5,
        };
        let y = |fy| for_year(&bike, FiscalYear(fy), None, MonthRule::ElapsedMonths);
        let first = y(2540);
        assert_eq!((first.rate, first.full_year), (0.2, 9_000.0));
        assert_eq!(
            (first.months, first.this_year, first.accumulated, first.net),
            (11, 8_250.0, 8_250.0, 36_750.0)
        );
        assert_eq!(
            (y(2541).this_year, y(2541).accumulated, y(2541).net),
            (9_000.0, 17_250.0, 27_750.0)
        );
        assert_eq!(
            (y(2544).accumulated, y(2544).net, y(2544).written_down),
            (44_250.0, 750.0, false)
        );
        assert_eq!(
            (y(2545).this_year, y(2545).accumulated, y(2545).net),
            (749.0, 44_999.0, 1.0)
        );
        assert!(y(2545).written_down);
        assert_eq!((y(2546).this_year, y(2546).net), (0.0, 1.0));
        // Before it was bought: nothing.
        assert_eq!((y(2539).accumulated, y(2539).this_year, y(2539).months), (0.0, 0.0, 0));
    }

    /// A mid-year purchase with the acquisition month counted in full: a
    /// computer of 24,000 baht, 3 years (36 months), bought 15 Mar 2026 (FY2569).
    ///   FY2569: March–September = 7 months: 24,000 × 7/36 = 4,666.666… → 4,666.67
    ///   FY2570: 19 months = 12,666.67 (charge 8,000.00)
    ///   FY2571: 31 months = 20,666.67 (charge 8,000.00)
    ///   FY2572: 43 months > 36: capped at 23,999.00 (charge 3,332.33); net 1.00
    #[test]
    fn a_mid_year_purchase() {
        let pc = Asset {
            acquired: d(2026, 3, 15),
            quantity: 1,
            unit_price: 24_000.0,
            useful_life_years: 3,
        };
        let y = |fy| for_year(&pc, FiscalYear(fy), None, MonthRule::AcquisitionMonth);
        assert_eq!((y(2569).months, y(2569).this_year), (7, 4_666.67));
        assert_eq!((y(2570).accumulated, y(2570).this_year), (12_666.67, 8_000.0));
        assert_eq!((y(2571).accumulated, y(2571).this_year), (20_666.67, 8_000.0));
        assert_eq!(
            (y(2572).accumulated, y(2572).this_year, y(2572).net),
            (23_999.0, 3_332.33, 1.0)
        );
        // The default rule counts whole months: 15 Mar → 1 Oct is 6 months 16 days.
        let elapsed = for_year(&pc, FiscalYear(2569), None, MonthRule::ElapsedMonths);
        assert_eq!((elapsed.months, elapsed.this_year), (6, 4_000.0));
    }

    /// Quantity > 1: four chairs at 2,500 baht, 10 years, received 1 Oct 2025
    /// (the first day of FY2569).
    ///   cost 10,000; full-year charge 1,000 (10 %)
    ///   FY2569: 12 months = 1,000
    ///   FY2578: 120 months = 10,000, capped at 10,000 − 4 × 1 = 9,996 (each chair keeps 1 baht)
    #[test]
    fn quantity_keeps_a_baht_per_unit() {
        let chairs = Asset {
            acquired: d(2025, 10, 1),
            quantity: 4,
            unit_price: 2_500.0,
            useful_life_years: 10,
        };
        let y = |fy| for_year(&chairs, FiscalYear(fy), None, MonthRule::ElapsedMonths);
        assert_eq!(
            (y(2569).cost, y(2569).full_year, y(2569).this_year),
            (10_000.0, 1_000.0, 1_000.0)
        );
        assert_eq!((y(2577).accumulated, y(2577).net), (9_000.0, 1_000.0));
        assert_eq!(
            (y(2578).accumulated, y(2578).this_year, y(2578).net),
            (9_996.0, 996.0, 4.0)
        );
    }

    /// Fully written down long ago: a desk of 5,000 baht from 2005, 10 years.
    /// In FY2569 its charge is 0 and its net value the 1-baht residual.
    #[test]
    fn fully_written_down() {
        let desk = Asset {
            acquired: d(2005, 6, 1),
            quantity: 1,
            unit_price: 5_000.0,
            useful_life_years: 10,
        };
        let f = for_year(&desk, FiscalYear(2569), None, MonthRule::ElapsedMonths);
        assert_eq!(
            (f.this_year, f.accumulated, f.net, f.written_down),
            (0.0, 4_999.0, 1.0, true)
        );
    }

    /// The residual value exactly: 1,000 baht over 1 year (12 months) reaches
    /// 999.00, never 1,000. An item cheaper than its residual is not depreciated.
    /// Satang rounding: 1,000 / 36 per month = 27.777… → 27.78 after one month.
    #[test]
    fn the_one_baht_residual_and_rounding() {
        let a = Asset {
            acquired: d(2025, 10, 1),
            quantity: 1,
            unit_price: 1_000.0,
            useful_life_years: 1,
        };
        let f = for_year(&a, FiscalYear(2569), None, MonthRule::ElapsedMonths);
        assert_eq!((f.accumulated, f.net), (999.0, 1.0));
        let tiny = Asset { unit_price: 0.5, ..a };
        assert_eq!(
            for_year(&tiny, FiscalYear(2569), None, MonthRule::ElapsedMonths).accumulated,
            0.0
        );
        let three = Asset {
            useful_life_years: 3,
            ..a
        };
        // Received 1 Oct: the first whole month ends with 31 October.
        assert_eq!(accumulated(&three, d(2025, 10, 30), MonthRule::ElapsedMonths), 0.0);
        assert_eq!(accumulated(&three, d(2025, 10, 31), MonthRule::ElapsedMonths), 27.78);
    }

    /// Disposed of on 31 Mar 2026: depreciated to that day only (6 whole
    /// months of FY2569 for an item received 1 Oct 2025): 12,000 × 6/120 = 600.
    #[test]
    fn depreciation_stops_at_disposal() {
        let a = Asset {
            acquired: d(2025, 10, 1),
            quantity: 1,
            unit_price: 12_000.0,
            useful_life_years: 10,
        };
        let f = for_year(&a, FiscalYear(2569), Some(d(2026, 3, 31)), MonthRule::ElapsedMonths);
        assert_eq!((f.months, f.this_year, f.net), (6, 600.0, 11_400.0));
    }
}
