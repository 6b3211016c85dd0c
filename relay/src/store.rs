//! Durable ticket storage: one JSON line per ticket in `tickets.jsonl`, each idempotency key
//! stored once, across restarts.

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use fixpath_engine::ticket::Ticket;

pub struct TicketStore {
    path: PathBuf,
    /// Keys already stored; the lock also serializes appends.
    seen: Mutex<HashSet<String>>,
    /// Tickets stored since the store was opened, for pages that follow new ones.
    stored: tokio::sync::watch::Sender<u64>,
}

/// What happened to a ticket handed to the store.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    Duplicate,
}

impl TicketStore {
    /// Opens (or creates) the store in `data_dir`, remembering the keys already stored.
    pub fn open(data_dir: &Path) -> Result<TicketStore> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating {}", data_dir.display()))?;
        let path = data_dir.join("tickets.jsonl");
        let mut seen = HashSet::new();
        if let Ok(file) = std::fs::File::open(&path) {
            for line in std::io::BufReader::new(file).lines() {
                let line = line.with_context(|| format!("reading {}", path.display()))?;
                if let Ok(ticket) = serde_json::from_str::<Ticket>(&line) {
                    seen.insert(ticket.id);
                }
            }
        }
        Ok(TicketStore {
            path,
            seen: Mutex::new(seen),
            stored: tokio::sync::watch::Sender::new(0),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counts the tickets stored from now on (duplicates are not counted).
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.stored.subscribe()
    }

    /// Appends `ticket` unless `key` was stored before.
    pub fn store(&self, key: &str, ticket: &Ticket) -> Result<Stored> {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.contains(key) {
            return Ok(Stored::Duplicate);
        }
        let mut line = serde_json::to_string(ticket)?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.write_all(line.as_bytes())?;
        file.sync_data()?;
        seen.insert(key.to_string());
        self.stored.send_modify(|n| *n += 1);
        Ok(Stored::New)
    }

    /// Every stored ticket, oldest first.
    pub fn all(&self) -> Result<Vec<Ticket>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        text.lines()
            .map(|l| serde_json::from_str(l).context("corrupt ticket line"))
            .collect()
    }
}
