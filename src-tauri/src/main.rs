#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

//! The Tongtin desktop shell: a window, and commands that delegate to the
//! `tongtin` core. Everything the UI receives is an `ipc` type.
//!
//! Usage: `tongtin-app [FILE.gpkg]`; without a file the window opens the demo
//! municipality, generated in the app's data directory on first use.

mod editing;
// Equipment, work orders, inventory checks, reports and labels (issue 6).
mod inventory;
mod ipc;
mod map;
mod sync;
mod terrain;
mod window;

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::Manager;

use ipc::{DataModel, FileSummary, IpcError};

/// The file named on the command line, made absolute at start-up.
struct Startup {
    file: Option<PathBuf>,
}

/// Only one demo generation at a time (it writes a temporary file, then renames).
static DEMO: Mutex<()> = Mutex::new(());

/// Runs blocking core work off the main thread, so the window stays responsive.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(IpcError::new("internal", e, None)))
}

#[tauri::command]
async fn open_file(path: String) -> Result<FileSummary, IpcError> {
    blocking(move || ipc::summarize(path.as_ref())).await
}

/// Starts serving the file's tiles; returns its extent in Web Mercator.
#[tauri::command]
async fn open_map(app: tauri::AppHandle, path: String) -> Result<Option<[f64; 4]>, IpcError> {
    blocking(move || app.state::<map::MapState>().open(path.as_ref())).await
}

#[tauri::command]
async fn search(path: String, query: String) -> Result<Vec<ipc::SearchHit>, IpcError> {
    blocking(move || ipc::search(path.as_ref(), &query)).await
}

#[tauri::command]
async fn identify(path: String, layer: String, fid: i64) -> Result<Option<ipc::Identified>, IpcError> {
    blocking(move || ipc::identify(path.as_ref(), &layer, fid)).await
}

/// File → Open: the native dialog, GeoPackages first; `None` when cancelled.
#[tauri::command]
async fn choose_file(app: tauri::AppHandle) -> Result<Option<String>, IpcError> {
    blocking(move || {
        use tauri_plugin_dialog::DialogExt;
        let picked = app
            .dialog()
            .file()
            .add_filter("GeoPackage", &["gpkg"])
            .add_filter("*", &["*"])
            .blocking_pick_file();
        Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
    })
    .await
}

#[tauri::command]
fn data_model() -> DataModel {
    DataModel::from(tongtin::model::schema())
}

#[tauri::command]
async fn demo_file(app: tauri::AppHandle) -> Result<String, IpcError> {
    let dir = app
        .path()
        .app_data_dir()
        .map_err(|e| IpcError::new("no_data_dir", e, None))?;
    blocking(move || {
        let _one = DEMO.lock().unwrap_or_else(|p| p.into_inner());
        ipc::ensure_demo(&dir).map(|p| p.display().to_string())
    })
    .await
}

/// Brings a file made by an older Tongtin up to this one's data model, so that it can be edited.
#[tauri::command]
async fn migrate_file(path: String) -> Result<ipc::MigrationOut, IpcError> {
    blocking(move || ipc::migrate(path.as_ref())).await
}

/// Opens the file for editing as `user`; its journal is set up if it has none.
#[tauri::command]
async fn edit_open(app: tauri::AppHandle, path: String, user: String) -> Result<(), IpcError> {
    blocking(move || app.state::<editing::EditState>().open(path.as_ref(), &user)).await
}

#[tauri::command]
async fn set_user(app: tauri::AppHandle, user: String) -> Result<(), IpcError> {
    blocking(move || app.state::<editing::EditState>().set_user(&user)).await
}

/// Applies an edit; the map's tiles of the area it touched are redrawn.
#[tauri::command]
async fn apply_edit(app: tauri::AppHandle, edit: editing::EditIn) -> Result<editing::EditOut, IpcError> {
    blocking(move || map::redrawn(&app, app.state::<editing::EditState>().apply(edit))).await
}

#[tauri::command]
async fn undo(app: tauri::AppHandle) -> Result<Option<editing::EditOut>, IpcError> {
    blocking(move || map::redrawn_maybe(&app, app.state::<editing::EditState>().undo(false))).await
}

#[tauri::command]
async fn redo(app: tauri::AppHandle) -> Result<Option<editing::EditOut>, IpcError> {
    blocking(move || map::redrawn_maybe(&app, app.state::<editing::EditState>().undo(true))).await
}

#[tauri::command]
async fn undo_state(app: tauri::AppHandle) -> Result<editing::UndoState, IpcError> {
    blocking(move || app.state::<editing::EditState>().undo_state()).await
}

