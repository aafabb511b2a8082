// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Panic messages can quote a client's document: never printed.
    mandate_extract::quiet_panics();
    // The app re-runs itself to read PDF and Word files in a child process with
    // limits; in that child this reads one document and exits, before any window.
    mandate_extract::run_child_if_requested();
    mandate_app_lib::run();
}
