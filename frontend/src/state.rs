//! The widget's state: [`State`], the [`Action`]s components send, and the reducer. The
//! drafts and their checks are in [`crate::drafts`], the saved-progress format in
//! [`crate::storage`], import and export in [`crate::export`]; scores come from the engine.

use crate::drafts::{
    AnswerDraft, Choice, LeadDraft, LeadErrors, LeadField, ProfileDraft, ProfileErrors,
    ProfileField, Section, SystemDraft, sections,
};
use crate::json;
use crate::storage::Saved;
use aims_engine::{
    AnswerInput, AssessmentInput, Bank, CallToAction, Evaluation, Mode, Named, RawLevel,
};
use std::rc::Rc;
use yew::Reducible;

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// What this is, how long it takes, privacy.
    Intro,
    /// The organisation profile form.
    Profile,
    /// One section of questions at a time.
    Questions,
    /// Score, gaps, estimate, roadmap, exports and the lead form.
    Results,
}

/// The names saved progress uses (`"questions"`), in declaration order.
impl Named for Screen {
    const ALL: &'static [Screen] = &[
        Screen::Intro,
        Screen::Profile,
        Screen::Questions,
        Screen::Results,
    ];
    const NAMES: &'static [&'static str] = &["intro", "profile", "questions", "results"];

    fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Where the lead submission stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Submission {
    /// Not sent.
    Idle,
    /// In flight; `attempt` grows with each try, and the request hook fires on it.
    Sending {
        /// 1 for the first try.
        attempt: u32,
    },
    /// Stored by the server.
    Done {
        /// The assessment's ID.
        id: String,
        /// Link to the server's report.
        report: String,
    },
    /// The server refused it or could not be reached; everything typed is kept.
    Failed {
        /// What went wrong, for the visitor.
        message: String,
        /// Whether trying again may help (network trouble, server busy).
        retry: bool,
        /// The attempt that failed.
        attempt: u32,
    },
}

/// Everything the widget holds.
#[derive(Debug, Clone)]
pub struct State {
    /// The question bank in use (the embedded one, or the API's).
    pub bank: Rc<Bank>,
    /// The questionnaire's sections for this mode.
    pub sections: Rc<Vec<Section>>,
    /// Quick quiz or full assessment (from `data-mode`).
    pub mode: Mode,
    /// The API's base URL (from `data-api`), if any.
    pub api: Option<String>,
    /// The screen showing.
    pub screen: Screen,
    /// The profile form.
    pub profile: ProfileDraft,
    /// Messages for profile fields that are not right.
    pub profile_errors: ProfileErrors,
    /// Answers, indexed as the bank's question list.
    pub answers: Vec<Option<AnswerDraft>>,
    /// Questions (indices into the bank's list) whose not-applicable answer still needs a
    /// justification, once the visitor tried to move on.
    pub missing_justifications: Vec<usize>,
    /// The section showing.
    pub section: usize,
    /// The live evaluation of the answers so far (once the profile is valid).
    pub evaluation: Option<Rc<Evaluation>>,
    /// A message about something the widget did on its own (answers dropped after a bank
    /// update, a file that could not be imported).
    pub notice: Option<String>,
    /// The lead form.
    pub lead: LeadDraft,
    /// Messages for lead fields that are not right.
    pub lead_errors: LeadErrors,
    /// The lead submission.
    pub submission: Submission,
    /// The page's origin, when the API said it does not accept results from it.
    pub origin_refused: Option<String>,
    /// Grows with every submit or move refused because a field is not right: the error
    /// summary then takes the focus to the first such field.
    pub refused: u32,
    /// Grows with every change worth saving.
    pub revision: u32,
    /// Grows with every action (what makes two states different for rendering).
    pub generation: u64,
    /// The host page's own call to action (`data-cta-label`, `data-cta-url`), which wins
    /// over the server's.
    pub host_cta: Option<CallToAction>,
    /// A full assessment this widget went on to from its quick quiz's results.
    pub from_quiz: bool,
    /// Answers carried over from the quick quiz that the visitor has not confirmed yet.
    pub unconfirmed: Vec<usize>,
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation && Rc::ptr_eq(&self.bank, &other.bank)
    }
}

