//! The session's rules, natively: a journey from the search box through a guide to the
//! form and the outbox, with the shards and answers a browser would hand it.

use std::sync::Arc;

use crate::analyzer::Analyzer;
use crate::bundle::{ContentChunk, CONTENT_CHUNK_ARTICLES};
use crate::guide::{Answer, Choice, Guide, GuideState, Outcome, Route, Step, Target};
use crate::index::{ArticleMeta, ArticleShard, BuiltIndex};
use crate::outbox::{FormEvidence, Outbox};
use crate::rank;
use crate::relay_api::{Refusal, RefusalCode};
use crate::strings::Message;
use crate::ticket::{Ticket, TriedStep};
use crate::ticket_fields::FieldSpec;
use crate::triage::Severity;

use super::*;

const ARTICLES: &[(&str, &str)] = &[
    (
        "Uploads fail",
        "Files larger than 100 MB are rejected with error E-UP-413.",
    ),
    (
        "Reset your password",
        "Use the forgot password link on the sign-in page.",
    ),
];

fn meta() -> Vec<ArticleMeta> {
    ARTICLES
        .iter()
        .enumerate()
        .map(|(n, (title, summary))| ArticleMeta {
            id: format!("article-{n}.md"),
            title: title.to_string(),
            summary: summary.to_string(),
        })
        .collect()
}

/// Article 0: a fix, then a question ("Which browser?" Chrome → step 2, Other → contact),
/// then a fix; with one question of its own for the ticket.
fn upload_guide() -> Guide {
    let fix = |title: &str, next| Step {
        title: title.into(),
        html: "<p>Do this.</p>".into(),
        route: Route::Fix { next },
    };
    let mut guide = Guide::linear(String::new(), Vec::new());
    guide.steps = vec![
        fix("Make the file smaller", Target::Step(1)),
        Step {
            title: "Which browser?".into(),
            html: String::new(),
            route: Route::Question {
                answers: vec![
                    Choice {
                        label: "Chrome".into(),
                        target: Target::Step(2),
                    },
                    Choice {
                        label: "Other".into(),
                        target: Target::Contact,
                    },
                ],
            },
        },
        fix("Clear the cache", Target::Contact),
    ];
    guide.ticket_fields = vec![field("file_size")];
    guide
}

fn field(key: &str) -> FieldSpec {
    FieldSpec {
        key: key.into(),
        label: key.into(),
        required: false,
        options: Vec::new(),
    }
}

fn content() -> Arc<ContentChunk> {
    Arc::new(ContentChunk {
        first_article: 0,
        guides: vec![upload_guide(), Guide::linear(String::new(), Vec::new())],
    })
}

fn ticket(id: &str) -> Ticket {
    Ticket::new(id.into(), "2026-11-30T10:00:00+00:00".into())
}

/// A session whose article list and guides have arrived.
fn session() -> Session {
    let mut session = Session::new(ticket("T-1"));
    session.articles_arrived(0, ArticleShard::split(&meta()).remove(0));
    session
}

fn index() -> BuiltIndex {
    rank::index_for_tests(ARTICLES)
}

#[test]
fn a_query_waits_for_its_dictionary_then_its_postings_and_skips_a_failed_shard() {
    let BuiltIndex {
        index,
        dictionary,
        postings: shards,
    } = index();
    let analyzer = Analyzer::default();
    let mut session = Session::new(ticket("T-1"));
    session.set_query("upload".into());
    let query = session.prepare(&index, &analyzer, session.query());
    let words = session.dictionary_missing(&query);
    assert_eq!(words, [0], "a small kb has one dictionary shard");
    assert!(
        query.shards_needed(&Default::default()).is_empty(),
        "no term known yet"
    );
    assert_eq!(session.request_dictionary(&words), words);
    assert!(session.request_dictionary(&words).is_empty(), "asked once");
    session.dictionary_arrived(&index, 0, dictionary[0].clone());
    assert!(
        session.dictionary_missing(&query).is_empty(),
        "here now, even for the query prepared before it came"
    );

    let query = session.prepare(&index, &analyzer, session.query());
    assert!(session.dictionary_missing(&query).is_empty());
    let missing = session.postings_missing(&query);
    assert!(!missing.is_empty());
    assert_eq!(session.request_postings(&missing), missing);
    assert!(session.request_postings(&missing).is_empty(), "asked once");
    assert!(
        session.rank(&index, &query, 8).is_empty(),
        "nothing before the shard"
    );

    session.postings_failed(missing[0]);
    assert!(
        session.postings_missing(&query).is_empty(),
        "not waited for"
    );
    for &n in &missing {
        session.postings_arrived(&index, n, &shards[n]);
    }
    assert_eq!(session.rank(&index, &query, 8), vec![0]);
    assert!(session.has_postings(missing[0]));
}

