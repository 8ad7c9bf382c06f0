-- The hub's embedded store (SQLite). Idempotent: run on every open.
CREATE TABLE IF NOT EXISTS hub_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT OR IGNORE INTO hub_meta (key, value) VALUES ('store_version', '1');

CREATE TABLE IF NOT EXISTS orgs (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  model_version INTEGER NOT NULL DEFAULT 0,
  last_seq      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Hub-wide administrators: admin of every organisation.
CREATE TABLE IF NOT EXISTS superusers (
  name          TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
  org_id        INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  PRIMARY KEY (org_id, name)
) WITHOUT ROWID;

-- Sessions by the SHA-256 of their token; expires_at in Unix milliseconds.
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  user_name  TEXT NOT NULL,
  role       TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);

-- Ops accepted (idempotency of pushes), with the log position after them.
CREATE TABLE IF NOT EXISTS ops (
  org_id INTEGER NOT NULL,
  op_id  TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  PRIMARY KEY (org_id, op_id)
) WITHOUT ROWID;

-- The log each organisation's clients pull: one sync::Entry (JSON) per seq.
CREATE TABLE IF NOT EXISTS log (
  org_id INTEGER NOT NULL,
  seq    INTEGER NOT NULL,
  op_id  TEXT NOT NULL,
  entry  TEXT NOT NULL,
  PRIMARY KEY (org_id, seq)
) WITHOUT ROWID;

-- Each feature's sync::FeatureState (JSON), tombstones included.
CREATE TABLE IF NOT EXISTS features (
  org_id INTEGER NOT NULL,
  layer  TEXT NOT NULL,
  uid    TEXT NOT NULL,
  live   INTEGER NOT NULL,
  state  TEXT NOT NULL,
  PRIMARY KEY (org_id, layer, uid)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS conflicts (
  org_id      INTEGER NOT NULL,
  id          TEXT NOT NULL,
  layer       TEXT NOT NULL,
  uid         TEXT NOT NULL,
  conflict    TEXT NOT NULL,
  resolved_by TEXT,
  PRIMARY KEY (org_id, id)
);

-- Attachments by SHA-256, uploaded in chunks (resumable).
CREATE TABLE IF NOT EXISTS blobs (
  org_id   INTEGER NOT NULL,
  sha256   TEXT NOT NULL,
  total    INTEGER NOT NULL,
  received INTEGER NOT NULL,
  complete INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, sha256)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blob_chunks (
  org_id INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  offset INTEGER NOT NULL,
  data   BLOB NOT NULL,
  PRIMARY KEY (org_id, sha256, offset)
) WITHOUT ROWID;
