//! Solving a relay's proof-of-work challenge (`engine::relay_api::Challenge`, ALTCHA's
//! format) in the customer's browser, with the browser's own SHA-256 (SubtleCrypto): a
//! thousand guesses hashed at a time, so a typical challenge takes about a second while
//! the ticket shows as sending. No hashing code ships in the wasm.

use fixpath_engine::config::DeliveryConfig;
use fixpath_engine::relay_api::Challenge;
use gloo_net::http::Request;
use wasm_bindgen_futures::JsFuture;

use fixpath_engine::session::SendFailure;

/// Guesses hashed per round trip to the browser's crypto.
const BATCH: u64 = 1_000;

/// The proof to send with a ticket (base64 JSON for the `fixpath-proof` header), or `None`
/// when the relay asks for none (its challenge address answers 404).
pub async fn solve_for(delivery: &DeliveryConfig) -> Result<Option<String>, SendFailure> {
    let Some(url) = delivery.challenge_endpoint() else {
        return Ok(None);
    };
    let retry = |what: &str| SendFailure::Retryable(what.to_string());
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|e| SendFailure::Retryable(e.to_string()))?;
    match response.status() {
        404 => return Ok(None),
        200..=299 => {}
        status => {
            return Err(SendFailure::Retryable(format!(
                "the support desk answered {status}"
            )))
        }
    }
    let text = response
        .text()
        .await
        .map_err(|e| SendFailure::Retryable(e.to_string()))?;
    let challenge: Challenge = crate::json::from_str(&text)
        .ok_or_else(|| retry("the support desk's challenge is unreadable"))?;
    let number = search(&challenge).await?;
    let proof = crate::json::to_string(&challenge.answer(number))
        .ok_or_else(|| retry("the proof could not be encoded"))?;
    let window = web_sys::window().ok_or_else(|| retry("no window"))?;
    // The proof is ASCII (hex, digits, the relay's salt), which is what `btoa` takes.
    window
        .btoa(&proof)
        .map(Some)
        .map_err(|_| retry("the proof could not be encoded"))
}

/// The number whose hash is the challenge.
async fn search(challenge: &Challenge) -> Result<u64, SendFailure> {
    let fail = |what: &str| SendFailure::Retryable(what.to_string());
    let target =
        decode_hex(&challenge.challenge).ok_or_else(|| fail("the challenge is not hex"))?;
    let subtle = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .ok_or_else(|| fail("this browser has no Web Crypto"))?;
    let mut start = 0;
    while start <= challenge.maxnumber {
        let end = (start + BATCH).min(challenge.maxnumber.saturating_add(1));
        let digests = js_sys::Array::new();
        for n in start..end {
            let input = challenge.input(n).into_bytes();
            let digest = subtle
                .digest_with_str_and_u8_array("SHA-256", &input)
                .map_err(|_| fail("hashing failed"))?;
            digests.push(&digest);
        }
        let done = JsFuture::from(js_sys::Promise::all(&digests))
            .await
            .map_err(|_| fail("hashing failed"))?;
        let found = js_sys::Array::from(&done)
            .iter()
            .position(|d| js_sys::Uint8Array::new(&d).to_vec() == target);
        if let Some(i) = found {
            return Ok(start + i as u64);
        }
        start = end;
    }
    Err(fail("the support desk's challenge has no answer"))
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}
