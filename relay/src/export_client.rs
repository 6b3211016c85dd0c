//! Reading a relay's insights from elsewhere (`fixpath insights https://relay…`): sign in
//! to its inbox with the password, as a person would, and fetch `export.json` for a period.

use anyhow::{bail, Context, Result};
use reqwest::header;
use reqwest::redirect::Policy;

use crate::insights_page::EXPORT_FILE;

/// The relay at `base`'s export of the last `days` days (one of 7, 30, 90), signed in
/// with `password`.
pub async fn fetch_export(base: &str, password: &str, days: u32) -> Result<String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .user_agent(concat!("fixpath/", env!("CARGO_PKG_VERSION")))
        // The sign-in answers with a redirect that carries the session cookie.
        .redirect(Policy::none())
        .build()?;
    let base = base.trim_end_matches('/');
    let answer = http
        .post(format!("{base}/inbox/login"))
        .form(&[("password", password)])
        .send()
        .await
        .with_context(|| format!("reaching {base}"))?;
    let cookie = answer
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split(';').next())
        .filter(|c| !c.ends_with('='));
    let Some(cookie) = cookie else {
        bail!(
            "{base} refused the inbox password ({}): check it, and that the relay sets [inbox] password_env",
            answer.status()
        );
    };
    let url = format!("{base}/inbox/insights/{EXPORT_FILE}?days={days}");
    let answer = http
        .get(&url)
        .header(header::COOKIE, cookie)
        .send()
        .await
        .with_context(|| format!("reaching {url}"))?;
    if !answer.status().is_success() {
        bail!("{url} answered {}", answer.status());
    }
    Ok(answer.text().await?)
}
