//! The hub over HTTP: the contract the sync client relies on, and its
//! security (roles, organisations, tokens, hostile bodies). Real `tongtin
//! serve` processes on loopback, SQLite stores.

mod common;

use std::io::Write;
use std::process::Command;

use common::hub::{
    agent, field_update, fingerprint, hub_cli, photo_insert, pole_insert, push_request, sha256_hex, sqlite_store, Api,
    Hub, ADMIN_PASSWORD,
};
use tongtin::sync::{wire, PullResponse, PushRequest, PushResponse, WIRE_VERSION};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn login_answers_a_token_and_refuses_everything_else_alike() {
    let hub = Hub::start(&sqlite_store());
    hub.org_with_editor("a");
    hub.add_org("b");
    hub.add_user("b", "other", "editor", "password-b");
    let api = hub.api();
    let ok = api.login("a", "ed", "password-1");
    assert_eq!(ok.status, 200, "{}", ok.text());
    let j = ok.json();
    assert_eq!(j["role"], "editor");
    assert_eq!(j["token"].as_str().unwrap().len(), 64);
    assert!(chrono::DateTime::parse_from_rfc3339(j["expires_at"].as_str().unwrap()).is_ok());
    let refusals = [
        api.login("a", "ed", "wrong-password"),
        api.login("a", "nobody", "password-1"),
        api.login("zz", "ed", "password-1"),
        api.login("a", "other", "password-b"),
        api.login("A B", "ed", "password-1"),
    ];
    let first = refusals[0].json();
    for r in &refusals {
        assert_eq!(r.status, 401);
        assert_eq!(r.json(), first, "the same answer whatever was wrong");
    }
    assert_eq!(first["error"], "unauthorized");
    assert!(first["message_th"].as_str().unwrap().contains("รหัสผ่าน"));
    let bad = api.send("POST", "/v1/login", b"{not json", "application/json");
    assert_eq!((bad.status, bad.code().as_str()), (400, "bad_request"));
    // The hub administrator is admin of every organisation.
    let admin = api.login("b", "admin", ADMIN_PASSWORD);
    assert_eq!(admin.json()["role"], "admin");
}

#[test]
fn password_guessing_is_slowed_per_user_name() {
    let hub = Hub::start(&sqlite_store());
    hub.org_with_editor("a");
    let api = hub.api();
    for i in 0..10 {
        assert_eq!(api.login("a", "ed", &format!("guess-{i}")).status, 401, "guess {i}");
    }
    let held = api.login("a", "ed", "password-1");
    assert_eq!(held.status, 429, "the right password too, for a while: {}", held.text());
    let j = held.json();
    assert_eq!(j["error"], "too_many_attempts");
    assert!(j["retry_after"].as_u64().is_some_and(|s| s > 0 && s <= 15 * 60));
    assert!(j["message_th"].as_str().unwrap().contains("ลองใหม่"));
    assert_eq!(
        api.login("a", "vi", "password-1").status,
        200,
        "other users sign in as usual"
    );
}

#[test]
fn the_wire_version_is_checked_on_every_request() {
    let hub = Hub::start(&sqlite_store());
    let ed = hub.org_with_editor("a");
    let mut none = ed.clone();
    none.wire = String::new();
    let r = none.get("/v1/status");
    assert_eq!((r.status, r.code().as_str()), (426, "wire_version"));
    assert!(
        r.json()["message"].as_str().unwrap().contains("update Tongtin"),
        "{}",
        r.text()
    );
    let mut newer = ed.clone();
    newer.wire = (WIRE_VERSION + 1).to_string();
    let r = newer.login("a", "ed", "password-1");
    assert_eq!(r.status, 426);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("hub's Tongtin must be updated"));
    let mut older = ed.clone();
    older.wire = "0".into();
    assert!(older.get("/v1/pull").json()["message"]
        .as_str()
        .unwrap()
        .contains("update Tongtin"));
    // The version inside a push body is checked too.
    let mut request = push_request(vec![pole_insert("p1", "P-1", 1.0, 2.0, 1, "pc")]);
    request.wire = WIRE_VERSION + 1;
    let r = ed.push(&request);
    assert_eq!((r.status, r.code().as_str()), (426, "wire_version"));
    assert_eq!(ed.status().last_seq, 0);
    let r = ed.get("/v1/nothing-here");
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
}

