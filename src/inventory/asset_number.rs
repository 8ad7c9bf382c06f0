//! Asset numbers from a pattern a municipality can set: literal text and
//! the fields `{category}` (the category's code), `{fy2}` / `{fy4}` (the
//! fiscal year, two or four digits) and `{runN}` (a running number of N
//! digits, counted per category and fiscal year).
//!
//! The local-government default `{category}-{fy2}-{run4}` gives 416-66-0001;
//! the central FSC style `{category}-{run4}` with a category code such as
//! 7110-002 gives 7110-002-0001.

use super::FiscalYear;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Category,
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
    #[error("unknown field {{{0}}} (use {{category}}, {{fy2}}, {{fy4}} or {{run3}}…{{run6}})")]
    UnknownField(String),
    #[error("a '{{' without its '}}'")]
    Unclosed,
    #[error("the pattern needs exactly one running number such as {{run4}}")]
    Running,
}

impl AssetPattern {
    /// The Department of Local Administration style: `{category}-{fy2}-{run4}`.
    pub fn local() -> AssetPattern {
        AssetPattern::parse("{category}-{fy2}-{run4}").expect("the default pattern is valid")
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

    /// The number for running number `n` in `category` and fiscal year `fy`.
    ///
    /// ```
    /// use tongtin::inventory::{AssetPattern, FiscalYear};
    /// assert_eq!(AssetPattern::local().format("416", FiscalYear(2566), 1), "416-66-0001");
    /// let fsc = AssetPattern::parse("{category}-{run4}").unwrap();
    /// assert_eq!(fsc.format("7110-002", FiscalYear(2566), 1), "7110-002-0001");
    /// ```
    pub fn format(&self, category: &str, fy: FiscalYear, n: u32) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Category => category.to_string(),
                Part::Year2 => format!("{:02}", fy.short()),
                Part::Year4 => fy.to_string(),
                Part::Running(w) => format!("{n:0w$}"),
            })
            .collect()
    }

    /// The running number of `number` if it follows this pattern for
    /// `category` and `fy`.
    pub fn running_of(&self, number: &str, category: &str, fy: FiscalYear) -> Option<u32> {
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
                Part::Text(t) => t.clone(),
                Part::Category => category.to_string(),
                Part::Year2 => format!("{:02}", fy.short()),
                Part::Year4 => fy.to_string(),
            };
            rest = rest.strip_prefix(fixed.as_str())?;
        }
        rest.is_empty().then_some(running).flatten()
    }

    /// The next free number for `category` in `fy`, after the highest of `taken`.
    ///
    /// ```
    /// use tongtin::inventory::{AssetPattern, FiscalYear};
    /// let taken = ["416-66-0001", "416-66-0007", "416-65-0009", "417-66-0050"];
    /// assert_eq!(AssetPattern::local().next("416", FiscalYear(2566), taken), "416-66-0008");
    /// ```
    pub fn next<'a>(&self, category: &str, fy: FiscalYear, taken: impl IntoIterator<Item = &'a str>) -> String {
        let highest = taken
            .into_iter()
            .filter_map(|t| self.running_of(t, category, fy))
            .max()
            .unwrap_or(0);
        self.format(category, fy, highest + 1)
    }
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
        assert_eq!(p.running_of("416-66-0012", "416", fy), Some(12));
        assert_eq!(p.running_of("416-66-012", "416", fy), None);
        assert_eq!(p.running_of("416-66-00012", "416", fy), None);
        assert_eq!(p.running_of("416-67-0012", "416", fy), None);
        assert_eq!(p.running_of("4160-66-0012", "416", fy), None);
        assert_eq!(p.next("416", fy, []), "416-66-0001");
        let four = AssetPattern::parse("ทส.{fy4}/{category}/{run3}").unwrap();
        assert_eq!(four.format("001", FiscalYear(2569), 7), "ทส.2569/001/007");
        assert_eq!(four.running_of("ทส.2569/001/007", "001", FiscalYear(2569)), Some(7));
    }
}
