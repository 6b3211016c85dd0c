//! The first screen: describe the problem, see ranked articles as you type.

use std::sync::Arc;

use fixpath_engine::session::{Event, ResultRow, RESULT_LIMIT};
use fixpath_engine::snippet::Segment;
use fixpath_engine::strings::Message;
use leptos::prelude::*;

use crate::journey::{Journey, Load};
use crate::shards;

pub fn search_screen(journey: Journey) -> impl IntoView {
    // The query matched against the dictionary shards here, once per keystroke and again as
    // shards arrive (completions and the typo scan are the costly part), and how long that
    // took.
    let prepare_ms = StoredValue::new(0.0f64);
    let prepared = Memo::new(move |_| {
        let loaded = journey.load.with(Load::ready)?;
        let started = precise_now();
        let prepared = journey.query.with(|q| {
            journey
                .session
                .with(|s| s.prepare(&loaded.index, &loaded.analyzer, q))
        });
        prepare_ms.set_value(precise_now() - started);
        Some(Arc::new(prepared))
    });
    // The dictionary shards this query still waits for; fetched as soon as they are known.
    let missing_words = Memo::new(move |_| {
        let prepared = prepared.get()?;
        Some(journey.session.with(|s| s.dictionary_missing(&prepared)))
    });
    Effect::new(move |_| {
        if let (Some(loaded), Some(shards)) = (journey.load.with(Load::ready), missing_words.get())
        {
            shards::request_dictionary(journey, &loaded, &shards);
        }
    });
    // The posting shards of the terms matched so far; fetched as soon as they are known.
    let missing = Memo::new(move |_| {
        let prepared = prepared.get()?;
        Some(journey.session.with(|s| s.postings_missing(&prepared)))
    });
    Effect::new(move |_| {
        if let (Some(loaded), Some(shards)) = (journey.load.with(Load::ready), missing.get()) {
            shards::request_postings(journey, &loaded, &shards);
        }
    });
    // How long ranking the current query took, for the `fixpath:search` event.
    let search_ms = StoredValue::new(0.0f64);
    // The best articles (document numbers) for the query, once its shards are in.
    let ranked = Memo::new(move |previous: Option<&Option<Vec<usize>>>| {
        let loaded = journey.load.with(Load::ready)?;
        if waiting(missing_words) || waiting(missing) {
            // Keep the last results up until this query's shards are in.
            return previous.cloned().flatten();
        }
        let prepared = prepared.get()?;
        let started = precise_now();
        let docs = journey
            .session
            .with(|s| s.rank(&loaded.index, &prepared, RESULT_LIMIT));
        // Ranking, plus matching this query to the dictionary (done once per query text).
        search_ms.set_value(precise_now() - started + prepare_ms.get_value());
        Some(docs)
    });
    // The article shards (titles, summaries) those results still wait for.
    let missing_articles = Memo::new(move |_| {
        let docs = ranked.get()?;
        Some(journey.session.with(|s| s.articles_missing(&docs)))
    });
    Effect::new(move |_| {
        if let (Some(loaded), Some(shards)) =
            (journey.load.with(Load::ready), missing_articles.get())
        {
            shards::request_articles(journey, &loaded, &shards);
        }
    });
    let hits = Memo::new(move |previous: Option<&Option<Vec<ResultRow>>>| {
        let loaded = journey.load.with(Load::ready)?;
        if waiting(missing_articles) {
            return previous.cloned().flatten();
        }
        let docs = ranked.get()?;
        Some(journey.session.with(|s| s.results(&loaded.analyzer, &docs)))
    });
    let typed = move || journey.query.with(|q| !q.trim().is_empty());
    // Funnel event: what was searched and what came back, once per query and results —
    // a query with no results too (its results equal the last query's, so `hits` alone
    // would not change), and only once this query's shards are in.
    let last_told = StoredValue::new((String::new(), Vec::<String>::new()));
    Effect::new(move |_| {
        let query = journey.query.get();
        let Some(rows) = hits.get() else { return };
        if query.trim().is_empty()
            || waiting(missing_words)
            || waiting(missing)
            || waiting(missing_articles)
        {
            return;
        }
        let results: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let told = (query, results);
        if last_told.with_value(|last| *last == told) {
            return;
        }
        last_told.set_value(told.clone());
        // Results are on screen: fetch the guides and the form while they are read.
        crate::deferred::prefetch();
        let (query, results) = told;
        journey.emit(&Event::Searched {
            query,
            results,
            search_ms: search_ms.get_value(),
        });
    });
    let status = move || match (journey.load.get(), hits.get()) {
        (Load::Loading, _) => journey.say(&Message::new("search.loading")),
        (Load::Failed(reason, _), _) => {
            journey.say(&Message::new("search.unavailable").with("reason", reason))
        }
        (_, Some(rows)) if typed() && rows.is_empty() => {
            journey.say(&Message::new("search.no_results"))
        }
        (_, Some(rows)) if typed() => {
            journey.say(&Message::new("search.found").with("count", rows.len()))
        }
        // The first query's shards are still on their way.
        (_, None)
            if typed()
                && (waiting(missing_words) || waiting(missing) || waiting(missing_articles)) =>
        {
            journey.say(&Message::new("search.searching"))
        }
        _ => String::new(),
    };
    view! {
        <div class="fp-search">
            <label for="fp-query" class="fp-label">{journey.text("search.label")}</label>
            <input
                data-focus
                id="fp-query"
                class="fp-input"
                type="search"
                autocomplete="off"
                data-testid="query"
                prop:value=move || journey.query.get()
                on:input=move |ev| journey.session.update(|s| s.set_query(event_target_value(&ev)))
            />
            <p class="fp-status" role="status" aria-live="polite" data-testid="search-status">{status}</p>
            <ul class="fp-results" data-testid="results">
                <For
                    each=move || hits.get().unwrap_or_default()
                    // A doc number names the same article in every language, not the same words.
                    key=|row| (row.doc, row.title.clone())
                    children=move |ResultRow { doc, id, title, summary }| {
                        // Not translated yet: the title and summary are the default
                        // language's, and say so.
                        let untranslated = journey.untranslated(&id);
                        let lang = untranslated.as_ref().map(|(tag, _)| tag.clone());
                        let note = untranslated.map(|(_, note)| view! { <span class="fp-untranslated" data-testid="untranslated">{note}</span> });
                        view! {
                            <li>
                                <button type="button" class="fp-result" data-testid="result" data-article=id on:click=move |_| journey.open_article(doc, position_of(hits, doc))>
                                    <span class="fp-result-title" lang=lang.clone()>{title}</span>
                                    {note}
                                    <span class="fp-result-summary" lang=lang>{highlighted(summary)}</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <button type="button" class="fp-contact" data-testid="contact" on:click=move |_| journey.contact_support()>
                {journey.text("contact")}
            </button>
        </div>
    }
}

/// Where `doc` is in the results on screen, from 1.
fn position_of(hits: Memo<Option<Vec<ResultRow>>>, doc: usize) -> Option<usize> {
    hits.with_untracked(|rows| Some(rows.as_ref()?.iter().position(|r| r.doc == doc)? + 1))
}

/// Whether shards the results need (dictionary, posting or article shards, as `missing`
/// lists them) are still on their way. Reactive.
fn waiting(missing: Memo<Option<Vec<usize>>>) -> bool {
    missing.with(|m| m.as_ref().is_some_and(|m| !m.is_empty()))
}

/// Milliseconds from `performance.now()` (sub-millisecond, monotonic), 0 without it.
fn precise_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Snippet segments as text nodes, matches in `<mark>`: never parsed as HTML.
fn highlighted(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.highlight {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                s.text.into_any()
            }
        })
        .collect_view()
}