#[test]
fn push_pull_and_attachments_follow_the_contract() {
    let hub = Hub::start(&sqlite_store());
    let ed = hub.org_with_editor("a");
    let r = ed.push(&push_request(vec![
        pole_insert("p1", "P-1", 1.0, 2.0, 10, "pc-1"),
        field_update("p1", "status", "'normal'", "'damaged'", 11, "pc-1"),
    ]));
    assert_eq!(r.status, 200, "{}", r.text());
    let response: PushResponse = r.decode();
    assert_eq!((response.accepted, response.last_seq), (2, 2));
    let status = ed.status();
    assert_eq!(
        (status.wire, status.last_seq, status.model_version),
        (WIRE_VERSION, 2, tongtin::model::schema().version)
    );
    // Pages of the log.
    ed.push_ok(
        (2..12)
            .map(|i| pole_insert(&format!("p{i}"), "P", 0.0, 0.0, 20 + i, "pc-1"))
            .collect(),
    );
    let page = ed.pull_page(0, Some(5));
    let page: PullResponse = page.decode();
    assert_eq!((page.entries.len(), page.more, page.last_seq), (5, true, 12));
    let rest: PullResponse = ed.pull_page(5, Some(100_000)).decode();
    assert_eq!((rest.entries.len(), rest.more, rest.entries[0].seq), (7, false, 6));
    assert_eq!(ed.pull_page(0, None).decode::<PullResponse>().entries.len(), 12);
    let bad = ed.get("/v1/pull?after=abc");
    assert_eq!(bad.status, 400);
    // Schema rules.
    let behind = PushRequest {
        model_version: 1,
        ..push_request(vec![pole_insert("q", "Q", 0.0, 0.0, 99, "pc")])
    };
    let r = ed.push(&behind);
    assert_eq!((r.status, r.code().as_str()), (409, "schema_behind"));
    assert!(r.json()["message"].as_str().unwrap().contains("migrate"));
    // Attachments: referenced before uploaded, resumed, verified.
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    let sha = sha256_hex(&bytes);
    let total = bytes.len() as u64;
    let r = ed.push(&push_request(vec![photo_insert("ph1", &sha, 50)]));
    assert_eq!((r.status, r.code().as_str()), (409, "missing_blobs"));
    assert_eq!(r.json()["missing"][0], sha.as_str());
    assert_eq!(
        ed.get(&format!("/v1/blobs/{sha}/status")).json(),
        serde_json::json!({"received": 0, "complete": false})
    );
    assert_eq!(
        ed.put_blob(&sha, 0, total, &bytes[..100_000]).json()["received"],
        100_000
    );
    let r = ed.put_blob(&sha, 0, total, &bytes[..100_000]);
    assert_eq!((r.status, r.code().as_str()), (409, "blob_offset"));
    assert_eq!(r.json()["received"], 100_000);
    assert_eq!(ed.get(&format!("/v1/blobs/{sha}")).status, 404);
    let done = ed.put_blob(&sha, 100_000, total, &bytes[100_000..]);
    assert_eq!(done.json(), serde_json::json!({"received": total, "complete": true}));
    let got = ed.get(&format!("/v1/blobs/{sha}"));
    assert_eq!((got.status, got.body == bytes), (200, true));
    assert_eq!(ed.push(&push_request(vec![photo_insert("ph1", &sha, 50)])).status, 200);
    let wrong = sha256_hex(b"other bytes");
    let r = ed.put_blob(&wrong, 0, 4, b"abcd");
    assert_eq!((r.status, r.code().as_str()), (422, "blob_mismatch"));
    let r = ed.put_blob(&sha256_hex(b"x"), 0, (64 << 20) + 1, b"x");
    assert_eq!((r.status, r.code().as_str()), (413, "too_large"));
    let r = ed.send("PUT", &format!("/v1/blobs/{sha}"), b"x", "application/octet-stream");
    assert_eq!(r.status, 400, "offset and total are required");
    // Conflicts the hub keeps.
    ed.push_ok(vec![field_update(
        "p1",
        "status",
        "'normal'",
        "'awaiting_repair'",
        5,
        "pc-2",
    )]);
    let c = ed.get("/v1/conflicts").json();
    assert_eq!(c["conflicts"].as_array().unwrap().len(), 1);
    assert_eq!(c["conflicts"][0]["conflict"]["ours"]["value"], "'damaged'");
}

