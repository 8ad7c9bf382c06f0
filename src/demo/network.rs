//! The villages of the municipality and the road network that links them:
//! a national highway through the town, a street grid in the town, a main
//! street with side lanes (ซอย) in each village, and rural roads between
//! villages along a spanning tree.

use super::boundary::Boundary;
use super::names::{TOWN_STREETS, VILLAGES};
use super::polyline::{self, Pt};
use super::rng::Rng;

pub struct Village {
    pub no: u32,
    pub name_th: &'static str,
    pub name_en: &'static str,
    pub centre: Pt,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoadKind {
    Highway,
    TownStreet,
    VillageMain,
    Soi,
    Rural,
}

pub struct Road {
    pub kind: RoadKind,
    /// Running number in the local road register (0 for the national highway).
    pub running: u32,
    pub name_th: String,
    pub name_en: String,
    pub village_no: u32,
    pub line: Vec<Pt>,
    /// Whether street lights stand along it.
    pub lit: bool,
}

pub struct Network {
    pub villages: Vec<Village>,
    pub roads: Vec<Road>,
}

/// Lays out villages and roads inside the boundary.
pub fn generate(boundary: &Boundary, rng: &mut Rng) -> Network {
    let villages = place_villages(boundary, rng);
    let mut roads = Vec::new();
    let town = villages[0].centre;
    let axis = rng.range(-0.35, 0.35);
    let inside = |p: Pt| boundary.contains(p.0, p.1);

    let highway = meander(
        (town.0 - 30_000.0 * axis.cos(), town.1 - 30_000.0 * axis.sin()),
        (town.0 + 30_000.0 * axis.cos(), town.1 + 30_000.0 * axis.sin()),
        12,
        350.0,
        rng,
    );
    for run in polyline::clip(&highway, 25.0, 200.0, inside) {
        roads.push(Road {
            kind: RoadKind::Highway,
            running: 0,
            name_th: "ทางหลวงแผ่นดิน สายศรีบุญเรือง–โนนสะอาด".into(),
            name_en: "Si Bun Rueang–Non Sa-at Highway".into(),
            village_no: 1,
            line: run,
            lit: true,
        });
    }

    town_grid(town, axis, rng, &inside, &mut roads);
    for v in &villages[1..] {
        village_streets(v, rng, &inside, &mut roads);
    }
    rural_roads(&villages, rng, &inside, &mut roads);
    let mut running = 0;
    for r in roads.iter_mut().filter(|r| r.kind != RoadKind::Highway) {
        running += 1;
        r.running = running;
    }
    Network { villages, roads }
}

fn place_villages(boundary: &Boundary, rng: &mut Rng) -> Vec<Village> {
    let e = &boundary.envelope;
    let mut centres: Vec<Pt> = Vec::new();
    // The town sits near the middle of the tambon.
    let middle = ((e.min_x + e.max_x) / 2.0, (e.min_y + e.max_y) / 2.0);
    let mut town = middle;
    for _ in 0..10_000 {
        let p = (
            middle.0 + rng.range(-2500.0, 2500.0),
            middle.1 + rng.range(-2000.0, 2000.0),
        );
        if boundary.contains(p.0, p.1) && edge_clearance(boundary, p, 1500.0) {
            town = p;
            break;
        }
    }
    centres.push(town);
    let mut spacing = 2600.0;
    while centres.len() < VILLAGES.len() {
        let mut placed = false;
        for _ in 0..4000 {
            let p = (rng.range(e.min_x, e.max_x), rng.range(e.min_y, e.max_y));
            if boundary.contains(p.0, p.1)
                && edge_clearance(boundary, p, 600.0)
                && centres.iter().all(|c| polyline::dist(*c, p) >= spacing)
            {
                centres.push(p);
                placed = true;
                break;
            }
        }
        if !placed {
            spacing *= 0.9;
        }
    }
    centres
        .into_iter()
        .zip(VILLAGES)
        .enumerate()
        .map(|(i, (centre, (th, en)))| Village {
            no: i as u32 + 1,
            name_th: th,
            name_en: en,
            centre,
        })
        .collect()
}

fn edge_clearance(boundary: &Boundary, p: Pt, d: f64) -> bool {
    (0..8).all(|k| {
        let a = f64::from(k) * std::f64::consts::FRAC_PI_4;
        boundary.contains(p.0 + d * a.cos(), p.1 + d * a.sin())
    })
}

/// A road from `a` to `b` that wanders sideways by up to `wander` metres.
fn meander(a: Pt, b: Pt, pieces: usize, wander: f64, rng: &mut Rng) -> Vec<Pt> {
    let len = polyline::dist(a, b);
    let dir = ((b.0 - a.0) / len, (b.1 - a.1) / len);
    let phase = rng.range(0.0, std::f64::consts::TAU);
    let waves = rng.range(0.8, 2.2);
    (0..=pieces)
        .map(|i| {
            let t = i as f64 / pieces as f64;
            let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            let side = if i == 0 || i == pieces {
                0.0
            } else {
                wander * (waves * t * std::f64::consts::TAU + phase).sin() * (std::f64::consts::PI * t).sin()
            };
            polyline::offset(
                p,
                dir,
                side + if i == 0 || i == pieces {
                    0.0
                } else {
                    rng.range(-0.1, 0.1) * wander
                },
            )
        })
        .collect()
}

fn town_grid(town: Pt, axis: f64, rng: &mut Rng, inside: &impl Fn(Pt) -> bool, roads: &mut Vec<Road>) {
    let along = (axis.cos(), axis.sin());
    let across = (-axis.sin(), axis.cos());
    let at = |u: f64, v: f64| (town.0 + u * along.0 + v * across.0, town.1 + u * along.1 + v * across.1);
    let mut names = TOWN_STREETS.iter().cycle();
    for i in -4..=4 {
        if i == 0 {
            continue; // the highway is the town's main street
        }
        let v = f64::from(i) * rng.range(170.0, 200.0);
        let half = rng.range(700.0, 1000.0);
        let line = vec![
            at(-half, v),
            at(-half / 3.0, v + rng.range(-15.0, 15.0)),
            at(half / 3.0, v + rng.range(-15.0, 15.0)),
            at(half, v),
        ];
        let (th, en) = names.next().expect("cycle");
        push_clipped(
            roads,
            RoadKind::TownStreet,
            th.to_string(),
            en.to_string(),
            1,
            &line,
            true,
            inside,
        );
    }
    for j in -6..=6 {
        let u = f64::from(j) * rng.range(150.0, 180.0);
        let half = rng.range(500.0, 800.0);
        let line = vec![at(u, -half), at(u + rng.range(-10.0, 10.0), 0.0), at(u, half)];
        push_clipped(
            roads,
            RoadKind::TownStreet,
            format!("ซอยเทศบาล {}", j + 7),
            format!("Soi Thetsaban {}", j + 7),
            1,
            &line,
            true,
            inside,
        );
    }
}

fn village_streets(v: &Village, rng: &mut Rng, inside: &impl Fn(Pt) -> bool, roads: &mut Vec<Road>) {
    let a = rng.range(0.0, std::f64::consts::PI);
    let dir = (a.cos(), a.sin());
    let half = rng.range(650.0, 900.0);
    let start = (v.centre.0 - half * dir.0, v.centre.1 - half * dir.1);
    let end = (v.centre.0 + half * dir.0, v.centre.1 + half * dir.1);
    let main = meander(start, end, 6, 40.0, rng);
    push_clipped(
        roads,
        RoadKind::VillageMain,
        format!("ถนนบ้าน{}", v.name_th),
        format!("Ban {} Road", v.name_en),
        v.no,
        &main,
        true,
        inside,
    );
    let sois = rng.int(6, 9);
    for k in 0..sois {
        let (p, d) = polyline::point_at(&main, rng.range(0.1, 0.9) * polyline::length(&main));
        let side = if k % 2 == 0 { 1.0 } else { -1.0 };
        let len = rng.range(250.0, 600.0);
        let tip = polyline::offset(p, d, side * len);
        let mid = polyline::offset(((p.0 + tip.0) / 2.0, (p.1 + tip.1) / 2.0), d, rng.range(-20.0, 20.0));
        push_clipped(
            roads,
            RoadKind::Soi,
            format!("ซอย{} {}", v.name_th, k + 1),
            format!("Soi {} {}", v.name_en, k + 1),
            v.no,
            &[p, mid, tip],
            true,
            inside,
        );
    }
}

/// Links every village to the network along a minimum spanning tree (Prim).
fn rural_roads(villages: &[Village], rng: &mut Rng, inside: &impl Fn(Pt) -> bool, roads: &mut Vec<Road>) {
    let n = villages.len();
    let mut linked = vec![false; n];
    linked[0] = true;
    for _ in 1..n {
        let mut best = (f64::MAX, 0, 0);
        for i in (0..n).filter(|&i| linked[i]) {
            for j in (0..n).filter(|&j| !linked[j]) {
                let d = polyline::dist(villages[i].centre, villages[j].centre);
                if d < best.0 {
                    best = (d, i, j);
                }
            }
        }
        let (_, i, j) = best;
        linked[j] = true;
        let (a, b) = (&villages[i], &villages[j]);
        let line = meander(a.centre, b.centre, 10, rng.range(150.0, 400.0), rng);
        let lit = rng.chance(0.55);
        push_clipped(
            roads,
            RoadKind::Rural,
            format!("ถนนสายบ้าน{}–บ้าน{}", a.name_th, b.name_th),
            format!("Ban {}–Ban {} Road", a.name_en, b.name_en),
            b.no,
            &line,
            lit,
            inside,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn push_clipped(
    roads: &mut Vec<Road>,
    kind: RoadKind,
    name_th: String,
    name_en: String,
    village_no: u32,
    line: &[Pt],
    lit: bool,
    inside: &impl Fn(Pt) -> bool,
) {
    for run in polyline::clip(line, 20.0, 80.0, inside) {
        roads.push(Road {
            kind,
            running: 0,
            name_th: name_th.clone(),
            name_en: name_en.clone(),
            village_no,
            line: run,
            lit,
        });
    }
}
