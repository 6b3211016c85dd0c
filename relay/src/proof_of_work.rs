//! Optional proof of work, self-hosted, in ALTCHA's format (no third party, no tracking):
//! the widget fetches a signed challenge from `/v1/challenge`, spends a second or so of the
//! customer's browser finding the number that solves it, and sends the answer with the
//! ticket. A script sending tickets by the thousand pays that for each one. Challenges are
//! signed, so any instance holding the same key verifies them; each is accepted once.

use std::collections::HashMap;
use std::sync::Mutex;

use fixpath_engine::relay_api::{proof_input, Challenge, Proof, Refusal, RefusalCode};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// `[limits.proof_of_work]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProofOfWorkConfig {
    /// The secret number is drawn from 0 to this: a browser tries half of it on average
    /// (100 000 is about a second on a phone).
    pub max_number: u64,
    /// How long a challenge stays good.
    pub expires_seconds: i64,
    /// The variable holding the key challenges are signed with; set the same on every
    /// instance. Unset: a random key per process (one instance only).
    pub key_env: Option<String>,
}

impl Default for ProofOfWorkConfig {
    fn default() -> Self {
        ProofOfWorkConfig {
            max_number: 100_000,
            expires_seconds: 600,
            key_env: None,
        }
    }
}

pub struct ProofOfWork {
    key: Vec<u8>,
    max_number: u64,
    expires_seconds: i64,
    /// Challenges answered, until they expire: each proof is good once.
    used: Mutex<HashMap<String, i64>>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl ProofOfWork {
    pub fn new(config: &ProofOfWorkConfig, key: Option<&str>) -> ProofOfWork {
        let key = match key {
            Some(key) => key.as_bytes().to_vec(),
            None => (0..32).map(|_| fastrand::u8(..)).collect(),
        };
        ProofOfWork {
            key,
            max_number: config.max_number.max(1),
            expires_seconds: config.expires_seconds,
            used: Mutex::new(HashMap::new()),
        }
    }

    fn sign(&self, challenge: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(challenge.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// A new challenge, good until `now + expires_seconds`.
    pub fn challenge(&self, now: i64) -> Challenge {
        let random: String = hex(&(0..12).map(|_| fastrand::u8(..)).collect::<Vec<_>>());
        let salt = format!("{random}?expires={}", now + self.expires_seconds);
        let number = fastrand::u64(0..=self.max_number);
        let challenge = hex(&Sha256::digest(proof_input(&salt, number).as_bytes()));
        Challenge {
            algorithm: "SHA-256".into(),
            signature: self.sign(&challenge),
            challenge,
            maxnumber: self.max_number,
            salt,
        }
    }

    /// Accepts a proof (the header's value) once: signed here, solved, not expired.
    pub fn verify(&self, header: Option<&str>, now: i64) -> Result<(), Refusal> {
        use base64::Engine;
        let refuse = |why: &str| {
            Err(Refusal::new(
                RefusalCode::LooksAutomated,
                format!("proof of work: {why}"),
            ))
        };
        let Some(header) = header else {
            return refuse("missing (fetch /v1/challenge and solve it)");
        };
        let proof: Option<Proof> = base64::engine::general_purpose::STANDARD
            .decode(header.trim())
            .ok()
            .and_then(|json| serde_json::from_slice(&json).ok());
        let Some(proof) = proof else {
            return refuse("not a proof");
        };
        let expires = proof
            .salt
            .split_once("?expires=")
            .and_then(|(_, e)| e.split('&').next()?.parse::<i64>().ok());
        if proof.algorithm != "SHA-256" || self.sign(&proof.challenge) != proof.signature {
            return refuse("not a challenge from this relay");
        }
        if expires.is_none_or(|e| e < now) {
            return refuse("the challenge expired");
        }
        if hex(&Sha256::digest(
            proof_input(&proof.salt, proof.number).as_bytes(),
        )) != proof.challenge
        {
            return refuse("the number does not solve the challenge");
        }
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        used.retain(|_, until| *until >= now);
        if used
            .insert(proof.challenge, expires.unwrap_or(now))
            .is_some()
        {
            return refuse("this challenge was already used");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn solve(c: &Challenge) -> String {
        let number = (0..=c.maxnumber)
            .find(|n| hex(&Sha256::digest(c.input(*n).as_bytes())) == c.challenge)
            .expect("a solution within maxnumber");
        base64::engine::general_purpose::STANDARD
            .encode(serde_json::to_vec(&c.answer(number)).unwrap())
    }

    #[test]
    fn a_solved_challenge_is_accepted_once_and_only_from_this_relay_in_time() {
        let config = ProofOfWorkConfig {
            max_number: 2_000,
            ..ProofOfWorkConfig::default()
        };
        let pow = ProofOfWork::new(&config, Some("key"));
        let challenge = pow.challenge(1_000);
        let proof = solve(&challenge);
        assert!(pow.verify(Some(&proof), 1_000).is_ok());
        let again = pow.verify(Some(&proof), 1_001).unwrap_err();
        assert!(again.message.contains("already used"), "{}", again.message);
        let late = solve(&pow.challenge(1_000));
        assert!(pow
            .verify(Some(&late), 1_601)
            .unwrap_err()
            .message
            .contains("expired"));
        let elsewhere = ProofOfWork::new(&config, Some("another key"));
        let foreign = solve(&elsewhere.challenge(1_000));
        assert!(pow
            .verify(Some(&foreign), 1_000)
            .unwrap_err()
            .message
            .contains("not a challenge from this relay"));
        let c = pow.challenge(1_000);
        let wrong = c.answer(
            (0..=c.maxnumber)
                .find(|n| hex(&Sha256::digest(c.input(*n).as_bytes())) != c.challenge)
                .unwrap(),
        );
        let wrong =
            base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&wrong).unwrap());
        assert!(pow
            .verify(Some(&wrong), 1_000)
            .unwrap_err()
            .message
            .contains("does not solve"));
        assert_eq!(
            pow.verify(None, 1_000).unwrap_err().code,
            RefusalCode::LooksAutomated
        );
    }
}
