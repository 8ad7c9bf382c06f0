//! The seven concurrent-edit cases through sync packages (no network): two
//! offices edit copies of the same file, exchange packages both ways, and
//! must end with identical data, every losing value kept in a conflict.

mod common;

use std::path::PathBuf;

use common::replica::Replica;
use common::{demo, scratch, tongtin};
use tongtin::gpkg::Value;
use tongtin::sync::{package, ConflictKind};

fn package_of(r: &Replica, tag: &str) -> PathBuf {
    let p = scratch().join(format!("{}-{tag}.tongtin-sync", r.actor.device));
    package::export(&r.path, &p, false, &r.actor).expect("export");
    p
}

fn exchange(a: &Replica, b: &Replica, tag: &str) {
    let pa = package_of(a, &format!("{tag}-1"));
    package::import(&b.path, &pa, &b.actor).expect("import into b");
    let pb = package_of(b, &format!("{tag}-2"));
    package::import(&a.path, &pb, &a.actor).expect("import into a");
}

/// Two copies of the demo that have exchanged their starting data.
fn pair(name: &str) -> (Replica, Replica) {
    let a = Replica::copy_of(&demo(), &format!("{name}-a"));
    let b = Replica::copy_of(&demo(), &format!("{name}-b"));
    exchange(&a, &b, "intro");
    assert!(
        a.conflicts().is_empty() && b.conflicts().is_empty(),
        "same starting data, no conflict"
    );
    assert_eq!(a.content_hash(), b.content_hash());
    (a, b)
}

fn converged(a: &Replica, b: &Replica) {
    exchange(a, b, "settle");
    assert_eq!(a.content_hash(), b.content_hash(), "both offices hold the same data");
}

#[test]
fn same_field_different_values_keeps_the_later_and_records_the_other() {
    let (a, b) = pair("same-field");
    let pole = a.pole(10);
    a.set("poles", &pole, "circuit_no", "A-7".into());
    b.set("poles", &pole, "circuit_no", "B-9".into());
    exchange(&a, &b, "edit");
    converged(&a, &b);
    assert_eq!(
        a.get("poles", &pole, "circuit_no"),
        Some("B-9".into()),
        "the later edit stands"
    );
    for r in [&a, &b] {
        let c = r.conflicts();
        assert_eq!(c.len(), 1, "{}: one conflict", r.actor.device);
        let c = &c[0].conflict;
        assert_eq!((c.kind, c.field.as_deref()), (ConflictKind::Field, Some("circuit_no")));
        let values = [c.ours.value.as_deref(), c.theirs.value.as_deref()];
        assert!(values.contains(&Some("'A-7'")), "the losing value is kept: {values:?}");
        assert!(values.contains(&Some("'B-9'")));
    }
}

#[test]
fn same_field_same_value_is_no_conflict() {
    let (a, b) = pair("same-value");
    let pole = a.pole(11);
    a.set("poles", &pole, "circuit_no", "S-1".into());
    b.set("poles", &pole, "circuit_no", "S-1".into());
    exchange(&a, &b, "edit");
    converged(&a, &b);
    assert!(a.conflicts().is_empty() && b.conflicts().is_empty());
    assert_eq!(b.get("poles", &pole, "circuit_no"), Some("S-1".into()));
}

#[test]
fn different_fields_of_one_feature_both_apply() {
    let (a, b) = pair("fields");
    let pole = a.pole(12);
    a.set("poles", &pole, "height_m", Value::Real(12.5));
    b.set("poles", &pole, "circuit_no", "F-2".into());
    exchange(&a, &b, "edit");
    converged(&a, &b);
    assert!(a.conflicts().is_empty() && b.conflicts().is_empty());
    for r in [&a, &b] {
        assert_eq!(r.get("poles", &pole, "height_m"), Some(Value::Real(12.5)));
        assert_eq!(r.get("poles", &pole, "circuit_no"), Some("F-2".into()));
    }
}

#[test]
fn both_move_a_point_keeps_the_later_position_and_the_other_in_the_conflict() {
    let (a, b) = pair("move");
    let pole = a.pole(13);
    let (x, y) = a.xy("poles", &pole);
    a.move_point("poles", &pole, 2.0, 0.0);
    b.move_point("poles", &pole, 0.0, 3.0);
    exchange(&a, &b, "edit");
    converged(&a, &b);
    assert_eq!(a.xy("poles", &pole), (x, y + 3.0));
    let conflicts = a.conflicts();
    let c = &conflicts
        .iter()
        .find(|c| c.conflict.field.as_deref() == Some("geom"))
        .expect("a conflict on the geometry")
        .conflict;
    assert_ne!(c.ours.value, c.theirs.value, "both positions are in the record");
}

