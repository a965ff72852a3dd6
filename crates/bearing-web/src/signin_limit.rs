//! Rate limits on password sign-in, per account and per client address, so
//! that guessing passwords is slow and cannot keep the server's cores busy
//! with argon2. `POST /signin` asks [`SignInLimits::check`] before the
//! password is looked at; a refusal becomes a 429 with `Retry-After` and the
//! sign-in page with an inline message.
//!
//! The limits are `governor`'s keyed GCRA limiters used directly rather than
//! through `tower_governor`: that layer keys on the client address only and
//! answers with its own plain body, while sign-in needs a second key (the
//! account, which lives in the form body) and the page re-rendered with the
//! typed email kept.
//!
//! # The client address
//!
//! The address is the TCP peer (`ConnectInfo<SocketAddr>`, which is why
//! [`crate::serve`] serves with connect info). `X-Forwarded-For` is not
//! trusted, since any client can send it. Behind a reverse proxy every request
//! comes from the proxy, so the per-address limit becomes one limit shared by
//! everyone: such a deployment should rate-limit sign-in per real client at the
//! proxy (e.g. nginx `limit_req` on `/signin`) and raise
//! [`WebConfig::signin_ip_burst`] so the shared limit does not lock people
//! out. The per-account limit works the same either way.
//!
//! # Memory
//!
//! A keyed limiter remembers every key it has seen. Every
//! [`CLEANUP_EVERY`] checks the stores drop the keys whose limit has fully
//! replenished (`retain_recent`) and give back the space (`shrink_to_fit`),
//! so a spray of made-up emails holds at most `CLEANUP_EVERY` stale keys plus
//! those still cooling down. Account keys are cut to [`MAX_EMAIL_CHARS`]
//! characters so a huge form field cannot make a huge key.

use crate::WebConfig;
use governor::clock::{Clock, MonotonicClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::fmt;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Checks between two sweeps of stale keys. Small enough that the stores
/// stay small under a spray, large enough that the sweep (a pass over each
/// store) costs nothing next to the argon2 runs those checks allow.
pub const CLEANUP_EVERY: u64 = 1024;

/// Longest account key kept: the longest email address a mail server accepts
/// (RFC 5321's 254-character path). Longer input is cut, which only makes
/// such (non-)addresses share a limit.
pub const MAX_EMAIL_CHARS: usize = 254;

/// Which limit refused a sign-in attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Too many attempts for one account (email).
    Account,
    /// Too many attempts from one client address.
    Address,
}

/// Why a sign-in attempt was refused before its password was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The limit that was reached.
    pub limit: Limit,
    /// How long until one more attempt is allowed.
    pub wait: Duration,
}

impl Refusal {
    /// The wait in whole seconds, rounded up and at least 1, for the
    /// `Retry-After` header: a client that waits this long is let in.
    pub fn retry_after_secs(&self) -> u64 {
        let whole = self.wait.as_secs();
        let secs = if self.wait.subsec_nanos() > 0 {
            whole.saturating_add(1)
        } else {
            whole
        };
        secs.max(1)
    }

    /// The message shown on the sign-in page.
    pub fn message(&self) -> String {
        let secs = self.retry_after_secs();
        let unit = if secs == 1 { "second" } else { "seconds" };
        let whose = match self.limit {
            Limit::Account => "for this account",
            Limit::Address => "from your network address",
        };
        format!("Too many sign-in attempts {whose}. Try again in {secs} {unit}.")
    }
}

/// The two sign-in limiters and their housekeeping counter. One per server,
/// shared by every request through [`crate::AppState`].
pub struct SignInLimits {
    account: DefaultKeyedRateLimiter<String>,
    address: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
}

impl fmt::Debug for SignInLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInLimits")
            .field("accounts_tracked", &self.account.len())
            .field("addresses_tracked", &self.address.len())
            .finish()
    }
}

/// A burst of `burst` attempts, then one more every `period`. Governor has no
/// zero period; the largest burst replenished every nanosecond is no limit
/// in effect, which is what a zero period asks for.
fn quota(burst: NonZeroU32, period: Duration) -> Quota {
    match Quota::with_period(period) {
        Some(q) => q.allow_burst(burst),
        None => Quota::per_second(NonZeroU32::MAX),
    }
}

