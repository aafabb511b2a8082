//! The exchange in the background: one thread with its own connection to the store
//! and its own small tokio runtime runs the sync engine, so the window's store is
//! never held while the engine waits on the network, and the window never waits on
//! a relay. Everything that needs the store *and* the network (a round of sync,
//! making an invite, joining one) is a job sent to that thread; the answer comes
//! back on a oneshot channel.
//!
//! Rounds run every [`ROUND_EVERY`] (or `MANDATE_SYNC_EVERY_SECS`), and at once
//! when something was queued (`wake`). Locking the store bumps an epoch: a round
//! under way is dropped at its next await, and the thread drops its connection (and
//! with it SQLCipher's key) before it does anything else.

use std::sync::Mutex;
use std::time::Duration;

use mandate_core::Error;
use mandate_core::exchange::{ArrivalTarget, InviteCreated, Joined, SyncReport, SyncStatus};
use mandate_store::Store;
use tauri::{AppHandle, Emitter, Manager};
#[cfg(not(target_os = "linux"))]
use tauri_plugin_notification::NotificationExt;
use tokio::sync::{mpsc, oneshot, watch};

use crate::AppState;
use crate::commands::with_store;

/// The event the header's sync indicator listens to (payload: [`SyncStatus`]).
pub const SYNC_STATUS: &str = "sync-status";
/// Emitted after anything of the exchange changed (outbox, channels, engagements).
pub const EXCHANGE_CHANGED: &str = "exchange-changed";
/// Emitted when the person clicks an arrival's notification (payload: [`ArrivalTarget`]).
pub const OPEN_ARRIVAL: &str = "exchange-open";
const NOTICE_TITLE: &str = "Mandate: new from the exchange";
/// How often a round runs when nothing asks for one sooner.
const ROUND_EVERY: Duration = Duration::from_secs(10);

enum Job {
    Round,
    InviteCreate {
        assignment_id: String,
        relay_url: String,
        reply: oneshot::Sender<Result<InviteCreated, Error>>,
    },
    InviteJoin {
        code: String,
        reply: oneshot::Sender<Result<Joined, Error>>,
    },
}

/// The handle the commands hold (in [`AppState`]).
pub struct SyncHandle {
    jobs: mpsc::UnboundedSender<Job>,
    jobs_rx: Mutex<Option<mpsc::UnboundedReceiver<Job>>>,
    epoch: watch::Sender<u64>,
    status: Mutex<SyncStatus>,
}

impl Default for SyncHandle {
    fn default() -> Self {
        let (jobs, rx) = mpsc::unbounded_channel();
        Self {
            jobs,
            jobs_rx: Mutex::new(Some(rx)),
            epoch: watch::Sender::new(0),
            status: Mutex::new(SyncStatus::default()),
        }
    }
}

impl SyncHandle {
    /// Asks for a round soon (after something was queued, or "Sync now").
    pub fn wake(&self) {
        let _ = self.jobs.send(Job::Round);
    }

    /// The store was locked (or re-keyed): the thread drops its connection.
    pub fn store_locked(&self) {
        self.epoch.send_modify(|e| *e += 1);
    }

    /// How many times the store was locked, for the test that locking reaches here.
    #[cfg(test)]
    pub fn lock_epoch(&self) -> u64 {
        *self.epoch.borrow()
    }

    pub fn status(&self) -> SyncStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub async fn invite_create(
        &self,
        assignment_id: String,
        relay_url: String,
    ) -> Result<InviteCreated, Error> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::InviteCreate {
            assignment_id,
            relay_url,
            reply,
        })?;
        answer.await.map_err(|_| stopped())?
    }

    pub async fn invite_join(&self, code: String) -> Result<Joined, Error> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::InviteJoin { code, reply })?;
        answer.await.map_err(|_| stopped())?
    }

    fn send(&self, job: Job) -> Result<(), Error> {
        self.jobs.send(job).map_err(|_| stopped())
    }
}

fn stopped() -> Error {
    Error::internal("The exchange stopped unexpectedly. Restart Mandate.")
}

