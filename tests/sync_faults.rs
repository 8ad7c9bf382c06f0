//! Sync that fails half way: the hub's answer to a push lost, a pull cut
//! off mid-answer, the client killed while applying, the hub killed while a
//! push is under way. After retries every copy and the hub agree, and no op
//! was applied twice.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::hub::{sqlite_store, Hub};
use common::replica::Replica;
use common::{demo, tongtin};
use tongtin::gpkg::Value;
use tongtin::progress::Silent;
use tongtin::sync::{remote::HubAccess, EntryChange, SyncError, SyncReport};

const PASSWORD: &str = "password-1";

/// What the proxy does to the next request of a kind, once.
const PASS: u8 = 0;
const LOSE_PUSH_ANSWER: u8 = 1;
const CUT_PULL: u8 = 2;

/// A TCP proxy in front of the hub that can break one exchange.
struct Proxy {
    url: String,
    fault: Arc<AtomicU8>,
}

impl Proxy {
    fn start(hub_url: &str) -> Proxy {
        let target = hub_url.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let fault = Arc::new(AtomicU8::new(PASS));
        let f = fault.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let f = f.clone();
                std::thread::spawn(move || relay(client, server, f));
            }
        });
        Proxy { url, fault }
    }

    fn arm(&self, fault: u8) {
        self.fault.store(fault, Ordering::SeqCst);
    }
}