#[test]
fn delete_against_edit_keeps_the_feature_both_ways() {
    for deleter_first in [true, false] {
        let (a, b) = pair(if deleter_first { "del-edit" } else { "edit-del" });
        let pole: String = tongtin::gpkg::GeoPackage::open(&a.path)
            .unwrap()
            .connection()
            .query_row("SELECT pole_uid FROM lamps ORDER BY fid LIMIT 1 OFFSET 14", [], |r| {
                r.get(0)
            })
            .unwrap();
        let lamps = |r: &Replica| {
            common::count(
                &r.path,
                &format!("SELECT count(*) FROM lamps WHERE pole_uid = '{pole}'"),
            )
        };
        let had = lamps(&a);
        assert!(had > 0);
        a.delete("poles", &pole);
        assert_eq!(lamps(&a), 0, "deleting the pole deletes its lamps");
        b.set("poles", &pole, "circuit_no", "D-3".into());
        if deleter_first {
            exchange(&a, &b, "edit");
        } else {
            exchange(&b, &a, "edit");
        }
        converged(&a, &b);
        for r in [&a, &b] {
            assert!(r.exists("poles", &pole), "{}: the edited pole stays", r.actor.device);
            assert_eq!(lamps(r), had, "{}: and its lamps with it", r.actor.device);
            assert_eq!(r.get("poles", &pole, "circuit_no"), Some("D-3".into()));
            let c = r.conflicts();
            let c = c
                .iter()
                .find(|c| c.conflict.uid == pole)
                .expect("a conflict on the pole");
            assert!(matches!(
                c.conflict.kind,
                ConflictKind::EditDeleted | ConflictKind::DeleteEdited
            ));
        }
    }
}

#[test]
fn inserts_on_both_sides_never_collide() {
    let (a, b) = pair("insert");
    let at = a.xy("poles", &a.pole(15));
    for (r, n, dx) in [(&a, "N-A-1", 5.0), (&b, "N-B-1", -5.0)] {
        r.edit(vec![tongtin::edit::Change::Insert {
            layer: "poles".into(),
            uid: None,
            values: [
                ("pole_no".to_string(), Value::from(n)),
                ("pole_type".to_string(), "single_arm".into()),
                ("owner".to_string(), "lao".into()),
                ("status".to_string(), "normal".into()),
            ]
            .into(),
            geometry: Some(tongtin::geom::Geometry::point(at.0 + dx, at.1)),
        }]);
    }
    exchange(&a, &b, "edit");
    converged(&a, &b);
    let count = |r: &Replica| {
        common::count(
            &r.path,
            "SELECT count(*) FROM poles WHERE pole_no IN ('N-A-1', 'N-B-1')",
        )
    };
    assert_eq!((count(&a), count(&b)), (2, 2));
    assert!(a.conflicts().is_empty());
}

#[test]
fn importing_a_package_twice_takes_nothing_twice() {
    let (a, b) = pair("twice");
    let pole = a.pole(16);
    a.set("poles", &pole, "circuit_no", "T-1".into());
    let p = package_of(&a, "once");
    let first = package::import(&b.path, &p, &b.actor).unwrap();
    let hash = b.content_hash();
    let journal = common::count(&b.path, "SELECT count(*) FROM tongtin_journal");
    let again = package::import(&b.path, &p, &b.actor).unwrap();
    assert_eq!((first.accepted, again.accepted, again.duplicates), (1, 0, 1));
    assert_eq!(b.content_hash(), hash);
    assert_eq!(common::count(&b.path, "SELECT count(*) FROM tongtin_journal"), journal);
}

