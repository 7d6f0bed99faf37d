//! Who is asking: the client's address (behind the proxies we trust), grouped the way the
//! limits count it, and the per-client limits themselves.
//!
//! - Behind a reverse proxy every request comes from the proxy. Only for peers listed in
//!   `--trusted-proxies` is the forwarding header believed, read from the right: each hop
//!   a trusted proxy added is skipped, and the first address it did not add is the client.
//! - IPv6 clients are grouped by /64 (one subscriber usually holds a whole /64, so
//!   counting single addresses would give one visitor billions of allowances); IPv4
//!   addresses, also IPv4-mapped IPv6 ones, count one by one.
//! - The limits: POSTs per minute, assessments stored per day, and failed admin
//!   authentications (after ten in a row a client is locked out for a while, whatever it
//!   sends). Their state is pruned in the background so that many one-off clients do
//!   not grow the memory for ever.

use axum::http::HeaderMap;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use ipnet::IpNet;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A client as the limits count it: an IPv4 address, or an IPv6 /64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    /// The key of an address.
    pub fn of(ip: IpAddr) -> ClientKey {
        match ip {
            IpAddr::V4(v4) => ClientKey(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey(IpAddr::V4(v4)),
                None => {
                    let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                    ClientKey(IpAddr::V6(Ipv6Addr::from(prefix)))
                }
            },
        }
    }
}

/// Which header a trusted proxy writes the client's address into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ProxyHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx, HAProxy, Caddy, Traefik, most load balancers).
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client;proto=https, for=proxy1`.
    Forwarded,
}

/// The proxies whose forwarding header is believed (nobody's by default).
#[derive(Debug, Clone)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    header: ProxyHeader,
}

impl TrustedProxies {
    /// Parses `--trusted-proxies`: CIDRs (`10.0.0.0/8`, `fd00::/8`) or single addresses.
    pub fn parse(list: &[String], header: ProxyHeader) -> Result<TrustedProxies, String> {
        let mut networks = Vec::new();
        for item in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let net = IpNet::from_str(item)
                .or_else(|_| IpAddr::from_str(item).map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "--trusted-proxies: {item:?} is not an IP address or a CIDR such as 10.0.0.0/8"
                    )
                })?;
            networks.push(net);
        }
        Ok(TrustedProxies { networks, header })
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        self.networks.iter().any(|n| n.contains(&ip))
    }

    /// The client's address for a request that arrived from `peer`.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let hops = match self.header {
            ProxyHeader::XForwardedFor => x_forwarded_for(headers),
            ProxyHeader::Forwarded => forwarded_for(headers),
        };
        // From the right: the nearest hop was added by the proxy we talk to. Skip the
        // proxies we trust; the first other address is the client. A hop that cannot be
        // read ends the walk at the last proxy that could be believed.
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(ip) => {
                    client = *ip;
                    if !self.contains(*ip) {
                        break;
                    }
                }
                None => break,
            }
        }
        client
    }
}

/// Every address of every `X-Forwarded-For` line, left to right (`None`: unreadable).
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| {
            let text = v.to_str().unwrap_or("\u{0}");
            text.split(',')
                .map(|s| node_address(s.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The `for=` address of every element of every `Forwarded` line, left to right.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("forwarded")
        .iter()
        .flat_map(|v| {
            let text = v.to_str().unwrap_or("\u{0}");
            text.split(',')
                .map(|element| {
                    element.split(';').find_map(|pair| {
                        let (name, value) = pair.trim().split_once('=')?;
                        name.trim()
                            .eq_ignore_ascii_case("for")
                            .then(|| node_address(value.trim()))
                    })?
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`, possibly in double quotes.
fn node_address(text: &str) -> Option<IpAddr> {
    let text = text.trim_matches('"');
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    let (host, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// After a burst of failed admin authentications, one more attempt is allowed per this period.
pub const ADMIN_FAILURE_PERIOD: Duration = Duration::from_secs(30);

/// The per-client limits.
pub struct Limits {
    posts: DefaultKeyedRateLimiter<ClientKey>,
    stores: DefaultKeyedRateLimiter<ClientKey>,
    admin_failures: DefaultKeyedRateLimiter<ClientKey>,
    /// Clients refused admin access until the given time.
    lockouts: Mutex<HashMap<ClientKey, Instant>>,
    clock: DefaultClock,
}

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).expect("at least one")
}