#[test]
fn a_dictionary_shard_that_cannot_be_fetched_is_not_waited_for() {
    let index = index().index;
    let analyzer = Analyzer::default();
    let mut session = Session::new(ticket("T-1"));
    let query = session.prepare(&index, &analyzer, "upload");
    session.dictionary_failed(0);
    assert!(session.dictionary_missing(&query).is_empty());
    let query = session.prepare(&index, &analyzer, "upload");
    assert!(session.dictionary_missing(&query).is_empty());
    assert!(
        session.rank(&index, &query, 8).is_empty(),
        "its words match nothing"
    );
}

#[test]
fn results_show_what_their_article_shards_hold_and_leave_out_a_failed_shard() {
    let mut session = Session::new(ticket("T-1"));
    session.set_query("password".into());
    assert_eq!(session.articles_missing(&[1, 0]), vec![0]);
    assert_eq!(session.request_articles(&[0]), vec![0]);
    session.articles_failed(0);
    assert!(session.articles_missing(&[1]).is_empty());
    assert!(session.results(&Analyzer::default(), &[1]).is_empty());

    session.articles_arrived(0, ArticleShard::split(&meta()).remove(0));
    let rows = session.results(&Analyzer::default(), &[1, 0]);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["article-1.md", "article-0.md"]);
    assert_eq!(rows[0].title, "Reset your password");
    let marked: Vec<&str> = rows[0]
        .summary
        .iter()
        .filter(|s| s.highlight)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(marked, ["password"]);
}

#[test]
fn opening_an_article_fetches_its_guide_once_then_shows_the_first_step() {
    let mut session = session();
    assert_eq!(session.open_article(0), Some(0), "fetch chunk 0");
    assert_eq!(
        session.screen(),
        &Screen::Opening {
            doc: 0,
            error: None
        }
    );
    // Another chunk arriving changes nothing for this article.
    session.content_arrived(
        1,
        Arc::new(ContentChunk {
            first_article: CONTENT_CHUNK_ARTICLES as u32,
            guides: Vec::new(),
        }),
    );
    assert!(matches!(
        session.screen(),
        Screen::Opening { error: None, .. }
    ));
    session.content_arrived(0, content());
    let Screen::Guide {
        doc: 0,
        session: walk,
    } = session.screen()
    else {
        panic!("{:?}", session.screen());
    };
    assert_eq!(walk.state(), GuideState::Step(0));

    session.back_to_search();
    assert_eq!(session.open_article(0), None, "already here");
    assert!(matches!(session.screen(), Screen::Guide { doc: 0, .. }));
}

#[test]
fn a_guide_that_cannot_be_fetched_says_so_only_while_it_is_awaited() {
    let mut session = session();
    session.open_article(0);
    session.content_failed(0, "offline".into());
    assert_eq!(
        session.screen(),
        &Screen::Opening {
            doc: 0,
            error: Some("offline".into())
        }
    );
    session.open_article(1);
    session.back_to_search();
    session.content_failed(1, "offline".into());
    assert_eq!(session.screen(), &Screen::Search);
    // A chunk without this article's guide is said to be one.
    session.open_article(0);
    session.content_arrived(
        0,
        Arc::new(ContentChunk {
            first_article: 0,
            guides: Vec::new(),
        }),
    );
    assert!(matches!(
        session.screen(),
        Screen::Opening { error: Some(_), .. }
    ));
}

#[test]
fn answers_move_the_guide_on_and_tell_the_page() {
    let mut session = session();
    session.open_article(0);
    session.content_arrived(0, content());
    let events = session.answer(Answer::Outcome(Outcome::DidntHelp));
    assert_eq!(
        events,
        vec![Event::StepAnswered {
            article: "article-0.md".into(),
            step: Some("Make the file smaller".into()),
            outcome: Outcome::DidntHelp,
            answer: None,
        }]
    );
    let events = session.answer(Answer::Choice(0));
    assert!(
        matches!(&events[..], [Event::StepAnswered { outcome: Outcome::Answered, answer: Some(a), .. }] if a == "Chrome")
    );
    session.step_back();
    let Screen::Guide { session: walk, .. } = session.screen() else {
        panic!()
    };
    assert_eq!(walk.state(), GuideState::Step(1));
    session.answer(Answer::Choice(0));
    let events = session.answer(Answer::Outcome(Outcome::Fixed));
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[1],
        Event::Resolved {
            article: "article-0.md".into()
        }
    );
    assert_eq!(events[1].name(), "resolved");
    // Off the guide, an answer is nothing.
    session.back_to_search();
    assert!(session.answer(Answer::Outcome(Outcome::Fixed)).is_empty());
}

