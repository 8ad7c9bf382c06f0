//! Asset numbers from a pattern a municipality can set: literal text and
//! the fields `{category}` (the category's number code), `{fsc}` (its FSC
//! class and type), `{fy2}` / `{fy4}` (the fiscal year, two or four digits)
//! and `{runN}` (a running number of N digits, counted per category and
//! fiscal year).
//!
//! The local-government default `{category}-{fy2}-{run4}` gives 416-66-0001;
//! the central FSC style `{fsc}-{run4}` with an FSC code such as 7110-002
//! gives 7110-002-0001. The pattern chosen is stored in the file
//! ([`asset_pattern`], [`set_asset_pattern`]).

use super::FiscalYear;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Category,
    Fsc,
    Year2,
    Year4,
    Running(usize),
}

/// A parsed asset-number pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetPattern {
    parts: Vec<Part>,
}

/// A pattern that cannot number anything.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("unknown field {{{0}}} (use {{category}}, {{fsc}}, {{fy2}}, {{fy4}} or {{run3}}…{{run6}})")]
    UnknownField(String),
    #[error("a '{{' without its '}}'")]
    Unclosed,
    #[error("the pattern needs exactly one running number such as {{run4}}")]
    Running,
}

impl AssetPattern {
    /// The Department of Local Administration style: `{category}-{fy2}-{run4}`.
    pub fn local() -> AssetPattern {
        AssetPattern::parse(LOCAL).expect("the default pattern is valid")
    }

    /// The central FSC style: `{fsc}-{run4}`.
    pub fn fsc() -> AssetPattern {
        AssetPattern::parse(FSC).expect("the FSC pattern is valid")
    }

    /// The pattern as text, as [`AssetPattern::parse`] reads it.
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.replace(['{', '}'], ""),
                Part::Category => "{category}".into(),
                Part::Fsc => "{fsc}".into(),
                Part::Year2 => "{fy2}".into(),
                Part::Year4 => "{fy4}".into(),
                Part::Running(n) => format!("{{run{n}}}"),
            })
            .collect()
    }

    pub fn parse(pattern: &str) -> Result<AssetPattern, PatternError> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').ok_or(PatternError::Unclosed)? + open;
            let name = &rest[open + 1..close];
            parts.push(match name {
                "category" => Part::Category,
                "fsc" => Part::Fsc,
                "fy2" => Part::Year2,
                "fy4" => Part::Year4,
                _ => match name.strip_prefix("run").and_then(|n| n.parse::<usize>().ok()) {
                    Some(n) if (3..=6).contains(&n) => Part::Running(n),
                    _ => return Err(PatternError::UnknownField(name.to_string())),
                },
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        if parts.iter().filter(|p| matches!(p, Part::Running(_))).count() != 1 {
            return Err(PatternError::Running);
        }
        Ok(AssetPattern { parts })
    }

    /// The number for running number `n` in a category and fiscal year `fy`.
    ///
    /// ```
    /// use tongtin::inventory::{AssetPattern, FiscalYear, Prefix};
    /// let office = Prefix { category: "416", fsc: "7110-002" };
    /// assert_eq!(AssetPattern::local().format(office, FiscalYear(2566), 1), "416-66-0001");
    /// assert_eq!(AssetPattern::fsc().format(office, FiscalYear(2566), 1), "7110-002-0001");
    /// ```
    pub fn format(&self, prefix: Prefix<'_>, fy: FiscalYear, n: u32) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Running(w) => format!("{n:0w$}"),
                fixed => fixed_text(fixed, prefix, fy),
            })
            .collect()
    }

    /// The running number of `number` if it follows this pattern for
    /// `category` and `fy`.
    pub fn running_of(&self, number: &str, prefix: Prefix<'_>, fy: FiscalYear) -> Option<u32> {
        let mut rest = number.trim();
        let mut running = None;
        for p in &self.parts {
            let fixed = match p {
                Part::Running(w) => {
                    let digits = rest.get(..*w).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
                    running = digits.parse().ok();
                    rest = &rest[*w..];
                    continue;
                }
                fixed => fixed_text(fixed, prefix, fy),
            };
            rest = rest.strip_prefix(fixed.as_str())?;
        }
        rest.is_empty().then_some(running).flatten()
    }

    /// The next free number for a category in `fy`, after the highest of `taken`.
    ///
    /// ```
    /// use tongtin::inventory::{AssetPattern, FiscalYear, Prefix};
    /// let taken = ["416-66-0001", "416-66-0007", "416-65-0009", "417-66-0050"];
    /// assert_eq!(AssetPattern::local().next(Prefix::local("416"), FiscalYear(2566), taken), "416-66-0008");
    /// ```
    pub fn next<'a>(&self, prefix: Prefix<'_>, fy: FiscalYear, taken: impl IntoIterator<Item = &'a str>) -> String {
        let highest = taken
            .into_iter()
            .filter_map(|t| self.running_of(t, prefix, fy))
            .max()
            .unwrap_or(0);
        self.format(prefix, fy, highest + 1)
    }
}

