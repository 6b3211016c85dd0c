//! What keeps a public ticket endpoint usable without a third-party captcha: an origin
//! allow-list (the sites the widget is installed on), token-bucket rate limits per client
//! address and per site, a honeypot field and a minimum time to fill the form (both sent
//! by the widget as headers, so they never reach a help desk), size and file-type caps,
//! and optionally proof of work (`crate::proof_of_work`).
//!
//! Buckets live in each relay process: with several instances behind a load balancer,
//! each allows its share, so the whole allows up to that many times the configured rate.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::http::HeaderMap;
use fixpath_engine::relay_api::{Refusal, RefusalCode};
use fixpath_engine::ticket::Ticket;
use serde::Deserialize;

pub use fixpath_engine::relay_api::{FILL_TIME_HEADER, TRAP_HEADER};

/// `[limits]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Origins (`https://www.example.com`) whose pages may send tickets. Empty: any site
    /// (the relay says so when it starts).
    pub allowed_origins: Vec<String>,
    /// New tickets per client address.
    pub per_ip: Rate,
    /// New tickets per site (the page's origin), all its visitors together.
    pub per_site: Rate,
    /// Take the client address from the last `X-Forwarded-For` hop (set it when the relay
    /// is behind a reverse proxy, and only then: clients can write that header).
    pub behind_proxy: bool,
    /// Refuse a ticket whose form was open less than this (0: off). Also refuses tickets
    /// that do not say, i.e. that did not come from the widget.
    pub min_fill_seconds: u64,
    pub max_body_bytes: usize,
    /// Attachment types accepted (`image/*` matches every image type).
    pub attachment_types: Vec<String>,
    /// Ask the widget to solve a proof-of-work challenge with each ticket (off unless the
    /// table is there).
    pub proof_of_work: Option<crate::proof_of_work::ProofOfWorkConfig>,
}

/// At most `tickets` per `per_hours`, refilled evenly.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    pub tickets: u32,
    pub per_hours: f64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            allowed_origins: Vec::new(),
            // Chatwoot's default for new conversations from one address.
            per_ip: Rate {
                tickets: 6,
                per_hours: 12.0,
            },
            per_site: Rate {
                tickets: 600,
                per_hours: 1.0,
            },
            behind_proxy: false,
            min_fill_seconds: 3,
            max_body_bytes: crate::api::MAX_BODY_BYTES,
            attachment_types: [
                "image/*",
                "text/plain",
                "application/pdf",
                "application/json",
                "application/zip",
            ]
            .map(String::from)
            .to_vec(),
            proof_of_work: None,
        }
    }
}

/// A token bucket per key.
pub struct Buckets {
    rate: Rate,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

/// Keys kept before full buckets are forgotten.
const MAX_KEYS: usize = 100_000;

impl Buckets {
    pub fn new(rate: Rate) -> Buckets {
        Buckets {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn per_second(&self) -> f64 {
        f64::from(self.rate.tickets) / (self.rate.per_hours * 3600.0).max(1.0)
    }

    /// Takes a token for `key`; when there is none, the seconds until there is.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), u64> {
        let capacity = f64::from(self.rate.tickets);
        let refill = self.per_second();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_KEYS {
            // A full bucket is the same as no bucket.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * refill < capacity
            });
        }
        let (tokens, at) = buckets.entry(key.to_string()).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * refill).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / refill).ceil() as u64)
        }
    }
}

/// The checks, with their buckets.
pub struct Limits {
    pub config: LimitsConfig,
    per_ip: Buckets,
    per_site: Buckets,
}

/// What the checks need to know about a request.
pub struct Request<'a> {
    pub origin: Option<&'a str>,
    pub client: IpAddr,
    pub forwarded_for: Option<&'a str>,
    pub trap: Option<&'a str>,
    pub fill_ms: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// What the checks need, from a request's headers and the peer's address (loopback
    /// when the server did not say).
    pub fn from_headers(headers: &'a HeaderMap, peer: Option<SocketAddr>) -> Request<'a> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        Request {
            origin: text("origin"),
            client: peer.map_or(IpAddr::from([127, 0, 0, 1]), |a| a.ip()),
            forwarded_for: text("x-forwarded-for"),
            trap: text(TRAP_HEADER),
            fill_ms: text(FILL_TIME_HEADER),
        }
    }
}

impl Limits {
    pub fn new(config: LimitsConfig) -> Limits {
        Limits {
            per_ip: Buckets::new(config.per_ip),
            per_site: Buckets::new(config.per_site),
            config,
        }
    }

