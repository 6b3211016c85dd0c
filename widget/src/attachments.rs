//! Optional attachments on the ticket form: files are read in the browser (never uploaded
//! anywhere until the ticket is sent), checked against the engine's limits as they are
//! chosen, listed with a way to remove each, and carried on the draft.

use fixpath_engine::strings::Message;
use fixpath_engine::ticket::{FieldError, TicketField};
use fixpath_engine::ticket_fields::{
    human_size, too_large_to_read, with_attachment, Attachment, MAX_ATTACHMENTS,
    MAX_ATTACHMENT_BYTES,
};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::journey::Journey;

pub fn attachments_field(journey: Journey, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    // A problem with the files just chosen (too many, too large, unreadable).
    let choice_problem: RwSignal<Option<String>> = RwSignal::new(None);
    let problem = move || {
        choice_problem.get().or_else(|| {
            errors.with(|es| {
                es.iter()
                    .find(|e| e.field == TicketField::Attachments)
                    .map(|e| journey.say(&e.message))
            })
        })
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.item(i)).collect())
            .unwrap_or_default();
        // Let the same file be chosen again after it is removed.
        input.set_value("");
        choice_problem.set(None);
        leptos::task::spawn_local(async move {
            for file in files {
                if let Some(problem) = too_large_to_read(file.size() as u64) {
                    let message = Message::new("form.attachment_not_added")
                        .with("name", file.name())
                        .with("problem", journey.say(&problem));
                    choice_problem.set(Some(journey.say(&message)));
                    return;
                }
                match read_attachment(&file).await {
                    Ok(attachment) => {
                        let added = journey.session.with_untracked(|s| {
                            with_attachment(&s.draft().attachments, attachment)
                        });
                        match added {
                            Ok(attachments) => journey.edit_draft(|t| t.attachments = attachments),
                            Err(problem) => {
                                let message = Message::new("form.attachment_not_added")
                                    .with("name", file.name())
                                    .with("problem", journey.say(&problem));
                                choice_problem.set(Some(journey.say(&message)));
                                return;
                            }
                        }
                    }
                    Err(e) => {
                        let message = Message::new("form.attachment_unreadable")
                            .with("name", file.name())
                            .with("reason", e);
                        choice_problem.set(Some(journey.say(&message)));
                        return;
                    }
                }
            }
        });
    };
    // Names and sizes only: the list is drawn again when a file comes or goes, not with
    // every keystroke elsewhere in the form.
    let files = Memo::new(move |_| {
        journey.draft(|t| {
            t.attachments
                .iter()
                .map(|a| (a.name.clone(), a.size))
                .collect::<Vec<_>>()
        })
    });
    let listed = move || {
        files.with(|files| {
            files
                .iter()
                .enumerate()
                .map(|(n, (name, size))| {
                    let remove = move |_| {
                        choice_problem.set(None);
                        journey.edit_draft(|t| {
                            if n < t.attachments.len() {
                                t.attachments.remove(n);
                            }
                        })
                    };
                    view! {
                        <li data-testid="attachment">
                            {format!("{name} ({})", human_size(*size))}" "
                            <button type="button" class="fp-link" data-testid="remove-attachment"
                                aria-label=format!("{} {name}", journey.word("form.remove")) on:click=remove>{journey.text("form.remove")}</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let hint = move || {
        journey.say(
            &Message::new("form.attachments_hint")
                .with("count", MAX_ATTACHMENTS)
                .with("size", human_size(MAX_ATTACHMENT_BYTES)),
        )
    };
    view! {
        <div class="fp-field">
            <label for="fp-attachments">{journey.text("form.attachments")}</label>
            <p class="fp-hint" id="fp-attachments-hint">{hint}</p>
            <input id="fp-attachments" type="file" multiple=true data-testid="attachments"
                aria-describedby=move || if problem().is_some() { "fp-attachments-hint fp-attachments-error" } else { "fp-attachments-hint" }
                aria-invalid=move || problem().is_some().to_string()
                on:change=on_change />
            <ul class="fp-attachments" aria-live="polite">{listed}</ul>
            {move || problem().map(|m| view! { <p class="fp-field-error" id="fp-attachments-error" role="alert" data-testid="attachments-error">{m}</p> })}
        </div>
    }
}

/// Reads `file` into an [`Attachment`] (base64 through the browser's own data-URL encoder).
async fn read_attachment(file: &web_sys::File) -> Result<Attachment, String> {
    let size = file.size() as u64;
    let reader = web_sys::FileReader::new().map_err(describe)?;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
    });
    reader.read_as_data_url(file).map_err(describe)?;
    wasm_bindgen_futures::JsFuture::from(done)
        .await
        .map_err(describe)?;
    let url = reader
        .result()
        .map_err(describe)?
        .as_string()
        .ok_or("the browser returned no data")?;
    // `data:<type>;base64,<data>`
    let data = url
        .split_once(";base64,")
        .map(|(_, data)| data.to_string())
        .unwrap_or_default();
    Ok(Attachment {
        name: file.name(),
        content_type: if file.type_().is_empty() {
            "application/octet-stream".to_string()
        } else {
            file.type_()
        },
        size,
        data_base64: data,
    })
}

fn describe(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}