/// Everything that can happen.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Leave the intro for the profile.
    Start,
    /// A profile field changed.
    Profile(ProfileField),
    /// The profile is done: check it and go on to the questions.
    SubmitProfile,
    /// Back to the profile.
    EditProfile,
    /// An answer was picked for the question at this index of the bank's list.
    Answer(usize, Choice),
    /// A not-applicable justification was typed for the question at this index.
    Justify(usize, String),
    /// Mark the questions the bank proposes as not applicable for this role.
    AcceptSuggestions,
    /// Show a section.
    GoToSection(usize),
    /// Next section, or the results after the last one.
    Next,
    /// Previous section, or the profile before the first one.
    Back,
    /// Back from the results to the questions.
    EditAnswers,
    /// Go on from the quick quiz's results to the full assessment, with what is known.
    ContinueInFull,
    /// Forget everything and start again.
    StartOver,
    /// Resume from an exported JSON file.
    Import(String),
    /// The API's bank arrived.
    BankLoaded(crate::app::BankRef),
    /// The API does not accept results from this page's origin (given).
    OriginRefused(String),
    /// A lead field changed.
    Lead(LeadField),
    /// Check the lead and send it.
    SubmitLead,
    /// The server stored the lead.
    LeadStored {
        /// The assessment's ID.
        id: String,
    },
    /// The lead could not be stored.
    LeadFailed {
        /// What went wrong.
        message: String,
        /// Whether a retry may help.
        retry: bool,
        /// Field messages from the server (`"email"` → text).
        fields: Vec<(String, String)>,
    },
    /// Hide the notice.
    DismissNotice,
}

impl State {
    /// The call to action the results show: the host page's, else the server's, with
    /// `{band}` and `{score}` in its address filled in from the result (URL-encoded).
    pub fn call_to_action(&self) -> Option<CallToAction> {
        let cta = self
            .host_cta
            .clone()
            .or_else(|| self.bank.data().site.as_ref()?.cta.clone())?;
        let result = &self.evaluation.as_ref()?.result;
        let band = String::from(js_sys::encode_uri_component(result.band.as_str()));
        let score = aims_engine::num::whole(result.overall).to_string();
        let url = cta.url.replace("{band}", &band).replace("{score}", &score);
        Some(CallToAction { url, ..cta })
    }

    /// A fresh state for a widget.
    pub fn new(bank: Rc<Bank>, mode: Mode, api: Option<String>) -> State {
        let questions = bank.data().questions.len();
        State {
            sections: Rc::new(sections(&bank, mode)),
            bank,
            mode,
            api,
            screen: Screen::Intro,
            profile: ProfileDraft::default(),
            profile_errors: ProfileErrors::default(),
            answers: vec![None; questions],
            missing_justifications: Vec::new(),
            section: 0,
            evaluation: None,
            notice: None,
            lead: LeadDraft::default(),
            lead_errors: LeadErrors::default(),
            submission: Submission::Idle,
            origin_refused: None,
            refused: 0,
            revision: 0,
            generation: 0,
            host_cta: None,
            from_quiz: false,
            unconfirmed: Vec::new(),
        }
    }

    /// A state resumed from what was saved, keeping only answers the bank still accepts.
    pub fn resume(mut self, saved: Saved) -> State {
        self.profile = saved.profile;
        self.restore_answers(&saved.answers, &saved.bank_version);
        let profile_ok = self.profile.to_profile(&self.bank, self.mode).is_ok();
        self.screen = match saved.screen {
            Screen::Questions | Screen::Results if !profile_ok => Screen::Profile,
            s => s,
        };
        self.section = saved.section.min(self.sections.len().saturating_sub(1));
        self.restore_unconfirmed(&saved.unconfirmed);
        if let Some(sent) = saved.sent {
            self.submission = Submission::Done {
                id: sent.id,
                report: sent.report,
            };
        }
        self.recompute();
        self
    }

    /// A fresh start in `mode` that keeps the setup: the bank, the API and what it said
    /// of this page, the host's call to action, and the counters (so that the change is
    /// saved and rendered).
    pub(crate) fn restarted(&self, mode: Mode) -> State {
        let mut fresh = State::new(self.bank.clone(), mode, self.api.clone());
        fresh.origin_refused = self.origin_refused.clone();
        fresh.host_cta = self.host_cta.clone();
        (fresh.revision, fresh.generation) = (self.revision, self.generation);
        fresh
    }

    /// The full assessment that follows this quick quiz: its profile (the counts as an
    /// inventory to name) and each quick answer as the starting point of every full
    /// question on the same requirements, marked to confirm. It opens on the profile.
    fn continue_in_full(&self) -> State {
        let mut full = self.restarted(Mode::Full);
        full.from_quiz = true;
        full.profile = ProfileDraft {
            systems: (self.profile.counts.to_systems().unwrap_or_default().iter())
                .map(SystemDraft::from_system)
                .collect(),
            ..self.profile.clone()
        };
        let questions = &self.bank.data().questions;
        for (i, q) in questions.iter().enumerate().filter(|(_, q)| !q.quick) {
            let quick = questions.iter().zip(&self.answers).find_map(|(quick, a)| {
                let covers = q.refs.first().is_some_and(|r| quick.refs.contains(r));
                a.as_ref().filter(|_| quick.quick && covers)
            });
            let Some(answer) = quick else { continue };
            if answer.choice != Choice::NotApplicable || self.bank.allows_not_applicable(&q.id) {
                full.answers[i] = Some(answer.clone());
                full.unconfirmed.push(i);
            }
        }
        full.screen = Screen::Profile;
        full.notice = Some(format!(
            "Your quick quiz fills in {} of the {} questions as starting points, each marked \"from the quick quiz — please confirm\". Name your AI systems first.",
            full.unconfirmed.len(),
            full.total_questions(),
        ));
        full.recompute();
        full
    }

