/// `println!` that ends the program quietly when the reader has gone away
/// (`tongtin info FILE | head`) instead of panicking on a broken pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod bench;
mod bench_edit;
mod bench_sync;
mod bench_terrain;
mod demo;
mod exit;
mod history;
mod hub;
mod info;
mod inventory;
mod journal;
mod migrate;
mod progress;
mod report;
mod serve;
mod sync;
mod terrain;
mod tiles;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tongtin (ท้องถิ่น): GeoPackage inventory of a Thai municipality's public works.
#[derive(Parser)]
#[command(name = "tongtin", version, about, long_about = None)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List every layer: kind, geometry type, Z/M, SRS, count and extent.
    Info {
        file: PathBuf,
        /// Print one JSON document instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check the file against GeoPackage rules and the Tongtin data model;
    /// exit 0 when it conforms, 1 with every problem listed when not.
    Validate { file: PathBuf },
    /// Generate the demo municipality (tambon Non Sa-At) into a new file.
    Demo {
        out: PathBuf,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Lay out this many towns side by side (333 gives about 1,000,000 poles).
        #[arg(long, default_value_t = 1)]
        scale: u32,
        /// EPSG code of the layers.
        #[arg(long, default_value_t = 32648)]
        srs: i32,
        /// Replace OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Bring a Tongtin file up to the current data model version.
    Migrate { file: PathBuf },
    /// Write the map's vector tiles (exactly what the app serves) to an
    /// MBTiles file or a z/x/y folder.
    Tiles {
        file: PathBuf,
        /// Feature layers to include (default: all).
        #[arg(long)]
        layers: Option<String>,
        /// Zoom levels, e.g. 10-16.
        #[arg(long)]
        zoom: String,
        /// Only tiles meeting minx,miny,maxx,maxy, in the layers' CRS (e.g. UTM metres).
        #[arg(long, allow_hyphen_values = true)]
        bbox: Option<String>,
        /// OUT.mbtiles for an MBTiles file, any other path for a folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the journal of edits: op id, uid, table, field, old and new
    /// value, timestamp, user and device, oldest first.
    History {
        file: PathBuf,
        /// Only this feature.
        #[arg(long)]
        uid: Option<String>,
        /// Only edits at or after this day (2026-11-21 or 2569-11-21) or time (ISO 8601).
        #[arg(long)]
        since: Option<String>,
        /// Only this layer.
        #[arg(long)]
        layer: Option<String>,
        /// Only edits by this user.
        #[arg(long)]
        user: Option<String>,
        /// Only the newest N edits.
        #[arg(long)]
        limit: Option<usize>,
        /// Print JSON instead of tab-separated lines.
        #[arg(long)]
        json: bool,
    },
    /// Sync the file with a hub: pull, push, pull. Exit 0 in sync, 1 when
    /// conflicts remain, 5 when the hub cannot be reached, 6 when it refuses.
    /// `tongtin sync export|import FILE PACKAGE` does the same through a file.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Sync {
        #[command(subcommand)]
        action: Option<SyncAction>,
        #[arg(required = true)]
        file: Option<PathBuf>,
        /// The hub's address, e.g. https://hub.example:8470 (or TONGTIN_HUB).
        #[arg(long)]
        hub: Option<String>,
        /// The organisation's code on the hub (or TONGTIN_ORG).
        #[arg(long)]
        org: Option<String>,
        /// The user name (or TONGTIN_HUB_USER).
        #[arg(long)]
        user: Option<String>,
        /// The environment variable holding the password (default TONGTIN_HUB_PASSWORD).
        #[arg(long)]
        password_env: Option<String>,
        /// A PEM file of certificates to trust (a hub with its own CA).
        #[arg(long)]
        ca_cert: Option<PathBuf>,
        /// Print what was done as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the file's open conflicts with both sides' values (exit 1 while
    /// any is open), or settle one with `conflicts resolve`.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Conflicts {
        #[command(subcommand)]
        action: Option<ConflictsAction>,
        #[arg(required = true)]
        file: Option<PathBuf>,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
        /// Include resolved conflicts.
        #[arg(long)]
        all: bool,
    },
    /// The journal of edits kept inside the file.
    Journal {
        #[command(subcommand)]
        action: JournalAction,
    },
    /// The terrain: info, import a GeoTIFF DEM, hillshade, contours.
    Terrain {
        #[command(subcommand)]
        action: TerrainAction,
    },
    /// Run the sync hub: offices push their edits and pull everyone else's.
    ///
    /// Settings: flags, else environment variables, else the --config file
    /// (TOML keys store, listen, token_hours, admin_password, tls_cert,
    /// tls_key), else defaults. Environment: TONGTIN_HUB_STORE,
    /// TONGTIN_HUB_LISTEN, TONGTIN_HUB_TOKEN_HOURS (default 12),
    /// TONGTIN_HUB_ADMIN_PASSWORD, TONGTIN_HUB_TLS_CERT, TONGTIN_HUB_TLS_KEY.
    /// On first start the hub administrator `admin` (admin of every
    /// organisation) is created with TONGTIN_HUB_ADMIN_PASSWORD, or a
    /// generated password printed once. Prints `listening on URL`.
    Serve {
        #[command(flatten)]
        hub: HubFlags,
        /// Address and port to listen on [default: 127.0.0.1:8470; port 0 picks a free one].
        #[arg(long)]
        listen: Option<String>,
        /// Certificate chain (PEM) to serve HTTPS; needs --tls-key.
        #[arg(long)]
        tls_cert: Option<PathBuf>,
        /// Private key (PEM) of --tls-cert.
        #[arg(long)]
        tls_key: Option<PathBuf>,
    },
    /// Organisations and users of a sync hub's store.
    Hub {
        #[command(flatten)]
        hub: HubFlags,
        #[command(subcommand)]
        action: HubAction,
    },
    /// Measure the core against GDAL on generated data (figures for docs/PERFORMANCE.md).
    Bench {
        /// Towns in the data set (333 gives about 1,000,000 poles and 200,000 road sections).
        #[arg(long, default_value_t = 333)]
        scale: u32,
        /// Where to write the data sets (several GB at full scale).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// What to measure: core (GeoPackage), tiles (Tongtin's tiles and
        /// tile latency), gdal-tiles (ogr2ogr -f MVT on the same data, slow),
        /// edit (journal overhead per edit, edit visible on the map),
        /// terrain (contours against gdal_contour, hillshade tile latency).
        #[arg(long, value_delimiter = ',', default_value = "core,tiles,gdal-tiles")]
        parts: Vec<String>,
    },
    /// A report as data or a document: depreciation, inventory-check,
    /// pole-outages, road-register, equipment-value, work-orders.
    Report {
        name: String,
        file: PathBuf,
        /// The fiscal year, พ.ศ. (2569 runs from 1 Oct 2025 to 30 Sep 2026); default the current one.
        #[arg(long)]
        fy: Option<String>,
        /// json, csv (UTF-8 with BOM for Excel), xlsx or pdf.
        #[arg(long, default_value = "json")]
        format: String,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// th or en.
        #[arg(long, default_value = "th")]
        lang: String,
    },
    /// The equipment register (ครุภัณฑ์): add, list, find, dispose.
    Equipment {
        #[command(subcommand)]
        action: EquipmentAction,
    },
    /// The annual inventory check (การตรวจสอบพัสดุประจำปี): open, record, unchecked, close.
    Check {
        #[command(subcommand)]
        action: CheckAction,
    },
    /// Maintenance work orders: open, start, finish, list, history.
    Workorder {
        #[command(subcommand)]
        action: WorkorderAction,
    },
    /// A PDF sheet of QR labels carrying asset or pole numbers.
    Labels {
        file: PathBuf,
        /// equipment or poles.
        #[arg(long)]
        layer: String,
        #[arg(long)]
        out: PathBuf,
        /// Only items whose number, name or department (poles: number or road code) contains this.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value = "th")]
        lang: String,
    },
}

#[derive(clap::Args)]
struct ListOpts {
    /// Words that must each appear (Thai or English, labels of coded values too).
    #[arg(long)]
    search: Option<String>,
    /// FIELD=VALUE, repeatable.
    #[arg(long = "where")]
    filters: Vec<String>,
    /// Sort by this field (Thai text in dictionary order).
    #[arg(long)]
    sort: Option<String>,
    #[arg(long)]
    desc: bool,
    #[arg(long, default_value_t = 0)]
    offset: u64,
    #[arg(long, default_value_t = 100)]
    limit: u64,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum EquipmentAction {
    /// Register an item; prints its asset number (generated unless given) and uid.
    Add {
        file: PathBuf,
        #[arg(long)]
        name: String,
        /// A category code (office, vehicle, motorcycle, computer…).
        #[arg(long)]
        category: String,
        #[arg(long)]
        asset_no: Option<String>,
        /// Acquisition date, 2026-01-15 or 2569-01-15.
        #[arg(long)]
        acquired: Option<String>,
        #[arg(long)]
        quantity: Option<i64>,
        #[arg(long)]
        unit: Option<String>,
        /// Unit price in baht.
        #[arg(long)]
        price: Option<f64>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        custodian: Option<String>,
        /// Where it is kept (a landmark's name places it there on the map).
        #[arg(long)]
        location: Option<String>,
        #[arg(long)]
        document_no: Option<String>,
        #[arg(long)]
        vendor: Option<String>,
        #[arg(long)]
        funding: Option<String>,
        /// The pole it is mounted on (pole number).
        #[arg(long)]
        pole: Option<String>,
    },
    /// One page of the register (tab-separated, or --json).
    List {
        file: PathBuf,
        #[command(flatten)]
        list: ListOpts,
    },
    /// The item or pole a typed or scanned number names.
    Find { file: PathBuf, number: String },
    /// Record a disposal (sale, exchange, transfer, write_off); the item becomes จำหน่ายแล้ว.
    Dispose {
        file: PathBuf,
        asset_no: String,
        #[arg(long)]
        method: String,
        #[arg(long)]
        document: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        amount: Option<f64>,
        #[arg(long)]
        notes: Option<String>,
    },
}

#[derive(Subcommand)]
enum CheckAction {
    /// Open the check of a fiscal year with its committee ("name, name, name").
    Open {
        file: PathBuf,
        #[arg(long)]
        fy: Option<String>,
        #[arg(long)]
        committee: String,
        #[arg(long)]
        date: Option<String>,
    },
    /// Record an item's finding: found, damaged, deteriorated, lost, unneeded.
    Record {
        file: PathBuf,
        asset_no: String,
        finding: String,
        #[arg(long)]
        fy: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Items of the check not recorded yet.
    Unchecked {
        file: PathBuf,
        #[arg(long)]
        fy: Option<String>,
    },
    /// Close the check (refused while items are unchecked, unless --force).
    Close {
        file: PathBuf,
        #[arg(long)]
        fy: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum WorkorderAction {
    /// Report a fault or plan a job; prints the order number.
    Open {
        file: PathBuf,
        /// pole, lamp, road, drain or equipment.
        #[arg(long)]
        kind: String,
        /// Pole number, asset number, road code or uid.
        #[arg(long)]
        asset: String,
        /// light_out, flickering, lamp_broken, pole_damaged, pothole, blocked, equipment_fault, planned, other.
        #[arg(long)]
        fault: String,
        #[arg(long)]
        reporter: Option<String>,
        #[arg(long)]
        contact: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// received → in progress.
    Start {
        file: PathBuf,
        order: String,
        #[arg(long)]
        technician: Option<String>,
    },
    /// in progress → done.
    Finish {
        file: PathBuf,
        order: String,
        #[arg(long)]
        technician: Option<String>,
        #[arg(long)]
        materials: Option<String>,
        #[arg(long)]
        cost: Option<f64>,
        /// A lamp was replaced (updates the lamp's last change).
        #[arg(long)]
        lamp_changed: bool,
        /// Which lamp (uid) when the pole has several.
        #[arg(long)]
        lamp: Option<String>,
        #[arg(long)]
        lamp_type: Option<String>,
        #[arg(long)]
        watts: Option<i64>,
    },
    /// One page of the work orders.
    List {
        file: PathBuf,
        #[command(flatten)]
        list: ListOpts,
    },
    /// Every order on one asset.
    History {
        file: PathBuf,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        asset: String,
        #[arg(long)]
        json: bool,
    },
}

impl ListOpts {
    fn args(&self) -> Result<inventory::ListArgs<'_>, exit::Failure> {
        let filters = self
            .filters
            .iter()
            .map(|f| {
                f.split_once('=').ok_or_else(|| {
                    exit::Failure::new(exit::USAGE, format!("--where {f}: use FIELD=VALUE (เงื่อนไขไม่ถูกต้อง)"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(inventory::ListArgs {
            search: self.search.as_deref(),
            filters,
            sort: self.sort.as_deref(),
            descending: self.desc,
            offset: self.offset,
            limit: self.limit,
            json: self.json,
        })
    }
}

#[derive(clap::Args)]
struct HubFlags {
    /// The hub's store: sqlite:PATH (one file, the default
    /// sqlite:tongtin-hub.sqlite) or postgres://USER[:PASSWORD]@HOST:PORT/DATABASE
    /// (with PostGIS).
    #[arg(long, global = true)]
    store: Option<String>,
    /// A hub.toml with the same keys as the environment variables.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum HubAction {
    /// Organisations: add, list.
    Org {
        #[command(subcommand)]
        action: OrgAction,
    },
    /// Users: add, list, remove.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Subcommand)]
enum OrgAction {
    /// Create an organisation; CODE is lowercase a-z, 0-9 and -.
    Add {
        code: String,
        /// Its name, in Thai or English.
        #[arg(long)]
        name: String,
    },
    /// Every organisation with its data model version and last log position.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Add a user to an organisation, or set its role and password. The
    /// password (8 characters at least) comes from --password-env, else one
    /// line of standard input.
    Add {
        name: String,
        #[arg(long)]
        org: String,
        /// viewer (pull), editor (push too) or admin.
        #[arg(long)]
        role: String,
        /// Read the password from this environment variable.
        #[arg(long)]
        password_env: Option<String>,
    },
    /// Every user of every organisation with its role.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a user from an organisation and close its sessions.
    Remove {
        name: String,
        #[arg(long)]
        org: String,
    },
}

#[derive(Subcommand)]
enum SyncAction {
    /// Write the changes not yet exported (the whole data the first time)
    /// to a sync package file, for a USB stick.
    Export {
        file: PathBuf,
        package: PathBuf,
        /// Export the whole data again.
        #[arg(long)]
        all: bool,
    },
    /// Merge a sync package into the file, as a hub would.
    Import { file: PathBuf, package: PathBuf },
}

#[derive(Subcommand)]
enum ConflictsAction {
    /// Settle a conflict: keep mine, theirs, or a typed value.
    Resolve {
        file: PathBuf,
        id: String,
        /// mine, theirs, or a value as the form would take it.
        #[arg(long)]
        take: String,
    },
}

#[derive(Subcommand)]
enum JournalAction {
    /// Verify that the journal and the data agree; record edits other tools
    /// made that are not in the journal yet. Exit 0 when they agree, 1 when not.
    Check {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TerrainAction {
    /// The terrain coverage: CRS, cells, extent, elevation range.
    Info {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Bring a GeoTIFF DEM into the file as its terrain, reprojected to the
    /// municipality's CRS when needed (replaces the terrain it had).
    Import { dem: PathBuf, file: PathBuf },
    /// Shaded relief of the whole terrain as an 8-bit GeoTIFF (as gdaldem hillshade).
    Hillshade {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Sun direction, degrees clockwise from north.
        #[arg(long, default_value_t = 315.0)]
        azimuth: f64,
        /// Sun height above the horizon, degrees.
        #[arg(long, default_value_t = 45.0)]
        altitude: f64,
        /// Vertical exaggeration.
        #[arg(long, default_value_t = 1.0)]
        z_factor: f64,
    },
    /// Set poles' and drain ends' elevations from the terrain where missing
    /// or different (after an import), as one journaled edit.
    Fill { file: PathBuf },
    /// Contour lines of the whole terrain into a new GeoPackage (as gdal_contour).
    Contours {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Metres between contours.
        #[arg(long, default_value_t = 10.0)]
        interval: f64,
        /// The level contours are counted from.
        #[arg(long, default_value_t = 0.0)]
        base: f64,
    },
}

pub fn run() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { exit::OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let outcome = match args.command {
        Command::Info { file, json } => info::run(&file, json),
        Command::Validate { file } => validate::run(&file),
        Command::Demo {
            out,
            seed,
            scale,
            srs,
            force,
        } => demo::run(&out, seed, scale, srs, force),
        Command::Migrate { file } => migrate::run(&file),
        Command::Tiles {
            file,
            layers,
            zoom,
            bbox,
            out,
        } => tiles::run(&file, layers.as_deref(), &zoom, bbox.as_deref(), &out),
        Command::History {
            file,
            uid,
            since,
            layer,
            user,
            limit,
            json,
        } => history::run(
            &file,
            &history::Options {
                uid: uid.as_deref(),
                layer: layer.as_deref(),
                user: user.as_deref(),
                since: since.as_deref(),
                limit,
                json,
            },
        ),
        Command::Journal {
            action: JournalAction::Check { file, json },
        } => journal::check_file(&file, json),
        Command::Sync {
            action: Some(SyncAction::Export { file, package, all }),
            ..
        } => sync::export(&file, &package, all),
        Command::Sync {
            action: Some(SyncAction::Import { file, package }),
            ..
        } => sync::import(&file, &package),
        Command::Sync {
            action: None,
            file,
            hub,
            org,
            user,
            password_env,
            ca_cert,
            json,
        } => sync::run(
            &file.unwrap_or_default(),
            sync::HubArgs {
                hub,
                org,
                user,
                password_env,
                ca_cert,
            },
            json,
        ),
        Command::Conflicts {
            action: Some(ConflictsAction::Resolve { file, id, take }),
            ..
        } => sync::resolve(&file, &id, &take),
        Command::Conflicts {
            action: None,
            file,
            json,
            all,
        } => sync::list(&file.unwrap_or_default(), json, all),
        Command::Terrain { action } => match action {
            TerrainAction::Info { file, json } => terrain::info(&file, json),
            TerrainAction::Import { dem, file } => terrain::import(&dem, &file),
            TerrainAction::Hillshade {
                file,
                out,
                azimuth,
                altitude,
                z_factor,
            } => terrain::hillshade(
                &file,
                &out,
                tongtin::terrain::Light {
                    azimuth,
                    altitude,
                    z_factor,
                    ..Default::default()
                },
            ),
            TerrainAction::Fill { file } => terrain::fill(&file),
            TerrainAction::Contours {
                file,
                out,
                interval,
                base,
            } => terrain::contours(&file, &out, interval, base),
        },
        Command::Serve {
            hub,
            listen,
            tls_cert,
            tls_key,
        } => serve::run(serve::ServeFlags {
            store: hub.store,
            listen,
            tls_cert,
            tls_key,
            config: hub.config,
        }),
        Command::Hub { hub, action } => hub::run(
            serve::ServeFlags {
                store: hub.store,
                listen: None,
                tls_cert: None,
                tls_key: None,
                config: hub.config,
            },
            match action {
                HubAction::Org {
                    action: OrgAction::Add { code, name },
                } => hub::Action::OrgAdd { code, name },
                HubAction::Org {
                    action: OrgAction::List { json },
                } => hub::Action::OrgList { json },
                HubAction::User {
                    action:
                        UserAction::Add {
                            name,
                            org,
                            role,
                            password_env,
                        },
                } => hub::Action::UserAdd {
                    name,
                    org,
                    role,
                    password_env,
                },
                HubAction::User {
                    action: UserAction::List { json },
                } => hub::Action::UserList { json },
                HubAction::User {
                    action: UserAction::Remove { name, org },
                } => hub::Action::UserRemove { name, org },
            },
        ),
        Command::Report {
            name,
            file,
            fy,
            format,
            out,
            lang,
        } => report::run(&name, &file, fy.as_deref(), &format, out.as_deref(), &lang),
        Command::Equipment { action } => match action {
            EquipmentAction::Add {
                file,
                name,
                category,
                asset_no,
                acquired,
                quantity,
                unit,
                price,
                department,
                custodian,
                location,
                document_no,
                vendor,
                funding,
                pole,
            } => inventory::equipment_add(
                &file,
                &inventory::AddArgs {
                    name: &name,
                    category: &category,
                    asset_no: asset_no.as_deref(),
                    acquired: acquired.as_deref(),
                    quantity,
                    unit: unit.as_deref(),
                    price,
                    department: department.as_deref(),
                    custodian: custodian.as_deref(),
                    location: location.as_deref(),
                    document_no: document_no.as_deref(),
                    vendor: vendor.as_deref(),
                    funding: funding.as_deref(),
                    pole: pole.as_deref(),
                },
            ),
            EquipmentAction::List { file, list } => list.args().and_then(|a| inventory::equipment_list(&file, &a)),
            EquipmentAction::Find { file, number } => inventory::find(&file, &number),
            EquipmentAction::Dispose {
                file,
                asset_no,
                method,
                document,
                date,
                amount,
                notes,
            } => inventory::equipment_dispose(
                &file,
                &asset_no,
                &method,
                &document,
                date.as_deref(),
                amount,
                notes.as_deref(),
            ),
        },
        Command::Check { action } => match action {
            CheckAction::Open {
                file,
                fy,
                committee,
                date,
            } => inventory::check_open(&file, fy.as_deref(), &committee, date.as_deref()),
            CheckAction::Record {
                file,
                asset_no,
                finding,
                fy,
                notes,
            } => inventory::check_record(&file, fy.as_deref(), &asset_no, &finding, notes.as_deref()),
            CheckAction::Unchecked { file, fy } => inventory::check_unchecked(&file, fy.as_deref()),
            CheckAction::Close { file, fy, date, force } => {
                inventory::check_close(&file, fy.as_deref(), date.as_deref(), force)
            }
        },
        Command::Workorder { action } => match action {
            WorkorderAction::Open {
                file,
                kind,
                asset,
                fault,
                reporter,
                contact,
                description,
            } => inventory::workorder_open(
                &file,
                &inventory::OpenArgs {
                    kind: &kind,
                    asset: &asset,
                    fault: &fault,
                    reporter: reporter.as_deref(),
                    contact: contact.as_deref(),
                    description: description.as_deref(),
                },
            ),
            WorkorderAction::Start {
                file,
                order,
                technician,
            } => inventory::workorder_start(&file, &order, technician.as_deref()),
            WorkorderAction::Finish {
                file,
                order,
                technician,
                materials,
                cost,
                lamp_changed,
                lamp,
                lamp_type,
                watts,
            } => inventory::workorder_finish(
                &file,
                &order,
                &inventory::FinishArgs {
                    technician: technician.as_deref(),
                    materials: materials.as_deref(),
                    cost,
                    lamp_changed,
                    lamp: lamp.as_deref(),
                    lamp_type: lamp_type.as_deref(),
                    watts,
                },
            ),
            WorkorderAction::List { file, list } => list.args().and_then(|a| inventory::workorder_list(&file, &a)),
            WorkorderAction::History {
                file,
                kind,
                asset,
                json,
            } => inventory::workorder_history(&file, &kind, &asset, json),
        },
        Command::Labels {
            file,
            layer,
            out,
            search,
            lang,
        } => inventory::labels(&file, &layer, &out, search.as_deref(), &lang),
        Command::Bench { scale, dir, parts } => bench::run(&dir.unwrap_or_else(bench::default_dir), scale, &parts),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(f) => f.exit(),
    }
}