fn round_every() -> Duration {
    std::env::var("MANDATE_SYNC_EVERY_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s >= 1)
        .map(Duration::from_secs)
        .unwrap_or(ROUND_EVERY)
}

/// Starts the exchange thread (once, at start-up).
pub fn spawn(app: AppHandle) {
    let Some(jobs) = app
        .state::<AppState>()
        .sync
        .jobs_rx
        .lock()
        .ok()
        .and_then(|mut r| r.take())
    else {
        return;
    };
    // A first round at once, so the header says where things stand from the start
    // (and what was queued while Mandate was closed goes without waiting).
    app.state::<AppState>().sync.wake();
    let started = std::thread::Builder::new()
        .name("mandate-exchange".into())
        .spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(run(app, jobs));
        });
    if started.is_err() {
        eprintln!("Mandate could not start the exchange; sharing with providers is off.");
    }
}

async fn run(app: AppHandle, mut jobs: mpsc::UnboundedReceiver<Job>) {
    let mut epoch = app.state::<AppState>().sync.epoch.subscribe();
    let mut store: Option<Store> = None;
    let every = round_every();
    loop {
        let job = tokio::select! {
            job = jobs.recv() => match job {
                Some(job) => job,
                None => return,
            },
            _ = tokio::time::sleep(every) => Job::Round,
            _ = epoch.changed() => {
                store = None;
                continue;
            }
        };
        if epoch.has_changed().unwrap_or(false) {
            epoch.borrow_and_update();
            store = None;
        }
        if store.is_none() {
            let state = app.state::<AppState>();
            store = with_store(&state, |s| s.second_connection()).await.ok();
        }
        let Some(s) = store.as_mut() else {
            refuse(
                job,
                Error::new(
                    mandate_core::ErrorCode::Locked,
                    "The store is locked. Unlock it, then try again.",
                ),
            );
            continue;
        };
        // Whatever the job, a lock drops it at its next await.
        let cancelled = tokio::select! {
            _ = do_job(&app, s, job) => false,
            _ = epoch.changed() => true,
        };
        if cancelled {
            store = None;
        }
    }
}

fn refuse(job: Job, e: Error) {
    match job {
        Job::Round => {}
        Job::InviteCreate { reply, .. } => {
            let _ = reply.send(Err(e));
        }
        Job::InviteJoin { reply, .. } => {
            let _ = reply.send(Err(e));
        }
    }
}

async fn do_job(app: &AppHandle, store: &mut Store, job: Job) {
    match job {
        Job::Round => round(app, store).await,
        Job::InviteCreate {
            assignment_id,
            relay_url,
            reply,
        } => {
            let made = mandate_sync::invite_create(store, &assignment_id, &relay_url, None)
                .await
                .map_err(Error::from)
                .map(|mut made| {
                    made.qr = crate::commands::exchange::qr(&made.code);
                    made
                });
            let _ = app.emit(EXCHANGE_CHANGED, "");
            let _ = reply.send(made);
        }
        Job::InviteJoin { code, reply } => {
            let joined = mandate_sync::invite_join(store, &code, None)
                .await
                .map_err(Error::from);
            let _ = app.emit(EXCHANGE_CHANGED, "");
            let ok = joined.is_ok();
            let _ = reply.send(joined);
            if ok {
                // The brief and documents are waiting on the relay: fetch them now.
                round(app, store).await;
            }
        }
    }
}

/// One round of sync, with the header told before and after.
async fn round(app: &AppHandle, store: &mut Store) {
    let state = app.state::<AppState>();
    let enabled = store.channels().map(|c| !c.is_empty()).unwrap_or(false);
    if !enabled {
        publish(
            app,
            &state,
            |s| {
                *s = SyncStatus {
                    enabled: false,
                    ..SyncStatus::default()
                };
            },
            store,
        );
        return;
    }
    publish(
        app,
        &state,
        |s| {
            s.enabled = true;
            s.syncing = true;
        },
        store,
    );
    let result = mandate_sync::sync_once(store).await;
    let now = mandate_core::dates::format_instant(jiff::Timestamp::now());
    match &result {
        Ok(report) => {
            let offline = report.unreachable.first().cloned();
            publish(
                app,
                &state,
                |s| {
                    s.syncing = false;
                    s.online = Some(offline.is_none());
                    if offline.is_none() {
                        s.last_ok_at = Some(now.clone());
                    }
                    s.last_error = offline.clone();
                },
                store,
            );
            announce(app, store, report);
        }
        Err(e) => {
            let message = e.to_string();
            publish(
                app,
                &state,
                |s| {
                    s.syncing = false;
                    s.online = Some(false);
                    s.last_error = Some(message.clone());
                },
                store,
            );
        }
    }
}