impl Limits {
    /// `posts_per_minute` POSTs per client per minute (in bursts up to the same number),
    /// `stores_per_day` stored assessments per client per day, and `admin_burst` failed
    /// admin authentications before a lockout.
    pub fn new(posts_per_minute: u32, stores_per_day: u32, admin_burst: u32) -> Limits {
        let per_day = at_least_one(stores_per_day);
        let day = Duration::from_secs(24 * 3600);
        let stores = Quota::with_period(day / per_day.get())
            .expect("a day divided by a u32 is not zero")
            .allow_burst(per_day);
        let failures = Quota::with_period(ADMIN_FAILURE_PERIOD)
            .expect("not zero")
            .allow_burst(at_least_one(admin_burst));
        Limits {
            posts: DefaultKeyedRateLimiter::keyed(Quota::per_minute(at_least_one(
                posts_per_minute,
            ))),
            stores: DefaultKeyedRateLimiter::keyed(stores),
            admin_failures: DefaultKeyedRateLimiter::keyed(failures),
            lockouts: Mutex::new(HashMap::new()),
            clock: DefaultClock::default(),
        }
    }

    fn check(
        &self,
        limiter: &DefaultKeyedRateLimiter<ClientKey>,
        key: ClientKey,
    ) -> Result<(), Duration> {
        limiter
            .check_key(&key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Counts a POST; `Err(wait)` when the client is over its allowance.
    pub fn post(&self, key: ClientKey) -> Result<(), Duration> {
        self.check(&self.posts, key)
    }

    /// Counts an assessment to store; `Err(wait)` when the client's daily cap is reached.
    pub fn store(&self, key: ClientKey) -> Result<(), Duration> {
        self.check(&self.stores, key)
    }

    /// How long the client is still locked out of the admin API, if it is.
    pub fn admin_lockout(&self, key: ClientKey) -> Option<Duration> {
        let lockouts = self.lockouts.lock().ok()?;
        let until = *lockouts.get(&key)?;
        until.checked_duration_since(Instant::now())
    }

    /// Counts a failed admin authentication; returns the lockout it starts, if any.
    pub fn admin_failed(&self, key: ClientKey) -> Option<Duration> {
        let wait = self.check(&self.admin_failures, key).err()?;
        if let Ok(mut lockouts) = self.lockouts.lock() {
            lockouts.insert(key, Instant::now() + wait);
        }
        Some(wait)
    }

    /// Forgets clients whose state is the same as a new client's, and ended lockouts.
    pub fn prune(&self) {
        for limiter in [&self.posts, &self.stores, &self.admin_failures] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        if let Ok(mut lockouts) = self.lockouts.lock() {
            let now = Instant::now();
            lockouts.retain(|_, until| *until > now);
            lockouts.shrink_to_fit();
        }
    }

    /// Clients the limits remember now (for `/metrics`).
    pub fn tracked(&self) -> usize {
        self.posts.len() + self.stores.len() + self.admin_failures.len()
    }
}

/// Console sign-in attempts per email and client. An attempt is counted before its
/// password is checked (so guesses sent in parallel count too) and forgotten when it
/// succeeds; after `lock_after` in a row that client may not try that email for
/// [`SIGN_IN_LOCK`]. Keyed by client as well as email, an attacker who locks themselves
/// out of an account does not lock its owner out; unknown emails count the same as known
/// ones, so the answers tell nothing about which accounts exist. In memory: an instance
/// restart forgets them, as it forgets the other per-client limits.
pub struct SignIns {
    lock_after: u32,
    attempts: Mutex<HashMap<(String, ClientKey), (u32, Instant)>>,
}

/// How long a client stays locked out of an email after too many failed sign-ins.
pub const SIGN_IN_LOCK: Duration = Duration::from_secs(15 * 60);

impl SignIns {
    /// Locks after `lock_after` failed attempts in a row (at least one).
    pub fn new(lock_after: u32) -> SignIns {
        SignIns {
            lock_after: lock_after.max(1),
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt; `Err(wait)` when this client is locked out of this email.
    pub fn attempt(&self, email: &str, client: ClientKey) -> Result<(), Duration> {
        let Ok(mut attempts) = self.attempts.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        let entry = attempts
            .entry((email.to_string(), client))
            .or_insert((0, now));
        if now.duration_since(entry.1) >= SIGN_IN_LOCK {
            *entry = (0, now);
        }
        if entry.0 >= self.lock_after {
            return Err(SIGN_IN_LOCK.saturating_sub(now.duration_since(entry.1)));
        }
        entry.0 += 1;
        entry.1 = now;
        Ok(())
    }

    /// Whether this attempt, counted and failed, has just locked the client out.
    pub fn locked_now(&self, email: &str, client: ClientKey) -> bool {
        self.attempts.lock().is_ok_and(|a| {
            a.get(&(email.to_string(), client))
                .is_some_and(|(n, _)| *n >= self.lock_after)
        })
    }

    /// Forgets the attempts after a successful sign-in.
    pub fn succeeded(&self, email: &str, client: ClientKey) {
        if let Ok(mut attempts) = self.attempts.lock() {
            attempts.remove(&(email.to_string(), client));
        }
    }

    /// Forgets attempts older than the lock.
    pub fn prune(&self) {
        if let Ok(mut attempts) = self.attempts.lock() {
            attempts.retain(|_, (_, last)| last.elapsed() < SIGN_IN_LOCK);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &str, values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(
                axum::http::HeaderName::from_str(name).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv6_clients_are_grouped_by_64_and_mapped_ipv4_by_address() {
        assert_eq!(
            ClientKey::of(ip("2001:db8:1:2:aaaa::1")),
            ClientKey::of(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        );
        assert_ne!(
            ClientKey::of(ip("2001:db8:1:2::1")),
            ClientKey::of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            ClientKey::of(ip("::ffff:192.0.2.7")),
            ClientKey::of(ip("192.0.2.7"))
        );
        assert_ne!(
            ClientKey::of(ip("192.0.2.7")),
            ClientKey::of(ip("192.0.2.8"))
        );
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let none = TrustedProxies::parse(&[], ProxyHeader::XForwardedFor).unwrap();
        let h = headers("x-forwarded-for", &["203.0.113.9"]);
        assert_eq!(
            none.client_address(ip("198.51.100.1"), &h),
            ip("198.51.100.1")
        );

        let lb = TrustedProxies::parse(
            &["10.0.0.0/8".into(), "::1".into()],
            ProxyHeader::XForwardedFor,
        )
        .unwrap();
        // A client that writes its own header only adds hops on the left.
        let h = headers("x-forwarded-for", &["1.2.3.4, 203.0.113.9", "10.1.1.1"]);
        assert_eq!(lb.client_address(ip("10.0.0.2"), &h), ip("203.0.113.9"));
        // Not from a trusted peer: the header is ignored.
        assert_eq!(
            lb.client_address(ip("203.0.113.50"), &h),
            ip("203.0.113.50")
        );
        // No header at all: the proxy itself.
        assert_eq!(
            lb.client_address(ip("10.0.0.2"), &HeaderMap::new()),
            ip("10.0.0.2")
        );
        // An unreadable hop ends the walk at the last believable proxy.
        let h = headers("x-forwarded-for", &["203.0.113.9, unknown, 10.9.9.9"]);
        assert_eq!(lb.client_address(ip("10.0.0.2"), &h), ip("10.9.9.9"));
        assert_eq!(
            lb.client_address(
                ip("::1"),
                &headers("x-forwarded-for", &["[2001:db8::5]:443"])
            ),
            ip("2001:db8::5")
        );
    }

    #[test]
    fn rfc_7239_forwarded_is_read_when_configured() {
        let lb = TrustedProxies::parse(&["10.0.0.0/8".into()], ProxyHeader::Forwarded).unwrap();
        let h = headers(
            "forwarded",
            &["for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https, For=10.0.0.9"],
        );
        assert_eq!(
            lb.client_address(ip("10.0.0.2"), &h),
            ip("2001:db8:cafe::17")
        );
        let h = headers("forwarded", &["for=192.0.2.60:8080;by=10.0.0.1"]);
        assert_eq!(lb.client_address(ip("10.0.0.2"), &h), ip("192.0.2.60"));
        // The other header is not believed.
        let h = headers("x-forwarded-for", &["1.2.3.4"]);
        assert_eq!(lb.client_address(ip("10.0.0.2"), &h), ip("10.0.0.2"));
    }

    #[test]
    fn bad_proxy_lists_are_refused_with_the_item() {
        let err =
            TrustedProxies::parse(&["10.0.0.0/33".into()], ProxyHeader::XForwardedFor).unwrap_err();
        assert!(err.contains("10.0.0.0/33"), "{err}");
    }

    #[test]
    fn admin_failures_lock_a_client_out_and_pruning_forgets_quiet_clients() {
        let limits = Limits::new(120, 100, 10);
        let attacker = ClientKey::of(ip("192.0.2.1"));
        let other = ClientKey::of(ip("192.0.2.2"));
        for _ in 0..10 {
            assert_eq!(limits.admin_failed(attacker), None);
        }
        assert_eq!(limits.admin_lockout(attacker), None);
        let wait = limits.admin_failed(attacker).expect("locked out");
        assert!(wait > Duration::ZERO && wait <= ADMIN_FAILURE_PERIOD);
        assert!(limits.admin_lockout(attacker).is_some());
        assert_eq!(limits.admin_lockout(other), None);

        for i in 0..1000u32 {
            let _ = limits.post(ClientKey::of(IpAddr::from(i.to_be_bytes())));
        }
        assert!(limits.tracked() >= 1000);
        std::thread::sleep(Duration::from_millis(1500));
        limits.prune();
        // The quiet posters are forgotten (a state is dropped once it equals a new
        // client's: one POST of 120 a minute, a second later); the attacker's failures
        // are remembered.
        assert!(limits.tracked() <= 2, "{}", limits.tracked());
        assert!(limits.admin_lockout(attacker).is_some());
    }
}