#[test]
fn a_viewer_cannot_change_anything() {
    let hub = Hub::start(&sqlite_store());
    let ed = hub.org_with_editor("a");
    ed.push_ok(vec![pole_insert("p1", "P-1", 1.0, 2.0, 10, "pc-1")]);
    let vi = hub.login("a", "vi", "password-1");
    let before = fingerprint(&ed);
    let r = vi.push(&push_request(vec![field_update(
        "p1",
        "status",
        "'normal'",
        "'damaged'",
        11,
        "pc-9",
    )]));
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden"));
    let r = vi.put_blob(&sha256_hex(b"abc"), 0, 3, b"abc");
    assert_eq!(r.status, 403);
    assert_eq!(fingerprint(&ed), before);
    assert_eq!(fingerprint(&vi), before, "a viewer reads the same data");
    assert_eq!(
        ed.get(&format!("/v1/blobs/{}/status", sha256_hex(b"abc"))).json()["received"],
        0
    );
}

#[test]
fn one_organisation_cannot_read_or_write_another() {
    let hub = Hub::start(&sqlite_store());
    let a = hub.org_with_editor("a");
    let b = hub.org_with_editor("b");
    a.push_ok(vec![pole_insert("pa", "A-1", 1.0, 2.0, 10, "pc-a")]);
    let bytes = b"org a's photo";
    let sha = sha256_hex(bytes);
    assert_eq!(a.put_blob(&sha, 0, bytes.len() as u64, bytes).status, 200);
    let a_before = fingerprint(&a);
    // B sees nothing of A, and what B writes lands in B only.
    assert!(b.pull_all(0).entries.is_empty());
    assert_eq!(b.status().last_seq, 0);
    assert_eq!(b.get(&format!("/v1/blobs/{sha}")).status, 404);
    assert_eq!(b.get(&format!("/v1/blobs/{sha}/status")).json()["received"], 0);
    b.push_ok(vec![field_update("pa", "status", "'normal'", "'damaged'", 11, "pc-b")]);
    assert_eq!(fingerprint(&a), a_before);
    assert_eq!(b.pull_all(0).entries.len(), 1);
    // A token is bound to its organisation: logging in to B with A's user fails.
    assert_eq!(hub.api().login("b", "ed", "password-1").status, 200, "b has its own ed");
    hub.add_user("a", "only-a", "editor", "password-x");
    assert_eq!(hub.api().login("b", "only-a", "password-x").status, 401);
}

#[test]
fn forged_and_expired_tokens_are_refused() {
    let hub = Hub::start(&sqlite_store());
    let ed = hub.org_with_editor("a");
    let none = ed.with_token(None);
    assert_eq!(none.get("/v1/status").code(), "unauthorized");
    assert_eq!(none.get("/v1/status").status, 401);
    let forged = ed.with_token(Some(&"0".repeat(64)));
    assert_eq!(forged.get("/v1/pull").status, 401);
    let r = forged.push(&push_request(vec![pole_insert("p", "P", 0.0, 0.0, 1, "pc")]));
    assert_eq!((r.status, r.code().as_str()), (401, "unauthorized"));
    assert_eq!(ed.status().last_seq, 0);
    // A hub whose sessions end at once.
    let short = Hub::start_with(&hub.store, &[("TONGTIN_HUB_TOKEN_HOURS", "0")], &[]);
    let r = short.api().login("a", "ed", "password-1");
    assert_eq!(r.status, 200);
    let expired = Api::new(&short.url, Some(r.json()["token"].as_str().unwrap().to_string()));
    let r = expired.get("/v1/status");
    assert_eq!((r.status, r.code().as_str()), (401, "token_expired"));
    // The first hub's long sessions still work.
    assert_eq!(ed.get("/v1/status").status, 200);
    // Removing a user ends its sessions.
    let out = hub_cli(&hub.store, &["user", "remove", "ed", "--org", "a"], &[]);
    assert!(out.status.success());
    assert_eq!(ed.get("/v1/status").status, 401);
}

