//! What the visitor is typing, as typed: the profile, answer and lead drafts, and the
//! checks that turn them into the engine's types or say, field by field, what is wrong.

use aims_engine::{
    AnswerInput, AssessmentInput, Bank, Date, Framework, GroupKind, Mode, Named, ProblemKind,
    Profile, RawLevel, Role, Size,
};
use serde::{Deserialize, Serialize};

/// A small map kept as a vector of pairs in insertion order: for a few dozen entries it
/// is as fast as a tree and costs the Wasm build far less code.
#[derive(Debug, Clone, PartialEq)]
pub struct SmallMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap(Vec::new())
    }
}

impl<K: PartialEq, V> SmallMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        SmallMap(Vec::new())
    }

    fn position<Q: ?Sized + PartialEq>(&self, key: &Q) -> Option<usize>
    where
        K: std::borrow::Borrow<Q>,
    {
        self.0.iter().position(|(k, _)| k.borrow() == key)
    }

    /// The value for `key`.
    pub fn get<Q: ?Sized + PartialEq>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
    {
        self.position(key).map(|i| &self.0[i].1)
    }

    /// The value for `key`, mutably.
    pub fn get_mut<Q: ?Sized + PartialEq>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: std::borrow::Borrow<Q>,
    {
        self.position(key).map(|i| &mut self.0[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: ?Sized + PartialEq>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
    {
        self.position(key).is_some()
    }

    /// Sets the value for `key`.
    pub fn insert(&mut self, key: K, value: V) {
        match self.position(&key) {
            Some(i) => self.0[i].1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value for `key`, inserting `value` first if there is none.
    pub fn get_or_insert(&mut self, key: K, value: V) -> &mut V {
        let i = match self.position(&key) {
            Some(i) => i,
            None => {
                self.0.push((key, value));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }

    /// Removes `key`.
    pub fn remove<Q: ?Sized + PartialEq>(&mut self, key: &Q)
    where
        K: std::borrow::Borrow<Q>,
    {
        self.0.retain(|(k, _)| k.borrow() != key);
    }

    /// The entries, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl<K: PartialEq, V> FromIterator<(K, V)> for SmallMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = SmallMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<K: PartialEq, V, Q: ?Sized + PartialEq> std::ops::Index<&Q> for SmallMap<K, V>
where
    K: std::borrow::Borrow<Q>,
{
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("key present")
    }
}

/// Messages for form fields (`"email"` → what to fix).
pub type FieldErrors = SmallMap<&'static str, String>;

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
    /// The answer in the wire format; `None` while a not-applicable answer has no reason yet.
    pub(crate) fn to_input(&self, question: &str) -> Option<AnswerInput> {
        match self.choice {
            Choice::Level(level) => Some(AnswerInput::level(question, level)),
            Choice::Unknown => Some(AnswerInput::unknown(question)),
            Choice::NotApplicable => {
                let reason = self.justification.trim();
                (!reason.is_empty()).then(|| AnswerInput::not_applicable(question, reason))
            }
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

/// The profile form, as typed (numbers stay text until they are checked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileDraft {
    /// `"1-50"` … `"1001+"`, or empty while unchosen.
    pub size: String,
    /// Number of AI systems in scope.
    pub ai_systems: String,
    /// `"develops"`, `"uses"`, `"both"`, or empty.
    pub role: String,
    /// Sector ID from the bank.
    pub sector: String,
    /// Any high-risk system in scope.
    pub high_risk: bool,
    /// Frameworks in place, wire names.
    pub frameworks: Vec<String>,
    /// People available, in full-time equivalents.
    pub capacity_fte: String,
    /// `YYYY-MM-DD`, or empty.
    pub start_date: String,
}

impl Default for ProfileDraft {
    fn default() -> Self {
        ProfileDraft {
            size: String::new(),
            ai_systems: "1".into(),
            role: String::new(),
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
    Size(String),
    /// AI systems in scope.
    AiSystems(String),
    /// Role.
    Role(String),
    /// Sector.
    Sector(String),
    /// High-risk systems in scope.
    HighRisk(bool),
    /// A framework ticked or unticked.
    Framework(String, bool),
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
    /// The engine's profile, or the message for each field that is not right yet.
    pub fn to_profile(&self, bank: &Bank) -> Result<Profile, FieldErrors> {
        let mut errors = FieldErrors::new();
        let size = Size::from_name(&self.size);
        if size.is_none() {
            errors.insert("size", "Choose the size of your organisation.".to_string());
        }
        let role = Role::from_name(&self.role);
        if role.is_none() {
            errors.insert(
                "role",
                "Choose how your organisation works with AI.".to_string(),
            );
        }
        let ai_systems = self.ai_systems.trim().parse::<u32>().ok();
        if ai_systems.is_none() {
            errors.insert(
                "ai_systems",
                "Enter a whole number of AI systems, such as 3 (0 if the first is still planned)."
                    .to_string(),
            );
        }
        let capacity = parse_f64(&self.capacity_fte.trim().replace(',', "."));
        if capacity.is_none() {
            errors.insert(
                "capacity_fte",
                "Enter the people available in full-time equivalents, such as 1.5.".to_string(),
            );
        }
        let start_date = if self.start_date.trim().is_empty() {
            None
        } else {
            match Date::parse(self.start_date.trim()) {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.insert(
                        "start_date",
                        "Enter a date as YYYY-MM-DD, or leave it empty.".to_string(),
                    );
                    None
                }
            }
        };
        let frameworks: Vec<Framework> = self
            .frameworks
            .iter()
            .filter_map(|f| Framework::from_name(f))
            .collect();
        let (Some(size), Some(role), Some(ai_systems), Some(capacity_fte)) =
            (size, role, ai_systems, capacity)
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let profile = Profile {
            size,
            ai_systems,
            role,
            sector: self.sector.clone(),
            high_risk: self.high_risk,
            frameworks,
            capacity_fte,
            start_date,
        };
        // The engine's own range checks, so the form and the API agree.
        let probe = AssessmentInput {
            mode: Mode::Quick,
            bank_version: None,
            profile: profile.clone(),
            answers: Vec::new(),
        };
        if let Err(e) = bank.validate(&probe) {
            for p in e.problems() {
                if let ProblemKind::InvalidProfile { field, reason } = &p.kind {
                    let label = match *field {
                        "ai_systems" => "The number of AI systems",
                        "capacity_fte" => "Capacity",
                        "sector" => "The sector",
                        _ => "This field",
                    };
                    errors.insert(field, format!("{label} {reason}."));
                }
            }
        }
        if errors.is_empty() {
            Ok(profile)
        } else {
            Err(errors)
        }
    }

    pub(crate) fn from_profile(p: &Profile) -> ProfileDraft {
        ProfileDraft {
            size: p.size.as_str().to_string(),
            ai_systems: p.ai_systems.to_string(),
            role: p.role.as_str().to_string(),
            sector: p.sector.clone(),
            high_risk: p.high_risk,
            frameworks: p
                .frameworks
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            capacity_fte: p.capacity_fte.to_string(),
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
