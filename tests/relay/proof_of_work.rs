//! Optional proof of work: with `[limits.proof_of_work]`, a ticket needs the answer to a
//! fresh challenge from `/v1/challenge` (solved here as the widget does, by trying numbers),
//! each answer is good once, and without one the ticket is refused in words.

use anyhow::{Context, Result};
use base64::Engine;
use fixpath_e2e::relay_process::{http, ticket, Relay};
use fixpath_engine::relay_api::Challenge;
use fixpath_engine::triage::Severity;
use serde_json::Value;
use sha2::{Digest, Sha256};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_need_a_fresh_solved_challenge() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = Relay::start(
        dir.path(),
        "[limits.proof_of_work]\nmax_number = 20000\n",
        &[],
    )
    .await?;
    let http = http()?;
    let solve = || async {
        let challenge: Challenge = serde_json::from_str(&relay.get(&http, "/v1/challenge").await?)?;
        assert_eq!(
            (challenge.algorithm.as_str(), challenge.maxnumber),
            ("SHA-256", 20000)
        );
        let number = (0..=challenge.maxnumber)
            .find(|n| {
                let digest = Sha256::digest(challenge.input(*n).as_bytes());
                digest
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
                    == challenge.challenge
            })
            .context("no number solves the challenge")?;
        anyhow::Ok(
            base64::engine::general_purpose::STANDARD
                .encode(serde_json::to_vec(&challenge.answer(number))?),
        )
    };
    let code = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or_default();
        (status, body["code"].as_str().unwrap_or("").to_string())
    };

    let first = ticket(1, Severity::Minor);
    let (status, refused) = code(relay.post(&http, &first, "10000").send().await?).await;
    assert_eq!(
        (status, refused.as_str()),
        (422, "looks_automated"),
        "no proof"
    );
    let proof = solve().await?;
    let (status, _) = code(
        relay
            .post(&http, &first, "10000")
            .header("fixpath-proof", &proof)
            .send()
            .await?,
    )
    .await;
    assert_eq!(status, 202);
    let second = ticket(2, Severity::Minor);
    let (status, refused) = code(
        relay
            .post(&http, &second, "10000")
            .header("fixpath-proof", &proof)
            .send()
            .await?,
    )
    .await;
    assert_eq!(
        (status, refused.as_str()),
        (422, "looks_automated"),
        "a proof is good once"
    );
    let (status, _) = code(
        relay
            .post(&http, &second, "10000")
            .header("fixpath-proof", solve().await?)
            .send()
            .await?,
    )
    .await;
    assert_eq!(status, 202);
    Ok(())
}
