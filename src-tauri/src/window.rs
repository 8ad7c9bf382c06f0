//! The main window's size, position and maximised state: saved in the app's
//! data folder whenever they change, put back when the app starts. A
//! placement that no longer fits (a monitor unplugged, a window shrunk to
//! nothing) is put back only as far as it still makes sense.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{Manager, PhysicalPosition, PhysicalSize, Runtime, WebviewWindow, Window};

const FILE: &str = "window.json";
/// A saved size below this is ignored: such a window would hide the map.
const MIN_SIZE: (u32, u32) = (640, 480);
/// How much of the window's top-left corner must lie on a monitor to reuse its position.
const MARGIN: i32 = 48;

/// Where the window was, in physical pixels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

/// A monitor's area in physical pixels: x, y, width, height.
pub type Area = (i32, i32, u32, u32);

/// Which parts of `saved` to put back: (size, position). The size when it
/// is large enough; the position when the title bar would be on a monitor.
pub fn usable(saved: &Placement, monitors: &[Area]) -> (bool, bool) {
    let size = saved.width >= MIN_SIZE.0 && saved.height >= MIN_SIZE.1;
    let position = monitors.iter().any(|&(x, y, w, h)| {
        let (right, bottom) = (x + w as i32, y + h as i32);
        saved.x + MARGIN >= x && saved.x + MARGIN < right && saved.y >= y && saved.y + MARGIN < bottom
    });
    (size, position)
}

fn file<R: Runtime>(app: &tauri::AppHandle<R>) -> Option<PathBuf> {
    app.path().app_data_dir().ok().map(|d| d.join(FILE))
}

fn read(path: &Path) -> Option<Placement> {
    std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok())
}

/// Puts the window back where it was when it last closed (nothing on the first start).
pub fn restore<R: Runtime>(window: &WebviewWindow<R>) {
    let Some(saved) = file(window.app_handle()).and_then(|p| read(&p)) else {
        return;
    };
    let monitors: Vec<Area> = window
        .available_monitors()
        .unwrap_or_default()
        .iter()
        .map(|m| (m.position().x, m.position().y, m.size().width, m.size().height))
        .collect();
    let (size, position) = usable(&saved, &monitors);
    if size {
        let _ = window.set_size(PhysicalSize::new(saved.width, saved.height));
    }
    if position {
        let _ = window.set_position(PhysicalPosition::new(saved.x, saved.y));
    }
    if saved.maximized {
        let _ = window.maximize();
    }
}

/// Saves where the window is, when that changed; a maximised window keeps
/// the size it had before.
pub fn save<R: Runtime>(window: &Window<R>) {
    let Some(path) = file(window.app_handle()) else { return };
    let maximized = window.is_maximized().unwrap_or(false);
    let previous = read(&path);
    let placement = match (maximized, previous) {
        (true, Some(p)) => Placement { maximized, ..p },
        _ => {
            let (Ok(at), Ok(size)) = (window.outer_position(), window.inner_size()) else {
                return;
            };
            Placement {
                x: at.x,
                y: at.y,
                width: size.width,
                height: size.height,
                maximized,
            }
        }
    };
    if previous == Some(placement) {
        return;
    }
    let Ok(json) = serde_json::to_vec(&placement) else {
        return;
    };
    // Written beside, then renamed: a crash mid-write never leaves half a file.
    let partial = path.with_extension("json.partial");
    if std::fs::create_dir_all(path.parent().unwrap_or(&path)).is_ok() && std::fs::write(&partial, json).is_ok() {
        let _ = std::fs::rename(&partial, &path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCREEN: Area = (0, 0, 1920, 1080);
    const SECOND: Area = (1920, 0, 1280, 1024);

    fn at(x: i32, y: i32, width: u32, height: u32) -> Placement {
        Placement {
            x,
            y,
            width,
            height,
            maximized: false,
        }
    }

    #[test]
    fn a_window_on_a_monitor_goes_back_where_it_was() {
        assert_eq!(usable(&at(100, 80, 1280, 800), &[SCREEN]), (true, true));
        assert_eq!(usable(&at(2000, 10, 1200, 900), &[SCREEN, SECOND]), (true, true));
    }

    #[test]
    fn a_window_on_an_unplugged_monitor_keeps_its_size_not_its_place() {
        assert_eq!(usable(&at(2000, 10, 1200, 900), &[SCREEN]), (true, false));
        assert_eq!(
            usable(&at(100, -200, 1200, 900), &[SCREEN]),
            (true, false),
            "title bar above the screen"
        );
        assert_eq!(usable(&at(100, 80, 1200, 900), &[]), (true, false));
    }

    #[test]
    fn a_window_shrunk_to_almost_nothing_is_not_restored_that_small() {
        assert_eq!(usable(&at(100, 80, 300, 200), &[SCREEN]), (false, true));
    }
}