fn relay(client: TcpStream, server: TcpStream, fault: Arc<AtomicU8>) {
    let (mut c_in, mut s_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let broken = Arc::new(AtomicU8::new(PASS));
    let b = broken.clone();
    let up = std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = c_in.read(&mut buf) {
            if n == 0 {
                break;
            }
            let head = &buf[..n.min(16)];
            let armed = fault.load(Ordering::SeqCst);
            if armed == LOSE_PUSH_ANSWER && head.starts_with(b"POST /v1/push")
                || armed == CUT_PULL && head.starts_with(b"GET /v1/pull")
            {
                fault.store(PASS, Ordering::SeqCst);
                b.store(armed, Ordering::SeqCst);
            }
            if s_out.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = s_out.shutdown(Shutdown::Write);
    });
    let (mut s_in, mut c_out) = (server, client);
    let mut buf = vec![0u8; 64 * 1024];
    while let Ok(n) = s_in.read(&mut buf) {
        if n == 0 {
            break;
        }
        match broken.load(Ordering::SeqCst) {
            LOSE_PUSH_ANSWER => break,
            CUT_PULL => {
                let _ = c_out.write_all(&buf[..n / 2]);
                break;
            }
            _ => {
                if c_out.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = c_out.shutdown(Shutdown::Both);
    let _ = s_in.shutdown(Shutdown::Both);
    let _ = up.join();
}

fn org(hub: &Hub, code: &str) {
    hub.add_org(code);
    hub.add_user(code, "ed", "editor", PASSWORD);
}

fn access(url: &str, org: &str) -> HubAccess {
    HubAccess {
        url: url.into(),
        org: org.into(),
        user: "ed".into(),
        password: PASSWORD.into(),
        ca_pem: None,
    }
}

fn sync(r: &Replica, a: &HubAccess) -> Result<SyncReport, SyncError> {
    tongtin::sync::sync(&r.path, a, &r.actor, &Silent)
}

/// Every op id appears at most once among the hub's feature entries.
fn nothing_applied_twice(hub: &Hub, org: &str) {
    let api = hub.login(org, "ed", PASSWORD);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for e in api.pull_all(0).entries {
        if matches!(e.change, EntryChange::Upsert { .. } | EntryChange::Delete) {
            *seen.entry(e.op_id).or_default() += 1;
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "ops applied more than once: {twice:?}");
}

#[test]
fn a_lost_push_answer_is_retried_without_applying_anything_twice() {
    let hub = Hub::start(&sqlite_store());
    org(&hub, "lost");
    let proxy = Proxy::start(&hub.url);
    let via = access(&proxy.url, "lost");
    let a = Replica::copy_of(&demo(), "fault-lost-a");
    let b = Replica::copy_of(&demo(), "fault-lost-b");
    sync(&a, &via).unwrap();
    sync(&b, &via).unwrap();
    for n in 0..5 {
        a.set("poles", &a.pole(50 + n), "circuit_no", format!("L-{n}").into());
    }
    proxy.arm(LOSE_PUSH_ANSWER);
    let cut = sync(&a, &via);
    assert!(
        matches!(cut, Err(SyncError::Unreachable { .. })),
        "the answer never came: {cut:?}"
    );
    let retry = sync(&a, &via).unwrap();
    assert_eq!(
        (retry.pushed, retry.duplicates),
        (0, 5),
        "the hub had them all: {retry:?}"
    );
    sync(&b, &via).unwrap();
    assert_eq!(a.content_hash(), b.content_hash());
    nothing_applied_twice(&hub, "lost");
}

#[test]
fn a_pull_cut_off_mid_answer_resumes_and_converges() {
    let hub = Hub::start(&sqlite_store());
    org(&hub, "cut");
    let proxy = Proxy::start(&hub.url);
    let via = access(&proxy.url, "cut");
    let a = Replica::copy_of(&demo(), "fault-cut-a");
    let b = Replica::copy_of(&demo(), "fault-cut-b");
    sync(&a, &via).unwrap();
    sync(&b, &via).unwrap();
    a.set("poles", &a.pole(60), "circuit_no", "C-1".into());
    a.delete("poles", &a.pole(61));
    sync(&a, &via).unwrap();
    let before = b.content_hash();
    proxy.arm(CUT_PULL);
    assert!(sync(&b, &via).is_err(), "the pull was cut off");
    assert_eq!(b.content_hash(), before, "nothing half-applied");
    sync(&b, &via).unwrap();
    assert_eq!(a.content_hash(), b.content_hash());
    nothing_applied_twice(&hub, "cut");
}

#[test]
fn a_client_killed_while_applying_converges_on_the_next_sync() {
    let hub = Hub::start(&sqlite_store());
    org(&hub, "killed");
    let a = Replica::copy_of(&demo(), "fault-kill-a");
    let b = Replica::copy_of(&demo(), "fault-kill-b");
    let direct = access(&hub.url, "killed");
    sync(&a, &direct).unwrap();
    sync(&b, &direct).unwrap();
    let changes: Vec<_> = (0..1500)
        .map(|n| tongtin::edit::Change::Update {
            layer: "poles".into(),
            uid: a.pole(n),
            values: [("height_m".to_string(), Value::Real(7.25))].into(),
            geometry: None,
            expect: Default::default(),
        })
        .collect();
    a.edit(changes);
    sync(&a, &direct).unwrap();
    let cli = |r: &Replica| {
        Command::new(env!("CARGO_BIN_EXE_tongtin"))
            .args([
                "sync",
                r.path.to_str().unwrap(),
                "--hub",
                &hub.url,
                "--org",
                "killed",
                "--user",
                "ed",
            ])
            .env("TONGTIN_HUB_PASSWORD", PASSWORD)
            .env("TONGTIN_DEVICE", &r.actor.device)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    for delay_ms in [150, 400, 900] {
        let mut child = cli(&b);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .args([
            "sync",
            b.path.to_str().unwrap(),
            "--hub",
            &hub.url,
            "--org",
            "killed",
            "--user",
            "ed",
        ])
        .env("TONGTIN_HUB_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(a.content_hash(), b.content_hash());
    let check = tongtin(&["journal", "check", b.path.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "the journal agrees with the data after the kills"
    );
    nothing_applied_twice(&hub, "killed");
}

#[test]
fn a_hub_killed_during_a_push_loses_nothing() {
    let store = sqlite_store();
    let mut hub = Hub::start(&store);
    org(&hub, "crash");
    let a = Replica::copy_of(&demo(), "fault-crash-a");
    let b = Replica::copy_of(&demo(), "fault-crash-b");
    let first = access(&hub.url, "crash");
    let watcher = hub.login("crash", "ed", PASSWORD);
    let pushing = {
        let (path, actor, access) = (a.path.clone(), a.actor.clone(), first.clone());
        std::thread::spawn(move || tongtin::sync::sync(&path, &access, &actor, &Silent))
    };
    let started = Instant::now();
    while watcher.status().last_seq == 0 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    hub.kill();
    let outcome = pushing.join().unwrap();
    let hub = Hub::start(&store);
    let again = access(&hub.url, "crash");
    let retry = sync(&a, &again).unwrap();
    if outcome.is_err() {
        assert!(
            retry.duplicates > 0,
            "the retry met what the killed hub had taken: {retry:?}"
        );
    }
    sync(&b, &again).unwrap();
    sync(&a, &again).unwrap();
    assert_eq!(a.content_hash(), b.content_hash());
    nothing_applied_twice(&hub, "crash");
}