#[test]
fn contacting_support_carries_the_query_the_steps_tried_and_the_questions_once() {
    let mut session = session();
    session.set_query("  upload fails  ".into());
    session.open_article(0);
    session.content_arrived(0, content());
    session.answer(Answer::Outcome(Outcome::DidntHelp));
    session.answer(Answer::Choice(1));
    let event = session.contact_support(&[field("plan")]);
    assert_eq!(
        event,
        Event::Escalated {
            article: Some("article-0.md".into()),
            steps_tried: 2
        }
    );
    assert_eq!(session.screen(), &Screen::Form);
    let draft = session.draft();
    assert_eq!(draft.what_happened, "upload fails");
    let keys: Vec<&str> = draft.extra_fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["plan", "file_size"]);
    let tried: Vec<(&str, Option<&str>)> = draft
        .steps_tried
        .iter()
        .map(|s: &TriedStep| (s.step.as_str(), s.answer.as_deref()))
        .collect();
    assert_eq!(
        tried,
        [
            ("Make the file smaller", None),
            ("Which browser?", Some("Other"))
        ]
    );

    // Back to the guide and out again: nothing is listed twice.
    session.open_article(0);
    session.answer(Answer::Outcome(Outcome::DidntHelp));
    session.contact_support(&[field("plan")]);
    assert_eq!(session.draft().steps_tried.len(), 2);
    assert_eq!(session.draft().extra_fields.len(), 2);

    // From search: the query only.
    let mut session = Session::new(ticket("T-2"));
    session.set_query("locked out".into());
    assert_eq!(
        session.contact_support(&[]),
        Event::Escalated {
            article: None,
            steps_tried: 0
        }
    );
    assert_eq!(session.draft().what_happened, "locked out");
}

#[test]
fn a_reload_brings_back_the_open_form_and_resumes_the_oldest_queued_ticket() {
    let mut earlier = Session::new(ticket("T-1"));
    earlier.contact_support(&[]);
    earlier.draft_mut().trying_to_do = "export".into();
    let saved = earlier.saved_draft();
    assert!(saved.form_open);

    let mut reloaded = Session::new(ticket("T-9"));
    reloaded.restore(Some(saved.clone()), None);
    assert_eq!(reloaded.screen(), &Screen::Form);
    assert_eq!(reloaded.draft().trying_to_do, "export");

    let mut outbox = Outbox::default();
    let mut queued = ticket("T-5");
    queued.severity = Severity::Critical;
    outbox.push(queued, FormEvidence::default());
    let mut reloaded = Session::new(ticket("T-9"));
    reloaded.restore(Some(saved), Some(outbox));
    assert_eq!(
        reloaded.screen(),
        &Screen::Sending {
            reference: "T-5".into(),
            critical: true,
            note: Some(Message::new("send.resuming"))
        }
    );
    assert_eq!(reloaded.next_delivery().unwrap().ticket.id, "T-5");
}

#[test]
fn a_ticket_is_sent_one_attempt_at_a_time_and_leaves_the_outbox_when_acknowledged() {
    let mut session = Session::new(ticket("T-1"));
    session.submit(ticket("T-1"), FormEvidence::default(), ticket("T-2"));
    assert_eq!(session.draft().id, "T-2", "the next ticket starts blank");
    assert!(
        matches!(session.screen(), Screen::Sending { reference, note: None, .. } if reference == "T-1")
    );
    assert_eq!(session.next_delivery().unwrap().failures, 0);
    assert_eq!(session.next_delivery(), None, "one attempt at a time");

    let retry = session.delivery_failed("T-1", SendFailure::Retryable("offline".into()));
    assert_eq!(retry, Some(Retry { after_ms: 1_000 }));
    let Screen::Sending {
        note: Some(note), ..
    } = session.screen()
    else {
        panic!()
    };
    assert_eq!(note.english(), "We couldn't reach support (offline). Your ticket is saved on this device; trying again in 1 s.");
    let again = session.next_delivery().unwrap();
    assert_eq!((again.ticket.id.as_str(), again.failures), ("T-1", 1));
    let waiting = SendFailure::Waiting {
        message: Message::new("send.refused.rate_limited").with("minutes", 3),
        after_ms: 180_000,
    };
    assert_eq!(
        session.delivery_failed("T-1", waiting),
        Some(Retry { after_ms: 180_000 })
    );
    assert!(session.queued("T-1").is_some());

    session.next_delivery();
    let event = session.delivered("T-1").unwrap();
    assert_eq!(event.name(), "ticket");
    assert_eq!(
        session.screen(),
        &Screen::Sent {
            reference: "T-1".into(),
            critical: false
        }
    );
    assert!(session.outbox().is_empty());
    assert_eq!(session.next_delivery(), None);
}

