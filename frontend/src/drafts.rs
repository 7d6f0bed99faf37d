//! What the visitor is typing, as typed: the profile, answer and lead drafts, and the
//! checks that turn them into the engine's types or say, field by field, what is wrong.

use aims_engine::{
    AnswerInput, AssessmentInput, Bank, Date, Framework, GroupKind, Lead, Mode, ProblemKind,
    Profile, RawLevel, Role, Size,
};
use serde::{Deserialize, Serialize};

/// What is wrong with each profile field, if anything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileErrors {
    /// Organisation size.
    pub size: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// AI systems in scope.
    pub ai_systems: Option<String>,
    /// Sector.
    pub sector: Option<String>,
    /// Capacity.
    pub capacity_fte: Option<String>,
    /// Start date.
    pub start_date: Option<String>,
}

impl ProfileErrors {
    /// Whether every field is right.
    pub fn is_empty(&self) -> bool {
        *self == ProfileErrors::default()
    }
}

/// What is wrong with each lead field, if anything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadErrors {
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Consent.
    pub consent: Option<String>,
}

impl LeadErrors {
    /// Whether every field is right.
    pub fn is_empty(&self) -> bool {
        *self == LeadErrors::default()
    }

    /// Puts `message` on the field the engine or the API calls `field` (others are
    /// ignored: the form has nowhere to show them).
    pub fn set(&mut self, field: &str, message: String) {
        let slot = match field {
            "name" => &mut self.name,
            "email" => &mut self.email,
            "company" => &mut self.company,
            "consent" => &mut self.consent,
            _ => return,
        };
        *slot = Some(message);
    }
}

/// An answer as picked in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// A maturity level 0–4.
    Level(u8),
    /// "Don't know".
    Unknown,
    /// Not applicable (Annex A only); needs a justification.
    NotApplicable,
}

/// One answer being edited.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerDraft {
    /// The choice.
    pub choice: Choice,
    /// Why the control does not apply (kept when the choice changes, so nothing typed is lost).
    pub justification: String,
}

impl AnswerDraft {
    /// Whether the engine takes it: a not-applicable answer needs a reason.
    pub fn complete(&self) -> bool {
        self.choice != Choice::NotApplicable || !self.justification.trim().is_empty()
    }

    /// The answer in the wire format; `None` while a not-applicable answer has no reason yet.
    pub(crate) fn to_input(&self, question: &str) -> Option<AnswerInput> {
        match self.choice {
            Choice::Level(level) => Some(AnswerInput::level(question, level)),
            Choice::Unknown => Some(AnswerInput::unknown(question)),
            Choice::NotApplicable => self
                .complete()
                .then(|| AnswerInput::not_applicable(question, self.justification.trim())),
        }
    }

    pub(crate) fn from_input(answer: &AnswerInput) -> Option<AnswerDraft> {
        let choice = match &answer.level {
            RawLevel::Number(n @ 0..=4) => Choice::Level(*n as u8),
            RawLevel::Text(t) if t == "unknown" => Choice::Unknown,
            RawLevel::Text(t) if t == "not_applicable" => Choice::NotApplicable,
            _ => return None,
        };
        Some(AnswerDraft {
            choice,
            justification: answer.justification.clone().unwrap_or_default(),
        })
    }
}

/// The profile form, as typed: choices as the engine's types, numbers and the date as
/// text until they are checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileDraft {
    /// Size band, while unchosen `None`.
    pub size: Option<Size>,
    /// Number of AI systems in scope.
    pub ai_systems: String,
    /// Role, while unchosen `None`.
    pub role: Option<Role>,
    /// Sector ID from the bank.
    pub sector: String,
    /// Any high-risk system in scope.
    pub high_risk: bool,
    /// Frameworks in place.
    pub frameworks: Vec<Framework>,
    /// People available, in full-time equivalents.
    pub capacity_fte: String,
    /// `YYYY-MM-DD`, or empty.
    pub start_date: String,
}

impl Default for ProfileDraft {
    fn default() -> Self {
        ProfileDraft {
            size: None,
            ai_systems: "1".into(),
            role: None,
            sector: "other".into(),
            high_risk: false,
            frameworks: Vec::new(),
            capacity_fte: "1".into(),
            start_date: String::new(),
        }
    }
}