#[test]
fn malformed_oversized_and_bomb_bodies_are_refused_and_change_nothing() {
    let hub = Hub::start(&sqlite_store());
    let ed = hub.org_with_editor("a");
    ed.push_ok(vec![pole_insert("p1", "P-1", 1.0, 2.0, 10, "pc-1")]);
    let before = fingerprint(&ed);
    let mut unsound = pole_insert("p2", "P-2", 1.0, 2.0, 11, "pc-1");
    unsound.layer = "poles; DROP TABLE log".into();
    let good = pole_insert("p3", "P-3", 1.0, 2.0, 12, "pc-1");
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("not gzip", b"this is not gzip".to_vec(), 400),
        ("gzip, not JSON", gzip(b"{{{{ not json"), 400),
        ("JSON of the wrong shape", gzip(br#"{"wire":1,"ops":"x"}"#), 400),
        (
            "truncated gzip",
            wire::encode(&push_request(vec![good.clone()]))[..20].to_vec(),
            400,
        ),
        (
            "an unusable op among good ones",
            wire::encode(&push_request(vec![good, unsound])),
            400,
        ),
        ("a body over 64 MiB", vec![0u8; (64 << 20) + 1], 413),
        ("a gzip bomb (300 MiB of zeros)", gzip(&vec![0u8; 300 << 20]), 413),
    ];
    for (what, body, status) in cases {
        let r = ed.push_raw(&body);
        assert_eq!(r.status, status, "{what}: {}", r.text());
        let j = r.json();
        assert!(
            j["message"].as_str().is_some_and(|m| !m.is_empty()) && j["message_th"].is_string(),
            "{what}"
        );
        assert_eq!(fingerprint(&ed), before, "{what} changed the stored data");
    }
    let r = ed.push_raw(&wire::encode(&push_request(vec![{
        let mut op = pole_insert("p4", "P-4", 0.0, 0.0, 13, "pc");
        op.fields[0].new = Some("'unterminated".into());
        op
    }])));
    assert!(
        r.json()["message"].as_str().unwrap().contains("unreadable value"),
        "{}",
        r.text()
    );
    assert_eq!(ed.status().last_seq, 1);
}

#[test]
fn tls_with_a_self_signed_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, key.cert.pem()).unwrap();
    std::fs::write(&key_path, key.signing_key.serialize_pem()).unwrap();
    let hub = Hub::start_with(
        &sqlite_store(),
        &[],
        &[
            "--tls-cert",
            cert_path.to_str().unwrap(),
            "--tls-key",
            key_path.to_str().unwrap(),
        ],
    );
    assert!(hub.url.starts_with("https://127.0.0.1:"), "{}", hub.url);
    hub.add_org("a");
    hub.add_user("a", "ed", "editor", "password-1");
    let api = Api::with_agent(&hub.url, None, agent(Some(key.cert.der())));
    let r = api.login("a", "ed", "password-1");
    assert_eq!(r.status, 200, "{}", r.text());
    let ed = api.with_token(r.json()["token"].as_str());
    let pushed = ed.push_ok(vec![pole_insert("p1", "P-1", 1.0, 2.0, 10, "pc-1")]);
    assert_eq!(pushed.last_seq, 1);
    assert_eq!(ed.status().last_seq, 1);
    // A client that does not trust the certificate gets nowhere.
    let stranger = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let untrusting = agent(Some(stranger.cert.der()));
    assert!(untrusting.get(format!("{}/v1/status", hub.url)).call().is_err());
    // Missing certificate files are a clear error, not a panic.
    let out = Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .args(["serve", "--store", &sqlite_store(), "--listen", "127.0.0.1:0"])
        .args([
            "--tls-cert",
            "/nonexistent/cert.pem",
            "--tls-key",
            "/nonexistent/key.pem",
        ])
        .env("TONGTIN_HUB_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("/nonexistent/cert.pem") && !err.contains("panicked"),
        "{err}"
    );
}

fn tongtin(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .args(args)
        .envs(env.iter().copied())
        .env_remove("TONGTIN_HUB_STORE")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        err,
    )
}

