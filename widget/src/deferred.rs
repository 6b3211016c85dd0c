//! What the first screen does not need — guides, the ticket form, delivery, support hours,
//! sending insights; and the stemmers of languages other than English — behind split
//! points. `cargo xtask dist` splits the wasm at them
//! (wasm-split), so search starts without that code and it arrives as a second piece:
//! fetched once the first results are on screen (or the page has been idle a while), so
//! opening a guide does not wait for it. Only with the `split` feature (what `cargo xtask
//! dist` builds); otherwise they are plain calls.

use std::cell::Cell;

use fixpath_engine::analyzer::Analyzer;
use fixpath_engine::language::Language;
use fixpath_engine::strings::Message;
use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::wasm_split;
use leptos::wasm_split::SplitLoaderError;

use fixpath_engine::session::Screen;

use crate::insights_sender::Send;
use crate::journey::Journey;

/// Renders every screen but search (see [`crate::app::later_screen`]).
#[cfg(feature = "split")]
#[wasm_split(
    journey,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    preload(load_piece)
)]
#[allow(improper_ctypes_definitions)]
fn screen_view(journey: Journey, screen: Screen) -> Result<AnyView, SplitLoaderError> {
    Ok(crate::app::later_screen(journey, screen))
}

/// Tries to deliver the outbox (see [`crate::delivery::deliver`]).
#[cfg(feature = "split")]
#[wasm_split(journey, wasm_split_path = ::leptos::wasm_split, fallible)]
#[allow(improper_ctypes_definitions)]
fn deliver_outbox(journey: Journey) -> Result<(), SplitLoaderError> {
    crate::delivery::deliver(journey);
    Ok(())
}

/// Records and sends insights (see [`crate::insights_sender`]).
#[cfg(feature = "split")]
#[wasm_split(journey, wasm_split_path = ::leptos::wasm_split, fallible)]
#[allow(improper_ctypes_definitions)]
fn send_insights_now(send: Send) -> Result<(), SplitLoaderError> {
    crate::insights_sender::send(send);
    Ok(())
}

/// `language`'s analyzer, with its stemmer: every Snowball stemmer but English's is in a
/// piece of its own, fetched only by pages in another language.
#[cfg(feature = "split")]
#[wasm_split(languages, wasm_split_path = ::leptos::wasm_split, fallible)]
#[allow(improper_ctypes_definitions)]
fn analyzer_for(language: Language) -> Result<Analyzer, SplitLoaderError> {
    Ok(Analyzer::for_language(language))
}

#[cfg(not(feature = "split"))]
async fn analyzer_for(language: Language) -> Result<Analyzer, SplitLoaderError> {
    Ok(Analyzer::for_language(language))
}

/// `language`'s analyzer (see `analyzer_for`); an error if its piece cannot be fetched.
pub async fn analyzer(language: Language) -> Result<Analyzer, SplitLoaderError> {
    analyzer_for(language).await
}

// Without the `split` feature (wasm tests, native builds) the module is whole: the split
// points are plain calls, so nothing imports the link module wasm-split writes.
#[cfg(not(feature = "split"))]
async fn screen_view(journey: Journey, screen: Screen) -> Result<AnyView, SplitLoaderError> {
    Ok(crate::app::later_screen(journey, screen))
}

#[cfg(not(feature = "split"))]
async fn deliver_outbox(journey: Journey) -> Result<(), SplitLoaderError> {
    crate::delivery::deliver(journey);
    Ok(())
}

#[cfg(not(feature = "split"))]
async fn send_insights_now(send: Send) -> Result<(), SplitLoaderError> {
    crate::insights_sender::send(send);
    Ok(())
}

#[cfg(not(feature = "split"))]
async fn load_piece() -> Result<(), SplitLoaderError> {
    Ok(())
}

/// `screen`, once its code is here; if the piece cannot be fetched (offline), says so and
/// offers to try again.
pub fn screen(journey: Journey, screen: Screen) -> impl IntoView {
    // Each "Try again" is another attempt: drawing the screen again fetches again.
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        let screen = screen.clone();
        Suspend::new(async move {
            let view = match screen_view(journey, screen).await {
                Ok(view) => view,
                Err(e) => {
                    leptos::logging::warn!("fixpath: {e}");
                    unavailable(journey, attempt).into_any()
                }
            };
            // The focus effect ran before this view existed when the piece was late.
            request_animation_frame(move || journey.focus());
            view
        })
    }
}

/// Delivers the outbox, fetching the piece first if needed; with nothing queued, does
/// nothing, so a page load (or coming back online) does not fetch the piece ahead of
/// the first query's shards.
pub fn deliver(journey: Journey) {
    if journey.session.with_untracked(|s| s.outbox().is_empty()) {
        return;
    }
    leptos::task::spawn_local(async move {
        if let Err(e) = deliver_outbox(journey).await {
            // The next page load, or going back online, tries again.
            leptos::logging::warn!("fixpath: {e}");
        }
    });
}

/// Sends insights, fetching the piece first if needed. The piece is usually here long
/// before the page is hidden; if it cannot be fetched, those insights are lost, as a
/// beacon lost on the way would be.
pub fn send_insights(send: Send) {
    leptos::task::spawn_local(async move {
        if let Err(e) = send_insights_now(send).await {
            leptos::logging::warn!("fixpath: {e}");
        }
    });
}

thread_local! {
    static PREFETCHING: Cell<bool> = const { Cell::new(false) };
}

/// Starts fetching the piece in the background, once per page.
pub fn prefetch() {
    if PREFETCHING.with(|p| p.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async {
        if load_piece().await.is_err() {
            // Not cached as failed: the next screen that needs it tries again.
            PREFETCHING.with(|p| p.set(false));
        }
    });
}

fn unavailable(journey: Journey, attempt: RwSignal<u32>) -> impl IntoView {
    let retry = move |_| attempt.update(|n| *n += 1);
    view! {
        <div class="fp-unavailable" role="alert">
            <p tabindex="-1" data-focus data-testid="piece-unavailable">{journey.say(&Message::new("pieces.unavailable"))}</p>
            <button type="button" class="fp-primary" data-testid="piece-retry" on:click=retry>{journey.text("pieces.retry")}</button>
            <button type="button" class="fp-secondary" on:click=move |_| journey.back_to_search()>{journey.text("guide.back_to_help")}</button>
        </div>
    }
}
