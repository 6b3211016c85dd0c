//! The relay run as its users run it: the release `fixpath relay`, a config file, secrets in
//! the environment, and help desks on the other end (here: webhook endpoints verifying
//! with the Standard Webhooks reference library).

mod abuse;
mod adapters;
mod delivery;
mod email;
mod insights;
mod kill_during_forwarding;
mod load;
mod postgres_queue;
mod proof_of_work;
mod two_instances;