#[test]
fn a_ticket_delivered_in_the_background_leaves_the_screen_alone() {
    let mut session = Session::new(ticket("T-1"));
    session.submit(ticket("T-1"), FormEvidence::default(), ticket("T-2"));
    session.back_to_search();
    session.next_delivery();
    session.delivered("T-1");
    assert_eq!(session.screen(), &Screen::Search);
}

#[test]
fn a_refused_ticket_goes_back_to_the_form_with_the_reason() {
    let mut session = Session::new(ticket("T-1"));
    let mut sent = ticket("T-1");
    sent.trying_to_do = "export".into();
    session.submit(sent, FormEvidence::default(), ticket("T-2"));
    session.next_delivery();
    let retry = session.delivery_failed("T-1", SendFailure::Rejected("too large".into()));
    assert_eq!(retry, None);
    assert_eq!(session.screen(), &Screen::Form);
    assert_eq!(session.draft().trying_to_do, "export");
    assert_eq!(
        session.send_error().map(Message::english).as_deref(),
        Some("Support could not accept this ticket: too large.")
    );
    assert!(session.outbox().is_empty());
    // Sending again clears the reason.
    session.submit(
        session.draft().clone(),
        FormEvidence::default(),
        ticket("T-3"),
    );
    assert_eq!(session.send_error(), None);
}

#[test]
fn an_answer_that_is_not_2xx_is_read_as_refused_retryable_or_wait() {
    let strings = Default::default();
    assert_eq!(
        SendFailure::from_response(422, None, &strings),
        SendFailure::Rejected("the support desk refused the ticket (422)".into())
    );
    assert_eq!(
        SendFailure::from_response(503, None, &strings),
        SendFailure::Retryable("the support desk answered 503".into())
    );
    let mut limited = Refusal::new(RefusalCode::RateLimited, "slow down");
    limited.retry_after_seconds = Some(120);
    assert!(matches!(
        SendFailure::from_response(429, Some(limited), &strings),
        SendFailure::Waiting {
            after_ms: 120_000,
            ..
        }
    ));
    let unavailable = Refusal::new(RefusalCode::Unavailable, "");
    assert!(matches!(
        SendFailure::from_response(503, Some(unavailable), &strings),
        SendFailure::Retryable(_)
    ));
    let too_large = Refusal::new(RefusalCode::TooLarge, "");
    assert!(matches!(
        SendFailure::from_response(413, Some(too_large), &strings),
        SendFailure::Rejected(words) if words.starts_with("it is larger")
    ));
}

#[test]
fn the_page_can_prefill_the_draft_and_report_an_error_to_search_for() {
    let mut session = Session::new(ticket("T-1"));
    session.draft_mut().name = "Ada".into();
    session.prefill(Prefill {
        email: Some("ada@example.com".into()),
        ..Prefill::default()
    });
    assert_eq!(
        (
            session.draft().name.as_str(),
            session.draft().email.as_str()
        ),
        ("Ada", "ada@example.com")
    );
    session.contact_support(&[]);
    let text = session.report_error(" E-UP-413 ", " Upload failed ");
    assert_eq!(text, "E-UP-413 Upload failed");
    assert_eq!(session.query(), text);
    assert_eq!(session.draft().error_message, text);
    assert_eq!(session.screen(), &Screen::Search);
    assert_eq!(session.report_error("", "only words"), "only words");
}

#[test]
fn the_email_link_encodes_like_encode_uri_component() {
    let mut t = ticket("T-1");
    t.trying_to_do = "export & import (CSV)".into();
    let link = mailto("help@example.com", &t, "(attach)");
    let subject = link
        .split("subject=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    assert_eq!(
        subject,
        "Support%20ticket%20T-1%3A%20export%20%26%20import%20(CSV)"
    );
    assert!(!link.contains("attach"), "no attachments, no note");
}
