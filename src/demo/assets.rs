//! What stands along the roads: sections of the road register, street-light
//! poles with their lamps, drains, and the town's landmarks.

use super::names::TEMPLES;
use super::network::{Network, Road, RoadKind};
use super::polyline::{self, Pt};
use super::rng::Rng;
use super::terrain::Dem;

pub struct RoadSection {
    pub road_code: Option<String>,
    pub route_no: Option<&'static str>,
    pub name_th: String,
    pub name_en: String,
    pub area_type: &'static str,
    pub class: &'static str,
    pub surface: &'static str,
    pub carriageway_m: f64,
    pub shoulder_m: f64,
    pub footpath_m: f64,
    pub right_of_way_m: f64,
    pub start_km: f64,
    pub end_km: f64,
    pub year_built_be: i64,
    pub condition: &'static str,
    pub line: Vec<Pt>,
}

pub struct Pole {
    pub uid: String,
    pub pole_no: String,
    pub pole_type: &'static str,
    pub material: &'static str,
    pub height_m: f64,
    pub arm_count: i64,
    pub village_no: i64,
    pub community: String,
    pub road_code: Option<String>,
    pub circuit_no: String,
    pub owner: &'static str,
    pub install_date: String,
    pub asset_no: Option<String>,
    pub status: &'static str,
    pub at: Pt,
    pub lamps: Vec<Lamp>,
}

pub struct Lamp {
    pub uid: String,
    pub lamp_type: &'static str,
    pub watts: i64,
    pub colour_temp_k: Option<i64>,
    pub control: &'static str,
    pub last_changed: Option<String>,
}

pub struct Drain {
    pub drain_type: &'static str,
    pub width_m: Option<f64>,
    pub depth_m: Option<f64>,
    pub diameter_m: Option<f64>,
    pub cover: &'static str,
    pub manholes: i64,
    pub village_no: i64,
    pub road_code: Option<String>,
    pub line: Vec<Pt>,
}

pub struct Landmark {
    pub name_th: String,
    pub name_en: String,
    pub landmark_type: &'static str,
    pub village_no: i64,
    pub at: Pt,
}

pub fn road_code(authority: u32, running: u32) -> String {
    format!("นภ.ถ {authority}-{running:04}")
}

/// A date in the Gregorian calendar between the given years.
pub fn date(rng: &mut Rng, from_year: i64, to_year: i64) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        rng.int(from_year, to_year),
        rng.int(1, 12),
        rng.int(1, 28)
    )
}

/// Splits every road into register sections of 150–300 m.
pub fn sections(network: &Network, authority: u32, rng: &mut Rng) -> Vec<RoadSection> {
    let mut out = Vec::new();
    for road in &network.roads {
        let (class, surface, carriageway, shoulder, footpath, row) = match road.kind {
            RoadKind::Highway => ("highway", "asphalt", 7.0, 2.5, 1.5, 40.0),
            RoadKind::TownStreet => (
                rng.pick(&["3", "4"]),
                rng.weighted(&[("concrete", 0.6), ("asphalt", 0.4)]),
                rng.range(5.0, 7.0),
                0.5,
                1.5,
                12.0,
            ),
            RoadKind::VillageMain => (
                "4",
                rng.weighted(&[("concrete", 0.8), ("asphalt", 0.2)]),
                rng.range(4.0, 6.0),
                0.5,
                0.0,
                8.0,
            ),
            RoadKind::Soi => (
                "5",
                rng.weighted(&[("concrete", 0.7), ("crushed_rock", 0.2), ("earth", 0.1)]),
                rng.range(3.0, 4.0),
                0.0,
                0.0,
                6.0,
            ),
            RoadKind::Rural => (
                rng.pick(&["4", "5", "6"]),
                rng.weighted(&[
                    ("asphalt", 0.35),
                    ("laterite", 0.35),
                    ("concrete", 0.2),
                    ("crushed_rock", 0.1),
                ]),
                rng.range(4.0, 6.0),
                1.0,
                0.0,
                10.0,
            ),
        };
        let area_type = if matches!(road.kind, RoadKind::Rural) {
            "outside"
        } else {
            "inside"
        };
        let length = polyline::length(&road.line);
        let mut cuts = Vec::new();
        let mut at = rng.range(150.0, 300.0);
        while at < length - 80.0 {
            cuts.push(at);
            at += rng.range(150.0, 300.0);
        }
        let year = rng.int(2530, 2566);
        let mut start = 0.0;
        for piece in polyline::cut(&road.line, &cuts) {
            let len = polyline::length(&piece);
            out.push(RoadSection {
                road_code: (road.kind != RoadKind::Highway).then(|| road_code(authority, road.running)),
                route_no: (road.kind == RoadKind::Highway).then_some("2146"),
                name_th: road.name_th.clone(),
                name_en: road.name_en.clone(),
                area_type,
                class,
                surface,
                carriageway_m: round1(carriageway),
                shoulder_m: shoulder,
                footpath_m: footpath,
                right_of_way_m: row,
                start_km: round3(start / 1000.0),
                end_km: round3((start + len) / 1000.0),
                year_built_be: year,
                condition: rng.weighted(&[("good", 0.55), ("fair", 0.3), ("poor", 0.15)]),
                line: piece,
            });
            start += len;
        }
    }
    out
}

