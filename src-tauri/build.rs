// The app's own commands get generated allow-/deny- permissions, so the
// capability file can grant the window exactly these and nothing else.
const COMMANDS: &[&str] = &[
    "app_info",
    "store_retry",
    "matter_create",
    "matter_list",
    "matter_get",
    "matter_update",
    "matter_history",
];

fn main() {
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed (is ui/dist built? run `npm --prefix ui run build`)");
}
