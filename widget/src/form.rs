//! The ticket form: pre-filled with everything known, validated by the engine, then handed
//! to [`crate::delivery`], which sends it exactly once.

use fixpath_engine::ticket::{
    check_ticket, FieldError, Frequency, Impact, Ticket, TicketField, Urgency,
};
use fixpath_engine::triage::{triage, Severity};
use leptos::prelude::*;

use crate::app::Journey;

pub fn form_screen(journey: Journey) -> impl IntoView {
    let draft = journey.draft;
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let matrix = move || journey.load.with(|l| l.config().triage.matrix);
    let assessment =
        move || draft.with(|t| triage(&matrix(), t.impact, t.urgency, t.security_concern));
    let critical = move || assessment().severity == Severity::Critical;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut ticket = draft.get_untracked();
        let assessment = triage(
            &matrix(),
            ticket.impact,
            ticket.urgency,
            ticket.security_concern,
        );
        ticket.priority = assessment.priority;
        ticket.severity = assessment.severity;
        let problems = check_ticket(&ticket);
        errors.set(problems.clone());
        if let Some(first) = problems.first() {
            focus_field(form_ref, first.field);
            return;
        }
        journey.send_error.set(None);
        crate::delivery::submit(journey, ticket);
    };

    let tried = move || {
        draft.with(|t| {
            if t.steps_tried.is_empty() {
                return view! { <li>"None yet — you came straight here, and that's fine."</li> }.into_any();
            }
            t.steps_tried
                .iter()
                .map(|s| view! { <li data-testid="tried-step">{format!("{} — {}", s.step, s.result())}</li> })
                .collect_view()
                .into_any()
        })
    };
    let environment = move || {
        draft.with(|t| {
            t.environment
                .iter()
                .map(|item| {
                    let key = item.key.clone();
                    let remove = move |_| draft.update(|t| t.environment.retain(|e| e.key != key));
                    view! {
                        <li data-testid="env-item" data-key=item.key.clone()>
                            <span class="fp-env-key">{environment_label(&item.key)}</span>": "
                            <span class="fp-env-value">{item.value.clone()}</span>
                            <button type="button" class="fp-link" aria-label=format!("Remove {}", environment_label(&item.key)) on:click=remove>"Remove"</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let failure = move || {
        journey.send_error.get().map(|message| {
            view! { <p class="fp-error" role="alert" data-testid="send-error">{message}</p> }
        })
    };
    let summary = move || {
        let count = errors.with(Vec::len);
        (count > 0).then(|| {
            view! { <p class="fp-error" role="alert" data-testid="error-summary">{format!("Please fix {count} field(s) below.")}</p> }
        })
    };

    view! {
        <form class="fp-form" novalidate=true node_ref=form_ref on:submit=submit data-testid="ticket-form">
            <h3 tabindex="-1" data-focus>{journey.text("form.title", "Contact support")}</h3>
            {crate::support_hours::hours_line(journey)}
            <p>"Fields marked * are required."</p>
            {summary}
            {text_field(draft, errors, TicketField::TryingToDo, "What were you trying to do? *", true, |t| &t.trying_to_do, |t| &mut t.trying_to_do)}
            {text_field(draft, errors, TicketField::WhatHappened, "What happened instead? *", true, |t| &t.what_happened, |t| &mut t.what_happened)}
            {text_field(draft, errors, TicketField::ErrorMessage, "Exact error message or code (paste it)", true, |t| &t.error_message, |t| &mut t.error_message)}
            {text_field(draft, errors, TicketField::OccurredAt, "When did it happen?", false, |t| &t.occurred_at, |t| &mut t.occurred_at)}
            {choice(draft, "frequency", "How often does it happen?", &[("always", "Every time"), ("sometimes", "Sometimes"), ("once", "Once")],
                |t| t.frequency.map(|f| match f { Frequency::Always => "always", Frequency::Sometimes => "sometimes", Frequency::Once => "once" }),
                |t, v| t.frequency = match v { "always" => Some(Frequency::Always), "sometimes" => Some(Frequency::Sometimes), "once" => Some(Frequency::Once), _ => None })}
            {text_field(draft, errors, TicketField::StepsToReproduce, "Steps to reproduce", true, |t| &t.steps_to_reproduce, |t| &mut t.steps_to_reproduce)}
            {choice(draft, "impact", "Who is affected?", &[("just_me", "Just me"), ("several_people", "Several people"), ("whole_team", "Our whole team"), ("customers", "Our customers or production")],
                |t| t.impact.map(|i| match i { Impact::JustMe => "just_me", Impact::SeveralPeople => "several_people", Impact::WholeTeam => "whole_team", Impact::Customers => "customers" }),
                |t, v| t.impact = match v { "just_me" => Some(Impact::JustMe), "several_people" => Some(Impact::SeveralPeople), "whole_team" => Some(Impact::WholeTeam), "customers" => Some(Impact::Customers), _ => None })}
            {choice(draft, "urgency", "How urgent is it?", &[("blocked", "I'm blocked"), ("workaround", "There is a workaround"), ("can_wait", "It can wait")],
                |t| t.urgency.map(|u| match u { Urgency::Blocked => "blocked", Urgency::Workaround => "workaround", Urgency::CanWait => "can_wait" }),
                |t, v| t.urgency = match v { "blocked" => Some(Urgency::Blocked), "workaround" => Some(Urgency::Workaround), "can_wait" => Some(Urgency::CanWait), _ => None })}
            <div class="fp-field fp-check">
                <input id="fp-security" type="checkbox" data-testid="security"
                    prop:checked=move || draft.with(|t| t.security_concern)
                    on:change=move |ev| draft.update(|t| t.security_concern = event_target_checked(&ev)) />
                <label for="fp-security">"This may be a security or data-loss problem"</label>
            </div>
            <p class="fp-triage" role="status" aria-live="polite" data-testid="triage">{move || assessment().describe()}</p>
            {move || crate::support_hours::phone_route(journey, critical(), None)}
            <fieldset class="fp-tried">
                <legend>"Steps you already tried"</legend>
                <ul data-testid="tried">{tried}</ul>
            </fieldset>
            <fieldset class="fp-env">
                <legend>"Sent automatically (remove anything you prefer not to share)"</legend>
                <ul data-testid="environment">{environment}</ul>
            </fieldset>
            {text_field(draft, errors, TicketField::Name, "Your name *", false, |t| &t.name, |t| &mut t.name)}
            {text_field(draft, errors, TicketField::Email, "Your email *", false, |t| &t.email, |t| &mut t.email)}
            {failure}
            <button type="submit" class="fp-primary" data-testid="submit">{journey.text("form.submit", "Send to support")}</button>
            <button type="button" class="fp-secondary" on:click=move |_| journey.back_to_search()>"Back to help"</button>
        </form>
    }
}

/// A labelled text input or textarea bound to one ticket field, with its inline error.
fn text_field(
    draft: RwSignal<Ticket>,
    errors: RwSignal<Vec<FieldError>>,
    field: TicketField,
    label: &'static str,
    multiline: bool,
    get: fn(&Ticket) -> &String,
    set: fn(&mut Ticket) -> &mut String,
) -> impl IntoView {
    let id = format!("fp-{}", field.key());
    let error_id = format!("{id}-error");
    let error = move || {
        errors.with(|es| {
            es.iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    };
    let invalid = move || if error().is_some() { "true" } else { "false" };
    let value = move || draft.with(|t| get(t).clone());
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        draft.update(|t| *set(t) = v);
    };
    let described = move || error().map(|_| error_id.clone());
    let control = if multiline {
        view! { <textarea id=id.clone() rows="3" data-testid=field.key() aria-invalid=invalid aria-describedby=described.clone()
            prop:value=value on:input=on_input></textarea> }
        .into_any()
    } else {
        view! { <input id=id.clone() type="text" data-testid=field.key() aria-invalid=invalid aria-describedby=described.clone()
            prop:value=value on:input=on_input /> }
        .into_any()
    };
    view! {
        <div class="fp-field">
            <label for=id.clone()>{label}</label>
            {control}
            {move || error().map(|m| view! { <p class="fp-field-error" id=format!("fp-{}-error", field.key())>{m}</p> })}
        </div>
    }
}

/// A labelled select bound to an optional ticket field.
fn choice(
    draft: RwSignal<Ticket>,
    key: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    get: fn(&Ticket) -> Option<&'static str>,
    set: fn(&mut Ticket, &str),
) -> impl IntoView {
    let id = format!("fp-{key}");
    view! {
        <div class="fp-field">
            <label for=id.clone()>{label}</label>
            <select id=id data-testid=key
                prop:value=move || draft.with(|t| get(t).unwrap_or("").to_string())
                on:change=move |ev| { let v = event_target_value(&ev); draft.update(|t| set(t, &v)) }>
                <option value="">"Choose…"</option>
                {options.iter().map(|(value, text)| view! { <option value=*value>{*text}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// Moves focus to a field's control, so keyboard and screen-reader users land on the problem.
fn focus_field(form: NodeRef<leptos::html::Form>, field: TicketField) {
    let selector = format!("#fp-{}", field.key());
    let control = form
        .get_untracked()
        .and_then(|f| f.query_selector(&selector).ok().flatten());
    if let Some(control) =
        control.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = control.focus();
    }
}

/// Plain words for the automatically gathered facts (the JSON keeps the stable keys).
fn environment_label(key: &str) -> String {
    match key {
        "page_url" => "Page".to_string(),
        "browser" => "Browser".to_string(),
        "language" => "Language".to_string(),
        "viewport" => "Window size".to_string(),
        "time_zone" => "Time zone".to_string(),
        other => other.to_string(),
    }
}
