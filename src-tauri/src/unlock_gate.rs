//! Passphrase attempts in the window pass one gate, held for the attempt and for
//! the penalty after a wrong passphrase (counted and persisted by the store:
//! `Store::open_with_passphrase_throttled`), so attempts are answered one at a
//! time: firing many at once (from a script in the webview, say) waits behind each
//! other's penalties instead of running in parallel.

use std::sync::Mutex;

#[derive(Default)]
pub struct UnlockGate(Mutex<()>);

impl UnlockGate {
    pub fn attempt<T>(&self, open: impl FnOnce() -> T) -> T {
        // A poisoned gate only means an earlier attempt panicked.
        let _held = self.0.lock().unwrap_or_else(|p| p.into_inner());
        open()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    use std::time::{Duration, SystemTime};

    use mandate_core::ErrorCode;
    use mandate_store::{KdfParams, Store};

    use super::*;

    #[test]
    fn attempts_fired_together_are_answered_one_at_a_time_with_the_stores_penalties() {
        let dir = tempfile::tempdir().unwrap();
        let params = || KdfParams::with_costs(256, 1, 1);
        drop(
            Store::open_with_passphrase_params(dir.path(), "the right long passphrase", params())
                .unwrap(),
        );
        let gate = Arc::new(UnlockGate::default());
        let inside = Arc::new(AtomicBool::new(false));
        let overlaps = Arc::new(AtomicU32::new(0));
        let slept_ms = Arc::new(AtomicU32::new(0));
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let (gate, inside, overlaps, slept_ms) = (
                    gate.clone(),
                    inside.clone(),
                    overlaps.clone(),
                    slept_ms.clone(),
                );
                let dir = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    gate.attempt(|| {
                        if inside.swap(true, Ordering::SeqCst) {
                            overlaps.fetch_add(1, Ordering::SeqCst);
                        }
                        // The penalty, scaled down to milliseconds, runs inside the gate.
                        let sleep = |d: Duration| {
                            slept_ms.fetch_add(d.as_secs() as u32, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(d.as_secs()));
                        };
                        let r = Store::open_with_passphrase_throttled(
                            &dir,
                            "a wrong long passphrase",
                            params(),
                            SystemTime::now(),
                            &sleep,
                        );
                        inside.store(false, Ordering::SeqCst);
                        assert_eq!(r.unwrap_err().code, ErrorCode::WrongPassphrase);
                    })
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(overlaps.load(Ordering::SeqCst), 0);
        // Six wrong passphrases in a row owe at least 1+2+4+8+16+30 s of penalty.
        assert!(slept_ms.load(Ordering::SeqCst) >= 61);
    }
}
