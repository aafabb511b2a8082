//! Token buckets, one per caller: per token when the request carries one, per client
//! IP when it does not (and for tokens the relay does not know, so that inventing
//! tokens buys no extra requests).
//!
//! Written here rather than taken from a crate: it is forty lines, and the relay needs
//! the exact wait for `Retry-After`, keyed by token hash or IP.

use crate::token::TokenHash;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caller {
    Token(TokenHash),
    Ip(IpAddr),
}

/// Above this many buckets, full ones (callers idle for a minute or more) are
/// dropped, so the table cannot grow without end.
const PRUNE_ABOVE: usize = 50_000;

pub struct RateLimiter {
    /// Also the bucket's size: a caller may spend a minute's worth at once.
    per_minute: f64,
    buckets: Mutex<HashMap<Caller, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `caller`'s bucket, or says how long until it may try.
    pub fn check(&self, caller: Caller, now: Instant) -> Result<(), Duration> {
        let per_sec = self.per_minute / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            let full = self.per_minute;
            buckets.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_sec < full
            });
        }
        let bucket = buckets.entry(caller).or_insert(Bucket {
            tokens: self.per_minute,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_sec).min(self.per_minute);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_sec))
        }
    }
}

/// `Retry-After` is whole seconds; round up so a client that waits is let in.
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> Caller {
        Caller::Ip(IpAddr::from([127, 0, 0, n]))
    }

    #[test]
    fn a_minutes_worth_passes_then_the_next_waits() {
        let limiter = RateLimiter::new(6);
        let t0 = Instant::now();
        for _ in 0..6 {
            assert!(limiter.check(ip(1), t0).is_ok());
        }
        let wait = limiter.check(ip(1), t0).unwrap_err();
        // 6 a minute: one every 10 s.
        assert_eq!(retry_after_secs(wait), 10);
        // Another caller has its own bucket.
        assert!(limiter.check(ip(2), t0).is_ok());
        // After the wait, one more is allowed, and only one.
        let later = t0 + Duration::from_secs(10);
        assert!(limiter.check(ip(1), later).is_ok());
        assert!(limiter.check(ip(1), later).is_err());
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
        assert_eq!(retry_after_secs(Duration::from_millis(2001)), 3);
    }
}
