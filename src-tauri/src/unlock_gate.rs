//! Rate limiting of passphrase attempts in the window.
//!
//! Every attempt passes one gate, held for the attempt and for the penalty after a
//! wrong passphrase, so attempts are answered one at a time: firing many at once
//! (from a script in the webview, say) waits behind each other's penalties instead of
//! running in parallel. Each wrong passphrase doubles the penalty, up to 30 s; a
//! right one resets it.

use std::sync::Mutex;
use std::time::Duration;

use mandate_core::{Error, ErrorCode};

/// The longest wait after a wrong passphrase.
pub const MAX_PENALTY: Duration = Duration::from_secs(30);

/// The wait after the `failures`-th wrong passphrase in a row (0-based): 1, 2, 4 … 30 s.
pub fn penalty(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.min(5)).min(MAX_PENALTY)
}

#[derive(Default)]
pub struct UnlockGate {
    /// Wrong passphrases since the last right one; the lock is the gate itself.
    failures: Mutex<u32>,
}

impl UnlockGate {
    /// Runs one attempt through the gate. `sleep` is `std::thread::sleep` in the app.
    pub fn attempt<T>(
        &self,
        open: impl FnOnce() -> Result<T, Error>,
        sleep: impl Fn(Duration),
    ) -> Result<T, Error> {
        // A poisoned gate only means an earlier attempt panicked; the count is still usable.
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match open() {
            Ok(v) => {
                *failures = 0;
                Ok(v)
            }
            Err(e) if e.code == ErrorCode::WrongPassphrase => {
                let wait = penalty(*failures);
                *failures = failures.saturating_add(1);
                sleep(wait);
                Err(e)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    use std::sync::{Arc, Mutex as StdMutex};

    use super::*;

    fn wrong() -> Result<(), Error> {
        Err(Error::new(ErrorCode::WrongPassphrase, "wrong"))
    }

    #[test]
    fn penalties_double_up_to_thirty_seconds_and_reset_on_success() {
        let gate = UnlockGate::default();
        let waits = StdMutex::new(Vec::new());
        let record = |d: Duration| waits.lock().unwrap().push(d.as_secs());
        for _ in 0..7 {
            assert!(gate.attempt(wrong, record).is_err());
        }
        assert_eq!(*waits.lock().unwrap(), [1, 2, 4, 8, 16, 30, 30]);
        gate.attempt(|| Ok(()), record).unwrap();
        let _ = gate.attempt(wrong, record);
        assert_eq!(
            waits.lock().unwrap().last(),
            Some(&1),
            "a right passphrase resets"
        );
        // Other errors (a missing folder, a damaged store) cost no penalty.
        let before = waits.lock().unwrap().len();
        let _ = gate.attempt(
            || -> Result<(), Error> { Err(Error::new(ErrorCode::Corrupt, "damaged")) },
            record,
        );
        assert_eq!(waits.lock().unwrap().len(), before);
    }

    #[test]
    fn attempts_fired_together_are_answered_one_at_a_time() {
        let gate = Arc::new(UnlockGate::default());
        let inside = Arc::new(AtomicBool::new(false));
        let overlaps = Arc::new(AtomicU32::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (gate, inside, overlaps) = (gate.clone(), inside.clone(), overlaps.clone());
                std::thread::spawn(move || {
                    let _ = gate.attempt(
                        || {
                            if inside.swap(true, Ordering::SeqCst) {
                                overlaps.fetch_add(1, Ordering::SeqCst);
                            }
                            std::thread::sleep(Duration::from_millis(2));
                            wrong()
                        },
                        // The penalty, scaled down, still runs inside the gate.
                        |d| {
                            std::thread::sleep(d / 1000);
                            inside.store(false, Ordering::SeqCst);
                        },
                    );
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(overlaps.load(Ordering::SeqCst), 0);
        assert_eq!(*gate.failures.lock().unwrap(), 8);
    }
}