#[tauri::command]
async fn restore(app: tauri::AppHandle, layer: String, uid: String, seq: i64) -> Result<editing::EditOut, IpcError> {
    blocking(move || map::redrawn(&app, app.state::<editing::EditState>().restore(&layer, &uid, seq))).await
}

/// Splits a road or drain at the clicked point (EPSG:3857), within `tolerance` metres.
#[tauri::command]
async fn split_feature(
    app: tauri::AppHandle,
    label: String,
    layer: String,
    uid: String,
    at: [f64; 2],
    tolerance: f64,
) -> Result<editing::EditOut, IpcError> {
    blocking(move || {
        map::redrawn(
            &app,
            app.state::<editing::EditState>()
                .split(&label, &layer, &uid, at, tolerance),
        )
    })
    .await
}

/// Joins two roads or drains that share an end; `keep` keeps its attributes.
#[tauri::command]
async fn merge_features(
    app: tauri::AppHandle,
    label: String,
    layer: String,
    keep: String,
    other: String,
) -> Result<editing::EditOut, IpcError> {
    blocking(move || {
        map::redrawn(
            &app,
            app.state::<editing::EditState>().merge(&label, &layer, &keep, &other),
        )
    })
    .await
}

#[tauri::command]
async fn working_set(
    app: tauri::AppHandle,
    layers: Vec<String>,
    view: [f64; 4],
) -> Result<Vec<editing::WorkingOut>, IpcError> {
    blocking(move || app.state::<editing::EditState>().working_set(&layers, view)).await
}

#[tauri::command]
async fn feature(app: tauri::AppHandle, layer: String, fid: i64) -> Result<Option<editing::FeatureOut>, IpcError> {
    blocking(move || app.state::<editing::EditState>().feature(&layer, fid)).await
}

#[tauri::command]
async fn history(app: tauri::AppHandle, filter: editing::HistoryIn) -> Result<Vec<editing::HistoryOut>, IpcError> {
    blocking(move || app.state::<editing::EditState>().history(filter)).await
}

#[tauri::command]
async fn photos(app: tauri::AppHandle, layer: String, uid: String) -> Result<Vec<editing::PhotoOut>, IpcError> {
    blocking(move || app.state::<editing::EditState>().photos(&layer, &uid)).await
}

#[tauri::command]
async fn attach_photo(
    app: tauri::AppHandle,
    layer: String,
    uid: String,
    path: String,
) -> Result<editing::EditOut, IpcError> {
    blocking(move || {
        map::redrawn(
            &app,
            app.state::<editing::EditState>()
                .attach_photo(&layer, &uid, path.as_ref()),
        )
    })
    .await
}

#[tauri::command]
async fn remove_photo(app: tauri::AppHandle, uid: String) -> Result<editing::EditOut, IpcError> {
    blocking(move || app.state::<editing::EditState>().remove_photo(&uid)).await
}

/// The photo picker: JPEG and PNG images; `None` when cancelled.
#[tauri::command]
async fn choose_photo(app: tauri::AppHandle) -> Result<Option<String>, IpcError> {
    blocking(move || {
        use tauri_plugin_dialog::DialogExt;
        let picked = app
            .dialog()
            .file()
            .add_filter("JPEG, PNG", &["jpg", "jpeg", "png", "JPG", "JPEG", "PNG"])
            .blocking_pick_file();
        Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
    })
    .await
}

/// The path of the file on the map, for the terrain commands.
fn map_path(app: &tauri::AppHandle) -> Result<PathBuf, IpcError> {
    app.state::<map::MapState>()
        .current()
        .map(|s| s.path().to_path_buf())
        .ok_or_else(|| IpcError::new("no_file", "no file is open", None))
}

/// Ground elevation under the cursor (EPSG:3857); null off the terrain.
#[tauri::command]
async fn elevation_at(app: tauri::AppHandle, at: [f64; 2]) -> Result<Option<f64>, IpcError> {
    blocking(move || terrain::elevation_at(&map_path(&app)?, at)).await
}

/// The elevation profile of a road or drain (`{layer, uid}`) or a drawn line (`{coordinates}`).
#[tauri::command]
async fn profile(app: tauri::AppHandle, of: terrain::ProfileOf) -> Result<terrain::ProfileOut, IpcError> {
    blocking(move || terrain::profile(&map_path(&app)?, of)).await
}

#[tauri::command]
async fn uphill_drains(app: tauri::AppHandle) -> Result<Vec<terrain::UphillOut>, IpcError> {
    blocking(move || terrain::uphill_drains(&map_path(&app)?)).await
}

#[tauri::command]
async fn terrain_legend(app: tauri::AppHandle) -> Result<Option<terrain::LegendOut>, IpcError> {
    blocking(move || terrain::legend(&map_path(&app)?)).await
}

// ---------------------------------------------------------------- sync (issue 7)