#[test]
fn a_resolution_travels_and_closes_the_conflict_on_the_other_side() {
    let (a, b) = pair("resolve");
    let pole = a.pole(17);
    a.set("poles", &pole, "circuit_no", "A-7".into());
    b.set("poles", &pole, "circuit_no", "B-9".into());
    exchange(&a, &b, "edit");
    let id = a.conflicts()[0].conflict.id.clone();
    assert_eq!(
        a.get("poles", &pole, "circuit_no"),
        Some("B-9".into()),
        "the later edit until decided"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tongtin"))
        .args(["conflicts", "resolve", a.path.to_str().unwrap(), &id, "--take", "mine"])
        .env("TONGTIN_USER", &a.actor.user)
        .env("TONGTIN_DEVICE", &a.actor.device)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(a.get("poles", &pole, "circuit_no"), Some("A-7".into()), "a's own value");
    assert!(a.conflicts().iter().all(|c| c.conflict.id != id));
    converged(&a, &b);
    assert_eq!(b.get("poles", &pole, "circuit_no"), Some("A-7".into()));
    assert!(b.conflicts().iter().all(|c| c.conflict.id != id), "closed on b as well");
    let listed = tongtin(&["conflicts", b.path.to_str().unwrap()]);
    assert!(listed.status.success(), "no open conflict: exit 0");
}

#[test]
fn a_damaged_package_changes_nothing() {
    let (a, b) = pair("damaged");
    a.set("poles", &a.pole(18), "circuit_no", "X-1".into());
    let p = package_of(&a, "cut");
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    let hash = b.content_hash();
    let out = tongtin(&["sync", "import", b.path.to_str().unwrap(), p.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(common::stderr(&out).contains("malformed"), "{}", common::stderr(&out));
    assert_eq!(b.content_hash(), hash);
}

#[test]
fn an_import_is_journaled_as_the_sender_made_it_and_capture_resumes() {
    let (a, b) = pair("journaled");
    let (moved, gone) = (a.pole(19), a.pole(20));
    // Full precision: SQLite's quote() writes this REAL differently from the
    // journal's literals, which must not look like a concurrent change.
    a.set("poles", &moved, "height_m", Value::Real(1.1 + 2.2));
    exchange(&a, &b, "exact");
    a.set("poles", &moved, "height_m", Value::Real(9.5));
    a.move_point("poles", &moved, 3.0, -2.0);
    a.delete("poles", &gone);
    exchange(&a, &b, "edit");
    assert!(a.conflicts().is_empty() && b.conflicts().is_empty());
    assert_eq!(b.get("poles", &moved, "height_m"), Some(Value::Real(9.5)));
    assert!(!b.exists("poles", &gone));
    let history = tongtin::journal::read_history(
        tongtin::gpkg::GeoPackage::open(&b.path).unwrap().connection(),
        &tongtin::journal::HistoryFilter {
            uid: Some(moved.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let last = history.last().expect("the change is in b's journal");
    assert_eq!(last.device, a.actor.device, "under the sender's name");
    assert_eq!(last.origin, tongtin::journal::Origin::Package);
    let check = tongtin(&["journal", "check", b.path.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "b's fingerprints match its rows: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let other_tool = tongtin::gpkg::GeoPackage::open_writable(&b.path).unwrap();
    other_tool
        .connection()
        .execute("UPDATE poles SET circuit_no = 'Q-1' WHERE uid = ?1", [&moved])
        .unwrap();
    drop(other_tool);
    assert_eq!(
        common::count(&b.path, "SELECT count(*) FROM tongtin_capture"),
        1,
        "the capture triggers are back after the import"
    );
}

#[test]
fn deciding_a_position_settles_the_fields_that_follow_it() {
    let (a, b) = pair("move-decide");
    let pole = a.pole(26);
    let (x, y) = a.xy("poles", &pole);
    a.move_point("poles", &pole, 60.0, 0.0);
    let elevation_a = a.get("poles", &pole, "elevation_m");
    b.move_point("poles", &pole, 0.0, -80.0);
    assert_ne!(
        b.get("poles", &pole, "elevation_m"),
        elevation_a,
        "the two positions lie at other heights"
    );
    exchange(&a, &b, "edit");
    converged(&a, &b);
    let on_pole: Vec<_> = a
        .conflicts()
        .into_iter()
        .filter(|c| c.conflict.uid == pole)
        .map(|c| c.conflict)
        .collect();
    let position = on_pole
        .iter()
        .find(|c| c.field.as_deref() == Some("geom"))
        .expect("a conflict on the position");
    let mut following: Vec<String> = on_pole
        .iter()
        .filter(|c| c.id != position.id)
        .map(|c| c.id.clone())
        .collect();
    assert!(
        on_pole.iter().any(|c| c.field.as_deref() == Some("elevation_m")),
        "the elevation conflicts too: {on_pole:?}"
    );
    let decided = tongtin::sync::resolve(&a.path, &position.id, &tongtin::sync::Take::Mine, &a.actor).unwrap();
    assert_eq!(a.xy("poles", &pole), (x + 60.0, y), "a's position");
    assert_eq!(
        a.get("poles", &pole, "elevation_m"),
        elevation_a,
        "with the elevation at it"
    );
    let mut settled = decided.settled_with.clone();
    settled.sort();
    following.sort();
    assert_eq!(
        settled, following,
        "one decision settles the fields that follow the position"
    );
    assert!(a.conflicts().iter().all(|c| c.conflict.uid != pole));
    converged(&a, &b);
    assert!(b.conflicts().iter().all(|c| c.conflict.uid != pole), "closed on b too");
    assert_eq!(b.get("poles", &pole, "elevation_m"), elevation_a);
}

#[test]
fn a_photo_travels_in_a_package_to_an_office_that_had_none() {
    let (a, b) = pair("photo");
    let pole = a.pole(27);
    let bytes = a.attach_photo("poles", &pole);
    exchange(&a, &b, "photo");
    assert_eq!(b.photos("poles", &pole), vec![bytes], "the photo arrived whole");
    converged(&a, &b);
}
