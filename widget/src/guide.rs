//! A guide, one step at a time: "Fixed it / Didn't help / Can't do this".

use fixpath_engine::guide::{GuideSession, GuideState, Outcome};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::app::{Journey, Screen};

pub fn guide_screen(journey: Journey, doc: usize, session: GuideSession) -> impl IntoView {
    let loaded = journey.load.get_untracked().ready();
    let title = loaded.and_then(|l| Some(l.bundle.articles.get(doc)?.title.clone()));
    let (Some(title), Some(guide)) = (title, journey.guide(doc)) else {
        return view! { <p>"This article is no longer available."</p> }.into_any();
    };
    // Stored (Copy handles) so the answer handler can be shared by the three buttons.
    let article_id = StoredValue::new(
        journey
            .load
            .get_untracked()
            .ready()
            .and_then(|l| Some(l.bundle.articles.get(doc)?.id.clone()))
            .unwrap_or_default(),
    );
    let step_titles = StoredValue::new(
        guide
            .steps
            .iter()
            .map(|s| s.title.clone())
            .collect::<Vec<_>>(),
    );
    let answer = move |outcome: Outcome| {
        let mut answered = None;
        journey.screen.update(|s| {
            if let Screen::Guide { session, .. } = s {
                if let GuideState::Step(n) = session.state() {
                    answered = Some(n);
                }
                session.answer(outcome);
            }
        });
        // Funnel events: each answer, and a fix.
        let step = answered.and_then(|n| step_titles.with_value(|t| t.get(n).cloned()));
        let article = article_id.get_value();
        journey.emit(
            "step",
            &[
                ("article", article.as_str().into()),
                ("step", step.map_or(JsValue::NULL, |s| s.into())),
                ("outcome", outcome.key().into()),
            ],
        );
        if outcome == Outcome::Fixed {
            journey.emit("resolved", &[("article", article.as_str().into())]);
        }
    };
    let back = move |_| {
        journey.screen.update(|s| {
            if let Screen::Guide { session, .. } = s {
                session.back();
            }
        })
    };
    let body = match session.state() {
        GuideState::Step(n) => {
            let step = guide.steps[n].clone();
            let total = session.step_count();
            view! {
                <div class="fp-step" data-testid="step">
                    <p class="fp-progress" data-testid="progress">{format!("Step {} of {}", n + 1, total)}</p>
                    <h4 class="fp-step-title" tabindex="-1" data-focus data-testid="step-title">{step.title}</h4>
                    // Sanitized by the indexer (ammonia) before it entered the bundle.
                    <div class="fp-step-body" inner_html=step.html></div>
                    <p class="fp-question">{journey.text("guide.question", "Did this fix it?")}</p>
                    <div class="fp-outcomes">
                        <button type="button" data-testid="fixed" on:click=move |_| answer(Outcome::Fixed)>{journey.text("guide.fixed", "Fixed it")}</button>
                        <button type="button" data-testid="didnt-help" on:click=move |_| answer(Outcome::DidntHelp)>{journey.text("guide.didnt_help", "Didn't help")}</button>
                        <button type="button" data-testid="cant-do" on:click=move |_| answer(Outcome::CantDo)>{journey.text("guide.cant_do", "Can't do this")}</button>
                    </div>
                    {(n > 0).then(|| view! { <button type="button" class="fp-secondary" on:click=back>"Previous step"</button> })}
                </div>
            }
            .into_any()
        }
        GuideState::Resolved => view! {
            <div class="fp-resolved" role="status" data-testid="resolved">
                <p tabindex="-1" data-focus>"Great — glad that fixed it."</p>
                <button type="button" class="fp-secondary" on:click=move |_| journey.back_to_search()>"Back to help"</button>
            </div>
        }
        .into_any(),
        GuideState::Exhausted => view! {
            <div class="fp-exhausted" role="status" data-testid="exhausted">
                <p tabindex="-1" data-focus>{journey.text("guide.still_stuck", "Still stuck? We'll send support everything you tried, so you won't have to repeat it.")}</p>
                <button type="button" class="fp-primary" data-testid="still-stuck" on:click=move |_| journey.contact_support()>
                    {journey.text("contact", "Contact support")}
                </button>
                <button type="button" class="fp-secondary" on:click=back>"Previous step"</button>
            </div>
        }
        .into_any(),
    };
    let intro = (matches!(session.state(), GuideState::Step(0)) && !guide.intro_html.is_empty())
        .then(|| view! { <div class="fp-intro" inner_html=guide.intro_html.clone()></div> });
    view! {
        <article class="fp-guide" aria-labelledby="fp-guide-title" data-testid="guide">
            <button type="button" class="fp-link" on:click=move |_| journey.back_to_search()>"← All results"</button>
            <h3 id="fp-guide-title" class="fp-guide-title">{title.clone()}</h3>
            {intro}
            {body}
            {(session.state() != GuideState::Exhausted).then(|| view! {
                <button type="button" class="fp-contact" data-testid="contact" on:click=move |_| journey.contact_support()>
                    {journey.text("contact", "Contact support")}
                </button>
            })}
        </article>
    }
    .into_any()
}

/// While an article's guide is being fetched, or when that failed: contact stays reachable.
pub fn opening_screen(journey: Journey, doc: usize, error: Option<String>) -> impl IntoView {
    let title = journey
        .load
        .get_untracked()
        .ready()
        .and_then(|l| Some(l.bundle.articles.get(doc)?.title.clone()))
        .unwrap_or_default();
    let status = match &error {
        None => "Loading the article…".to_string(),
        Some(e) => {
            format!("This article could not be loaded ({e}). You can still contact support.")
        }
    };
    view! {
        <article class="fp-guide" aria-labelledby="fp-guide-title" aria-busy=error.is_none().to_string() data-testid="opening">
            <button type="button" class="fp-link" on:click=move |_| journey.back_to_search()>"← All results"</button>
            <h3 id="fp-guide-title" class="fp-guide-title" tabindex="-1" data-focus>{title}</h3>
            <p class="fp-status" role="status" data-testid="opening-status">{status}</p>
            <button type="button" class="fp-contact" data-testid="contact" on:click=move |_| journey.contact_support()>
                {journey.text("contact", "Contact support")}
            </button>
        </article>
    }
}
