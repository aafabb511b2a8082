// The app's own commands get generated allow-/deny- permissions, so the
// capability file can grant the window exactly these and nothing else.
const COMMANDS: &[&str] = &[
    "app_info",
    "store_retry",
    "store_unlock",
    "store_lock",
    "store_change_passphrase",
    "matter_create",
    "matter_list",
    "matter_get",
    "matter_update",
    "matter_history",
    "search",
    "provider_list",
    "provider_get",
    "provider_create",
    "provider_update",
    "party_list",
    "party_get",
    "party_create",
    "party_update",
    "matter_party_list",
    "matter_party_get",
    "matter_party_create",
    "matter_party_update",
    "consent_list",
    "consent_get",
    "consent_create",
    "consent_update",
    "assignment_list",
    "assignment_get",
    "assignment_create",
    "assignment_update",
    "assignment_move",
    "assignment_history",
    "deadline_rules",
    "deadline_create",
    "deadline_list",
    "deadline_get",
    "deadline_set_done",
    "deadline_move",
    "deadline_dashboard",
    "deadline_calendar_problems",
    "deadline_reminders",
    "deadline_reminders_dismiss",
    "deadline_settings_get",
    "deadline_settings_set",
    "deadline_export_default_path",
    "deadline_export_choose",
    "deadline_export",
];

fn main() {
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed (is ui/dist built? run `npm --prefix ui run build`)");
}
