//! The adapter that lets tantivy index with the engine's analyzer, so build-time terms and
//! browser query terms come from the same code.

use std::sync::Arc;

use fixpath_engine::analyzer::Analyzer;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which the analyzer is registered in the tantivy index.
pub const TOKENIZER_NAME: &str = "fixpath";

#[derive(Clone, Default)]
pub struct EngineTokenizer {
    analyzer: Arc<Analyzer>,
}

impl EngineTokenizer {
    pub fn new(analyzer: Analyzer) -> EngineTokenizer {
        EngineTokenizer {
            analyzer: Arc::new(analyzer),
        }
    }
}

pub struct EngineTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for EngineTokenizer {
    type TokenStream<'a> = EngineTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> EngineTokenStream {
        let mut tokens = Vec::new();
        self.analyzer.for_each_token(text, |t| {
            // Queries ignore stop words, so their postings (in nearly every article) would
            // only make the bundle bigger. Positions keep their gaps.
            if t.stop {
                return;
            }
            tokens.push(Token {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position as usize,
                text: t.text,
                position_length: 1,
            })
        });
        EngineTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for EngineTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
