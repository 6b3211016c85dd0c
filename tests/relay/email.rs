//! The email adapter against a real SMTP server (aiosmtpd, from PyPI, storing what it gets
//! in a Maildir): the team's copy has the ticket as text and HTML, the file attached,
//! Reply-To the customer and a Message-ID that names the ticket.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use base64::Engine;
use fixpath_e2e::process::{free_port, Background};
use fixpath_e2e::relay_process::{http, ticket, Relay};
use fixpath_engine::ticket_fields::Attachment;
use fixpath_engine::triage::{Priority, Severity};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_arrives_as_an_email_with_its_file() -> Result<()> {
    let maildir = tempfile::tempdir()?;
    let port = free_port()?;
    let _smtp = Background::start(
        Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("box"))
            .env(
                "PYTHONPATH",
                std::env::var("FIXPATH_PYTHONPATH")
                    .context("FIXPATH_PYTHONPATH: run through `cargo xtask test`")?,
            ),
    )?;
    wait_for_port(port).await?;
    let config = format!(
        r#"
[[destination]]
name = "team-mail"
kind = "smtp"
host = "127.0.0.1"
port = {port}
security = "none"
from = "Fixpath relay <relay@acme.example>"
to = ["support@acme.example"]
"#
    );
    let dir = tempfile::tempdir()?;
    let relay = Relay::start(dir.path(), &config, &[]).await?;
    let mut t = ticket(7, Severity::Critical);
    t.priority = Some(Priority::P1);
    t.attachments = vec![Attachment {
        name: "log.txt".into(),
        content_type: "text/plain".into(),
        size: 11,
        data_base64: base64::engine::general_purpose::STANDARD.encode("line 1\nok\n\n"),
    }];
    let (status, body) = relay.send(&http()?, &t).await?;
    assert_eq!(status, 202, "{body}");

    let deadline = Instant::now() + Duration::from_secs(30);
    let mail = loop {
        let new = maildir.path().join("box").join("new");
        if let Some(entry) = std::fs::read_dir(&new).ok().and_then(|mut d| d.next()) {
            break std::fs::read_to_string(entry?.path())?.replace("\r\n", "\n");
        }
        if Instant::now() > deadline {
            bail!(
                "no mail arrived; the relay said:\n{}",
                relay.process.output()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let headers = mail.split("\n\n").next().unwrap_or(&mail);
    for expected in [
        "To: support@acme.example".to_string(),
        format!("Subject: [Critical] [{}] Upload contract 7", t.id),
        format!("Message-ID: <{}.team-mail@acme.example>", t.id),
        "Reply-To: \"Ada Lovelace\" <ada@example.com>".to_string(),
        "X-Priority: 1 (Highest)".to_string(),
    ] {
        assert!(
            headers.lines().any(|l| l == expected),
            "{expected:?} in\n{headers}"
        );
    }
    assert!(mail.contains("Content-Type: text/html"), "an HTML part");
    assert!(mail.contains("E-UP-413: file too large"), "the exact error");
    assert!(mail.contains("filename=\"log.txt\"\nContent-Type: text/plain\nContent-Transfer-Encoding: 7bit\n\nline 1\nok\n"), "{mail}");
    Ok(())
}

async fn wait_for_port(port: u16) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            bail!("the SMTP server did not start listening on {port}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}