/// The local-government default pattern.
pub const LOCAL: &str = "{category}-{fy2}-{run4}";
/// The central FSC-style pattern.
pub const FSC: &str = "{fsc}-{run4}";

/// The codes of a category that asset numbers carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefix<'a> {
    /// The category's code in local numbers (416).
    pub category: &'a str,
    /// Its FSC class and type (7110-002).
    pub fsc: &'a str,
}

impl<'a> Prefix<'a> {
    /// Only a local category code.
    pub fn local(category: &'a str) -> Prefix<'a> {
        Prefix { category, fsc: "" }
    }
}

fn fixed_text(part: &Part, prefix: Prefix<'_>, fy: FiscalYear) -> String {
    match part {
        Part::Text(t) => t.clone(),
        Part::Category => prefix.category.to_string(),
        Part::Fsc => prefix.fsc.to_string(),
        Part::Year2 => format!("{:02}", fy.short()),
        Part::Year4 => fy.to_string(),
        Part::Running(w) => "#".repeat(*w),
    }
}

/// The key in `tongtin_meta` holding the file's asset-number pattern.
pub const PATTERN_KEY: &str = "asset_number_pattern";

/// The file's asset-number pattern (the local default when none is set or
/// the stored one is unreadable).
pub fn asset_pattern(conn: &rusqlite::Connection) -> AssetPattern {
    conn.query_row(
        &format!("SELECT value FROM {} WHERE key = ?1", crate::model::META_TABLE),
        [PATTERN_KEY],
        |r| r.get::<_, String>(0),
    )
    .ok()
    .and_then(|t| AssetPattern::parse(&t).ok())
    .unwrap_or_else(AssetPattern::local)
}

/// Stores `pattern` as the file's asset-number pattern.
pub fn set_asset_pattern(
    gpkg: &mut crate::gpkg::GeoPackage,
    pattern: &AssetPattern,
) -> Result<(), crate::gpkg::GpkgError> {
    let text = pattern.text();
    gpkg.write(|b| {
        b.sql()
            .execute(
                &format!(
                    "INSERT OR REPLACE INTO {} (key, value) VALUES (?1, ?2)",
                    crate::model::META_TABLE
                ),
                [PATTERN_KEY, text.as_str()],
            )
            .map(|_| ())
            .map_err(|source| crate::gpkg::GpkgError::Sqlite {
                context: "storing the asset-number pattern".into(),
                source,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_patterns_say_why() {
        assert_eq!(AssetPattern::parse("{category}-{fy2}"), Err(PatternError::Running));
        assert_eq!(
            AssetPattern::parse("{category}-{run4}-{run4}"),
            Err(PatternError::Running)
        );
        assert_eq!(
            AssetPattern::parse("{cat}-{run4}"),
            Err(PatternError::UnknownField("cat".into()))
        );
        assert_eq!(
            AssetPattern::parse("{category-{run4}"),
            Err(PatternError::UnknownField("category-{run4".into()))
        );
        assert_eq!(AssetPattern::parse("{run4"), Err(PatternError::Unclosed));
        assert_eq!(
            AssetPattern::parse("{run9}"),
            Err(PatternError::UnknownField("run9".into()))
        );
    }

    #[test]
    fn only_numbers_of_the_same_category_and_year_count() {
        let p = AssetPattern::local();
        let fy = FiscalYear(2566);
        let c = Prefix::local("416");
        assert_eq!(p.running_of("416-66-0012", c, fy), Some(12));
        assert_eq!(p.running_of("416-66-012", c, fy), None);
        assert_eq!(p.running_of("416-66-00012", c, fy), None);
        assert_eq!(p.running_of("416-67-0012", c, fy), None);
        assert_eq!(p.running_of("4160-66-0012", c, fy), None);
        assert_eq!(p.next(c, fy, []), "416-66-0001");
        let four = AssetPattern::parse("ทส.{fy4}/{category}/{run3}").unwrap();
        assert_eq!(
            four.format(Prefix::local("001"), FiscalYear(2569), 7),
            "ทส.2569/001/007"
        );
        assert_eq!(
            four.running_of("ทส.2569/001/007", Prefix::local("001"), FiscalYear(2569)),
            Some(7)
        );
        assert_eq!(AssetPattern::parse(&four.text()).unwrap(), four);
        let fsc = AssetPattern::fsc();
        let chairs = Prefix {
            category: "416",
            fsc: "7110-002",
        };
        // FSC numbers do not restart with the fiscal year.
        assert_eq!(
            fsc.next(chairs, FiscalYear(2569), ["7110-002-0041", "7110-001-0050"]),
            "7110-002-0042"
        );
    }
}
