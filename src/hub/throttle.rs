//! Slows password guessing: failed sign-ins are counted per organisation
//! and user name; after [`MAX_FAILURES`] within [`WINDOW`] that name is
//! refused, whatever the password, until the oldest failure leaves the
//! window. The count lives in this process (a hub behind a load balancer
//! counts per instance); a successful sign-in clears it.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::error::HubError;

/// Failed sign-ins of one name that are allowed within [`WINDOW`].
pub const MAX_FAILURES: usize = 10;
/// How long a failed sign-in counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

type Name = (String, String);

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<Name, VecDeque<Instant>>>,
}

impl LoginThrottle {
    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<Name, VecDeque<Instant>>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Refuses a name that failed too often lately.
    pub fn check(&self, org: &str, user: &str, now: Instant) -> Result<(), HubError> {
        let mut all = self.failures();
        let key = (org.to_string(), user.to_string());
        let Some(times) = all.get_mut(&key) else {
            return Ok(());
        };
        while times.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            times.pop_front();
        }
        if times.is_empty() {
            all.remove(&key);
            return Ok(());
        }
        match times.front() {
            Some(oldest) if times.len() >= MAX_FAILURES => Err(HubError::TooManyAttempts {
                retry_after: (WINDOW - now.duration_since(*oldest)).as_secs().max(1),
            }),
            _ => Ok(()),
        }
    }

    pub fn failed(&self, org: &str, user: &str, now: Instant) {
        let mut all = self.failures();
        // Names nobody uses must not fill the memory: drop what has expired.
        if all.len() > 10_000 {
            all.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        all.entry((org.to_string(), user.to_string()))
            .or_default()
            .push_back(now);
    }

    pub fn succeeded(&self, org: &str, user: &str) {
        self.failures().remove(&(org.to_string(), user.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_refused_after_too_many_failures_until_they_expire() {
        let t = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..MAX_FAILURES {
            assert!(t.check("a", "ed", start).is_ok(), "attempt {i}");
            t.failed("a", "ed", start);
        }
        match t.check("a", "ed", start + Duration::from_secs(60)) {
            Err(HubError::TooManyAttempts { retry_after }) => assert_eq!(retry_after, WINDOW.as_secs() - 60),
            other => panic!("refused: {other:?}"),
        }
        assert!(t.check("a", "other", start).is_ok(), "other names are not held up");
        assert!(t.check("b", "ed", start).is_ok(), "nor the same name elsewhere");
        assert!(t.check("a", "ed", start + WINDOW).is_ok(), "the failures expire");
    }

    #[test]
    fn signing_in_clears_the_count() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            t.failed("a", "ed", now);
        }
        t.succeeded("a", "ed");
        t.failed("a", "ed", now);
        assert!(t.check("a", "ed", now).is_ok());
    }
}
