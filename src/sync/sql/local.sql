-- What a file keeps about its syncing, beside the journal. Not registered in
-- gpkg_contents: GDAL and QGIS leave these tables alone.

-- Cursors and settings: the hub and organisation, the hub log position
-- applied (`cursor`), the journal position pushed (`pushed_seq`) and
-- exported to a package (`exported_seq`), the last sync time.
CREATE TABLE IF NOT EXISTS tongtin_sync_state (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

-- Conflicts this file knows of, raised by the hub or by a package import,
-- with both sides' values (`body`, the wire Conflict as JSON).
CREATE TABLE IF NOT EXISTS tongtin_conflicts (
  id TEXT PRIMARY KEY NOT NULL,
  layer TEXT NOT NULL,
  uid TEXT NOT NULL,
  field TEXT,
  kind TEXT NOT NULL,
  kept TEXT NOT NULL,
  body TEXT NOT NULL,
  raised_hlc INTEGER NOT NULL,
  resolved_by TEXT
);
CREATE INDEX IF NOT EXISTS tongtin_conflicts_open ON tongtin_conflicts (resolved_by, layer, uid);

-- A person's decision on a conflict, waiting to be sent (an op of its own,
-- so that every side closes the conflict).
CREATE TABLE IF NOT EXISTS tongtin_sync_resolutions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id TEXT NOT NULL UNIQUE,
  conflict_id TEXT NOT NULL,
  layer TEXT NOT NULL,
  uid TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  user TEXT NOT NULL,
  device TEXT NOT NULL
);

-- Ops taken from sync packages, including those that changed nothing here:
-- importing the same package again takes none of them twice.
CREATE TABLE IF NOT EXISTS tongtin_sync_received (
  op_id TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;