fn publish(app: &AppHandle, state: &AppState, change: impl FnOnce(&mut SyncStatus), store: &Store) {
    let (waiting, attention) = store
        .outbox(false)
        .map(|o| {
            let failed = o
                .iter()
                .filter(|e| e.state == mandate_core::exchange::OutboxState::Failed)
                .count() as i64;
            (o.len() as i64 - failed, failed)
        })
        .unwrap_or((0, 0));
    let status = {
        let Ok(mut s) = state.sync.status.lock() else {
            return;
        };
        change(&mut s);
        s.waiting = waiting;
        s.needs_attention = attention;
        s.clone()
    };
    let _ = app.emit(SYNC_STATUS, &status);
}

/// After a round: every view of what moved refetches, and what arrived raises one
/// desktop notification. Unless the firm turned titles on, it names no matter,
/// provider or file: notifications can show on a locked screen.
fn announce(app: &AppHandle, store: &Store, report: &SyncReport) {
    if report.sent.is_empty()
        && report.received.is_empty()
        && report.rejected.is_empty()
        && report.needs_attention.is_empty()
    {
        return;
    }
    let _ = app.emit(EXCHANGE_CHANGED, "");
    if report.received.is_empty() {
        return;
    }
    for event in [
        crate::commands::documents::DOCUMENT_CHANGED,
        crate::commands::messages::MESSAGE_CHANGED,
        crate::commands::assignments::ASSIGNMENT_CHANGED,
    ] {
        let _ = app.emit(event, "");
    }
    let titles = store
        .deadline_settings()
        .map(|s| s.notification_titles)
        .unwrap_or(false);
    let n = report.received.len();
    let body = if titles {
        report.received.join("; ")
    } else if n == 1 {
        "1 item arrived through the exchange. Open Mandate to see it.".to_owned()
    } else {
        format!("{n} items arrived through the exchange. Open Mandate to see them.")
    };
    let target = report
        .arrived_on
        .first()
        .map(|channel_id| arrival_target(store, channel_id));
    notify(app, body, target);
}

/// Where the first thing that arrived belongs: its matter on the firm's side, its
/// engagement on the provider's.
fn arrival_target(store: &Store, channel_id: &str) -> ArrivalTarget {
    let matter_id = store
        .channel(channel_id)
        .ok()
        .filter(|c| c.side == mandate_core::Side::Firm)
        .and_then(|c| store.assignment(&c.assignment_id).ok())
        .map(|a| a.matter_id);
    ArrivalTarget {
        channel_id: channel_id.to_owned(),
        matter_id,
    }
}

/// On Linux the notification carries a default action: clicking it brings the
/// window forward and opens what arrived ([`OPEN_ARRIVAL`]). The click is awaited
/// on a thread of its own, which ends when the notification is closed.
#[cfg(target_os = "linux")]
fn notify(app: &AppHandle, body: String, target: Option<ArrivalTarget>) {
    let shown = notify_rust::Notification::new()
        .appname("Mandate")
        .summary(NOTICE_TITLE)
        .body(&body)
        .action("default", "Open")
        .show();
    let (Ok(handle), Some(target)) = (shown, target) else {
        return;
    };
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("mandate-notice".into())
        .spawn(move || {
            handle.wait_for_action(|action| {
                if action == "default" {
                    open_arrival(&app, &target);
                }
            })
        });
}

#[cfg(not(target_os = "linux"))]
fn notify(app: &AppHandle, body: String, _target: Option<ArrivalTarget>) {
    let _ = app
        .notification()
        .builder()
        .title(NOTICE_TITLE)
        .body(body)
        .show();
}

/// Brings the window forward and tells it to open `target`.
fn open_arrival(app: &AppHandle, target: &ArrivalTarget) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
    let _ = app.emit(OPEN_ARRIVAL, target);
}
