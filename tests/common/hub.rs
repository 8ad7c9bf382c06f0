//! Helpers of the hub tests: a throwaway PostgreSQL with PostGIS
//! (scripts/postgres.sh), real `tongtin serve` processes on loopback, the
//! `tongtin hub` CLI, an HTTP client speaking the hub's API, and ops to push.
//!
//! PostgreSQL missing is a failure with the command that installs it, never
//! a skipped test.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tongtin::journal::{literal, OpKind};
use tongtin::sync::{wire, PullResponse, PushRequest, PushResponse, Status, WireField, WireOp, WIRE_VERSION};

/// The first administrator's password of every hub these helpers start.
pub const ADMIN_PASSWORD: &str = "hub-admin-password";

/// A PostgreSQL 15 cluster with PostGIS in a temporary directory, stopped
/// and removed when dropped or when the test process ends (whatever way).
pub struct Postgres {
    /// `postgres://postgres@127.0.0.1:PORT/tongtin`.
    pub url: String,
    dir: String,
}

impl Postgres {
    /// Starts a cluster; panics with what to install when PostgreSQL or
    /// PostGIS is missing.
    pub fn start() -> Postgres {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/postgres.sh");
        let out = Command::new("bash")
            .args([script, "start", "--watch", &std::process::id().to_string()])
            .output()
            .expect("bash runs scripts/postgres.sh");
        assert!(
            out.status.success(),
            "the hub tests need PostgreSQL 15 with PostGIS and could not start it (install: bash scripts/install-deps.sh):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(k))
                .unwrap_or_else(|| panic!("postgres.sh printed no {k}: {text}"))
                .to_string()
        };
        Postgres {
            url: field("url="),
            dir: field("dir="),
        }
    }

    /// The cluster this test binary's tests share.
    pub fn shared() -> &'static Postgres {
        static PG: OnceLock<Postgres> = OnceLock::new();
        PG.get_or_init(Postgres::start)
    }

    /// A new empty database (PostGIS included); its URL.
    pub fn database(&self) -> String {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!("t{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
        let admin = self.url.replace("/tongtin", "/postgres");
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("connect to the test cluster");
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a database");
        self.url.replace("/tongtin", &format!("/{name}"))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/postgres.sh");
        let _ = Command::new("bash").args([script, "stop", &self.dir]).output();
    }
}

