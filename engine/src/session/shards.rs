//! [`ShardRequests`]: which shards of one kind have been asked for and which could not be
//! fetched. Each shard is fetched once; one that failed is left out rather than waited for,
//! so a missing file never blocks the results. (A dictionary shard that failed is given up
//! on in `LoadedDictionary` instead: the ranker itself must know its words match nothing.)

use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShardRequests {
    requested: BTreeSet<usize>,
    failed: BTreeSet<usize>,
}

impl ShardRequests {
    /// Of the shards `needed` (not held yet), those still worth waiting for: not failed.
    pub fn outstanding(&self, needed: Vec<usize>) -> Vec<usize> {
        needed
            .into_iter()
            .filter(|n| !self.failed.contains(n))
            .collect()
    }

    /// Records that `shards` are wanted; returns those asked for now for the first time,
    /// which are the ones to fetch.
    pub fn first_requests(&mut self, shards: &[usize]) -> Vec<usize> {
        shards
            .iter()
            .copied()
            .filter(|&n| self.requested.insert(n))
            .collect()
    }

    pub fn record_failure(&mut self, n: usize) {
        self.failed.insert(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shard_is_requested_once_and_a_failed_one_is_not_waited_for() {
        let mut shards = ShardRequests::default();
        assert_eq!(shards.first_requests(&[1, 2]), vec![1, 2]);
        assert_eq!(shards.first_requests(&[2, 3]), vec![3]);
        shards.record_failure(2);
        assert_eq!(shards.outstanding(vec![1, 2, 3]), vec![1, 3]);
        assert_eq!(shards.first_requests(&[2]), Vec::<usize>::new());
    }
}
