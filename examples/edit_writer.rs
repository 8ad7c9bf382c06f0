//! Edits a Tongtin file through `tongtin::edit::Editor` forever: new poles
//! with their lamp, attribute changes, moves, deletes (with their lamps),
//! undo and redo, a mix chosen by `SEED` and the iteration number. The edit
//! crash test kills it with SIGKILL at random moments.
//!
//! Before each edit it prints `applying N SUMMARY`, after `Editor::apply`
//! returned Ok (the commit is synchronous=FULL: the edit is durable) it prints
//! `committed N SUMMARY`. SUMMARY is one line of JSON naming every feature the
//! edit touches with its state before and the state the edit must leave
//! (`null`: absent), worked out from what was asked, not read back: the test
//! checks the file and the journal against exactly that.
//!
//! Usage: edit_writer FILE TAG SEED (TAG is the journal's device and the
//! prefix of new pole numbers).

use std::io::Write;

use serde_json::{json, Value as Json};
use tongtin::edit::{Change, Edit, Editor, UndoStack};
use tongtin::geom::{decode_blob, Geometry, Shape};
use tongtin::gpkg::Value;
use tongtin::journal::{Actor, Row};

/// The undo depth of `UndoStack`, mirrored so that the writer knows what an undo takes back.
const UNDO_DEPTH: usize = 200;
const STATUSES: [&str; 3] = ["normal", "damaged", "awaiting_repair"];

type Error = Box<dyn std::error::Error>;

/// One feature an edit touches: its state before and after.
#[derive(Clone)]
struct Touch {
    layer: String,
    uid: String,
    before: Json,
    after: Json,
}

impl Touch {
    fn json(&self) -> Json {
        json!({"layer": self.layer, "uid": self.uid, "before": self.before, "after": self.after})
    }

