//! The ticket form: pre-filled with everything known, validated by the engine, then handed
//! to [`crate::delivery`], which sends it exactly once.

use fixpath_engine::outbox::FormEvidence;
use fixpath_engine::strings::Message;
use fixpath_engine::ticket::{finish, ChoiceField, FieldError, Ticket, TicketField};
use fixpath_engine::triage::{triage, Severity};
use leptos::prelude::*;

use crate::journey::Journey;

pub fn form_screen(journey: Journey) -> impl IntoView {
    // Which fields this kb asks for; the form is drawn once the bundle has loaded (or failed).
    let fields = StoredValue::new(journey.load.with_untracked(|l| l.config().ticket));
    let shown = move |key: &str| fields.with_value(|f| f.is_shown(key));
    // "What were you trying to do? *": the kb's words, starred when required.
    let label = move |key: &str| {
        let required = fields.with_value(|f| f.is_required(key));
        format!(
            "{}{}",
            journey.word(&format!("form.{key}")),
            if required { " *" } else { "" }
        )
    };
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let matrix = move || journey.load.with(|l| l.config().triage.matrix);
    let assessment =
        move || journey.draft(|t| triage(&matrix(), t.impact, t.urgency, t.security_concern));
    let critical = move || assessment().severity == Severity::Critical;
    // Evidence for a relay that a person filled this in (see `FormEvidence`).
    let opened_at = crate::clock::now_ms();
    let trap = RwSignal::new(String::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let finished = journey
            .session
            .with_untracked(|s| fields.with_value(|f| finish(s.draft(), f, &matrix())));
        let ticket = match finished {
            Ok(ticket) => ticket,
            Err(problems) => {
                if let Some(first) = problems.first() {
                    focus_field(form_ref, first);
                }
                errors.set(problems);
                return;
            }
        };
        errors.set(Vec::new());
        let form = FormEvidence {
            fill_ms: (crate::clock::now_ms() - opened_at).max(0.0) as u64,
            trap: trap.get_untracked(),
        };
        crate::delivery::submit(journey, ticket, form);
    };

    let tried = move || {
        journey.draft(|t| {
            if t.steps_tried.is_empty() {
                return view! { <li>{journey.text("form.tried_none")}</li> }.into_any();
            }
            t.steps_tried
                .iter()
                .map(|s| view! { <li data-testid="tried-step">{format!("{} — {}", s.step, journey.say(&s.result()))}</li> })
                .collect_view()
                .into_any()
        })
    };
    // Drawn again when an item is removed, not with every keystroke elsewhere.
    let environment_items = Memo::new(move |_| journey.draft(|t| t.environment.clone()));
    let environment = move || {
        environment_items.with(|items| {
            items
                .iter()
                .map(|item| {
                    let key = item.key.clone();
                    let remove = move |_| journey.edit_draft(|t| t.environment.retain(|e| e.key != key));
                    view! {
                        <li data-testid="env-item" data-key=item.key.clone()>
                            <span class="fp-env-key">{environment_label(journey, &item.key)}</span>": "
                            <span class="fp-env-value">{item.value.clone()}</span>
                            <button type="button" class="fp-link" aria-label=format!("{} {}", journey.word("form.remove"), environment_label(journey, &item.key)) on:click=remove>{journey.text("form.remove")}</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    // A refused ticket comes back here; email stays open as the way round.
    let failure = move || {
        let message = journey
            .session
            .with(|s| s.send_error().map(|m| journey.say(m)));
        message.map(|message| {
            let email = journey
                .session
                .with_untracked(|s| crate::delivery::email(journey, s.draft()));
            view! {
                <p class="fp-error" role="alert" data-testid="send-error">{message}</p>
                {email.map(|href| view! {
                    <p><a href=href data-testid="email-fallback">{journey.text("send.email_link")}</a></p>
                })}
            }
        })
    };
    // The kb's and the article's own questions: drawn again only when their number changes.
    let extra_count = Memo::new(move |_| journey.draft(|t| t.extra_fields.len()));
    let summary = move || {
        let count = errors.with(Vec::len);
        (count > 0).then(|| {
            view! { <p class="fp-error" role="alert" data-testid="error-summary">{journey.say(&Message::new("form.error_summary").with("count", count))}</p> }
        })
    };

    view! {
        <form class="fp-form" novalidate=true node_ref=form_ref on:submit=submit data-testid="ticket-form">
            <h3 tabindex="-1" data-focus>{journey.text("form.title")}</h3>
            {crate::support_hours::hours_line(journey)}
            <p>{journey.text("form.required_note")}</p>
            {summary}
            {shown("trying_to_do").then(|| text_field(journey, errors, TicketField::TryingToDo, label("trying_to_do"), Control::Lines, |t| &t.trying_to_do, |t| &mut t.trying_to_do))}
            {text_field(journey, errors, TicketField::WhatHappened, label("what_happened"), Control::Lines, |t| &t.what_happened, |t| &mut t.what_happened)}
            {shown("error_message").then(|| text_field(journey, errors, TicketField::ErrorMessage, label("error_message"), Control::Lines, |t| &t.error_message, |t| &mut t.error_message))}
            {shown("occurred_at").then(|| text_field(journey, errors, TicketField::OccurredAt, label("occurred_at"), Control::Moment, |t| &t.occurred_at, |t| &mut t.occurred_at))}
            {shown("frequency").then(|| choice(journey, errors, ChoiceField::Frequency, label("frequency")))}
            {shown("steps_to_reproduce").then(|| text_field(journey, errors, TicketField::StepsToReproduce, label("steps_to_reproduce"), Control::Lines, |t| &t.steps_to_reproduce, |t| &mut t.steps_to_reproduce))}
            {move || extra_fields(journey, extra_count.get(), errors)}
            {shown("impact").then(|| choice(journey, errors, ChoiceField::Impact, label("impact")))}
            {shown("urgency").then(|| choice(journey, errors, ChoiceField::Urgency, label("urgency")))}
            {shown("security_concern").then(|| view! {
                <div class="fp-field fp-check">
                    <input id="fp-security" type="checkbox" data-testid="security"
                        prop:checked=move || journey.draft(|t| t.security_concern)
                        on:change=move |ev| journey.edit_draft(|t| t.security_concern = event_target_checked(&ev)) />
                    <label for="fp-security">{journey.text("form.security")}</label>
                </div>
            })}
            <p class="fp-triage" role="status" aria-live="polite" data-testid="triage">{move || journey.say(&assessment().describe())}</p>
            {move || crate::support_hours::phone_route(journey, critical(), None)}
            <fieldset class="fp-tried">
                <legend>{journey.text("form.tried")}</legend>
                <ul data-testid="tried">{tried}</ul>
            </fieldset>
            {shown("attachments").then(|| crate::attachments::attachments_field(journey, errors))}
            {shown("environment").then(|| view! {
                <fieldset class="fp-env">
                    <legend>{journey.text("form.environment")}</legend>
                    <ul data-testid="environment">{environment}</ul>
                </fieldset>
            })}
            {shown("name").then(|| text_field(journey, errors, TicketField::Name, label("name"), Control::Line, |t| &t.name, |t| &mut t.name))}
            {text_field(journey, errors, TicketField::Email, label("email"), Control::Line, |t| &t.email, |t| &mut t.email)}
            // The honeypot: out of sight, out of the tab order and hidden from assistive
            // technology, so only a script filling every input fills it.
            <div class="fp-trap" aria-hidden="true">
                <label>"Leave this empty" <input type="text" name="website" tabindex="-1" autocomplete="off" data-testid="trap"
                    prop:value=move || trap.get() on:input=move |ev| trap.set(event_target_value(&ev)) /></label>
            </div>
            {failure}
            <button type="submit" class="fp-primary" data-testid="submit">{journey.text("form.submit")}</button>
            <button type="button" class="fp-secondary" on:click=move |_| journey.back_to_search()>{journey.text("form.back_to_help")}</button>
        </form>
    }
}

/// How a ticket's text field is edited.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Control {
    /// One line (`<input type="text">`).
    Line,
    /// Several lines (`<textarea>`).
    Lines,
    /// A moment, in the browser's date and time picker, which writes it the customer's
    /// way (their locale's order of day and month, 12 or 24 hours); the ticket keeps ISO
    /// 8601 with the offset, as the schema and support teams expect.
    Moment,
}

/// A labelled control bound to one ticket field, with its inline error.
fn text_field(
    journey: Journey,
    errors: RwSignal<Vec<FieldError>>,
    field: TicketField,
    label: String,
    control: Control,
    get: fn(&Ticket) -> &String,
    set: fn(&mut Ticket) -> &mut String,
) -> impl IntoView {
    let id = control_id(field, field.key());
    let error_id = format!("{id}-error");
    let error = field_error(journey, errors, field);
    let invalid = move || if error().is_some() { "true" } else { "false" };
    let value = move || {
        journey.draft(|t| match control {
            Control::Moment => crate::clock::picker_value(get(t)),
            _ => get(t).clone(),
        })
    };
    let on_input = move |ev| {
        let typed = event_target_value(&ev);
        let kept = match control {
            // Cleared, it is empty (and required or not as the kb says).
            Control::Moment => crate::clock::iso_of_picked(&typed).unwrap_or_default(),
            _ => typed,
        };
        journey.edit_draft(|t| *set(t) = kept);
    };
    let described = {
        let error_id = error_id.clone();
        move || error().map(|_| error_id.clone())
    };
    let control = match control {
        Control::Lines => view! { <textarea id=id.clone() rows="3" data-testid=field.key() aria-invalid=invalid aria-describedby=described.clone()
            prop:value=value on:input=on_input></textarea> }
        .into_any(),
        Control::Line | Control::Moment => {
            let kind = if control == Control::Moment { "datetime-local" } else { "text" };
            view! { <input id=id.clone() type=kind data-testid=field.key() aria-invalid=invalid aria-describedby=described.clone()
                prop:value=value on:input=on_input /> }
            .into_any()
        }
    };
    view! {
        <div class="fp-field">
            <label for=id.clone()>{label}</label>
            {control}
            {move || error().map(|m| view! { <p class="fp-field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// The message of `field`'s validation error, if it has one (reactive).
fn field_error(
    journey: Journey,
    errors: RwSignal<Vec<FieldError>>,
    field: TicketField,
) -> impl Fn() -> Option<String> + Copy {
    move || {
        errors.with(|es| {
            es.iter()
                .find(|e| e.field == field)
                .map(|e| journey.say(&e.message))
        })
    }
}

/// The DOM id of a field's control: `fp-<key>`, or `fp-extra-<key>` for the kb's own.
fn control_id(field: TicketField, key: &str) -> String {
    match field {
        TicketField::Extra(_) => format!("fp-extra-{key}"),
        _ => format!("fp-{key}"),
    }
}

/// The kb's own questions (config and article), stored on the draft with their labels.
fn extra_fields(
    journey: Journey,
    count: usize,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    (0..count)
        .map(|n| {
            let Some(spec) = journey.draft_untracked(|t| t.extra_fields.get(n).cloned()) else {
                return ().into_any();
            };
            let field = TicketField::Extra(n as u16);
            let id = control_id(field, &spec.key);
            let error_id = format!("{id}-error");
            let error = field_error(journey, errors, field);
            let invalid = move || if error().is_some() { "true" } else { "false" };
            let described = { let error_id = error_id.clone(); move || error().map(|_| error_id.clone()) };
            let value = move || journey.draft(|t| t.extra_fields.get(n).map(|f| f.value.clone()).unwrap_or_default());
            let set = move |ev| {
                let v = event_target_value(&ev);
                journey.edit_draft(|t| if let Some(f) = t.extra_fields.get_mut(n) { f.value = v });
            };
            let label = format!("{}{}", spec.label, if spec.required { " *" } else { "" });
            let control = if spec.options.is_empty() {
                view! { <input id=id.clone() type="text" data-testid=spec.key.clone() aria-invalid=invalid aria-describedby=described
                    prop:value=value on:input=set /> }.into_any()
            } else {
                view! {
                    <select id=id.clone() data-testid=spec.key.clone() aria-invalid=invalid aria-describedby=described prop:value=value on:change=set>
                        <option value="">{journey.text("form.choose")}</option>
                        {spec.options.iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                    </select>
                }.into_any()
            };
            view! {
                <div class="fp-field">
                    <label for=id>{label}</label>
                    {control}
                    {move || error().map(|m| view! { <p class="fp-field-error" id=error_id.clone()>{m}</p> })}
                </div>
            }
            .into_any()
        })
        .collect_view()
}

/// A labelled select bound to an optional ticket field, with its inline error.
fn choice(
    journey: Journey,
    errors: RwSignal<Vec<FieldError>>,
    choice: ChoiceField,
    label: String,
) -> impl IntoView {
    let field = choice.field();
    let key = field.key();
    let id = control_id(field, key);
    let error_id = format!("{id}-error");
    let error = field_error(journey, errors, field);
    let invalid = move || if error().is_some() { "true" } else { "false" };
    let described = {
        let error_id = error_id.clone();
        move || error().map(|_| error_id.clone())
    };
    view! {
        <div class="fp-field">
            <label for=id.clone()>{label}</label>
            <select id=id data-testid=key aria-invalid=invalid aria-describedby=described
                prop:value=move || journey.draft(|t| choice.get(t).unwrap_or(""))
                on:change=move |ev| { let v = event_target_value(&ev); journey.edit_draft(|t| choice.set(t, &v)) }>
                <option value="">{journey.text("form.choose")}</option>
                {choice.options().into_iter().map(|value| view! { <option value=value>{journey.word(&format!("form.{key}.{value}"))}</option> }).collect_view()}
            </select>
            {move || error().map(|m| view! { <p class="fp-field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// Moves focus to a field's control, so keyboard and screen-reader users land on the problem.
fn focus_field(form: NodeRef<leptos::html::Form>, error: &FieldError) {
    let id = control_id(error.field, &error.key);
    // By id through the form's elements, not a CSS selector: a kb's key is data.
    let control = form.get_untracked().and_then(|f| {
        let controls = f.elements();
        (0..controls.length())
            .filter_map(|i| controls.item(i))
            .find(|e| e.id() == id)
    });
    if let Some(control) =
        control.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = control.focus();
    }
}

/// Plain words for the automatically gathered facts (the JSON keeps the stable keys).
fn environment_label(journey: Journey, key: &str) -> String {
    let text = journey.word(&format!("form.environment.{key}"));
    if text.starts_with("form.environment.") {
        key.to_string()
    } else {
        text
    }
}