    /// The carried-over answers still to confirm, from their IDs: those this bank has and
    /// that are answered.
    fn restore_unconfirmed(&mut self, ids: &[String]) {
        let data = self.bank.data();
        self.unconfirmed = (data.questions.iter().enumerate())
            .filter(|(i, q)| ids.contains(&q.id) && self.answers[*i].is_some())
            .map(|(i, _)| i)
            .collect();
    }

    /// What to save.
    pub fn saved(&self) -> Saved {
        Saved {
            bank_version: self.bank.version().to_string(),
            screen: self.screen,
            section: self.section,
            profile: self.profile.clone(),
            answers: self.answer_inputs(true),
            unconfirmed: (self.unconfirmed.iter())
                .map(|&i| self.bank.data().questions[i].id.clone())
                .collect(),
            sent: match &self.submission {
                Submission::Done { id, report } => Some(crate::storage::Sent {
                    id: id.clone(),
                    report: report.clone(),
                }),
                _ => None,
            },
        }
    }

    /// Number of questions in this mode.
    pub fn total_questions(&self) -> usize {
        self.sections.iter().map(|s| s.questions.len()).sum()
    }

    /// Number of questions answered (a not-applicable answer counts once it is justified).
    pub fn answered(&self) -> usize {
        self.answers
            .iter()
            .flatten()
            .filter(|a| a.complete())
            .count()
    }

    /// Answers in bank order; with `drafts`, also not-applicable answers without a reason
    /// yet (to save them), otherwise only what the engine accepts.
    pub fn answer_inputs(&self, drafts: bool) -> Vec<AnswerInput> {
        let questions = &self.bank.data().questions;
        questions
            .iter()
            .zip(&self.answers)
            .filter_map(|(q, a)| {
                let a = a.as_ref()?;
                a.to_input(&q.id).or_else(|| {
                    drafts.then(|| AnswerInput {
                        question: q.id.clone(),
                        level: RawLevel::Text("not_applicable".into()),
                        justification: Some(a.justification.clone()),
                    })
                })
            })
            .collect()
    }

    /// The assessment in the wire format, if the profile is valid.
    pub fn input(&self) -> Option<AssessmentInput> {
        let profile = self.profile.to_profile(&self.bank, self.mode).ok()?;
        Some(AssessmentInput {
            mode: self.mode,
            bank_version: Some(self.bank.version().to_string()),
            profile,
            answers: self.answer_inputs(false),
            soa: None,
        })
    }

    /// The request body for `POST /api/v1/assessments`: answers and profile, never a score,
    /// with the contact details as `lead`.
    pub fn lead_body(&self) -> Option<String> {
        let input = self.input()?;
        let l = &self.lead;
        Some(json::object(|o| {
            json::write_assessment_input(o, &input);
            o.object("lead", |o| {
                o.string("name", l.name.trim());
                o.string("email", l.email.trim());
                for (key, value) in [
                    ("company", &l.company),
                    ("phone", &l.phone),
                    ("role", &l.role),
                ] {
                    if !value.trim().is_empty() {
                        o.string(key, value.trim());
                    }
                }
                o.boolean("consent", l.consent);
                if l.send_report {
                    o.boolean("send_report", true);
                }
            });
        }))
    }

    /// Recomputes the live evaluation from the profile and answers.
    pub(crate) fn recompute(&mut self) {
        self.evaluation = self
            .input()
            .and_then(|input| self.bank.evaluate_input(&input).ok())
            .map(Rc::new);
    }

    /// Loads answers given against `version`, dropping those this bank does not accept,
    /// and says what was dropped.
    pub(crate) fn restore_answers(&mut self, answers: &[AnswerInput], version: &str) {
        self.answers = vec![None; self.bank.data().questions.len()];
        let mut dropped = Vec::new();
        for a in answers {
            let index = self
                .bank
                .question_index(&a.question)
                .filter(|&i| self.bank.data().questions[i].quick == (self.mode == Mode::Quick));
            match (index, AnswerDraft::from_input(a)) {
                (Some(i), Some(d))
                    if d.choice != Choice::NotApplicable
                        || self.bank.allows_not_applicable(&a.question) =>
                {
                    self.answers[i] = Some(d);
                }
                _ => dropped.push(a.question.clone()),
            }
        }
        let current = self.bank.version();
        self.notice = match (version == current, dropped.is_empty()) {
            (true, true) => None,
            (true, false) => Some(format!(
                "{} answer(s) did not match this questionnaire and were left out: {}.",
                dropped.len(),
                dropped.join(", ")
            )),
            (false, true) => Some(format!(
                "The questionnaire was updated from version {version} to {current}. All your answers were kept."
            )),
            (false, false) => Some(format!(
                "The questionnaire was updated from version {version} to {current}. Your answers were kept, except {} that no longer apply: {}.",
                dropped.len(),
                dropped.join(", ")
            )),
        };
    }