/// A profile form field, for updates.
#[derive(Debug, Clone, PartialEq)]
pub enum ProfileField {
    /// Size band.
    Size(Option<Size>),
    /// AI systems in scope.
    AiSystems(String),
    /// Role.
    Role(Role),
    /// Sector.
    Sector(String),
    /// High-risk systems in scope.
    HighRisk(bool),
    /// A framework ticked or unticked.
    Framework(Framework, bool),
    /// Capacity.
    Capacity(String),
    /// Start date.
    StartDate(String),
}

/// `text` as `str::parse::<f64>` reads it. In the browser, text that parses is converted
/// by JavaScript's `parseFloat` (correctly rounded, like Rust), which spares the Wasm
/// Rust's float parser and its tables (the README says what that saves).
fn parse_f64(text: &str) -> Option<f64> {
    if !cfg!(target_arch = "wasm32") {
        return text.parse().ok();
    }
    match float_syntax(text)? {
        FloatText::Special(x) => Some(x),
        FloatText::Decimal => Some(js_sys::Number::parse_float(text)),
    }
}

/// What [`float_syntax`] found.
#[derive(Debug, PartialEq)]
pub(crate) enum FloatText {
    /// An infinity or a NaN, with its value.
    Special(f64),
    /// A decimal number (`parseFloat` reads the whole text as Rust would).
    Decimal,
}

/// Whether `text` is a float in Rust's grammar: a sign, then `inf`, `infinity` or `nan` in
/// any case, or digits with an optional point (a digit on at least one side) and an
/// optional exponent.
pub(crate) fn float_syntax(text: &str) -> Option<FloatText> {
    let negative = text.starts_with('-');
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let special = match unsigned.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(x) = special {
        return Some(FloatText::Special(if negative { -x } else { x }));
    }
    let b = unsigned.as_bytes();
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut i = 0;
    let mut count = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        count += digits(&mut i);
    }
    if count == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    (i == b.len()).then_some(FloatText::Decimal)
}

impl ProfileDraft {
    /// Applies a change, and clears the message of the field it touched.
    pub(crate) fn update(&mut self, field: ProfileField, errors: &mut ProfileErrors) {
        match field {
            ProfileField::Size(v) => (self.size, errors.size) = (v, None),
            ProfileField::AiSystems(v) => (self.ai_systems, errors.ai_systems) = (v, None),
            ProfileField::Role(v) => (self.role, errors.role) = (Some(v), None),
            ProfileField::Sector(v) => (self.sector, errors.sector) = (v, None),
            ProfileField::HighRisk(v) => self.high_risk = v,
            ProfileField::Framework(f, on) => {
                self.frameworks.retain(|x| *x != f);
                if on {
                    self.frameworks.push(f);
                }
            }
            ProfileField::Capacity(v) => (self.capacity_fte, errors.capacity_fte) = (v, None),
            ProfileField::StartDate(v) => (self.start_date, errors.start_date) = (v, None),
        }
    }

    /// The engine's profile, or the message for each field that is not right yet.
    pub fn to_profile(&self, bank: &Bank) -> Result<Profile, Box<ProfileErrors>> {
        let message = |ok: bool, text: &str| (!ok).then(|| text.to_string());
        let ai_systems = self.ai_systems.trim().parse::<u32>().ok();
        let capacity = parse_f64(&self.capacity_fte.trim().replace(',', "."));
        let start_date = match self.start_date.trim() {
            "" => Ok(None),
            text => Date::parse(text).map(Some),
        };
        let mut errors = ProfileErrors {
            size: message(self.size.is_some(), "Choose the size of your organisation."),
            role: message(
                self.role.is_some(),
                "Choose how your organisation works with AI.",
            ),
            ai_systems: message(
                ai_systems.is_some(),
                "Enter a whole number of AI systems, such as 3 (0 if the first is still planned).",
            ),
            sector: None,
            capacity_fte: message(
                capacity.is_some(),
                "Enter the people available in full-time equivalents, such as 1.5.",
            ),
            start_date: message(
                start_date.is_ok(),
                "Enter a date as YYYY-MM-DD, or leave it empty.",
            ),
        };
        let (Some(size), Some(role), Some(ai_systems), Some(capacity_fte), Ok(start_date)) =
            (self.size, self.role, ai_systems, capacity, start_date)
        else {
            return Err(Box::new(errors));
        };
        let profile = Profile {
            size,
            ai_systems,
            role,
            sector: self.sector.clone(),
            high_risk: self.high_risk,
            frameworks: self.frameworks.clone(),
            capacity_fte,
            start_date,
        };
        // The engine's own range checks, so the form and the API agree.
        let probe = AssessmentInput {
            mode: Mode::Quick,
            bank_version: None,
            profile,
            answers: Vec::new(),
        };
        let Err(e) = bank.validate(&probe) else {
            return Ok(probe.profile);
        };
        for p in e.problems() {
            if let ProblemKind::InvalidProfile { field, reason } = &p.kind {
                let (slot, label) = match *field {
                    "ai_systems" => (&mut errors.ai_systems, "The number of AI systems"),
                    "capacity_fte" => (&mut errors.capacity_fte, "Capacity"),
                    _ => (&mut errors.sector, "The sector"),
                };
                *slot = Some(format!("{label} {reason}."));
            }
        }
        if errors.is_empty() {
            Ok(probe.profile)
        } else {
            Err(Box::new(errors))
        }
    }

