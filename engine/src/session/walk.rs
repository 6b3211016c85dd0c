//! The guide side of a [`Session`]: opening an article (its guide may still have to be
//! fetched), answering its steps, and escalating to the ticket form with everything the
//! customer already told us.

use std::sync::Arc;

use crate::bundle::{content_chunk_of, ContentChunk};
use crate::guide::{Answer, Guide, GuideSession, GuideState, Outcome};
use crate::ticket::{escalate, Escalation, TriedStep};
use crate::ticket_fields::FieldSpec;

use super::{Event, Screen, Session};

impl Session {
    /// The guide of article `doc`, if its content chunk is here.
    pub fn guide(&self, doc: usize) -> Option<&Guide> {
        self.content.get(&content_chunk_of(doc))?.guide(doc)
    }

    /// What to tell the page when the customer opens article `doc`: from the results, at
    /// `position` (from 1), or by the page (none). Nothing before the article's entry is
    /// here.
    pub fn opened(&self, doc: usize, position: Option<usize>) -> Option<Event> {
        Some(Event::Opened {
            article: self.article(doc)?.id.clone(),
            position,
        })
    }

    /// Shows article `doc`'s guide. Returns the content chunk to fetch when it is not here
    /// yet; the screen says it is loading until [`Session::content_arrived`].
    pub fn open_article(&mut self, doc: usize) -> Option<usize> {
        if let Some(guide) = self.guide(doc) {
            self.screen = Screen::Guide {
                doc,
                session: GuideSession::new(guide),
            };
            return None;
        }
        self.screen = Screen::Opening { doc, error: None };
        Some(content_chunk_of(doc))
    }

    /// Content chunk `n` arrived: the article still being opened, if it is in this chunk,
    /// shows its guide (or says the bundle has none for it).
    pub fn content_arrived(&mut self, n: usize, chunk: Arc<ContentChunk>) {
        self.content.insert(n, chunk);
        let Screen::Opening { doc, .. } = self.screen else {
            return;
        };
        if content_chunk_of(doc) != n {
            return;
        }
        self.screen = match self.guide(doc) {
            Some(guide) => Screen::Guide {
                doc,
                session: GuideSession::new(guide),
            },
            None => Screen::Opening {
                doc,
                error: Some("the bundle has no guide for this article".into()),
            },
        };
    }

    /// Fetching article `doc`'s guide failed: said on its screen if the customer is still
    /// waiting for it (contact stays reachable there).
    pub fn content_failed(&mut self, doc: usize, reason: String) {
        if let Screen::Opening { doc: d, error } = &mut self.screen {
            if *d == doc {
                *error = Some(reason);
            }
        }
    }

    /// Records an answer to the current guide step (a fix's outcome or a question's
    /// choice) and moves on; returns what to tell the page.
    pub fn answer(&mut self, answer: Answer) -> Vec<Event> {
        let Screen::Guide { doc, session } = &mut self.screen else {
            return Vec::new();
        };
        let doc = *doc;
        let answered = match session.state() {
            GuideState::Step(n) => Some(n),
            _ => None,
        };
        match answer {
            Answer::Outcome(outcome) => session.answer(outcome),
            Answer::Choice(choice) => session.choose(choice),
        };
        let article = self.article(doc).map(|a| a.id.clone()).unwrap_or_default();
        let step = answered.and_then(|n| self.guide(doc)?.steps.get(n));
        let (outcome, chosen) = match answer {
            Answer::Outcome(outcome) => (outcome, None),
            Answer::Choice(choice) => (Outcome::Answered, step.and_then(|s| s.choice(choice))),
        };
        let mut events = vec![Event::StepAnswered {
            article: article.clone(),
            step: step.map(|s| s.title.clone()),
            outcome,
            answer: chosen,
        }];
        if outcome == Outcome::Fixed {
            events.push(Event::Resolved { article });
        }
        events
    }

    /// Goes back one step in the guide (answers are kept).
    pub fn step_back(&mut self) {
        if let Screen::Guide { session, .. } = &mut self.screen {
            session.back();
        }
    }

    /// Opens the ticket form, carrying over the query, every guide answer given so far, and
    /// the kb's and the article's questions (`kb_fields`, the guide's `ticket_fields`).
    pub fn contact_support(&mut self, kb_fields: &[FieldSpec]) -> Event {
        let doc = self.screen.article();
        let article = doc.and_then(|doc| self.article(doc)).map(|a| a.id.clone());
        let guide = doc.and_then(|doc| self.guide(doc));
        let tried = match (&self.screen, &article, guide) {
            (Screen::Guide { session, .. }, Some(id), Some(guide)) => {
                TriedStep::from_session(id, guide, session)
            }
            _ => Vec::new(),
        };
        let article_fields = guide.map(|g| g.ticket_fields.clone()).unwrap_or_default();
        let event = Event::Escalated {
            article,
            steps_tried: tried.len(),
        };
        escalate(
            &mut self.draft,
            Escalation {
                query: &self.query,
                tried,
                kb_fields,
                article_fields: &article_fields,
            },
        );
        self.screen = Screen::Form;
        event
    }
}