    /// Not-applicable answers without a justification, in bank order, within `sections`.
    fn unjustified(&self, sections: std::ops::Range<usize>) -> Vec<usize> {
        self.sections[sections]
            .iter()
            .flat_map(|s| s.questions.iter().copied())
            .filter(|&i| self.answers[i].as_ref().is_some_and(|a| !a.complete()))
            .collect()
    }

    /// The section holding a question.
    fn section_of(&self, question: usize) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.questions.contains(&question))
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Start => self.screen = Screen::Profile,
            Action::Profile(field) => {
                self.profile.update(field, &mut self.profile_errors);
                // On the results, a field that is not right keeps the last results.
                if self.screen == Screen::Results
                    && let Err(errors) = self.profile.to_profile(&self.bank, self.mode)
                {
                    self.profile_errors = *errors;
                    return;
                }
                self.recompute();
            }
            Action::SubmitProfile => match self.profile.to_profile(&self.bank, self.mode) {
                Ok(_) => {
                    self.profile_errors = ProfileErrors::default();
                    self.screen = Screen::Questions;
                    self.recompute();
                }
                Err(errors) => {
                    self.profile_errors = *errors;
                    self.refused += 1;
                }
            },
            Action::EditProfile => self.screen = Screen::Profile,
            Action::Answer(i, choice) => {
                let Some(q) = self.bank.data().questions.get(i) else {
                    return;
                };
                if q.quick != (self.mode == Mode::Quick)
                    || (choice == Choice::NotApplicable && !self.bank.allows_not_applicable(&q.id))
                {
                    return;
                }
                self.answers[i]
                    .get_or_insert_with(|| AnswerDraft {
                        choice,
                        justification: String::new(),
                    })
                    .choice = choice;
                if choice != Choice::NotApplicable {
                    self.missing_justifications.retain(|&q| q != i);
                }
                self.unconfirmed.retain(|&q| q != i);
                self.recompute();
            }
            Action::Justify(i, text) => {
                if let Some(Some(a)) = self.answers.get_mut(i) {
                    a.justification = text;
                    if a.complete() {
                        self.missing_justifications.retain(|&q| q != i);
                    }
                    self.recompute();
                }
            }
            Action::AcceptSuggestions => {
                let Ok(profile) = self.profile.to_profile(&self.bank, self.mode) else {
                    return;
                };
                let bank = self.bank.clone();
                for (i, why) in bank.proposed_not_applicable(&profile.inventory(), self.mode) {
                    if let Some(slot @ None) = self.answers.get_mut(i) {
                        *slot = Some(AnswerDraft {
                            choice: Choice::NotApplicable,
                            justification: why,
                        });
                    }
                }
                self.recompute();
            }
            Action::GoToSection(i) => {
                if i < self.sections.len() {
                    self.section = i;
                    self.screen = Screen::Questions;
                }
            }
            Action::Next => {
                let missing = self.unjustified(self.section..self.section + 1);
                if !missing.is_empty() {
                    self.missing_justifications = missing;
                    self.refused += 1;
                    return;
                }
                if self.section + 1 < self.sections.len() {
                    self.section += 1;
                } else {
                    let missing = self.unjustified(0..self.sections.len());
                    if let Some(&first) = missing.first() {
                        self.section = self.section_of(first).unwrap_or(0);
                        self.missing_justifications = missing;
                        self.refused += 1;
                        return;
                    }
                    self.recompute();
                    if self.evaluation.is_some() {
                        self.screen = Screen::Results;
                    } else {
                        self.screen = Screen::Profile;
                    }
                }
            }
            Action::Back => {
                if self.section > 0 {
                    self.section -= 1;
                } else {
                    self.screen = Screen::Profile;
                }
            }
            Action::EditAnswers => self.screen = Screen::Questions,
            Action::ContinueInFull => {
                if self.mode == Mode::Quick {
                    *self = self.continue_in_full();
                }
            }
            Action::StartOver => {
                // A full assessment started from the quick quiz starts over as the quiz.
                let mode = if self.from_quiz {
                    Mode::Quick
                } else {
                    self.mode
                };
                *self = self.restarted(mode);
            }
            Action::Import(text) => self.import(&text),
            Action::BankLoaded(crate::app::BankRef(bank)) => {
                if bank.version() == self.bank.version() {
                    // The same questions; the server's copy may still carry its site's
                    // settings (the call to action).
                    self.bank = bank;
                    return;
                }
                let saved = self.saved();
                self.sections = Rc::new(sections(&bank, self.mode));
                self.bank = bank;
                self.restore_answers(&saved.answers, &saved.bank_version);
                self.restore_unconfirmed(&saved.unconfirmed);
                self.section = self.section.min(self.sections.len().saturating_sub(1));
                self.recompute();
            }
            Action::OriginRefused(origin) => self.origin_refused = Some(origin),
            Action::Lead(field) => self.lead.update(field, &mut self.lead_errors),
            Action::SubmitLead => {
                if matches!(
                    self.submission,
                    Submission::Sending { .. } | Submission::Done { .. }
                ) {
                    return;
                }
                self.lead_errors = self.lead.check();
                if !self.lead_errors.is_empty() {
                    self.refused += 1;
                }
                if self.lead_errors.is_empty() && self.api.is_some() {
                    let attempt = match self.submission {
                        Submission::Failed { attempt, .. } => attempt + 1,
                        _ => 1,
                    };
                    self.submission = Submission::Sending { attempt };
                }
            }
            Action::LeadStored { id } => {
                let base = self.api.clone().unwrap_or_default();
                let report = format!(
                    "{}/api/v1/assessments/{id}/report",
                    base.trim_end_matches('/')
                );
                self.submission = Submission::Done { id, report };
            }
            Action::LeadFailed {
                message,
                retry,
                fields,
            } => {
                if !fields.is_empty() {
                    self.refused += 1;
                }
                for (field, text) in fields {
                    self.lead_errors.set(&field, text);
                }
                let attempt = match self.submission {
                    Submission::Sending { attempt } => attempt,
                    _ => 0,
                };
                self.submission = Submission::Failed {
                    message,
                    retry,
                    attempt,
                };
            }
            Action::DismissNotice => self.notice = None,
        }
    }
}

