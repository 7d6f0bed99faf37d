//! The widget's state: [`State`], the [`Action`]s components send, and the reducer. The
//! drafts and their checks are in [`crate::drafts`], the saved-progress format in
//! [`crate::storage`], import and export in [`crate::export`]; scores come from the engine.

use crate::drafts::{
    AnswerDraft, Choice, FieldErrors, LeadDraft, LeadField, ProfileDraft, ProfileField, Section,
    SmallMap, sections,
};
use crate::json;
use crate::storage::Saved;
use aims_engine::{AnswerInput, AssessmentInput, Bank, Evaluation, Lead, Mode, RawLevel};
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use yew::Reducible;

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

impl Screen {
    /// Every screen, in order.
    pub const ALL: [Screen; 4] = [
        Screen::Intro,
        Screen::Profile,
        Screen::Questions,
        Screen::Results,
    ];

    /// The name saved progress uses (`"questions"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Screen::Intro => "intro",
            Screen::Profile => "profile",
            Screen::Questions => "questions",
            Screen::Results => "results",
        }
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
    pub profile_errors: FieldErrors,
    /// Answers by question ID.
    pub answers: SmallMap<String, AnswerDraft>,
    /// Questions whose not-applicable answer still needs a justification, once the visitor
    /// tried to move on.
    pub missing_justifications: Vec<String>,
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
    pub lead_errors: FieldErrors,
    /// The lead submission.
    pub submission: Submission,
    /// Grows with every change worth saving.
    pub revision: u32,
    /// Grows with every action (what makes two states different for rendering).
    pub generation: u64,
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
    /// An answer was picked.
    Answer(String, Choice),
    /// A not-applicable justification was typed.
    Justify(String, String),
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
    /// Forget everything and start again.
    StartOver,
    /// Resume from an exported JSON file.
    Import(String),
    /// The API's bank arrived.
    BankLoaded(crate::app::BankRef),
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
    /// A fresh state for a widget.
    pub fn new(bank: Rc<Bank>, mode: Mode, api: Option<String>) -> State {
        State {
            sections: Rc::new(sections(&bank, mode)),
            bank,
            mode,
            api,
            screen: Screen::Intro,
            profile: ProfileDraft::default(),
            profile_errors: FieldErrors::new(),
            answers: SmallMap::new(),
            missing_justifications: Vec::new(),
            section: 0,
            evaluation: None,
            notice: None,
            lead: LeadDraft::default(),
            lead_errors: FieldErrors::new(),
            submission: Submission::Idle,
            revision: 0,
            generation: 0,
        }
    }

    /// A state resumed from what was saved, keeping only answers the bank still accepts.
    pub fn resume(mut self, saved: Saved) -> State {
        self.profile = saved.profile;
        self.restore_answers(&saved.answers, &saved.bank_version);
        let profile_ok = self.profile.to_profile(&self.bank).is_ok();
        self.screen = match saved.screen {
            Screen::Questions | Screen::Results if !profile_ok => Screen::Profile,
            s => s,
        };
        self.section = saved.section.min(self.sections.len().saturating_sub(1));
        self.recompute();
        self
    }

    /// What to save.
    pub fn saved(&self) -> Saved {
        Saved {
            bank_version: self.bank.version().to_string(),
            screen: self.screen,
            section: self.section,
            profile: self.profile.clone(),
            answers: self.answer_inputs(true),
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
            .filter(|(id, a)| a.to_input(id).is_some())
            .count()
    }

    /// Answers in bank order; with `drafts`, also not-applicable answers without a reason
    /// yet (to save them), otherwise only what the engine accepts.
    pub fn answer_inputs(&self, drafts: bool) -> Vec<AnswerInput> {
        self.bank
            .questions(self.mode)
            .filter_map(|q| {
                let a = self.answers.get(&q.id)?;
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
        let profile = self.profile.to_profile(&self.bank).ok()?;
        Some(AssessmentInput {
            mode: self.mode,
            bank_version: Some(self.bank.version().to_string()),
            profile,
            answers: self.answer_inputs(false),
        })
    }

    /// The request body for `POST /api/v1/assessments`: answers and profile, never a score,
    /// with the contact details as `lead`.
    pub fn lead_body(&self) -> Option<String> {
        let input = self.input()?;
        let company = self.lead.company.trim();
        Some(json::object(|o| {
            json::write_assessment_input(o, &input);
            o.object("lead", |o| {
                o.string("name", self.lead.name.trim());
                o.string("email", self.lead.email.trim());
                if !company.is_empty() {
                    o.string("company", company);
                }
                o.boolean("consent", self.lead.consent);
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
        self.answers.clear();
        let mut dropped = Vec::new();
        for a in answers {
            let known = self
                .bank
                .question(&a.question)
                .is_some_and(|q| q.quick == (self.mode == Mode::Quick));
            match AnswerDraft::from_input(a) {
                Some(d)
                    if known
                        && (d.choice != Choice::NotApplicable
                            || self.bank.allows_not_applicable(&a.question)) =>
                {
                    self.answers.insert(a.question.clone(), d);
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
    fn unjustified(&self, sections: std::ops::Range<usize>) -> Vec<String> {
        let questions = &self.bank.data().questions;
        self.sections[sections]
            .iter()
            .flat_map(|s| s.questions.iter())
            .map(|&i| &questions[i].id)
            .filter(|id| {
                self.answers.get(*id).is_some_and(|a| {
                    a.choice == Choice::NotApplicable && a.justification.trim().is_empty()
                })
            })
            .cloned()
            .collect()
    }

    /// The section holding a question.
    fn section_of(&self, question: &str) -> Option<usize> {
        let questions = &self.bank.data().questions;
        self.sections
            .iter()
            .position(|s| s.questions.iter().any(|&i| questions[i].id == question))
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Start => self.screen = Screen::Profile,
            Action::Profile(field) => {
                let p = &mut self.profile;
                let key = match field {
                    ProfileField::Size(v) => {
                        p.size = v;
                        "size"
                    }
                    ProfileField::AiSystems(v) => {
                        p.ai_systems = v;
                        "ai_systems"
                    }
                    ProfileField::Role(v) => {
                        p.role = v;
                        "role"
                    }
                    ProfileField::Sector(v) => {
                        p.sector = v;
                        "sector"
                    }
                    ProfileField::HighRisk(v) => {
                        p.high_risk = v;
                        "high_risk"
                    }
                    ProfileField::Framework(f, on) => {
                        p.frameworks.retain(|x| x != &f);
                        if on {
                            p.frameworks.push(f);
                        }
                        "frameworks"
                    }
                    ProfileField::Capacity(v) => {
                        p.capacity_fte = v;
                        "capacity_fte"
                    }
                    ProfileField::StartDate(v) => {
                        p.start_date = v;
                        "start_date"
                    }
                };
                self.profile_errors.remove(key);
                self.recompute();
            }
            Action::SubmitProfile => match self.profile.to_profile(&self.bank) {
                Ok(_) => {
                    self.profile_errors.clear();
                    self.screen = Screen::Questions;
                    self.recompute();
                }
                Err(errors) => self.profile_errors = errors,
            },
            Action::EditProfile => self.screen = Screen::Profile,
            Action::Answer(question, choice) => {
                if self.bank.question(&question).is_none()
                    || (choice == Choice::NotApplicable
                        && !self.bank.allows_not_applicable(&question))
                {
                    return;
                }
                let entry = self.answers.get_or_insert(
                    question.clone(),
                    AnswerDraft {
                        choice,
                        justification: String::new(),
                    },
                );
                entry.choice = choice;
                if choice != Choice::NotApplicable {
                    self.missing_justifications.retain(|q| q != &question);
                }
                self.recompute();
            }
            Action::Justify(question, text) => {
                if let Some(a) = self.answers.get_mut(&question) {
                    a.justification = text;
                    if !a.justification.trim().is_empty() {
                        self.missing_justifications.retain(|q| q != &question);
                    }
                    self.recompute();
                }
            }
            Action::AcceptSuggestions => {
                let Ok(profile) = self.profile.to_profile(&self.bank) else {
                    return;
                };
                let proposals: Vec<(String, String)> = self
                    .bank
                    .proposed_not_applicable(profile.role, self.mode)
                    .into_iter()
                    .map(|(q, why)| (q.id.clone(), why.to_string()))
                    .collect();
                for (id, why) in proposals {
                    if !self.answers.contains_key(&id) {
                        self.answers.insert(
                            id,
                            AnswerDraft {
                                choice: Choice::NotApplicable,
                                justification: why,
                            },
                        );
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
                    return;
                }
                if self.section + 1 < self.sections.len() {
                    self.section += 1;
                } else {
                    let missing = self.unjustified(0..self.sections.len());
                    if let Some(first) = missing.first() {
                        self.section = self.section_of(first).unwrap_or(0);
                        self.missing_justifications = missing;
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
            Action::StartOver => {
                let fresh = State::new(self.bank.clone(), self.mode, self.api.take());
                let (revision, generation) = (self.revision, self.generation);
                *self = fresh;
                self.revision = revision;
                self.generation = generation;
            }
            Action::Import(text) => self.import(&text),
            Action::BankLoaded(crate::app::BankRef(bank)) => {
                if bank.version() == self.bank.version() {
                    return;
                }
                let saved = self.saved();
                self.sections = Rc::new(sections(&bank, self.mode));
                self.bank = bank;
                self.restore_answers(&saved.answers, &saved.bank_version);
                self.section = self.section.min(self.sections.len().saturating_sub(1));
                self.recompute();
            }
            Action::Lead(field) => {
                let key = match field {
                    LeadField::Name(v) => {
                        self.lead.name = v;
                        "name"
                    }
                    LeadField::Email(v) => {
                        self.lead.email = v;
                        "email"
                    }
                    LeadField::Company(v) => {
                        self.lead.company = v;
                        "company"
                    }
                    LeadField::Consent(v) => {
                        self.lead.consent = v;
                        "consent"
                    }
                };
                self.lead_errors.remove(key);
            }
            Action::SubmitLead => {
                if matches!(
                    self.submission,
                    Submission::Sending { .. } | Submission::Done { .. }
                ) {
                    return;
                }
                let lead = Lead {
                    name: self.lead.name.clone(),
                    email: self.lead.email.clone(),
                    company: Some(self.lead.company.clone()),
                    consent: self.lead.consent,
                };
                self.lead_errors = lead
                    .problems()
                    .into_iter()
                    .map(|p| (p.field, p.message.to_string()))
                    .collect();
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
                for (field, text) in fields {
                    let key = match field.as_str() {
                        "name" => "name",
                        "email" => "email",
                        "company" => "company",
                        "consent" => "consent",
                        _ => continue,
                    };
                    self.lead_errors.insert(key, text);
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
        let saves = !matches!(
            action,
            Action::DismissNotice | Action::LeadStored { .. } | Action::LeadFailed { .. }
        );
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
    use crate::drafts::{FloatText, float_syntax};
    use crate::export::EXPORT_FORMAT;

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

    fn with_profile(mode: Mode) -> State {
        reduce(
            state(mode),
            [
                Action::Start,
                Action::Profile(ProfileField::Size("51-250".into())),
                Action::Profile(ProfileField::Role("uses".into())),
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
                Action::Profile(ProfileField::AiSystems("three".into())),
                Action::Profile(ProfileField::Capacity("0".into())),
                Action::SubmitProfile,
            ],
        );
        assert_eq!(s.screen, Screen::Profile);
        let mut fields: Vec<_> = s.profile_errors.keys().copied().collect();
        fields.sort();
        assert_eq!(fields, ["ai_systems", "role", "size"]);
        let s = reduce(
            s,
            [
                Action::Profile(ProfileField::AiSystems("3".into())),
                Action::Profile(ProfileField::Size("1-50".into())),
                Action::Profile(ProfileField::Role("develops".into())),
                Action::SubmitProfile,
            ],
        );
        // The engine's own range check: capacity 0 is refused with its reason.
        assert_eq!(s.screen, Screen::Profile);
        assert!(s.profile_errors["capacity_fte"].contains("between 0.1 and 500"));
    }

    #[test]
    fn the_live_score_follows_the_answers_and_never_trusts_anything_else() {
        let s = with_profile(Mode::Quick);
        assert_eq!(s.screen, Screen::Questions);
        let before = s.evaluation.as_ref().unwrap().result.overall;
        let s = reduce(
            s,
            [Action::Answer("q-quick-context".into(), Choice::Level(4))],
        );
        let after = s.evaluation.as_ref().unwrap().result.overall;
        assert!(after > before);
        // The live figure is exactly what the engine computes for the same input.
        let direct = Bank::embedded()
            .evaluate_input(&s.input().unwrap())
            .unwrap();
        assert_eq!(direct.result.overall, after);
        // Unknown questions and choices are ignored.
        let s2 = reduce(
            s.clone(),
            [Action::Answer("q-nope".into(), Choice::Level(4))],
        );
        assert_eq!(s2.answers.len(), 1);
        let s3 = reduce(
            s,
            [Action::Answer(
                "q-quick-context".into(),
                Choice::NotApplicable,
            )],
        );
        assert_eq!(s3.answers["q-quick-context"].choice, Choice::Level(4));
    }

    #[test]
    fn leaving_a_section_needs_justified_exclusions() {
        let mut s = with_profile(Mode::Full);
        let a6 = s.sections.iter().position(|x| x.id == "A.6").unwrap();
        s = reduce(
            s,
            [
                Action::GoToSection(a6),
                Action::Answer("q-a-6-2-5".into(), Choice::NotApplicable),
                Action::Next,
            ],
        );
        assert_eq!(s.section, a6);
        assert_eq!(s.missing_justifications, ["q-a-6-2-5"]);
        s = reduce(
            s,
            [
                Action::Justify("q-a-6-2-5".into(), "We deploy no models.".into()),
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
                Action::Answer("q-a-7-2".into(), Choice::Level(2)),
                Action::AcceptSuggestions,
            ],
        );
        assert_eq!(s.answers["q-a-7-2"].choice, Choice::Level(2));
        let excluded: Vec<_> = s
            .answers
            .iter()
            .filter(|(_, a)| a.choice == Choice::NotApplicable)
            .collect();
        assert!(!excluded.is_empty());
        assert!(excluded.iter().all(|(_, a)| !a.justification.is_empty()));
    }

    #[test]
    fn an_export_imports_back_to_the_same_assessment() {
        let s = reduce(
            with_profile(Mode::Full),
            [
                Action::Answer("q-4-1".into(), Choice::Level(3)),
                Action::Answer("q-7-5".into(), Choice::Unknown),
                Action::Answer("q-a-6-2-5".into(), Choice::NotApplicable),
                Action::Justify("q-a-6-2-5".into(), "No deployment here.".into()),
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
        let mut fields: Vec<_> = s.lead_errors.keys().copied().collect();
        fields.sort();
        assert_eq!(fields, ["consent", "email"]);
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
                Action::Answer("q-quick-context".into(), Choice::Level(2)),
                Action::StartOver,
            ],
        );
        assert_eq!(s.screen, Screen::Intro);
        assert!(s.answers.is_empty());
        assert_eq!(s.profile, ProfileDraft::default());
        assert_eq!(s.mode, Mode::Quick);
    }
}