/// Opens the best guide for `text` (an error the page reported), or the contact form when
/// nothing matches or search is unavailable; waits for the bundle if it is still loading.
pub fn open_best_match(journey: Journey, text: String) {
    let try_open = move |load: &Load| match load {
        Load::Loading => false,
        Load::Ready(loaded) => {
            let loaded = loaded.clone();
            let text = text.clone();
            leptos::task::spawn_local(async move {
                let query = shards::prepare_fully(journey, &loaded, &text).await;
                let needed = journey
                    .session
                    .with_untracked(|s| s.postings_missing(&query));
                shards::fetch_all_postings(journey, &loaded, needed).await;
                let best = journey
                    .session
                    .with_untracked(|s| s.rank(&loaded.index, &query, 1));
                match best.first() {
                    Some(&doc) => {
                        // Its title shows on the guide: fetch it first.
                        shards::fetch_article(journey, &loaded, doc).await;
                        journey.open_article(doc, None)
                    }
                    None => journey.contact_support(),
                }
            });
            true
        }
        Load::Failed(..) => {
            journey.contact_support();
            true
        }
    };
    if journey.load.with_untracked(&try_open) {
        return;
    }
    let done = StoredValue::new(false);
    Effect::new(move |_| {
        if !done.get_value() && journey.load.with(&try_open) {
            done.set_value(true);
        }
    });
}
