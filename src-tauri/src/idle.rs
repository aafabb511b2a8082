//! The idle lock, kept in Rust: the window reports activity, and a loop here locks a
//! passphrase store once it has been idle for the chosen minutes, whatever the
//! window's JavaScript does or fails to do.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct IdleLock {
    inner: Mutex<Inner>,
}

struct Inner {
    last_activity: Instant,
    /// 0: never.
    minutes: u32,
}

impl IdleLock {
    pub fn new(now: Instant) -> Self {
        Self {
            inner: Mutex::new(Inner {
                last_activity: now,
                minutes: mandate_store::IDLE_LOCK_DEFAULT_MINUTES,
            }),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        // A poisoned lock only means a panic elsewhere; the two fields stay usable.
        f(&mut self.inner.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// A key press, a click, an unlock.
    pub fn touch(&self, now: Instant) {
        self.with(|i| i.last_activity = i.last_activity.max(now));
    }

    pub fn set_minutes(&self, minutes: u32) {
        self.with(|i| i.minutes = minutes);
    }

    pub fn minutes(&self) -> u32 {
        self.with(|i| i.minutes)
    }

    /// Whether the store has been idle long enough to lock at `now`.
    pub fn due(&self, now: Instant) -> bool {
        self.with(|i| {
            i.minutes > 0
                && now.saturating_duration_since(i.last_activity)
                    >= Duration::from_secs(u64::from(i.minutes) * 60)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_the_chosen_idle_minutes_and_activity_postpones_it() {
        let t0 = Instant::now();
        let idle = IdleLock::new(t0);
        idle.set_minutes(5);
        let min = Duration::from_secs(60);
        assert!(!idle.due(t0 + 4 * min));
        assert!(idle.due(t0 + 5 * min));
        idle.touch(t0 + 3 * min);
        assert!(
            !idle.due(t0 + 5 * min),
            "activity at 3 min moves the lock to 8 min"
        );
        assert!(idle.due(t0 + 8 * min));
        // An older report (arriving late) never moves the lock earlier.
        idle.touch(t0 + min);
        assert!(!idle.due(t0 + 7 * min));
    }

    #[test]
    fn never_means_never() {
        let t0 = Instant::now();
        let idle = IdleLock::new(t0);
        idle.set_minutes(0);
        assert!(!idle.due(t0 + Duration::from_secs(100 * 3600)));
    }
}
