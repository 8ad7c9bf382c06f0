//! How long-running work reports how far it has got, without knowing who listens.

/// Receives progress from long operations (demo generation, tiling, import).
pub trait Progress: Sync {
    /// A new step begins, with `total` units of work (0 when unknown).
    fn step(&self, name: &str, total: u64);
    /// `n` more units of the current step are done.
    fn advance(&self, n: u64);
    /// Whether the person watching asked to stop. Work that can stop asks
    /// at its next safe point (between committed batches) and ends with an
    /// error saying it was cancelled.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Discards progress, for tests and library callers that do not show it.
pub struct Silent;

impl Progress for Silent {
    fn step(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}