/// Places poles along lit roads every `spacing` metres, offset to the roadside.
pub fn poles(network: &Network, authority: u32, prefix: &str, spacing: f64, rng: &mut Rng) -> Vec<Pole> {
    let mut out = Vec::new();
    let mut running = vec![0u32; network.villages.len() + 1];
    let town = network.villages[0].centre;
    for road in network.roads.iter().filter(|r| r.lit) {
        let length = polyline::length(&road.line);
        let mut d = spacing / 2.0;
        let mut side = 1.0;
        while d < length {
            let (p, dir) = polyline::point_at(&road.line, d);
            let at = polyline::offset(p, dir, side * roadside(road));
            if road.kind == RoadKind::Highway {
                side = -side;
            }
            let village = nearest_village(network, at);
            running[village as usize] += 1;
            let in_town = polyline::dist(at, town) < 1500.0;
            out.push(pole(
                rng,
                road,
                authority,
                prefix,
                village,
                running[village as usize],
                in_town,
                network,
                at,
            ));
            d += spacing * rng.range(0.9, 1.1);
        }
    }
    out
}

fn roadside(road: &Road) -> f64 {
    match road.kind {
        RoadKind::Highway => 9.0,
        RoadKind::TownStreet => 5.0,
        _ => 4.0,
    }
}

fn nearest_village(network: &Network, at: Pt) -> u32 {
    network
        .villages
        .iter()
        .min_by(|a, b| polyline::dist(a.centre, at).total_cmp(&polyline::dist(b.centre, at)))
        .map_or(1, |v| v.no)
}

#[allow(clippy::too_many_arguments)]
fn pole(
    rng: &mut Rng,
    road: &Road,
    authority: u32,
    prefix: &str,
    village: u32,
    n: u32,
    in_town: bool,
    network: &Network,
    at: Pt,
) -> Pole {
    let (pole_type, owner) = match road.kind {
        RoadKind::Highway if in_town => ("double_arm", "doh"),
        RoadKind::Highway => ("single_arm", "doh"),
        RoadKind::TownStreet => (
            rng.weighted(&[("single_arm", 0.8), ("double_arm", 0.15), ("high_mast", 0.05)]),
            "lao",
        ),
        RoadKind::VillageMain | RoadKind::Soi => rng.weighted(&[
            (("pea_pole", "pea"), 0.45),
            (("pea_pole", "lao"), 0.15),
            (("single_arm", "lao"), 0.35),
            (("solar", "lao"), 0.05),
        ]),
        RoadKind::Rural => rng.weighted(&[(("solar", "lao"), 0.6), (("pea_pole", "pea"), 0.4)]),
    };
    let (material, height, arms, lamps) = match pole_type {
        "double_arm" => ("galvanized_steel", rng.range(9.0, 12.0), 2, 2),
        "high_mast" => ("galvanized_steel", rng.range(18.0, 25.0), 6, rng.int(4, 6) as usize),
        "pea_pole" => (
            rng.pick(&["concrete", "prestressed_concrete"]),
            rng.range(8.0, 12.0),
            1,
            1,
        ),
        "solar" => ("galvanized_steel", rng.range(6.0, 8.0), 1, 1),
        _ => ("galvanized_steel", rng.range(6.0, 9.0), 1, 1),
    };
    let install_year = rng.int(2008, 2024);
    let village = &network.villages[village as usize - 1];
    Pole {
        uid: rng.uuid(),
        pole_no: format!("{prefix}{:02}-{n:04}", village.no),
        pole_type,
        material,
        height_m: round1(height),
        arm_count: arms,
        village_no: i64::from(village.no),
        community: format!("ชุมชนบ้าน{}", village.name_th),
        road_code: (road.kind != RoadKind::Highway).then(|| road_code(authority, road.running)),
        circuit_no: format!("วงจร {}-{}", village.no, rng.int(1, 6)),
        owner,
        install_date: format!("{install_year:04}-{:02}-{:02}", rng.int(1, 12), rng.int(1, 28)),
        asset_no: (owner == "lao").then(|| format!("480-{:02}-{:04}", (install_year + 543 + 1) % 100, n)),
        status: rng.weighted(&[("normal", 0.86), ("damaged", 0.08), ("awaiting_repair", 0.06)]),
        at,
        lamps: (0..lamps).map(|_| lamp(rng, pole_type, install_year)).collect(),
    }
}

