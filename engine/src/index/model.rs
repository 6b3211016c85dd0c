//! What the index is made of: the weighted fields, postings, dictionary entries, and what a
//! result shows of an article.

use serde::{Deserialize, Serialize};

use super::windows::Windows;

/// The weighted fields of an article, in BM25F order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[repr(u8)]
pub enum Field {
    Title = 0,
    /// Summary, symptoms, error strings and tags.
    Meta = 1,
    /// Section headings (guide step titles).
    Heading = 2,
    Body = 3,
}

impl Field {
    pub const ALL: [Field; FIELD_COUNT] = [Field::Title, Field::Meta, Field::Heading, Field::Body];
    pub fn index(self) -> usize {
        self as usize
    }
}

pub const FIELD_COUNT: usize = 4;

/// What a result list shows of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// Path relative to the kb root, with `/` separators (`sign-in/password-reset.md`).
    pub id: String,
    pub title: String,
    pub summary: String,
}

/// One posting: term `t` occurs `tf` times in `field` of document `doc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub field: Field,
    pub tf: u16,
    /// Where in the article (title and body only), for proximity.
    pub windows: Windows,
}

/// One dictionary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermInfo {
    pub term: String,
    /// Documents holding the term (typo correction prefers the common word).
    pub docs: u32,
}