/// A fresh SQLite store URL in a temporary directory that lives as long as the test process.
pub fn sqlite_store() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = super::scratch();
    format!(
        "sqlite:{}/hub-{}.sqlite",
        dir.display(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// `tongtin hub ARGS --store STORE` with extra environment; its output.
pub fn hub_cli(store: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .arg("hub")
        .args(args)
        .args(["--store", store])
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("tongtin runs")
}

/// A running `tongtin serve`, killed when dropped.
pub struct Hub {
    /// `http://127.0.0.1:PORT` (or https).
    pub url: String,
    pub store: String,
    child: Option<Child>,
}

impl Hub {
    /// `tongtin serve --store STORE --listen 127.0.0.1:0`.
    pub fn start(store: &str) -> Hub {
        Hub::start_with(store, &[], &[])
    }

    /// With extra environment variables and arguments.
    pub fn start_with(store: &str, env: &[(&str, &str)], args: &[&str]) -> Hub {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tongtin"))
            .args(["serve", "--store", store, "--listen", "127.0.0.1:0"])
            .args(args)
            .env("TONGTIN_HUB_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("tongtin serve starts");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut seen = Vec::new();
        let url = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.strip_prefix("listening on ") {
                        break rest.split_whitespace().next().unwrap_or_default().to_string();
                    }
                    seen.push(line);
                }
                _ => {
                    let status = child.wait().ok();
                    panic!("tongtin serve --store {store} ended before listening ({status:?}); it printed {seen:?}");
                }
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Hub {
            url,
            store: store.to_string(),
            child: Some(child),
        }
    }

    /// Kills the process (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn add_org(&self, code: &str) {
        let out = hub_cli(
            &self.store,
            &["org", "add", code, "--name", &format!("Org {code}")],
            &[],
        );
        assert!(
            out.status.success(),
            "org add {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn add_user(&self, org: &str, name: &str, role: &str, password: &str) {
        let out = hub_cli(
            &self.store,
            &[
                "user",
                "add",
                name,
                "--org",
                org,
                "--role",
                role,
                "--password-env",
                "HUB_TEST_PASSWORD",
            ],
            &[("HUB_TEST_PASSWORD", password)],
        );
        assert!(
            out.status.success(),
            "user add {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// An API client without a token.
    pub fn api(&self) -> Api {
        Api::new(&self.url, None)
    }

    /// Signs in; panics unless it succeeds.
    pub fn login(&self, org: &str, user: &str, password: &str) -> Api {
        let r = self.api().login(org, user, password);
        assert_eq!(r.status, 200, "login {org}/{user}: {}", r.text());
        Api::new(&self.url, Some(r.json()["token"].as_str().expect("token").to_string()))
    }

    /// An organisation with an editor `ed` and a viewer `vi` (password
    /// `password-1`), and the editor signed in.
    pub fn org_with_editor(&self, org: &str) -> Api {
        self.add_org(org);
        self.add_user(org, "ed", "editor", "password-1");
        self.add_user(org, "vi", "viewer", "password-1");
        self.login(org, "ed", "password-1")
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An answer of the hub.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    /// The error code of an error body.
    pub fn code(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_string()
    }
    /// A sync message (gzip JSON).
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> T {
        wire::decode(&self.body, 1 << 30).unwrap_or_else(|e| panic!("not a sync message ({e}): {}", self.text()))
    }
}

/// The hub's HTTP API as the sync client speaks it.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub token: Option<String>,
    pub wire: String,
    agent: ureq::Agent,
}

impl Api {
    pub fn new(base: &str, token: Option<String>) -> Api {
        Api::with_agent(base, token, agent(None))
    }

    pub fn with_agent(base: &str, token: Option<String>, agent: ureq::Agent) -> Api {
        Api {
            base: base.to_string(),
            token,
            wire: WIRE_VERSION.to_string(),
            agent,
        }
    }

    /// The same client with another token (or none).
    pub fn with_token(&self, token: Option<&str>) -> Api {
        Api {
            token: token.map(str::to_string),
            ..self.clone()
        }
    }

    fn finish(&self, r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut r = r.unwrap_or_else(|e| panic!("request to {} failed: {e}", self.base));
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .expect("read the body");
        Reply { status, body }
    }

    pub fn get(&self, path: &str) -> Reply {
        let mut req = self.agent.get(format!("{}{path}", self.base));
        if !self.wire.is_empty() {
            req = req.header("Tongtin-Wire", &self.wire);
        }
        if let Some(t) = &self.token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        self.finish(req.call())
    }

    pub fn send(&self, method: &str, path: &str, body: &[u8], content_type: &str) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut req = match method {
            "PUT" => self.agent.put(url),
            _ => self.agent.post(url),
        };
        if !self.wire.is_empty() {
            req = req.header("Tongtin-Wire", &self.wire);
        }
        if let Some(t) = &self.token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        self.finish(req.header("Content-Type", content_type).send(body))
    }

    pub fn login(&self, org: &str, user: &str, password: &str) -> Reply {
        let body = serde_json::json!({"org": org, "user": user, "password": password}).to_string();
        self.send("POST", "/v1/login", body.as_bytes(), "application/json")
    }

    /// POST /v1/push with raw bytes.
    pub fn push_raw(&self, body: &[u8]) -> Reply {
        self.send("POST", "/v1/push", body, "application/x-tongtin-sync")
    }

    pub fn push(&self, request: &PushRequest) -> Reply {
        self.push_raw(&wire::encode(request))
    }

    /// Pushes; panics unless accepted.
    pub fn push_ok(&self, ops: Vec<WireOp>) -> PushResponse {
        let r = self.push(&push_request(ops));
        assert_eq!(r.status, 200, "push: {}", r.text());
        r.decode()
    }

    pub fn pull_page(&self, after: i64, limit: Option<u32>) -> Reply {
        match limit {
            Some(l) => self.get(&format!("/v1/pull?after={after}&limit={l}")),
            None => self.get(&format!("/v1/pull?after={after}")),
        }
    }

    /// Everything after `after`, every page.
    pub fn pull_all(&self, mut after: i64) -> PullResponse {
        let mut all: Option<PullResponse> = None;
        loop {
            let r = self.pull_page(after, None);
            assert_eq!(r.status, 200, "pull: {}", r.text());
            let page: PullResponse = r.decode();
            after = page.entries.last().map(|e| e.seq).unwrap_or(after);
            let more = page.more;
            match &mut all {
                None => all = Some(page),
                Some(a) => {
                    a.entries.extend(page.entries);
                    a.last_seq = page.last_seq;
                    a.more = page.more;
                }
            }
            if !more {
                return all.expect("a page");
            }
        }
    }

    pub fn status(&self) -> Status {
        let r = self.get("/v1/status");
        assert_eq!(r.status, 200, "status: {}", r.text());
        serde_json::from_slice(&r.body).expect("status JSON")
    }

    /// PUT one chunk of an attachment.
    pub fn put_blob(&self, sha: &str, offset: u64, total: u64, chunk: &[u8]) -> Reply {
        self.send(
            "PUT",
            &format!("/v1/blobs/{sha}?offset={offset}&total={total}"),
            chunk,
            "application/octet-stream",
        )
    }
}

/// An agent that reports every status as a reply (not an error), trusting
/// `root` (DER) for HTTPS when given.
pub fn agent(root: Option<&[u8]>) -> ureq::Agent {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .unversioned_rustls_crypto_provider(provider);
    if let Some(der) = root {
        tls = tls.root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![
            ureq::tls::Certificate::from_der(der).to_owned(),
        ])));
    }
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .tls_config(tls.build())
        .build()
        .new_agent()
}

