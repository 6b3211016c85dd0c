//! A guide, one step at a time: a fix answered "Fixed it / Didn't help / Can't do this",
//! or a question answered with one of its choices.

use fixpath_engine::guide::{Answer, GuideSession, GuideState, Outcome, Route};
use fixpath_engine::strings::Message;
use leptos::prelude::*;

use crate::journey::Journey;

pub fn guide_screen(journey: Journey, doc: usize, session: GuideSession) -> impl IntoView {
    let found = journey.session.with_untracked(|s| {
        let article = s.article(doc)?;
        Some((
            article.id.clone(),
            article.title.clone(),
            s.guide(doc)?.clone(),
        ))
    });
    let Some((id, title, guide)) = found else {
        return view! { <p>{journey.text("guide.gone")}</p> }.into_any();
    };
    // An article not translated yet is in the default language, and says so; the
    // widget's own words stay in the customer's.
    let untranslated = journey.untranslated(&id);
    let lang = untranslated.as_ref().map(|(tag, _)| tag.clone());
    let note = untranslated.map(
        |(_, note)| view! { <p class="fp-untranslated" data-testid="untranslated">{note}</p> },
    );
    // Records an answer (a fix's outcome or a question's choice) and tells the page.
    let respond = move |answer: Answer| {
        for event in journey
            .session
            .try_update(|s| s.answer(answer))
            .unwrap_or_default()
        {
            journey.emit(&event);
        }
    };
    let back = move |_| journey.session.update(|s| s.step_back());
    let body = match session.state() {
        GuideState::Step(n) => {
            let step = guide.steps[n].clone();
            let (position, total) = session.progress();
            let earlier = session.answer_of(n);
            // A fix is answered with an outcome; a question with one of its answers.
            let pressed = move |answer: Answer| (earlier == Some(answer)).to_string();
            let answers = match &step.route {
                Route::Fix { .. } => {
                    let outcome = move |outcome: Outcome, key: &'static str, testid: &'static str| {
                        view! {
                            <button type="button" data-testid=testid aria-pressed=pressed(Answer::Outcome(outcome))
                                on:click=move |_| respond(Answer::Outcome(outcome))>{journey.text(key)}</button>
                        }
                    };
                    view! {
                        <p class="fp-question">{journey.text("guide.question")}</p>
                        <div class="fp-outcomes">
                            {outcome(Outcome::Fixed, "guide.fixed", "fixed")}
                            {outcome(Outcome::DidntHelp, "guide.didnt_help", "didnt-help")}
                            {outcome(Outcome::CantDo, "guide.cant_do", "cant-do")}
                        </div>
                    }
                    .into_any()
                }
                Route::Question { answers } => {
                    let buttons = answers
                        .iter()
                        .enumerate()
                        .map(|(i, choice)| view! {
                            <button type="button" data-testid="choice" aria-pressed=pressed(Answer::Choice(i))
                                on:click=move |_| respond(Answer::Choice(i))>{choice.label.clone()}</button>
                        })
                        .collect_view();
                    view! { <div class="fp-outcomes fp-choices" role="group" aria-labelledby="fp-step-title">{buttons}</div> }.into_any()
                }
            };
            view! {
                <div class="fp-step" data-testid="step">
                    <p class="fp-progress" data-testid="progress">{journey.say(&Message::new("guide.progress").with("position", position).with("total", total))}</p>
                    <h4 id="fp-step-title" class="fp-step-title" tabindex="-1" data-focus data-testid="step-title" lang=lang.clone()>{step.title}</h4>
                    // Sanitized by the indexer (ammonia) before it entered the bundle.
                    <div class="fp-step-body" inner_html=step.html lang=lang.clone()></div>
                    {answers}
                    {session.can_go_back().then(|| view! { <button type="button" class="fp-secondary" data-testid="previous" on:click=back>{journey.text("guide.previous")}</button> })}
                </div>
            }
            .into_any()
        }
        GuideState::Resolved => view! {
            <div class="fp-resolved" role="status" data-testid="resolved">
                <p tabindex="-1" data-focus>{journey.text("guide.resolved")}</p>
                <button type="button" class="fp-secondary" on:click=move |_| journey.back_to_search()>{journey.text("guide.back_to_help")}</button>
            </div>
        }
        .into_any(),
        GuideState::Exhausted => view! {
            <div class="fp-exhausted" role="status" data-testid="exhausted">
                <p tabindex="-1" data-focus>{journey.text("guide.still_stuck")}</p>
                <button type="button" class="fp-primary" data-testid="still-stuck" on:click=move |_| journey.contact_support()>
                    {journey.text("contact")}
                </button>
                <button type="button" class="fp-secondary" data-testid="previous" on:click=back>{journey.text("guide.previous")}</button>
            </div>
        }
        .into_any(),
    };
    let intro = (matches!(session.state(), GuideState::Step(0)) && !guide.intro_html.is_empty())
        .then(|| view! { <div class="fp-intro" inner_html=guide.intro_html.clone() lang=lang.clone()></div> });
    view! {
        <article class="fp-guide" aria-labelledby="fp-guide-title" data-testid="guide">
            <button type="button" class="fp-link" on:click=move |_| journey.back_to_search()>{journey.text("guide.all_results")}</button>
            <h3 id="fp-guide-title" class="fp-guide-title" lang=lang>{title.clone()}</h3>
            {note}
            {intro}
            {body}
            {(session.state() != GuideState::Exhausted).then(|| view! {
                <button type="button" class="fp-contact" data-testid="contact" on:click=move |_| journey.contact_support()>
                    {journey.text("contact")}
                </button>
            })}
        </article>
    }
    .into_any()
}

/// While an article's guide is being fetched, or when that failed: contact stays reachable.
pub fn opening_screen(journey: Journey, doc: usize, error: Option<String>) -> impl IntoView {
    let title = journey
        .session
        .with_untracked(|s| s.article(doc).map(|a| a.title.clone()))
        .unwrap_or_default();
    let status = match &error {
        None => journey.say(&Message::new("guide.loading")),
        Some(e) => journey.say(&Message::new("guide.unavailable").with("reason", e)),
    };
    view! {
        <article class="fp-guide" aria-labelledby="fp-guide-title" aria-busy=error.is_none().to_string() data-testid="opening">
            <button type="button" class="fp-link" on:click=move |_| journey.back_to_search()>{journey.text("guide.all_results")}</button>
            <h3 id="fp-guide-title" class="fp-guide-title" tabindex="-1" data-focus>{title}</h3>
            <p class="fp-status" role="status" data-testid="opening-status">{status}</p>
            <button type="button" class="fp-contact" data-testid="contact" on:click=move |_| journey.contact_support()>
                {journey.text("contact")}
            </button>
        </article>
    }
}
