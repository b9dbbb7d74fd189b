//! A token bucket per client address: each client may make `burst` requests at once and then
//! `rate` per second. Buckets that have filled up again are forgotten once a minute, so the map
//! holds only clients seen recently.
//!
//! One mutex over a `HashMap` is enough here: the critical section is a few arithmetic
//! operations, far below the cost of the request it guards.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often full buckets are forgotten.
const PRUNE_EVERY: Duration = Duration::from_mins(1);

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

#[derive(Debug)]
struct Buckets {
    by_client: HashMap<IpAddr, Bucket>,
    pruned: Instant,
}

/// Token buckets by client address.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// Tokens added per second.
    rate: f64,
    /// The most tokens a bucket holds.
    burst: f64,
    buckets: Mutex<Buckets>,
}

impl RateLimiter {
    /// `None` when `rate` is not positive: no limit.
    pub(crate) fn new(rate: f64, burst: u32, now: Instant) -> Option<RateLimiter> {
        (rate > 0.0 && rate.is_finite()).then(|| RateLimiter {
            rate,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(Buckets {
                by_client: HashMap::new(),
                pruned: now,
            }),
        })
    }

    /// Takes a token from `client`'s bucket, or says how long until one is there.
    pub(crate) fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if now.saturating_duration_since(buckets.pruned) >= PRUNE_EVERY {
            let (rate, burst) = (self.rate, self.burst);
            buckets.by_client.retain(|_, bucket| {
                let refilled = bucket.tokens
                    + now.saturating_duration_since(bucket.updated).as_secs_f64() * rate;
                refilled < burst
            });
            buckets.pruned = now;
        }
        let bucket = buckets.by_client.entry(client).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.rate)
                .max(Duration::from_secs(1)))
        }
    }

    /// How many clients have a bucket (for tests of the pruning).
    #[cfg(test)]
    fn clients(&self) -> usize {
        self.buckets.lock().unwrap().by_client.len()
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn a_client_gets_its_burst_then_waits_for_the_rate() {
        let start = Instant::now();
        let limiter = RateLimiter::new(2.0, 3, start).unwrap();
        for _ in 0..3 {
            assert_eq!(limiter.check(A, start), Ok(()));
        }
        assert_eq!(limiter.check(A, start), Err(Duration::from_secs(1)));
        // Another client has its own bucket.
        assert_eq!(limiter.check(B, start), Ok(()));
        // Two tokens a second: after half a second there is one again.
        assert_eq!(limiter.check(A, start + Duration::from_millis(500)), Ok(()));
        assert!(
            limiter
                .check(A, start + Duration::from_millis(500))
                .is_err()
        );
    }

    #[test]
    fn a_slow_rate_says_how_long_to_wait() {
        let start = Instant::now();
        let limiter = RateLimiter::new(0.1, 1, start).unwrap();
        assert_eq!(limiter.check(A, start), Ok(()));
        assert_eq!(limiter.check(A, start), Err(Duration::from_secs(10)));
    }

    #[test]
    fn a_zero_rate_turns_the_limit_off() {
        assert!(RateLimiter::new(0.0, 10, Instant::now()).is_none());
    }

    #[test]
    fn full_buckets_are_forgotten_after_a_minute() {
        let start = Instant::now();
        let limiter = RateLimiter::new(1.0, 5, start).unwrap();
        limiter.check(A, start).unwrap();
        limiter.check(B, start).unwrap();
        assert_eq!(limiter.clients(), 2);
        limiter.check(A, start + Duration::from_secs(61)).unwrap();
        // B has refilled and is forgotten; A was just seen.
        assert_eq!(limiter.clients(), 1);
    }
}