    pub(crate) fn from_profile(p: &Profile) -> ProfileDraft {
        ProfileDraft {
            size: Some(p.size),
            ai_systems: p.ai_systems.to_string(),
            role: Some(p.role),
            sector: p.sector.clone(),
            high_risk: p.high_risk,
            frameworks: p.frameworks.clone(),
            capacity_fte: crate::json::number_text(p.capacity_fte),
            start_date: p.start_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// A section of the questionnaire: one clause or one Annex A objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `"6"` or `"A.6"`.
    pub id: String,
    /// `"Clause 6 · Planning"`.
    pub title: String,
    /// Whether it is an Annex A objective.
    pub annex_a: bool,
    /// Indices into the bank's question list, in bank order.
    pub questions: Vec<usize>,
}

/// The sections of a mode, in bank order: each question sits in the group of its first
/// requirement.
pub fn sections(bank: &Bank, mode: Mode) -> Vec<Section> {
    let data = bank.data();
    let mut sections: Vec<Section> = data
        .groups
        .iter()
        .map(|g| Section {
            id: g.id.clone(),
            title: match g.kind {
                GroupKind::Clause => format!("Clause {} · {}", g.id, g.title),
                GroupKind::AnnexA => format!("{} · {}", g.id, g.title),
            },
            annex_a: g.kind == GroupKind::AnnexA,
            questions: Vec::new(),
        })
        .collect();
    let quick = mode == Mode::Quick;
    for (i, q) in data.questions.iter().enumerate() {
        if q.quick != quick {
            continue;
        }
        let group = q
            .refs
            .first()
            .and_then(|r| data.requirements.iter().find(|req| &req.id == r))
            .map(|req| req.group.as_str());
        if let Some(s) = sections.iter_mut().find(|s| Some(s.id.as_str()) == group) {
            s.questions.push(i);
        }
    }
    sections.retain(|s| !s.questions.is_empty());
    sections
}

/// The lead form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadDraft {
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Company.
    pub company: String,
    /// Consent ticked.
    pub consent: bool,
}

/// A lead form field, for updates.
#[derive(Debug, Clone, PartialEq)]
pub enum LeadField {
    /// Name.
    Name(String),
    /// Email.
    Email(String),
    /// Company.
    Company(String),
    /// Consent.
    Consent(bool),
}

impl LeadDraft {
    /// Applies a change, and clears the message of the field it touched.
    pub(crate) fn update(&mut self, field: LeadField, errors: &mut LeadErrors) {
        match field {
            LeadField::Name(v) => (self.name, errors.name) = (v, None),
            LeadField::Email(v) => (self.email, errors.email) = (v, None),
            LeadField::Company(v) => (self.company, errors.company) = (v, None),
            LeadField::Consent(v) => (self.consent, errors.consent) = (v, None),
        }
    }

    /// The messages for every field the engine refuses (empty when it can be sent).
    pub(crate) fn check(&self) -> LeadErrors {
        let lead = Lead {
            name: self.name.clone(),
            email: self.email.clone(),
            company: Some(self.company.clone()),
            consent: self.consent,
        };
        let mut errors = LeadErrors::default();
        for p in lead.problems() {
            errors.set(p.field, p.message.to_string());
        }
        errors
    }
}
