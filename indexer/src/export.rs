//! tantivy → browser bundle. The kb is indexed by tantivy with the engine analyzer, then
//! the term dictionary, postings (with the body's first positions, coarsened to windows
//! for proximity) and field norms of every segment are exported into the engine's
//! [`BuiltIndex`].

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use fixpath_engine::analyzer::Analyzer;
use fixpath_engine::bundle::{ContentChunk, SearchBundle, CONTENT_CHUNK_ARTICLES};
use fixpath_engine::index::{
    build_index, ArticleMeta, BuiltIndex, Field, Posting, PostingShard, Windows, FIELD_COUNT,
};
use fixpath_engine::language::Language;
use tantivy::postings::Postings;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::{doc, DocSet, Index, IndexWriter, TERMINATED};

use crate::markdown::ParsedArticle;
use crate::tokenizer::{EngineTokenizer, TOKENIZER_NAME};
use crate::translations::Edition;

/// Writer memory budget: plenty for kbs of tens of thousands of articles.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// The bundle of one language's `edition`: the search bundle (document number = position
/// in the edition) and the content chunks holding the guides, [`CONTENT_CHUNK_ARTICLES`]
/// articles each.
pub fn bundle_contents(
    edition: &Edition,
) -> Result<(SearchBundle, Vec<PostingShard>, Vec<ContentChunk>)> {
    let parsed: Vec<_> = edition.articles.iter().map(|(_, a)| a.clone()).collect();
    let BuiltIndex {
        index,
        dictionary,
        postings,
    } = build_search_index(&parsed, &edition.language)?;
    let articles = edition
        .articles
        .iter()
        .map(|(id, a)| ArticleMeta {
            id: id.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
        })
        .collect();
    let chunks = edition
        .articles
        .chunks(CONTENT_CHUNK_ARTICLES)
        .enumerate()
        .map(|(n, articles)| ContentChunk {
            first_article: (n * CONTENT_CHUNK_ARTICLES) as u32,
            guides: articles.iter().map(|(_, a)| a.guide.clone()).collect(),
        })
        .collect();
    let search = SearchBundle {
        articles,
        index,
        dictionary,
    };
    Ok((search, postings, chunks))
}

/// Indexes `articles` (document number = position in the slice) in `language`'s analysis
/// and exports the index.
pub fn build_search_index(articles: &[ParsedArticle], language: &Language) -> Result<BuiltIndex> {
    let mut schema = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Field::ALL.map(|f| schema.add_text_field(field_name(f), text.clone()));
    let ord = schema.add_u64_field("ord", FAST);
    let index = Index::create_in_ram(schema.build());
    index.tokenizers().register(
        TOKENIZER_NAME,
        EngineTokenizer::new(Analyzer::for_language(language.clone())),
    );

    // One thread keeps document order, and so the bundle, deterministic.
    let mut writer: IndexWriter = index
        .writer_with_num_threads(1, WRITER_MEMORY)
        .context("creating the tantivy writer")?;
    for (i, a) in articles.iter().enumerate() {
        let texts = [&a.title, &a.meta_text, &a.headings_text, &a.body_text];
        writer.add_document(doc!(
            fields[0] => texts[0].as_str(),
            fields[1] => texts[1].as_str(),
            fields[2] => texts[2].as_str(),
            fields[3] => texts[3].as_str(),
            ord => i as u64,
        ))?;
    }
    writer.commit().context("committing the tantivy index")?;

    let searcher = index
        .reader()
        .context("opening the tantivy index")?
        .searcher();
    let mut field_lengths = vec![[0u32; FIELD_COUNT]; articles.len()];
    let mut terms: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
    let mut positions = Vec::new();
    for segment in searcher.segment_readers() {
        let ords = segment.fast_fields().u64("ord")?;
        let doc_of = |d: u32| {
            ords.first(d)
                .map(|o| o as u32)
                .context("document without an ord")
        };
        for (field, &tantivy_field) in Field::ALL.iter().zip(&fields) {
            let norms = segment.get_fieldnorms_reader(tantivy_field)?;
            for d in 0..segment.max_doc() {
                field_lengths[doc_of(d)? as usize][field.index()] = norms.fieldnorm(d);
            }
            let inverted = segment.inverted_index(tantivy_field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let term = std::str::from_utf8(stream.key())
                    .context("tantivy term is not UTF-8")?
                    .to_string();
                // Positions only where proximity uses them: the body's (title and summary
                // are window 0 whatever the position).
                let record = match field {
                    Field::Body => IndexRecordOption::WithFreqsAndPositions,
                    _ => IndexRecordOption::WithFreqs,
                };
                let mut postings = inverted.read_postings_from_terminfo(stream.value(), record)?;
                let list = terms.entry(term).or_default();
                while postings.doc() != TERMINATED {
                    let tf = postings.term_freq().min(u32::from(u16::MAX)) as u16;
                    let windows = match field {
                        Field::Title | Field::Meta => Windows::TITLE,
                        Field::Body => {
                            postings.positions(&mut positions);
                            Windows::of_body_positions(positions.iter().copied())
                        }
                        Field::Heading => Windows::default(),
                    };
                    list.push(Posting {
                        doc: doc_of(postings.doc())?,
                        field: *field,
                        tf,
                        windows,
                    });
                    postings.advance();
                }
            }
        }
    }
    Ok(build_index(field_lengths, terms))
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Title => "title",
        Field::Meta => "meta",
        Field::Heading => "heading",
        Field::Body => "body",
    }
}