/// A push of `ops` at this Tongtin's data model version.
pub fn push_request(ops: Vec<WireOp>) -> PushRequest {
    PushRequest {
        wire: WIRE_VERSION,
        model_version: tongtin::model::schema().version,
        device: "test-pc".into(),
        ops,
    }
}

/// A new op id.
pub fn op_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A point as the GeoPackage blob literal the journal records (EPSG:32648).
pub fn point_literal(x: f64, y: f64) -> String {
    let blob = tongtin::geom::encode_blob(&tongtin::geom::Geometry::point(x, y), 32648);
    literal(&tongtin::gpkg::Value::Blob(blob))
}

/// The insert of a pole at (x, y) with a number and status `'normal'`.
pub fn pole_insert(uid: &str, pole_no: &str, x: f64, y: f64, hlc: i64, device: &str) -> WireOp {
    let fields = [
        ("uid", format!("'{uid}'")),
        ("pole_no", format!("'{pole_no}'")),
        ("status", "'normal'".to_string()),
        ("height_m", "9.0".to_string()),
        ("geom", point_literal(x, y)),
    ];
    WireOp {
        op_id: op_id(),
        edit_id: op_id(),
        hlc,
        user: "somchai".into(),
        device: device.into(),
        layer: "poles".into(),
        uid: uid.into(),
        kind: OpKind::Insert,
        fields: fields
            .into_iter()
            .map(|(f, v)| WireField {
                field: f.into(),
                old: None,
                new: Some(v),
            })
            .collect(),
        resolves: vec![],
    }
}

/// An update of one field of a pole from `old` to `new` (SQL literals).
pub fn field_update(uid: &str, field: &str, old: &str, new: &str, hlc: i64, device: &str) -> WireOp {
    WireOp {
        op_id: op_id(),
        edit_id: op_id(),
        hlc,
        user: "somsri".into(),
        device: device.into(),
        layer: "poles".into(),
        uid: uid.into(),
        kind: OpKind::Update,
        fields: vec![WireField {
            field: field.into(),
            old: Some(old.into()),
            new: Some(new.into()),
        }],
        resolves: vec![],
    }
}

/// The insert of a photo row referencing an attachment by SHA-256.
pub fn photo_insert(uid: &str, sha256: &str, hlc: i64) -> WireOp {
    WireOp {
        op_id: op_id(),
        edit_id: op_id(),
        hlc,
        user: "somchai".into(),
        device: "pc-1".into(),
        layer: tongtin::sync::wire::PHOTO_TABLE.into(),
        uid: uid.into(),
        kind: OpKind::Insert,
        fields: vec![
            WireField {
                field: "sha256".into(),
                old: None,
                new: Some(format!("'{sha256}'")),
            },
            WireField {
                field: "content_type".into(),
                old: None,
                new: Some("'image/jpeg'".into()),
            },
        ],
        resolves: vec![],
    }
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    tongtin::hub::auth::hex(&sha2::Sha256::digest(bytes))
}

/// A fingerprint of everything an organisation's clients can pull (to
/// compare before and after a refused request).
pub fn fingerprint(api: &Api) -> String {
    let all = api.pull_all(0);
    let json = serde_json::to_vec(&(all.entries, all.last_seq, all.model_version)).expect("JSON");
    sha256_hex(&json)
}