fn lamp(rng: &mut Rng, pole_type: &str, install_year: i64) -> Lamp {
    let lamp_type = if pole_type == "solar" {
        "led"
    } else {
        rng.weighted(&[
            ("led", 0.55),
            ("hps", 0.22),
            ("mercury", 0.05),
            ("fluorescent", 0.12),
            ("cfl", 0.06),
        ])
    };
    let watts = match (lamp_type, pole_type) {
        ("led", "high_mast") => rng.pick(&[150, 200, 250]),
        ("led", _) => rng.pick(&[30, 50, 60, 90, 120]),
        ("hps", "high_mast") => 400,
        ("hps", _) => rng.pick(&[150, 250]),
        ("mercury", _) => 125,
        ("fluorescent", _) => rng.pick(&[18, 36]),
        _ => rng.pick(&[23, 45, 65]),
    };
    Lamp {
        uid: rng.uuid(),
        lamp_type,
        watts,
        colour_temp_k: match lamp_type {
            "led" => Some(rng.pick(&[3000, 4000, 5700, 6500])),
            "hps" => Some(2000),
            "fluorescent" | "cfl" => Some(6500),
            _ => None,
        },
        control: if pole_type == "solar" {
            "smart"
        } else {
            rng.weighted(&[("photocell", 0.7), ("timer", 0.25), ("smart", 0.05)])
        },
        last_changed: rng.chance(0.7).then(|| date(rng, install_year.max(2015), 2025)),
    }
}

/// Drains along the town's streets and the highway through town, laid so
/// that they flow downhill; a few are recorded against the slope, as real
/// registers have.
pub fn drains(network: &Network, authority: u32, dem: &Dem, rng: &mut Rng) -> Vec<Drain> {
    let town = network.villages[0].centre;
    let mut out = Vec::new();
    for road in &network.roads {
        let near_town = road.line.iter().any(|p| polyline::dist(*p, town) < 1300.0);
        let wanted = match road.kind {
            RoadKind::TownStreet => true,
            RoadKind::Highway => near_town,
            RoadKind::VillageMain => rng.chance(0.4),
            _ => false,
        };
        if !wanted {
            continue;
        }
        let beside = polyline::offset_line(&road.line, -roadside(road) + 1.5);
        let near: Vec<Pt> = if road.kind == RoadKind::Highway {
            beside
                .into_iter()
                .filter(|p| polyline::dist(*p, town) < 1300.0)
                .collect()
        } else {
            beside
        };
        if near.len() < 2 {
            continue;
        }
        let length = polyline::length(&near);
        let mut cuts = Vec::new();
        let mut at = rng.range(120.0, 260.0);
        while at < length - 40.0 {
            cuts.push(at);
            at += rng.range(120.0, 260.0);
        }
        for mut piece in polyline::cut(&near, &cuts) {
            let (first, last) = (piece[0], piece[piece.len() - 1]);
            let uphill = dem.sample(first.0, first.1).unwrap_or(0.0) < dem.sample(last.0, last.1).unwrap_or(0.0);
            if uphill != rng.chance(0.02) {
                piece.reverse();
            }
            let (drain_type, width, depth, diameter) =
                match rng.weighted(&[("u_channel", 0.6), ("rc_pipe", 0.3), ("half_pipe", 0.1)]) {
                    "u_channel" => (
                        "u_channel",
                        Some(rng.pick(&[0.3, 0.4, 0.5])),
                        Some(rng.pick(&[0.4, 0.5, 0.6])),
                        None,
                    ),
                    "rc_pipe" => ("rc_pipe", None, None, Some(rng.pick(&[0.4, 0.6, 0.8, 1.0]))),
                    _ => ("half_pipe", Some(0.3), Some(0.15), None),
                };
            let len = polyline::length(&piece);
            out.push(Drain {
                drain_type,
                width_m: width,
                depth_m: depth,
                diameter_m: diameter,
                cover: if drain_type == "rc_pipe" {
                    "concrete_slab"
                } else {
                    rng.pick(&["grating", "concrete_slab", "open"])
                },
                manholes: (len / 40.0).floor() as i64,
                village_no: i64::from(road.village_no),
                road_code: (road.kind != RoadKind::Highway).then(|| road_code(authority, road.running)),
                line: piece,
            });
        }
    }
    out
}