/// The open file's sync status: changes waiting, open conflicts, last sync (no network).
#[tauri::command]
async fn sync_status(app: tauri::AppHandle) -> Result<sync::StatusOut, IpcError> {
    blocking(move || app.state::<sync::SyncState>().status(&map_path(&app)?)).await
}

/// Starts a sync of the open file in the background: `sync-progress` events, then `sync-done`.
#[tauri::command]
async fn sync_start(app: tauri::AppHandle, hub: sync::HubIn, user: String) -> Result<(), IpcError> {
    blocking(move || sync::SyncState::start(&app, map_path(&app)?, hub, &user)).await
}

#[tauri::command]
async fn sync_conflicts(app: tauri::AppHandle) -> Result<Vec<sync::ConflictOut>, IpcError> {
    blocking(move || sync::conflicts(&map_path(&app)?)).await
}

/// Settles a conflict (`take`: mine, theirs or value); the map is redrawn.
#[tauri::command]
async fn sync_resolve(
    app: tauri::AppHandle,
    id: String,
    take: String,
    value: Option<String>,
    user: String,
) -> Result<sync::ResolutionOut, IpcError> {
    blocking(move || {
        let out = sync::resolve(&map_path(&app)?, &id, &take, value, &user)?;
        if out.changed {
            map::invalidate_all(&app);
        }
        Ok(out)
    })
    .await
}

#[tauri::command]
fn sync_forget_password(state: tauri::State<'_, sync::SyncState>) {
    state.forget_password();
}

/// Stops the running sync after the batch it is on (`sync-done` then says so).
#[tauri::command]
fn sync_cancel(state: tauri::State<'_, sync::SyncState>) {
    state.cancel();
}

/// The hub's CA certificate (PEM); `None` when cancelled.
#[tauri::command]
async fn choose_certificate(app: tauri::AppHandle) -> Result<Option<String>, IpcError> {
    blocking(move || {
        use tauri_plugin_dialog::DialogExt;
        let picked = app
            .dialog()
            .file()
            .add_filter("PEM", &["pem", "crt", "cer"])
            .add_filter("*", &["*"])
            .blocking_pick_file();
        Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
    })
    .await
}

#[tauri::command]
fn startup_file(startup: tauri::State<'_, Startup>) -> Option<String> {
    startup.file.as_ref().map(|p| p.display().to_string())
}

fn main() {
    let file = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .map(|p| std::path::absolute(&p).unwrap_or(p));
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(Startup { file })
        .manage(map::MapState::default())
        .manage(editing::EditState::default())
        .manage(sync::SyncState::default())
        .register_asynchronous_uri_scheme_protocol("tiles", |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            std::thread::spawn(move || responder.respond(map::respond(&app.state::<map::MapState>(), &request)));
        })
        .invoke_handler(tauri::generate_handler![
            open_file,
            open_map,
            choose_file,
            search,
            identify,
            data_model,
            demo_file,
            startup_file,
            migrate_file,
            edit_open,
            set_user,
            apply_edit,
            undo,
            redo,
            undo_state,
            restore,
            split_feature,
            merge_features,
            working_set,
            feature,
            history,
            photos,
            attach_photo,
            remove_photo,
            choose_photo,
            elevation_at,
            profile,
            uphill_drains,
            terrain_legend,
            sync_status,
            sync_start,
            sync_conflicts,
            sync_resolve,
            sync_forget_password,
            sync_cancel,
            choose_certificate,
            // Equipment, work orders, inventory checks, reports and labels (issue 6).
            inventory::commands::inventory_list,
            inventory::commands::equipment_categories,
            inventory::commands::next_asset_no,
            inventory::commands::asset_no_taken,
            inventory::commands::add_equipment,
            inventory::commands::equipment_details,
            inventory::commands::dispose_equipment,
            inventory::commands::fault_types,
            inventory::commands::open_work_order,
            inventory::commands::start_work_order,
            inventory::commands::finish_work_order,
            inventory::commands::work_history,
            inventory::commands::find_check,
            inventory::commands::open_check,
            inventory::commands::record_finding,
            inventory::commands::unchecked_items,
            inventory::commands::close_check,
            inventory::commands::find_number,
            inventory::commands::build_report,
            inventory::commands::save_report,
            inventory::commands::save_labels
        ])
        .setup(|app| {
            if let Some(main) = app.get_webview_window("main") {
                window::restore(&main);
            }
            Ok(())
        })
        .on_window_event(|w, event| {
            // Saved as it changes, not only on closing: a killed app or a power cut remembers too.
            use tauri::WindowEvent as E;
            if matches!(event, E::CloseRequested { .. } | E::Resized(_) | E::Moved(_)) {
                window::save(w);
            }
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("the Tongtin window could not be started");
}
