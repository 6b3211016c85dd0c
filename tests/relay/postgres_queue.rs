//! The queue's contract on a real Postgres server: the same checks the SQLite queue passes.

use anyhow::Result;
use fixpath_e2e::postgres::Postgres;
use fixpath_relay::queue::{contract, PostgresQueue, Queue};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_the_queue_contract() -> Result<()> {
    let server = Postgres::start().await?;
    for check in contract::CHECKS {
        let queue = Queue::Postgres(PostgresQueue::connect(&server.database()?, 4).await?);
        contract::run(check, &queue).await;
    }
    // A second relay starting on the same database finds the schema in place.
    let url = server.database()?;
    PostgresQueue::connect(&url, 2).await?;
    PostgresQueue::connect(&url, 2).await?;
    Ok(())
}