    /// The same feature going back.
    fn reversed(&self) -> Touch {
        Touch {
            layer: self.layer.clone(),
            uid: self.uid.clone(),
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

/// What one iteration does.
enum Plan {
    Apply(Edit),
    Undo,
    Redo,
}

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: edit_writer FILE TAG SEED")?;
    let tag = args.next().ok_or("missing TAG")?;
    let seed: u64 = args.next().ok_or("missing SEED")?.parse()?;
    let mut editor = Editor::open(
        std::path::Path::new(&path),
        Actor {
            user: "crash".into(),
            device: tag.clone(),
        },
    )?;
    let mut undo = UndoStack::default();
    // What each undo / redo step of `undo` takes the features back to.
    let mut undo_mirror: Vec<Vec<Touch>> = Vec::new();
    let mut redo_mirror: Vec<Vec<Touch>> = Vec::new();
    let mut stdout = std::io::stdout();
    let mut committed = 0u64;
    for i in 0u64.. {
        let mut rng = Rng::new(seed, i);
        let roll = rng.below(100);
        let (kind, plan, touches) = if roll >= 92 && !redo_mirror.is_empty() {
            let t = redo_mirror.last().unwrap().clone();
            ("redo", Plan::Redo, t)
        } else if roll >= 75 && !undo_mirror.is_empty() {
            let t = undo_mirror.last().unwrap().iter().rev().map(Touch::reversed).collect();
            ("undo", Plan::Undo, t)
        } else if (30..65).contains(&roll) && has_poles(&editor)? {
            if roll < 50 {
                let (edit, t) = update_pole(&editor, &mut rng)?;
                ("update", Plan::Apply(edit), t)
            } else {
                let (edit, t) = move_pole(&editor, &mut rng)?;
                ("move", Plan::Apply(edit), t)
            }
        } else if (65..75).contains(&roll) && has_poles(&editor)? {
            let (edit, t) = delete_pole(&editor, &mut rng)?;
            ("delete", Plan::Apply(edit), t)
        } else {
            let (edit, t) = insert_pole(&editor, &mut rng, &format!("{tag}-{i}"))?;
            ("insert", Plan::Apply(edit), t)
        };
        let summary = json!({
            "i": i,
            "kind": kind,
            "features": touches.iter().map(Touch::json).collect::<Vec<_>>(),
        })
        .to_string();
        say(&mut stdout, &format!("applying {} {summary}\n", committed + 1))?;
        match plan {
            Plan::Apply(edit) => {
                let applied = editor.apply(&edit)?;
                undo.push(&applied);
                undo_mirror.push(touches);
                if undo_mirror.len() > UNDO_DEPTH {
                    undo_mirror.remove(0);
                }
                redo_mirror.clear();
            }
            Plan::Undo => {
                undo.undo(&mut editor)?
                    .ok_or("the undo stack is empty, its mirror is not")?;
                redo_mirror.push(undo_mirror.pop().unwrap());
            }
            Plan::Redo => {
                undo.redo(&mut editor)?
                    .ok_or("the redo stack is empty, its mirror is not")?;
                undo_mirror.push(redo_mirror.pop().unwrap());
            }
        }
        committed += 1;
        say(&mut stdout, &format!("committed {committed} {summary}\n"))?;
    }
    Ok(())
}

/// A whole line, flushed at once (a line a kill cuts short has no newline:
/// the test ignores it).
fn say(out: &mut std::io::Stdout, line: &str) -> std::io::Result<()> {
    out.write_all(line.as_bytes())?;
    out.flush()
}

fn conn(editor: &Editor) -> &rusqlite::Connection {
    editor.gpkg().connection()
}

fn has_poles(editor: &Editor) -> Result<bool, Error> {
    Ok(conn(editor).query_row("SELECT EXISTS (SELECT 1 FROM poles)", [], |r| r.get(0))?)
}

/// A pole to change: half of the time one this test inserted (when there is one).
fn pick_pole(editor: &Editor, rng: &mut Rng) -> Result<String, Error> {
    let ours: i64 = conn(editor).query_row("SELECT COUNT(*) FROM poles WHERE pole_no LIKE 'crash%'", [], |r| {
        r.get(0)
    })?;
    let (filter, n) = if ours > 0 && rng.below(2) == 0 {
        ("WHERE pole_no LIKE 'crash%'", ours)
    } else {
        let all: i64 = conn(editor).query_row("SELECT COUNT(*) FROM poles", [], |r| r.get(0))?;
        ("", all)
    };
    let offset = rng.below(n as u64) as i64;
    Ok(conn(editor).query_row(
        &format!("SELECT uid FROM poles {filter} ORDER BY fid LIMIT 1 OFFSET ?1"),
        [offset],
        |r| r.get(0),
    )?)
}

/// A place within 1.5 m of one of the demo's poles: inside the municipality
/// (the demo's poles are all more than 6 m inside its boundary), however
/// many edits came before.
fn spot(editor: &Editor, rng: &mut Rng) -> Result<(f64, f64), Error> {
    let anchors: i64 =
        conn(editor).query_row("SELECT COUNT(*) FROM poles WHERE pole_no NOT LIKE 'crash%'", [], |r| {
            r.get(0)
        })?;
    let blob: Vec<u8> = conn(editor).query_row(
        "SELECT geom FROM poles WHERE pole_no NOT LIKE 'crash%' ORDER BY fid LIMIT 1 OFFSET ?1",
        [rng.below(anchors as u64) as i64],
        |r| r.get(0),
    )?;
    let (x0, y0) = point_of(&blob)?;
    Ok((mm(x0 + rng.offset(1.5)), mm(y0 + rng.offset(1.5))))
}

/// A new pole next to one of the demo's, with one lamp, in one edit.
fn insert_pole(editor: &Editor, rng: &mut Rng, pole_no: &str) -> Result<(Edit, Vec<Touch>), Error> {
    let (x, y) = spot(editor, rng)?;
    let height = 6.0 + rng.below(60) as f64 / 10.0;
    let pole_uid = uuid::Uuid::new_v4().to_string();
    let lamp_uid = uuid::Uuid::new_v4().to_string();
    let pole: Row = [
        ("pole_no", Value::Text(pole_no.into())),
        ("pole_type", Value::Text("single_arm".into())),
        ("owner", Value::Text("lao".into())),
        ("status", Value::Text("normal".into())),
        ("height_m", Value::Real(height)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let lamp: Row = [
        ("pole_uid", Value::Text(pole_uid.clone())),
        ("lamp_type", Value::Text("led".into())),
        ("watts", Value::Integer(40 + 10 * rng.below(8) as i64)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let edit = Edit::checked(
        "เพิ่มเสา",
        vec![
            Change::Insert {
                layer: "poles".into(),
                uid: Some(pole_uid.clone()),
                values: pole,
                geometry: Some(Geometry::point(x, y)),
            },
            Change::Insert {
                layer: "lamps".into(),
                uid: Some(lamp_uid.clone()),
                values: lamp,
                geometry: None,
            },
        ],
    );
    let touches = vec![
        Touch {
            layer: "poles".into(),
            uid: pole_uid.clone(),
            before: Json::Null,
            after: json!({"pole_no": pole_no, "status": "normal", "height_m": height, "x": x, "y": y}),
        },
        Touch {
            layer: "lamps".into(),
            uid: lamp_uid,
            before: Json::Null,
            after: json!({"pole_uid": pole_uid, "lamp_type": "led"}),
        },
    ];
    Ok((edit, touches))
}

/// A new status and height (both different from the current ones).
fn update_pole(editor: &Editor, rng: &mut Rng) -> Result<(Edit, Vec<Touch>), Error> {
    let uid = pick_pole(editor, rng)?;
    let before = state(conn(editor), "poles", &uid)?;
    let status_now = before["status"].as_str().unwrap_or_default().to_string();
    let others: Vec<&str> = STATUSES.iter().copied().filter(|s| *s != status_now).collect();
    let status = others[rng.below(others.len() as u64) as usize];
    let mut height = 6.0 + rng.below(60) as f64 / 10.0;
    if before["height_m"].as_f64() == Some(height) {
        height += 0.5;
    }
    let mut after = before.clone();
    after["status"] = json!(status);
    after["height_m"] = json!(height);
    let values: Row = [
        ("status".to_string(), Value::Text(status.into())),
        ("height_m".to_string(), Value::Real(height)),
    ]
    .into_iter()
    .collect();
    let edit = Edit::checked(
        "แก้ไขเสา",
        vec![Change::Update {
            layer: "poles".into(),
            uid: uid.clone(),
            values,
            geometry: None,
            expect: Row::new(),
        }],
    );
    Ok((
        edit,
        vec![Touch {
            layer: "poles".into(),
            uid,
            before,
            after,
        }],
    ))
}

/// The pole moved next to one of the demo's poles (often into another
/// village, at another elevation).
fn move_pole(editor: &Editor, rng: &mut Rng) -> Result<(Edit, Vec<Touch>), Error> {
    let uid = pick_pole(editor, rng)?;
    let before = state(conn(editor), "poles", &uid)?;
    let (mut x, y) = spot(editor, rng)?;
    if before["x"].as_f64() == Some(x) && before["y"].as_f64() == Some(y) {
        x = mm(x + 0.25);
    }
    let mut after = before.clone();
    after["x"] = json!(x);
    after["y"] = json!(y);
    let edit = Edit::checked(
        "ย้ายเสา",
        vec![Change::Update {
            layer: "poles".into(),
            uid: uid.clone(),
            values: Row::new(),
            geometry: Some(Geometry::point(x, y)),
            expect: Row::new(),
        }],
    );
    Ok((
        edit,
        vec![Touch {
            layer: "poles".into(),
            uid,
            before,
            after,
        }],
    ))
}

/// The pole goes, and its lamps with it.
fn delete_pole(editor: &Editor, rng: &mut Rng) -> Result<(Edit, Vec<Touch>), Error> {
    let uid = pick_pole(editor, rng)?;
    let mut touches = Vec::new();
    let lamps: Vec<String> = conn(editor)
        .prepare("SELECT uid FROM lamps WHERE pole_uid = ?1 ORDER BY fid")?
        .query_map([&uid], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for lamp in lamps {
        touches.push(Touch {
            layer: "lamps".into(),
            before: state(conn(editor), "lamps", &lamp)?,
            uid: lamp,
            after: Json::Null,
        });
    }
    touches.push(Touch {
        layer: "poles".into(),
        before: state(conn(editor), "poles", &uid)?,
        uid: uid.clone(),
        after: Json::Null,
    });
    let edit = Edit::checked(
        "ลบเสา",
        vec![Change::Delete {
            layer: "poles".into(),
            uid,
        }],
    );
    Ok((edit, touches))
}

/// What the test compares of a feature (the same reading as in tests/edit_crash.rs).
fn state(conn: &rusqlite::Connection, layer: &str, uid: &str) -> Result<Json, Error> {
    use rusqlite::OptionalExtension;
    let found = match layer {
        "poles" => conn
            .query_row(
                "SELECT pole_no, status, height_m, geom FROM poles WHERE uid = ?1",
                [uid],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<f64>>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                    ))
                },
            )
            .optional()?
            .map(|(no, status, height, blob)| -> Result<Json, Error> {
                let (x, y) = point_of(&blob)?;
                Ok(json!({"pole_no": no, "status": status, "height_m": height, "x": x, "y": y}))
            })
            .transpose()?,
        "lamps" => conn
            .query_row("SELECT pole_uid, lamp_type FROM lamps WHERE uid = ?1", [uid], |r| {
                Ok(json!({"pole_uid": r.get::<_, String>(0)?, "lamp_type": r.get::<_, String>(1)?}))
            })
            .optional()?,
        other => return Err(format!("no state for layer {other}").into()),
    };
    Ok(found.unwrap_or(Json::Null))
}

fn point_of(blob: &[u8]) -> Result<(f64, f64), Error> {
    match decode_blob(blob)?.geometry.shape {
        Shape::Point(c) => Ok((c.x, c.y)),
        _ => Err("a pole that is not a point".into()),
    }
}

/// Rounded to the millimetre: printed and parsed back exactly.
fn mm(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// SplitMix64 over the seed and the iteration number.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, i: u64) -> Rng {
        Rng(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A distance in [-max, max], to the millimetre.
    fn offset(&mut self, max: f64) -> f64 {
        let steps = (max * 1000.0) as u64;
        (self.below(2 * steps + 1) as f64 - steps as f64) / 1000.0
    }
}