/// The account key: the email as sign-in matches it (trimmed, lowercased),
/// cut to [`MAX_EMAIL_CHARS`].
pub fn account_key(email: &str) -> String {
    email
        .trim()
        .chars()
        .take(MAX_EMAIL_CHARS)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The address key: IPv4 as is; IPv6 by its /64 network, since one client
/// (one home or one host) is normally handed a whole /64 and could otherwise
/// take a fresh address for every attempt. IPv4-mapped IPv6 counts as IPv4.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

impl SignInLimits {
    /// Limiters with the quotas in `config`.
    pub fn new(config: &WebConfig) -> Self {
        Self {
            account: RateLimiter::keyed(quota(
                config.signin_account_burst,
                config.signin_account_period,
            )),
            address: RateLimiter::keyed(quota(config.signin_ip_burst, config.signin_ip_period)),
            checks: AtomicU64::new(0),
        }
    }

    /// Count one sign-in attempt for `email` from `peer`, or refuse it.
    ///
    /// The address is checked first and an attempt it refuses is not counted
    /// against the account: otherwise one client, already stopped by its own
    /// limit, could still keep someone else's account locked. An attempt the
    /// account limit refuses does count against the address. Refused
    /// attempts use up nothing of the limit that refused them (GCRA), so
    /// waiting the returned time is always enough.
    pub fn check(&self, email: &str, peer: IpAddr) -> Result<(), Refusal> {
        self.housekeeping();
        let refuse = |limit, not_until: governor::NotUntil<_>| Refusal {
            limit,
            wait: not_until.wait_time_from(MonotonicClock.now()),
        };
        self.address
            .check_key(&address_key(peer))
            .map_err(|n| refuse(Limit::Address, n))?;
        self.account
            .check_key(&account_key(email))
            .map_err(|n| refuse(Limit::Account, n))?;
        Ok(())
    }

    /// How many keys (accounts plus addresses) the limiters remember now.
    pub fn tracked_keys(&self) -> usize {
        self.account.len() + self.address.len()
    }

    /// Every [`CLEANUP_EVERY`] checks, forget keys whose limit has fully
    /// replenished; they behave exactly like keys never seen.
    fn housekeeping(&self) {
        let n = self.checks.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(CLEANUP_EVERY) {
            self.account.retain_recent();
            self.account.shrink_to_fit();
            self.address.retain_recent();
            self.address.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn limits(account: (u32, Duration), ip: (u32, Duration)) -> SignInLimits {
        SignInLimits::new(&WebConfig {
            signin_account_burst: nz(account.0),
            signin_account_period: account.1,
            signin_ip_burst: nz(ip.0),
            signin_ip_period: ip.1,
            ..Default::default()
        })
    }

    const HOUR: Duration = Duration::from_secs(3600);
    const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let r = |ms| Refusal {
            limit: Limit::Account,
            wait: Duration::from_millis(ms),
        };
        assert_eq!(r(0).retry_after_secs(), 1);
        assert_eq!(r(1).retry_after_secs(), 1);
        assert_eq!(r(1000).retry_after_secs(), 1);
        assert_eq!(r(1001).retry_after_secs(), 2);
        assert_eq!(r(11_200).retry_after_secs(), 12);
        assert_eq!(
            r(11_200).message(),
            "Too many sign-in attempts for this account. Try again in 12 seconds."
        );
        assert_eq!(
            Refusal {
                limit: Limit::Address,
                wait: Duration::from_millis(300)
            }
            .message(),
            "Too many sign-in attempts from your network address. Try again in 1 second."
        );
    }

    #[test]
    fn account_keys_ignore_case_and_spaces_and_are_bounded() {
        assert_eq!(account_key("  Ada@Example.COM "), "ada@example.com");
        assert_eq!(account_key(&"x".repeat(10_000)).len(), MAX_EMAIL_CHARS);
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped = IpAddr::V6(Ipv4Addr::new(192, 0, 2, 7).to_ipv6_mapped());
        assert_eq!(address_key(mapped), IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)));
        assert_eq!(address_key(LOCAL), LOCAL);
        let v6_local = IpAddr::V6(Ipv6Addr::LOCALHOST);
        assert_eq!(address_key(v6_local), IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    }

    #[test]
    fn account_limit_counts_every_spelling_of_an_email() {
        let l = limits((2, HOUR), (100, HOUR));
        assert_eq!(l.check("ada@example.com", LOCAL), Ok(()));
        assert_eq!(l.check(" ADA@example.com", LOCAL), Ok(()));
        let r = l.check("Ada@Example.com", LOCAL).unwrap_err();
        assert_eq!(r.limit, Limit::Account);
        // Replenishing one attempt takes the period, give or take the test's run time.
        assert!(r.wait > HOUR - Duration::from_secs(60) && r.wait <= HOUR);
        assert_eq!(l.check("bob@example.com", LOCAL), Ok(()));
    }

    #[test]
    fn address_refusals_do_not_use_up_the_account() {
        let l = limits((2, HOUR), (2, HOUR));
        let other = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        assert_eq!(l.check("a@x.io", LOCAL), Ok(()));
        assert_eq!(l.check("b@x.io", LOCAL), Ok(()));
        for _ in 0..5 {
            assert_eq!(l.check("c@x.io", LOCAL).unwrap_err().limit, Limit::Address);
        }
        // c@x.io was never counted, so it still has its whole burst elsewhere.
        assert_eq!(l.check("c@x.io", other), Ok(()));
        assert_eq!(l.check("c@x.io", other), Ok(()));
    }

    #[test]
    fn a_spray_of_emails_does_not_grow_the_store_without_bound() {
        // A 1 ns period: each key has fully replenished by the next sweep.
        let l = limits((1, Duration::from_nanos(1)), (1, Duration::from_nanos(1)));
        let mut most = 0;
        for i in 0..(10 * CLEANUP_EVERY) {
            let _ = l.check(&format!("spray-{i}@example.com"), LOCAL);
            most = most.max(l.tracked_keys());
        }
        // Without the sweeps this would reach 10 × CLEANUP_EVERY accounts;
        // with them, the keys of one sweep interval (plus slack for any key a
        // sweep still finds cooling down).
        assert!(most <= 2 * CLEANUP_EVERY as usize, "{most} keys tracked");
    }

    #[test]
    fn a_zero_period_is_no_limit() {
        let l = limits((1, Duration::ZERO), (1, Duration::ZERO));
        for _ in 0..100 {
            assert_eq!(l.check("a@x.io", LOCAL), Ok(()));
        }
    }
}