/// About twenty places a visitor would ask for.
pub fn landmarks(network: &Network, rng: &mut Rng) -> Vec<Landmark> {
    let v = &network.villages;
    let near = |rng: &mut Rng, c: Pt, r: f64| (c.0 + rng.range(-r, r), c.1 + rng.range(-r, r));
    let mut out = vec![
        Landmark {
            name_th: "สำนักงานเทศบาลตำบลโนนสะอาด".into(),
            name_en: "Non Sa-at Subdistrict Municipality Office".into(),
            landmark_type: "government",
            village_no: 1,
            at: near(rng, v[0].centre, 60.0),
        },
        Landmark {
            name_th: "ตลาดสดเทศบาลโนนสะอาด".into(),
            name_en: "Non Sa-at Municipal Market".into(),
            landmark_type: "market",
            village_no: 1,
            at: near(rng, v[0].centre, 250.0),
        },
        Landmark {
            name_th: "โรงเรียนโนนสะอาดวิทยา".into(),
            name_en: "Non Sa-at Witthaya School".into(),
            landmark_type: "school",
            village_no: 1,
            at: near(rng, v[0].centre, 500.0),
        },
        Landmark {
            name_th: "โรงพยาบาลส่งเสริมสุขภาพตำบลโนนสะอาด".into(),
            name_en: "Non Sa-at Health Promoting Hospital".into(),
            landmark_type: "health",
            village_no: 1,
            at: near(rng, v[0].centre, 400.0),
        },
        Landmark {
            name_th: "สถานีตำรวจภูธรโนนสะอาด".into(),
            name_en: "Non Sa-at Police Station".into(),
            landmark_type: "government",
            village_no: 1,
            at: near(rng, v[0].centre, 350.0),
        },
    ];
    for (i, (th, en)) in TEMPLES.iter().enumerate() {
        let village = &v[i % v.len()];
        out.push(Landmark {
            name_th: th.to_string(),
            name_en: en.to_string(),
            landmark_type: "temple",
            village_no: i64::from(village.no),
            at: near(rng, village.centre, 300.0),
        });
    }
    for village in v.iter().skip(1).step_by(3) {
        out.push(Landmark {
            name_th: format!("โรงเรียนบ้าน{}", village.name_th),
            name_en: format!("Ban {} School", village.name_en),
            landmark_type: "school",
            village_no: i64::from(village.no),
            at: near(rng, village.centre, 250.0),
        });
    }
    for village in v.iter().skip(2).step_by(4) {
        out.push(Landmark {
            name_th: format!("ศาลาประชาคมบ้าน{}", village.name_th),
            name_en: format!("Ban {} Community Hall", village.name_en),
            landmark_type: "community",
            village_no: i64::from(village.no),
            at: near(rng, village.centre, 100.0),
        });
    }
    let far = &v[v.len() / 2];
    out.push(Landmark {
        name_th: format!("รพ.สต.บ้าน{}", far.name_th),
        name_en: format!("Ban {} Health Promoting Hospital", far.name_en),
        landmark_type: "health",
        village_no: i64::from(far.no),
        at: near(rng, far.centre, 200.0),
    });
    out.push(Landmark {
        name_th: "หนองน้ำสาธารณะหนองแวง".into(),
        name_en: "Nong Waeng Public Pond".into(),
        landmark_type: "water",
        village_no: 2,
        at: near(rng, v[1].centre, 500.0),
    });
    out
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}
