//! Deadline commands, the export dialog, and the reminder loop.

use std::time::Duration;

use mandate_core::deadline::{
    Dashboard, Deadline, DeadlineDraft, DeadlineFilter, DeadlineReminder, DeadlineSettings,
    MovedDeadline, RuleInfo, reminder_notices,
};
use mandate_core::{ChosenTarget, Error};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_notification::NotificationExt;

use super::dialogs::{grant, save_dialog};
use super::with_store;
use crate::AppState;
use crate::chosen::WriteKind;
use mandate_store::CALENDAR_EXTENSION;

/// Emitted after every deadline write, so open views refetch.
pub const DEADLINE_CHANGED: &str = "deadline-changed";
/// Emitted with the reminders just raised, so the window can show them too.
pub const REMINDERS: &str = "deadline-reminders";

use super::today;

#[tauri::command]
pub async fn deadline_rules(state: State<'_, AppState>) -> Result<Vec<RuleInfo>, Error> {
    with_store(&state, |s| Ok(s.deadline_rules())).await
}

#[tauri::command]
pub async fn deadline_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: DeadlineDraft,
) -> Result<Vec<Deadline>, Error> {
    let made = with_store(&state, move |s| s.create_deadlines(&draft)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(made)
}

#[tauri::command]
pub async fn deadline_list(
    state: State<'_, AppState>,
    filter: DeadlineFilter,
) -> Result<Vec<Deadline>, Error> {
    with_store(&state, move |s| s.list_deadlines(&filter)).await
}

#[tauri::command]
pub async fn deadline_get(state: State<'_, AppState>, id: String) -> Result<Deadline, Error> {
    with_store(&state, move |s| s.deadline(&id)).await
}

#[tauri::command]
pub async fn deadline_set_done(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    done: bool,
) -> Result<Deadline, Error> {
    let d = with_store(&state, move |s| s.set_deadline_done(&id, done)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(d)
}

#[tauri::command]
pub async fn deadline_move(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    trigger: String,
) -> Result<Vec<MovedDeadline>, Error> {
    let moved = with_store(&state, move |s| s.change_deadline_trigger(&id, &trigger)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(moved)
}

#[tauri::command]
pub async fn deadline_dashboard(state: State<'_, AppState>) -> Result<Dashboard, Error> {
    with_store(&state, |s| s.deadline_dashboard(today())).await
}

/// The reminders raised and not yet dismissed in the window.
#[tauri::command]
pub fn deadline_reminders(state: State<'_, AppState>) -> Vec<DeadlineReminder> {
    state
        .reminders
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default()
}

#[tauri::command]
pub fn deadline_reminders_dismiss(state: State<'_, AppState>) {
    if let Ok(mut r) = state.reminders.lock() {
        r.clear();
    }
}

/// Firm calendar files that could not be read, each naming the file and line.
#[tauri::command]
pub async fn deadline_calendar_problems(state: State<'_, AppState>) -> Result<Vec<String>, Error> {
    with_store(&state, |s| Ok(s.calendar_problems())).await
}

/// Open deadlines counted with a holiday calendar that changed since.
#[tauri::command]
pub async fn deadline_calendar_changes(
    state: State<'_, AppState>,
) -> Result<Vec<mandate_core::deadline::CalendarChange>, Error> {
    with_store(&state, |s| s.deadlines_on_changed_calendars()).await
}

/// Recomputes a deadline (and those made with it) with the calendars as they are now.
#[tauri::command]
pub async fn deadline_recompute(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<MovedDeadline>, Error> {
    let moved = with_store(&state, move |s| s.recompute_deadline(&id)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(moved)
}

#[tauri::command]
pub async fn deadline_settings_get(state: State<'_, AppState>) -> Result<DeadlineSettings, Error> {
    with_store(&state, |s| s.deadline_settings()).await
}

#[tauri::command]
pub async fn deadline_settings_set(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: DeadlineSettings,
) -> Result<(), Error> {
    with_store(&state, move |s| s.set_deadline_settings(&settings)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(())
}

/// Opens the native save dialog (in Rust, so the window never browses the disk nor
/// names a path) for an .ics file; nothing if the person cancelled.
#[tauri::command]
pub async fn deadline_export_choose(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<ChosenTarget>, Error> {
    let Some(chosen) = save_dialog(
        app,
        "Export deadlines",
        "iCalendar",
        CALENDAR_EXTENSION,
        "mandate-deadlines.ics".into(),
        WriteKind::Calendar,
    )
    .await?
    else {
        return Ok(None);
    };
    grant(&state, chosen, |c| {
        mandate_store::check_calendar_file(&c.path, c.existing())
    })
    .map(Some)
}

/// Writes deadlines to the .ics file chosen in [`deadline_export_choose`]
/// (`target` is its token); the store checks the place and records the export.
/// Returns how many deadlines the file holds.
#[tauri::command]
pub async fn deadline_export(
    state: State<'_, AppState>,
    target: String,
    filter: DeadlineFilter,
    include_private: bool,
) -> Result<u32, Error> {
    let chosen = state.chosen.take(&target, WriteKind::Calendar)?;
    let count = with_store(&state, move |s| {
        s.export_deadlines_ics_to(
            &chosen.path,
            chosen.existing(),
            &filter,
            include_private,
            jiff::Timestamp::now(),
        )
    })
    .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Raises the reminders that are due, on the desktop and in the window, and
/// records them so each is raised once. Runs at start-up (which also catches the
/// ones that came due while Mandate was closed) and every minute after.
pub fn spawn_reminder_loop(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            let state = app.state::<AppState>();
            let due: Result<(Vec<DeadlineReminder>, bool), Error> = with_store(&state, |s| {
                let due = s.reminders_due(jiff::Timestamp::now())?;
                let titles = !due.is_empty() && s.deadline_settings()?.notification_titles;
                Ok((due, titles))
            })
            .await;
            if let Ok((due, titles)) = due {
                // Unless the firm turned titles on, no matter number, client or
                // deadline title: notifications can show on a locked screen.
                for n in reminder_notices(&due, titles) {
                    let _ = app
                        .notification()
                        .builder()
                        .title(n.title)
                        .body(n.body)
                        .show();
                }
                if !due.is_empty() {
                    if let Ok(mut shown) = state.reminders.lock() {
                        shown.extend(due.iter().cloned());
                    }
                    let _ = app.emit(REMINDERS, &due);
                    let _ = with_store(&state, move |s| {
                        due.iter().try_for_each(|r| s.mark_reminder_sent(r))
                    })
                    .await;
                }
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    });
}
