//! The inbox's login: a password from the environment, checked in constant time, and a
//! session cookie that is the expiry signed with a key derived from that password. Any
//! relay instance with the same password accepts it (no session store), and changing the
//! password signs everyone out.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const COOKIE: &str = "fixpath_inbox";

pub struct Sessions {
    key: Vec<u8>,
    password_mac: Vec<u8>,
    pub lifetime_seconds: i64,
}

fn mac(key: &[u8], data: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac
}

impl Sessions {
    pub fn new(password: &str, lifetime_seconds: i64) -> Sessions {
        let key = mac(b"fixpath inbox sessions", password.as_bytes())
            .finalize()
            .into_bytes()
            .to_vec();
        let password_mac = mac(&key, password.as_bytes())
            .finalize()
            .into_bytes()
            .to_vec();
        Sessions {
            key,
            password_mac,
            lifetime_seconds,
        }
    }

    /// Whether `attempt` is the password (in constant time).
    pub fn password_matches(&self, attempt: &str) -> bool {
        mac(&self.key, attempt.as_bytes())
            .verify_slice(&self.password_mac)
            .is_ok()
    }

    /// A cookie value good until `now + lifetime`.
    pub fn issue(&self, now: i64) -> String {
        let expiry = now + self.lifetime_seconds;
        let signature = mac(&self.key, expiry.to_string().as_bytes())
            .finalize()
            .into_bytes();
        format!("{expiry}.{}", BASE64.encode(signature))
    }

    /// Whether a cookie value is one this relay issued and has not expired.
    pub fn valid(&self, value: &str, now: i64) -> bool {
        let Some((expiry, signature)) = value.split_once('.') else {
            return false;
        };
        let (Ok(expiry_at), Ok(signature)) = (expiry.parse::<i64>(), BASE64.decode(signature))
        else {
            return false;
        };
        expiry_at > now
            && mac(&self.key, expiry.as_bytes())
                .verify_slice(&signature)
                .is_ok()
    }

    /// The `Set-Cookie` value for a session (`value` empty: signs out).
    pub fn set_cookie(&self, value: &str, secure: bool) -> String {
        let max_age = if value.is_empty() {
            0
        } else {
            self.lifetime_seconds
        };
        let secure = if secure { "; Secure" } else { "" };
        format!(
            "{COOKIE}={value}; Path=/inbox; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
        )
    }
}

/// The session cookie's value in a `Cookie` header.
pub fn from_header(cookies: &str) -> Option<&str> {
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_good_until_it_expires_and_only_for_this_password() {
        let sessions = Sessions::new("correct horse", 3600);
        assert!(sessions.password_matches("correct horse"));
        assert!(!sessions.password_matches("correct horse "));
        let cookie = sessions.issue(1_000);
        assert!(sessions.valid(&cookie, 1_000) && sessions.valid(&cookie, 4_599));
        assert!(!sessions.valid(&cookie, 4_600), "expired");
        let (expiry, signature) = cookie.split_once('.').unwrap();
        let forged = format!("{}.{signature}", expiry.parse::<i64>().unwrap() + 99_999);
        assert!(
            !sessions.valid(&forged, 1_000),
            "a later expiry is not signed"
        );
        assert!(!Sessions::new("another", 3600).valid(&cookie, 1_000));
        assert!(!sessions.valid("garbage", 1_000));
        assert_eq!(from_header("a=1; fixpath_inbox=xyz; b=2"), Some("xyz"));
        let set = sessions.set_cookie(&cookie, true);
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Secure")
        );
    }
}