    /// Whether a page at `origin` may send tickets.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.config.allowed_origins.is_empty()
            || self
                .config
                .allowed_origins
                .iter()
                .any(|o| o.trim_end_matches('/') == origin)
    }

    /// The checks that come before reading the ticket: origin, honeypot, fill time.
    pub fn check_request(&self, request: &Request<'_>) -> Result<(), Refusal> {
        if let Some(origin) = request.origin {
            if !self.origin_allowed(origin) {
                return Err(Refusal::new(
                    RefusalCode::OriginNotAllowed,
                    format!("{origin} is not in [limits] allowed_origins"),
                ));
            }
        }
        if request.trap.is_some_and(|t| !t.is_empty()) {
            return Err(Refusal::new(
                RefusalCode::LooksAutomated,
                "the honeypot field was filled in",
            ));
        }
        if self.config.min_fill_seconds > 0 {
            let fill_ms: Option<u64> = request.fill_ms.and_then(|v| v.trim().parse().ok());
            match fill_ms {
                None => {
                    return Err(Refusal::new(
                        RefusalCode::LooksAutomated,
                        format!("no {FILL_TIME_HEADER} header: tickets come from the widget (or set [limits] min_fill_seconds = 0)"),
                    ))
                }
                Some(ms) if ms < self.config.min_fill_seconds * 1000 => {
                    return Err(Refusal::new(RefusalCode::LooksAutomated, format!("the form was filled in {ms} ms")))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// What the ticket itself may not carry: files of types not accepted.
    pub fn check_ticket(&self, ticket: &Ticket) -> Result<(), Refusal> {
        for a in &ticket.attachments {
            let accepted =
                self.config
                    .attachment_types
                    .iter()
                    .any(|t| match t.strip_suffix("/*") {
                        Some(family) => a.content_type.split('/').next() == Some(family),
                        None => *t == a.content_type,
                    });
            if !accepted {
                let mut refusal = Refusal::new(
                    RefusalCode::InvalidTicket,
                    format!("attachments of type {} are not accepted", a.content_type),
                );
                refusal.fields = vec![fixpath_engine::relay_api::FieldProblem {
                    field: "attachments".into(),
                    message: format!(
                        "{} ({}) is not a type support accepts",
                        a.name, a.content_type
                    ),
                }];
                return Err(refusal);
            }
        }
        Ok(())
    }

    /// Spends a new ticket from the client's and the site's buckets (repeats of a ticket
    /// already kept cost nothing: they are checked after this only for new tickets).
    pub fn spend(&self, request: &Request<'_>, now: Instant) -> Result<(), Refusal> {
        let client = self.client_address(request);
        let limited = |seconds: u64, whom: &str| {
            let mut refusal = Refusal::new(
                RefusalCode::RateLimited,
                format!("too many new tickets from {whom}"),
            );
            refusal.retry_after_seconds = Some(seconds.max(1));
            refusal
        };
        self.per_ip
            .take(&client.to_string(), now)
            .map_err(|s| limited(s, "this address"))?;
        if let Some(origin) = request.origin {
            self.per_site
                .take(origin, now)
                .map_err(|s| limited(s, "this site"))?;
        }
        Ok(())
    }

    /// The client a request counts against: the peer, or behind a proxy the last hop.
    pub fn client_address(&self, request: &Request<'_>) -> IpAddr {
        if self.config.behind_proxy {
            let last_hop = request
                .forwarded_for
                .and_then(|f| f.rsplit(',').next())
                .and_then(|ip| ip.trim().parse().ok());
            if let Some(ip) = last_hop {
                return ip;
            }
        }
        request.client
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn request<'a>(origin: Option<&'a str>, fill_ms: Option<&'a str>) -> Request<'a> {
        Request {
            origin,
            client: IpAddr::from([203, 0, 113, 9]),
            forwarded_for: None,
            trap: None,
            fill_ms,
        }
    }

    #[test]
    fn a_bucket_refills_evenly_and_says_when() {
        let buckets = Buckets::new(Rate {
            tickets: 6,
            per_hours: 12.0,
        });
        let start = Instant::now();
        for _ in 0..6 {
            buckets.take("a", start).unwrap();
        }
        // One token every two hours.
        assert_eq!(buckets.take("a", start), Err(7200));
        assert!(
            buckets.take("b", start).is_ok(),
            "another address has its own bucket"
        );
        assert!(buckets.take("a", start + Duration::from_secs(7200)).is_ok());
        assert!(buckets
            .take("a", start + Duration::from_secs(7200))
            .is_err());
    }

    #[test]
    fn origins_honeypots_and_hurried_forms_are_refused() {
        let limits = Limits::new(LimitsConfig {
            allowed_origins: vec!["https://www.example.com/".into()],
            ..LimitsConfig::default()
        });
        assert!(limits
            .check_request(&request(Some("https://www.example.com"), Some("9000")))
            .is_ok());
        let code = |r: Request| limits.check_request(&r).unwrap_err().code;
        assert_eq!(
            code(request(Some("https://evil.example"), Some("9000"))),
            RefusalCode::OriginNotAllowed
        );
        assert_eq!(
            code(request(None, Some("800"))),
            RefusalCode::LooksAutomated
        );
        assert_eq!(code(request(None, None)), RefusalCode::LooksAutomated);
        let mut trapped = request(None, Some("9000"));
        trapped.trap = Some("http://spam.example");
        assert_eq!(code(trapped), RefusalCode::LooksAutomated);
    }

    #[test]
    fn behind_a_proxy_the_last_forwarded_hop_is_the_client() {
        let limits = Limits::new(LimitsConfig {
            behind_proxy: true,
            per_ip: Rate {
                tickets: 1,
                per_hours: 1.0,
            },
            ..LimitsConfig::default()
        });
        let now = Instant::now();
        let from = |hops| Request {
            forwarded_for: Some(hops),
            ..request(None, None)
        };
        limits.spend(&from("10.0.0.1, 198.51.100.7"), now).unwrap();
        // A client writing its own header cannot become someone else.
        let again = limits
            .spend(&from("1.2.3.4, 198.51.100.7"), now)
            .unwrap_err();
        assert_eq!(
            (again.code, again.retry_after_seconds),
            (RefusalCode::RateLimited, Some(3600))
        );
        limits.spend(&from("198.51.100.8"), now).unwrap();
    }
}
