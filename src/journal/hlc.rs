//! A hybrid logical clock: wall-clock milliseconds with a counter, so that the
//! order of a file's edits survives a clock set back and, with the device as
//! tie-breaker, orders edits from several offices.

use serde::Serialize;

/// A timestamp packed as `millis << 16 | counter`: it sorts as an integer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Hlc(pub i64);

impl Hlc {
    const COUNTER_BITS: u32 = 16;

    pub fn new(millis: i64, counter: u16) -> Self {
        Hlc((millis << Self::COUNTER_BITS) | i64::from(counter))
    }

    pub fn millis(self) -> i64 {
        self.0 >> Self::COUNTER_BITS
    }

    pub fn counter(self) -> u16 {
        (self.0 & 0xffff) as u16
    }

    /// The next timestamp after `self` for a clock that reads `wall_millis`:
    /// the wall clock when it is ahead, else `self` with the counter moved on.
    ///
    /// ```
    /// use tongtin::journal::Hlc;
    /// let a = Hlc::new(1_000, 0).tick(2_000);
    /// assert_eq!((a.millis(), a.counter()), (2_000, 0));
    /// let b = a.tick(1_500); // the clock went back
    /// assert!(b > a);
    /// assert_eq!((b.millis(), b.counter()), (2_000, 1));
    /// ```
    pub fn tick(self, wall_millis: i64) -> Hlc {
        if wall_millis > self.millis() {
            Hlc::new(wall_millis, 0)
        } else if self.counter() == u16::MAX {
            Hlc::new(self.millis() + 1, 0)
        } else {
            Hlc(self.0 + 1)
        }
    }

    /// The wall-clock part as UTC ISO-8601.
    pub fn to_rfc3339(self) -> String {
        chrono::DateTime::from_timestamp_millis(self.millis())
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
            .unwrap_or_default()
    }
}

/// Milliseconds since the Unix epoch now.
pub fn wall_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_counter_moves_to_the_next_millisecond() {
        let full = Hlc::new(5, u16::MAX);
        let next = full.tick(0);
        assert!(next > full);
        assert_eq!((next.millis(), next.counter()), (6, 0));
    }

    #[test]
    fn iso_time_of_the_wall_part() {
        assert_eq!(Hlc::new(0, 3).to_rfc3339(), "1970-01-01T00:00:00.000Z");
    }
}
