fn main() {
    // The app's own commands get `allow-<command>` permissions generated here;
    // capabilities/default.json grants exactly these to the main window.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "open_file",
        "open_map",
        "choose_file",
        "search",
        "identify",
        "data_model",
        "demo_file",
        "startup_file",
        "edit_open",
        "set_user",
        "apply_edit",
        "undo",
        "redo",
        "undo_state",
        "restore",
        "split_feature",
        "merge_features",
        "working_set",
        "feature",
        "history",
        "photos",
        "attach_photo",
        "remove_photo",
        "choose_photo",
        "elevation_at",
        "profile",
        "uphill_drains",
        "terrain_legend",
        "sync_status",
        "sync_start",
        "sync_conflicts",
        "sync_resolve",
        "sync_forget_password",
        "choose_certificate",
    ]);
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(manifest),
    )
    .expect("tauri.conf.json at the top level could not be read");
}
