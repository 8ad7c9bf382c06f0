//! Sync: a file's journal ops meet a hub (or another file, through a sync
//! package) and nothing is lost.
//!
//! - [`wire`]: the versioned messages (push, pull, conflicts), JSON + gzip.
//! - [`merge`]: one op against a store's feature, three-way per field; the
//!   policy while a conflict is open (later edit wins a field, an edit wins
//!   over a delete); both sides kept in the [`Conflict`].
//! - [`ledger`]: accepting a push into any store ([`Ledger`]), idempotent by
//!   op id; the hub's stores and package import share it.
//! - [`rows`]: a file's rows read and written by uid as literals, each write
//!   journaled from what sync decided (the capture triggers are off while
//!   sync writes).
//!
//! Must not know: HTTP, the hub's databases, the desktop shell, the data
//! model's layers (any journaled table syncs).

mod error;
mod ledger;
pub mod local;
mod merge;
pub mod package;
pub mod remote;
mod resolve;
mod rows;
mod session;
mod state;
pub mod wire;

pub use error::SyncError;
pub use ledger::{accept, AcceptError, Ledger};
pub use local::KnownConflict;
pub use merge::{conflict_id, merge, Merged, BOOKKEEPING};
pub use resolve::{resolve, Resolution, Take};
pub use session::{local_status, open_for_sync, sync, AppliedReport, LocalStatus, SyncReport, BATCH};
pub use state::FeatureState;
pub use wire::{
    Conflict, ConflictKind, Entry, EntryChange, FeatureRef, Kept, LiteralRow, PullResponse, PushRequest, PushResponse,
    Side, Stamp, Status, WireError, WireField, WireOp, WIRE_VERSION,
};