/// How a mode is named to visitors.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Quick => "quick quiz",
        Mode::Full => "full gap assessment",
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let saves = !matches!(action, Action::DismissNotice | Action::LeadFailed { .. });
        next.apply(action);
        next.generation = next.generation.wrapping_add(1);
        if saves {
            next.revision = next.revision.wrapping_add(1);
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::{CountField, SystemField};
    use crate::drafts::{FloatText, float_syntax};
    use crate::export::EXPORT_FORMAT;
    use aims_engine::{Framework, Size};

    #[test]
    fn float_syntax_is_rusts() {
        let alphabet = [
            "0", "1", "9", ".", "e", "E", "+", "-", "a", "n", "i", "f", "x", "_", " ", "１",
        ];
        let mut texts: Vec<String> = [
            "inf",
            "Infinity",
            "INF",
            "-inf",
            "+Infinity",
            "infinit",
            "nan",
            "NaN",
            "-nan",
            "+NAN",
            "nana",
            "1e",
            "1e+",
            "1.e5",
            ".5",
            "5.",
            ".",
            "",
            "1.5",
            "-0",
            "007",
            "1e400",
            "1e-400",
            "0x1",
            "1,5",
            "12345678901234567890123.25e-3",
        ]
        .map(String::from)
        .to_vec();
        let mut current = vec![String::new()];
        for _ in 0..4 {
            current = current
                .iter()
                .flat_map(|t| alphabet.iter().map(move |a| format!("{t}{a}")))
                .collect();
            texts.extend(current.iter().cloned());
        }
        for t in &texts {
            let rust = t.parse::<f64>();
            match float_syntax(t) {
                None => assert!(rust.is_err(), "{t:?} is a float to Rust"),
                Some(FloatText::Decimal) => assert!(rust.is_ok(), "{t:?} is no float to Rust"),
                Some(FloatText::Special(x)) => {
                    let r = rust.unwrap_or_else(|_| panic!("{t:?} is no float to Rust"));
                    assert_eq!(x.to_bits(), r.to_bits(), "{t:?}");
                }
            }
        }
    }

    /// The index of a question in the embedded bank.
    fn q(id: &str) -> usize {
        Bank::embedded().question_index(id).unwrap()
    }

    fn state(mode: Mode) -> State {
        State::new(Rc::new(Bank::embedded().clone()), mode, None)
    }

    fn reduce(s: State, actions: impl IntoIterator<Item = Action>) -> State {
        let mut s = Rc::new(s);
        for a in actions {
            s = s.reduce(a);
        }
        (*s).clone()
    }

    #[test]
    fn a_sent_lead_is_saved_with_the_progress_and_comes_back_on_resume() {
        let mut s = state(Mode::Quick);
        s.api = Some("https://api.example/".into());
        let sent = reduce(s, [Action::LeadStored { id: "a1".into() }]);
        assert!(sent.revision > 0, "storing a lead is a change worth saving");
        // (Its JSON round trip runs in the browser: the e2e reload test.)
        let back = state(Mode::Quick).resume(sent.saved());
        assert_eq!(
            back.submission,
            Submission::Done {
                id: "a1".into(),
                report: "https://api.example/api/v1/assessments/a1/report".into()
            }
        );
        let fresh = reduce(back, [Action::StartOver]);
        assert_eq!(fresh.saved().sent, None, "starting over forgets it");
    }

    #[test]
    fn the_quick_quiz_asks_a_few_questions_per_page_and_keeps_every_one() {
        let s = state(Mode::Quick);
        let pages: Vec<(&str, usize)> = s
            .sections
            .iter()
            .map(|p| (p.title.as_str(), p.questions.len()))
            .collect();
        assert!(pages.iter().all(|(_, n)| *n >= 3), "{pages:?}");
        assert!(pages.len() <= 6, "{pages:?}");
        assert_eq!(s.total_questions(), 19);
        assert_eq!(
            pages[0].0,
            "Clauses 4–5 · Context of the organization and Leadership"
        );
        assert!(pages.iter().any(|(t, _)| t.starts_with("Annex A · ")));
        // No page mixes clauses with Annex A controls.
        for p in s.sections.iter() {
            let groups: Vec<bool> = p
                .questions
                .iter()
                .map(|&i| s.bank.data().questions[i].refs[0].starts_with("A."))
                .collect();
            assert!(groups.iter().all(|&a| a == p.annex_a), "{}", p.title);
        }
        // The full assessment keeps one clause or objective per section.
        assert_eq!(state(Mode::Full).sections.len(), 17);
    }

    #[test]
    fn the_full_assessment_starts_from_the_quick_quiz_and_asks_to_confirm_what_it_carried() {
        let quick = reduce(
            with_profile(Mode::Quick),
            [
                Action::Profile(ProfileField::Count(CountField::Total("3".into()))),
                Action::Profile(ProfileField::Framework(Framework::Iso27001, true)),
                Action::Answer(q("q-quick-context"), Choice::Level(3)),
                Action::Answer(q("q-quick-data"), Choice::Unknown),
                Action::ContinueInFull,
            ],
        );
        assert_eq!((quick.mode, quick.screen), (Mode::Full, Screen::Profile));
        assert!(quick.from_quiz && quick.notice.is_some());
        let p = &quick.profile;
        assert_eq!(p.size, Some(Size::UpTo250));
        assert_eq!(p.frameworks, vec![Framework::Iso27001]);
        assert_eq!(p.systems.len(), 3, "the count became an inventory to name");
        // Every full question on the context requirements starts at the quiz's level.
        let context = ["q-4-1", "q-4-2", "q-4-3", "q-4-4"].map(q);
        for i in context {
            assert_eq!(
                quick.answers[i].as_ref().map(|a| a.choice),
                Some(Choice::Level(3))
            );
            assert!(quick.unconfirmed.contains(&i));
        }
        assert!(
            quick
                .unconfirmed
                .iter()
                .all(|&i| !quick.bank.data().questions[i].quick)
        );
        assert_eq!(quick.answers[q("q-5-1")], None, "nothing is invented");
        // Choosing an answer, even the same, confirms it; the rest survives a reload.
        let confirmed = reduce(quick, [Action::Answer(context[0], Choice::Level(3))]);
        assert!(!confirmed.unconfirmed.contains(&context[0]));
        let mut back = state(Mode::Full).resume(confirmed.saved());
        assert_eq!(back.unconfirmed, confirmed.unconfirmed);
        back.from_quiz = true; // as the widget does for progress under `continued_key`
        // A newer bank with its questions in another order keeps the marks on their
        // questions; an import drops them.
        let mut data = back.bank.data().clone();
        data.accepts_versions.push(data.version.clone());
        data.version = "9.9.9".into();
        let last = data.questions.pop().unwrap();
        data.questions.insert(0, last);
        let newer = Rc::new(Bank::new(data).expect("the reordered bank is valid"));
        let marked = |s: &State| -> Vec<String> {
            let mut ids: Vec<String> = (s.unconfirmed.iter())
                .map(|&i| s.bank.data().questions[i].id.clone())
                .collect();
            ids.sort();
            ids
        };
        let before = marked(&back);
        let back = reduce(back, [Action::BankLoaded(crate::app::BankRef(newer))]);
        assert_eq!(marked(&back), before);
        let exported = back.export_json().unwrap();
        let imported = reduce(back.clone(), [Action::Import(exported)]);
        assert!(
            imported.unconfirmed.is_empty(),
            "imported answers are confirmed"
        );
        // Starting over goes back to the quiz.
        let fresh = reduce(back, [Action::StartOver]);
        assert_eq!((fresh.mode, fresh.from_quiz), (Mode::Quick, false));
    }

    #[test]
    fn sharpening_the_estimate_on_the_results_keeps_them_while_a_field_is_wrong() {
        let mut s = reduce(
            with_profile(Mode::Quick),
            [Action::Answer(q("q-quick-context"), Choice::Level(1))],
        );
        s.screen = Screen::Results;
        let before = s.evaluation.clone().unwrap();
        let s = reduce(s, [Action::Profile(ProfileField::Capacity("0".into()))]);
        assert!(s.profile_errors.capacity_fte.is_some());
        assert!(
            Rc::ptr_eq(s.evaluation.as_ref().unwrap(), &before),
            "the results stay"
        );
        let s = reduce(s, [Action::Profile(ProfileField::Capacity("3".into()))]);
        assert!(s.profile_errors.is_empty());
        let after = s.evaluation.clone().unwrap();
        let weeks = |e: &Evaluation| e.estimate.weeks_to_certification.likely;
        assert!(weeks(&after) < weeks(&before), "more people, sooner");
    }

    fn with_profile(mode: Mode) -> State {
        reduce(
            state(mode),
            [
                Action::Start,
                Action::Profile(ProfileField::Size(Some(Size::UpTo250))),
                Action::Profile(ProfileField::System(0, SystemField::Name("Chatbot".into()))),
                Action::SubmitProfile,
            ],
        )
    }

    #[test]
    fn the_profile_form_names_every_missing_or_wrong_field() {
        let s = reduce(
            state(Mode::Quick),
            [
                Action::Start,
                Action::Profile(ProfileField::Count(CountField::Total("three".into()))),
                Action::Profile(ProfileField::Capacity("0".into())),
                Action::SubmitProfile,
            ],
        );
        assert_eq!(s.screen, Screen::Profile);
        let e = &s.profile_errors;
        assert!(e.size.is_some() && e.counts.is_some());
        assert!(e.capacity_fte.is_none() && e.sector.is_none() && e.start_date.is_none());
        // The error summary: each message once, with its field, in the form's order.
        let listed: Vec<String> = e.listed().into_iter().map(|(id, _)| id).collect();
        assert_eq!(listed, ["aims-size", "aims-count-total"]);
        assert_eq!(e.listed()[0].1, *e.size.as_ref().unwrap());
        assert_eq!(s.refused, 1, "a refused submit moves the focus");
        let s = reduce(
            s,
            [
                Action::Profile(ProfileField::Count(CountField::Total("3".into()))),
                Action::Profile(ProfileField::Size(Some(Size::UpTo50))),
                Action::SubmitProfile,
            ],
        );
        // The engine's own range check: capacity 0 is refused with its reason.
        assert_eq!(s.screen, Screen::Profile);
        let capacity = s.profile_errors.capacity_fte.as_deref().unwrap();
        assert!(capacity.contains("between 0.1 and 500"), "{capacity}");
        assert_eq!(s.refused, 2);
        // Typing on a field clears its message but is not a refusal.
        let s = reduce(s, [Action::Profile(ProfileField::Capacity("1".into()))]);
        assert_eq!((s.refused, s.profile_errors.listed()), (2, vec![]));
    }

    #[test]
    fn the_live_score_follows_the_answers_and_never_trusts_anything_else() {
        let s = with_profile(Mode::Quick);
        assert_eq!(s.screen, Screen::Questions);
        let before = s.evaluation.as_ref().unwrap().result.overall;
        let s = reduce(s, [Action::Answer(q("q-quick-context"), Choice::Level(4))]);
        let after = s.evaluation.as_ref().unwrap().result.overall;
        assert!(after > before);
        // The live figure is exactly what the engine computes for the same input.
        let direct = Bank::embedded()
            .evaluate_input(&s.input().unwrap())
            .unwrap();
        assert_eq!(direct.result.overall, after);
        // Unknown questions, questions of the other mode and refused choices are ignored.
        let s2 = reduce(
            s.clone(),
            [
                Action::Answer(usize::MAX, Choice::Level(4)),
                Action::Answer(q("q-4-1"), Choice::Level(4)),
            ],
        );
        assert_eq!(s2.answers.iter().flatten().count(), 1);
        let s3 = reduce(
            s,
            [Action::Answer(q("q-quick-context"), Choice::NotApplicable)],
        );
        assert_eq!(
            s3.answers[q("q-quick-context")].as_ref().unwrap().choice,
            Choice::Level(4)
        );
    }

    #[test]
    fn leaving_a_section_needs_justified_exclusions() {
        let mut s = with_profile(Mode::Full);
        let a6 = s.sections.iter().position(|x| x.id == "A.6.2").unwrap();
        s = reduce(
            s,
            [
                Action::GoToSection(a6),
                Action::Answer(q("q-a-6-2-5"), Choice::NotApplicable),
                Action::Next,
            ],
        );
        assert_eq!(s.section, a6);
        assert_eq!(s.missing_justifications, [q("q-a-6-2-5")]);
        s = reduce(
            s,
            [
                Action::Justify(q("q-a-6-2-5"), "We deploy no models.".into()),
                Action::Next,
            ],
        );
        assert!(s.missing_justifications.is_empty());
        assert_eq!(s.section, a6 + 1);
        let input = s.input().unwrap();
        let na = input
            .answers
            .iter()
            .find(|a| a.question == "q-a-6-2-5")
            .unwrap();
        assert_eq!(na.justification.as_deref(), Some("We deploy no models."));
    }

    #[test]
    fn suggested_exclusions_apply_only_to_open_questions() {
        let s = with_profile(Mode::Full);
        let s = reduce(
            s,
            [
                Action::Answer(q("q-a-7-2"), Choice::Level(2)),
                Action::AcceptSuggestions,
            ],
        );
        assert_eq!(
            s.answers[q("q-a-7-2")].as_ref().unwrap().choice,
            Choice::Level(2)
        );
        let excluded: Vec<_> = s
            .answers
            .iter()
            .flatten()
            .filter(|a| a.choice == Choice::NotApplicable)
            .collect();
        assert!(!excluded.is_empty());
        assert!(excluded.iter().all(|a| !a.justification.is_empty()));
    }

    #[test]
    fn an_export_imports_back_to_the_same_assessment() {
        let s = reduce(
            with_profile(Mode::Full),
            [
                Action::Answer(q("q-4-1"), Choice::Level(3)),
                Action::Answer(q("q-7-5"), Choice::Unknown),
                Action::Answer(q("q-a-6-2-5"), Choice::NotApplicable),
                Action::Justify(q("q-a-6-2-5"), "No deployment here.".into()),
            ],
        );
        let exported = s.export_json().unwrap();
        assert!(exported.contains(EXPORT_FORMAT));
        let back = reduce(state(Mode::Full), [Action::Import(exported)]);
        assert_eq!(back.input(), s.input());
        assert_eq!(back.screen, Screen::Questions);
        // A quick widget refuses a full export, and says why.
        let quick = reduce(
            state(Mode::Quick),
            [Action::Import(s.export_json().unwrap())],
        );
        assert!(quick.notice.unwrap().contains("full gap assessment"));
        let junk = reduce(state(Mode::Quick), [Action::Import("{not json".into())]);
        assert_eq!(junk.screen, Screen::Intro);
        assert!(junk.notice.is_some());
    }

    #[test]
    fn the_lead_needs_consent_and_a_valid_email_before_anything_is_sent() {
        let mut s = with_profile(Mode::Quick);
        s.api = Some(String::new());
        let s = reduce(
            s,
            [
                Action::Lead(LeadField::Name("Ada".into())),
                Action::Lead(LeadField::Email("ada@example".into())),
                Action::SubmitLead,
            ],
        );
        assert_eq!(s.submission, Submission::Idle);
        let e = &s.lead_errors;
        assert!(e.email.is_some() && e.consent.is_some());
        assert!(e.name.is_none() && e.company.is_none());
        let s = reduce(
            s,
            [
                Action::Lead(LeadField::Email("ada@example.org".into())),
                Action::Lead(LeadField::Consent(true)),
                Action::SubmitLead,
            ],
        );
        assert_eq!(s.submission, Submission::Sending { attempt: 1 });
        let body = s.lead_body().unwrap();
        assert!(body.contains("\"lead\":{\"name\":\"Ada\",\"email\":\"ada@example.org\""));
        assert!(!body.contains("overall"), "the browser never sends a score");
        assert!(
            !body.contains("send_report"),
            "no report by email unless asked"
        );
        let asked = reduce(s.clone(), [Action::Lead(LeadField::SendReport(true))]);
        assert!(
            asked
                .lead_body()
                .unwrap()
                .contains("\"consent\":true,\"send_report\":true}")
        );
        let failed = reduce(
            s,
            [Action::LeadFailed {
                message: "offline".into(),
                retry: true,
                fields: vec![],
            }],
        );
        let retried = reduce(failed, [Action::SubmitLead]);
        assert_eq!(retried.submission, Submission::Sending { attempt: 2 });
    }

    #[test]
    fn start_over_forgets_everything_but_the_setup() {
        let s = reduce(
            with_profile(Mode::Quick),
            [
                Action::Answer(q("q-quick-context"), Choice::Level(2)),
                Action::StartOver,
            ],
        );
        assert_eq!(s.screen, Screen::Intro);
        assert!(s.answers.iter().all(Option::is_none));
        assert_eq!(s.profile, ProfileDraft::default());
        assert_eq!(s.mode, Mode::Quick);
    }
}