#[test]
fn the_command_line_explains_bad_input_and_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hub.toml");
    std::fs::write(&config, "store = \"sqlite:x\"\nlistne = 1\n").unwrap();
    let cfg = config.to_str().unwrap();
    let (code, _, err) = tongtin(&["serve", "--config", cfg], &[]);
    assert!(
        code == 3 && err.contains("hub.toml") && err.contains("listne"),
        "{code} {err}"
    );
    let (code, _, err) = tongtin(&["hub", "org", "list", "--config", "/nonexistent/hub.toml"], &[]);
    assert!(code == 3 && err.contains("/nonexistent/hub.toml"), "{err}");
    let (code, _, err) = tongtin(
        &["hub", "org", "list", "--store", "postgres://nobody@127.0.0.1:1/none"],
        &[],
    );
    assert!(code == 3 && err.contains("cannot connect to PostgreSQL"), "{err}");
    let (code, _, err) = tongtin(&["hub", "org", "list", "--store", "postgres://x@:::bad"], &[]);
    assert_eq!(code, 3, "{err}");
    let (code, _, err) = tongtin(&["hub", "org", "list", "--store", "mysql://x/y"], &[]);
    assert!(code == 3 && err.contains("sqlite:PATH"), "{err}");
    let not_sqlite = dir.path().join("not.sqlite");
    std::fs::write(&not_sqlite, vec![b'x'; 4096]).unwrap();
    let (code, _, err) = tongtin(
        &[
            "hub",
            "org",
            "list",
            "--store",
            &format!("sqlite:{}", not_sqlite.display()),
        ],
        &[],
    );
    assert!(code == 3 && err.contains("not.sqlite"), "{err}");
    let store = format!("sqlite:{}/hub.sqlite", dir.path().display());
    let (code, _, err) = tongtin(&["serve", "--store", &store, "--listen", "nowhere"], &[]);
    assert!(code == 3 && err.contains("nowhere"), "{err}");
    let (code, _, err) = tongtin(&["serve", "--store", &store], &[("TONGTIN_HUB_TOKEN_HOURS", "twelve")]);
    assert!(code == 3 && err.contains("TONGTIN_HUB_TOKEN_HOURS"), "{err}");
    let (code, _, err) = tongtin(&["hub", "org", "add", "Non_Sa", "--name", "x", "--store", &store], &[]);
    assert!(code == 2 && err.contains("a-z"), "{err}");
    let (code, _, _) = tongtin(
        &[
            "hub",
            "org",
            "add",
            "non-sa-at",
            "--name",
            "โนนสะอาด",
            "--store",
            &store,
        ],
        &[],
    );
    assert_eq!(code, 0);
    let (code, _, err) = tongtin(
        &["hub", "org", "add", "non-sa-at", "--name", "again", "--store", &store],
        &[],
    );
    assert!(code != 0 && err.contains("already exists"), "{err}");
    let (code, _, err) = tongtin(
        &[
            "hub",
            "user",
            "add",
            "somchai",
            "--org",
            "non-sa-at",
            "--role",
            "boss",
            "--store",
            &store,
        ],
        &[],
    );
    assert!(code == 2 && err.contains("viewer"), "{err}");
    let (code, _, err) = tongtin(
        &[
            "hub",
            "user",
            "add",
            "somchai",
            "--org",
            "nope",
            "--role",
            "editor",
            "--password-env",
            "P",
            "--store",
            &store,
        ],
        &[("P", "password-1")],
    );
    assert!(code == 2 && err.contains("nope"), "{err}");
    let (code, _, err) = tongtin(
        &[
            "hub",
            "user",
            "add",
            "somchai",
            "--org",
            "non-sa-at",
            "--role",
            "editor",
            "--password-env",
            "P",
            "--store",
            &store,
        ],
        &[("P", "short")],
    );
    assert!(code == 2 && err.contains("8"), "{err}");
    // The password from standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .args([
            "hub",
            "user",
            "add",
            "somchai",
            "--org",
            "non-sa-at",
            "--role",
            "editor",
            "--store",
            &store,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"from-stdin-pw\n").unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    let (_, out, _) = tongtin(&["hub", "user", "list", "--store", &store], &[]);
    assert!(out.contains("non-sa-at\tsomchai\teditor"), "{out}");
    let (_, out, _) = tongtin(&["hub", "org", "list", "--json", "--store", &store], &[]);
    assert!(out.contains("โนนสะอาด"), "{out}");
    // The help documents the configuration.
    let (_, help, _) = tongtin(&["serve", "--help"], &[]);
    for word in [
        "TONGTIN_HUB_STORE",
        "TONGTIN_HUB_LISTEN",
        "TONGTIN_HUB_TOKEN_HOURS",
        "TONGTIN_HUB_ADMIN_PASSWORD",
        "--tls-cert",
        "--config",
    ] {
        assert!(help.contains(word), "serve --help lacks {word}");
    }
    // The first start with no administrator prints a generated password once;
    // configuration from the file and the environment is used.
    let first = dir.path().join("first.toml");
    std::fs::write(
        &first,
        format!(
            "store = \"sqlite:{}/first.sqlite\"\nlisten = \"127.0.0.1:0\"\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let mut serve = Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .args(["serve", "--config", first.to_str().unwrap()])
        .env_remove("TONGTIN_HUB_ADMIN_PASSWORD")
        .env_remove("TONGTIN_HUB_STORE")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(serve.stdout.take().unwrap()));
    let created = lines.next().unwrap().unwrap();
    let listening = lines.next().unwrap().unwrap();
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(created.contains("user admin, password "), "{created}");
    assert!(listening.starts_with("listening on http://127.0.0.1:"), "{listening}");
    let password = created
        .split("password ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let hub = Hub::start(&format!("sqlite:{}/first.sqlite", dir.path().display()));
    hub.add_org("x");
    assert_eq!(
        hub.api().login("x", "admin", &password).status,
        200,
        "the generated password works"
    );
    assert_eq!(
        hub.api().login("x", "admin", ADMIN_PASSWORD).status,
        401,
        "an existing administrator is kept"
    );
}
