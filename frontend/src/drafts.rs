//! What the visitor is typing, as typed: the profile, answer and lead drafts, and the
//! checks that turn them into the engine's types or say, field by field, what is wrong.

use aims_engine::{
    AiSystem, AnswerInput, AssessmentInput, Bank, Customisation, Date, Framework, GroupKind, Lead,
    Mode, Origin, ProblemKind, Profile, RawLevel, RiskTier, Role, Size,
};

/// What is wrong with each profile field, if anything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileErrors {
    /// Organisation size.
    pub size: Option<String>,
    /// Head count.
    pub employees: Option<String>,
    /// The quick quiz's counts of AI systems.
    pub counts: Option<String>,
    /// The inventory as a whole (the full assessment).
    pub systems: Option<String>,
    /// Each system's name, by position in the inventory.
    pub system_names: Vec<Option<String>>,
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

    /// Each message with the `id` of the field it is about, in the form's order.
    pub fn listed(&self) -> Vec<(String, String)> {
        let names = self.system_names.iter().enumerate();
        [
            ("aims-size", &self.size),
            ("aims-employees", &self.employees),
            ("aims-count-total", &self.counts),
            ("aims-add-system", &self.systems),
        ]
        .map(|(id, m)| (id.to_string(), m))
        .into_iter()
        .chain(names.map(|(i, m)| (format!("aims-system-{i}-name"), m)))
        .chain(
            [
                ("aims-sector", &self.sector),
                ("aims-capacity", &self.capacity_fte),
                ("aims-start", &self.start_date),
            ]
            .map(|(id, m)| (id.to_string(), m)),
        )
        .filter_map(|(id, m)| Some((id, m.clone()?)))
        .collect()
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
    /// Phone.
    pub phone: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// Consent.
    pub consent: Option<String>,
}

impl LeadErrors {
    /// Whether every field is right.
    pub fn is_empty(&self) -> bool {
        *self == LeadErrors::default()
    }

    /// Each message with the `id` of the field it is about, in the form's order.
    pub fn listed(&self) -> Vec<(String, String)> {
        [
            ("name", &self.name),
            ("email", &self.email),
            ("company", &self.company),
            ("phone", &self.phone),
            ("role", &self.role),
            ("consent", &self.consent),
        ]
        .into_iter()
        .filter_map(|(field, m)| Some((format!("aims-lead-{field}"), m.clone()?)))
        .collect()
    }

    /// Puts `message` on the field the engine or the API calls `field` (others are
    /// ignored: the form has nowhere to show them).
    pub fn set(&mut self, field: &str, message: String) {
        let slot = match field {
            "name" => &mut self.name,
            "email" => &mut self.email,
            "company" => &mut self.company,
            "phone" => &mut self.phone,
            "role" => &mut self.role,
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

/// One AI system of the inventory editor, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemDraft {
    /// What the organisation calls it.
    pub name: String,
    /// Built in-house or bought.
    pub origin: Origin,
    /// How it is adapted.
    pub customisation: Customisation,
    /// Whether customers use it.
    pub offered: bool,
    /// EU AI Act risk tier.
    pub risk: RiskTier,
}

impl SystemDraft {
    /// A new row: bought, used with prompting, internal, minimal risk.
    pub fn new(name: String) -> SystemDraft {
        SystemDraft {
            name,
            origin: Origin::ThirdParty,
            customisation: Customisation::Prompting,
            offered: false,
            risk: RiskTier::Minimal,
        }
    }

    fn to_system(&self) -> AiSystem {
        AiSystem {
            name: self.name.trim().to_string(),
            origin: self.origin,
            customisation: self.customisation,
            offered_to_customers: self.offered,
            risk: self.risk,
            owner: None,
            purpose: None,
        }
    }

    pub(crate) fn from_system(s: &AiSystem) -> SystemDraft {
        SystemDraft {
            name: s.name.clone(),
            origin: s.origin,
            customisation: s.customisation,
            offered: s.offered_to_customers,
            risk: s.risk,
        }
    }
}

/// The quick quiz's questions about AI systems, as typed: counts the engine's inventory
/// is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// AI systems in scope.
    pub total: String,
    /// Of those, built in-house or fine-tuned.
    pub built: String,
    /// Of those, offered to customers.
    pub offered: String,
    /// Whether any is high-risk.
    pub high_risk: bool,
}

impl Default for Counts {
    fn default() -> Self {
        Counts {
            total: "1".into(),
            built: "0".into(),
            offered: "0".into(),
            high_risk: false,
        }
    }
}

impl Counts {
    /// The counts of an inventory.
    fn of(systems: &[AiSystem]) -> Counts {
        let count = |f: fn(&AiSystem) -> bool| systems.iter().filter(|s| f(s)).count().to_string();
        Counts {
            total: systems.len().to_string(),
            built: count(AiSystem::is_developed),
            offered: count(|s| s.offered_to_customers),
            high_risk: systems
                .iter()
                .any(|s| matches!(s.risk, RiskTier::High | RiskTier::Prohibited)),
        }
    }

    /// The inventory the counts stand for: the systems built in-house first, the ones
    /// offered to customers first among all, the first one high-risk when any is.
    pub(crate) fn to_systems(&self) -> Result<Vec<AiSystem>, String> {
        let number = |t: &str| t.trim().parse::<u32>().ok();
        let (Some(total), Some(built), Some(offered)) = (
            number(&self.total),
            number(&self.built),
            number(&self.offered),
        ) else {
            return Err("Enter whole numbers of AI systems, such as 3.".into());
        };
        if total > aims_engine::MAX_AI_SYSTEMS {
            return Err(format!(
                "Count at most {} AI systems; start with a first group of them.",
                aims_engine::MAX_AI_SYSTEMS
            ));
        }
        if built > total || offered > total {
            return Err(format!(
                "Systems built in-house and systems offered to customers are part of the {total} in scope."
            ));
        }
        Ok((0..total)
            .map(|i| AiSystem {
                name: format!("AI system {}", i + 1),
                origin: if i < built {
                    Origin::InHouse
                } else {
                    Origin::ThirdParty
                },
                customisation: if i < built {
                    Customisation::None
                } else {
                    Customisation::Prompting
                },
                offered_to_customers: i < offered,
                risk: if self.high_risk && i == 0 {
                    RiskTier::High
                } else {
                    RiskTier::Minimal
                },
                owner: None,
                purpose: None,
            })
            .collect())
    }
}

/// The profile form, as typed: choices as the engine's types, numbers and the date as
/// text until they are checked. The quick quiz asks counts, the full assessment keeps
/// an inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileDraft {
    /// Size band, while unchosen `None`.
    pub size: Option<Size>,
    /// Head count, or empty.
    pub employees: String,
    /// The quick quiz's counts.
    pub counts: Counts,
    /// The full assessment's inventory.
    pub systems: Vec<SystemDraft>,
    /// Sector ID from the bank.
    pub sector: String,
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
            employees: String::new(),
            counts: Counts::default(),
            systems: Vec::new(),
            sector: "other".into(),
            frameworks: Vec::new(),
            capacity_fte: "1".into(),
            start_date: String::new(),
        }
    }
}

/// A field of one AI system in the inventory editor.
#[derive(Debug, Clone, PartialEq)]
pub enum SystemField {
    /// Name.
    Name(String),
    /// Built in-house or bought.
    Origin(Origin),
    /// Customisation.
    Customisation(Customisation),
    /// Offered to customers.
    Offered(bool),
    /// Risk tier.
    Risk(RiskTier),
}

/// One of the quick quiz's counts.
#[derive(Debug, Clone, PartialEq)]
pub enum CountField {
    /// AI systems in scope.
    Total(String),
    /// Built in-house or fine-tuned.
    Built(String),
    /// Offered to customers.
    Offered(String),
    /// Any high-risk.
    HighRisk(bool),
}

/// A profile form field, for updates.
#[derive(Debug, Clone, PartialEq)]
pub enum ProfileField {
    /// Size band.
    Size(Option<Size>),
    /// Head count.
    Employees(String),
    /// One of the quick quiz's counts.
    Count(CountField),
    /// A field of the system at this position.
    System(usize, SystemField),
    /// A new, empty system at the end of the inventory.
    AddSystem,
    /// Removes the system at this position.
    RemoveSystem(usize),
    /// Sector.
    Sector(String),
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
            ProfileField::Employees(v) => (self.employees, errors.employees) = (v, None),
            ProfileField::Count(c) => {
                errors.counts = None;
                match c {
                    CountField::Total(v) => self.counts.total = v,
                    CountField::Built(v) => self.counts.built = v,
                    CountField::Offered(v) => self.counts.offered = v,
                    CountField::HighRisk(v) => self.counts.high_risk = v,
                }
            }
            ProfileField::System(i, f) => {
                let Some(s) = self.systems.get_mut(i) else {
                    return;
                };
                errors.systems = None;
                match f {
                    SystemField::Name(v) => {
                        s.name = v;
                        if let Some(slot) = errors.system_names.get_mut(i) {
                            *slot = None;
                        }
                    }
                    SystemField::Origin(v) => s.origin = v,
                    SystemField::Customisation(v) => s.customisation = v,
                    SystemField::Offered(v) => s.offered = v,
                    SystemField::Risk(v) => s.risk = v,
                }
            }
            ProfileField::AddSystem => {
                if self.systems.len() < aims_engine::MAX_AI_SYSTEMS as usize {
                    self.systems.push(SystemDraft::new(String::new()));
                }
                errors.systems = None;
            }
            ProfileField::RemoveSystem(i) => {
                if i < self.systems.len() {
                    self.systems.remove(i);
                    if i < errors.system_names.len() {
                        errors.system_names.remove(i);
                    }
                }
            }
            ProfileField::Sector(v) => (self.sector, errors.sector) = (v, None),
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

    /// The engine's profile for a mode (the quick quiz's counts, or the full assessment's
    /// inventory), or the message for each field that is not right yet.
    pub fn to_profile(&self, bank: &Bank, mode: Mode) -> Result<Profile, Box<ProfileErrors>> {
        let message = |ok: bool, text: &str| (!ok).then(|| text.to_string());
        let employees = match self.employees.trim() {
            "" => Ok(None),
            text => text.parse::<u32>().map(Some),
        };
        let capacity = parse_f64(&self.capacity_fte.trim().replace(',', "."));
        let start_date = match self.start_date.trim() {
            "" => Ok(None),
            text => Date::parse(text).map(Some),
        };
        let (systems, counts_error) = match mode {
            Mode::Quick => match self.counts.to_systems() {
                Ok(s) => (Some(s), None),
                Err(e) => (None, Some(e)),
            },
            Mode::Full => (
                Some(self.systems.iter().map(SystemDraft::to_system).collect()),
                None,
            ),
        };
        let mut errors = ProfileErrors {
            size: message(self.size.is_some(), "Choose the size of your organisation."),
            employees: message(
                employees.is_ok(),
                "Enter the number of people as a whole number, or leave it empty.",
            ),
            counts: counts_error,
            systems: None,
            system_names: Vec::new(),
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
        let (Some(size), Ok(employees), Some(systems), Some(capacity_fte), Ok(start_date)) =
            (self.size, employees, systems, capacity, start_date)
        else {
            return Err(Box::new(errors));
        };
        let profile = Profile {
            employees,
            sector: self.sector.clone(),
            frameworks: self.frameworks.clone(),
            start_date,
            ..Profile::new(size, capacity_fte, systems)
        };
        // The engine's own checks, so the form and the API agree.
        let probe = AssessmentInput {
            mode,
            bank_version: None,
            profile,
            answers: Vec::new(),
            soa: None,
        };
        let Err(e) = bank.validate(&probe) else {
            return Ok(probe.profile);
        };
        for p in e.problems() {
            let reason = match &p.kind {
                ProblemKind::InvalidProfile { reason, .. } => reason.clone(),
                other => other.to_string(),
            };
            let system = p
                .pointer
                .strip_prefix("/profile/systems/")
                .and_then(|rest| rest.split('/').next()?.parse::<usize>().ok());
            if let Some(i) = system {
                if mode == Mode::Full {
                    errors.system_names.resize(self.systems.len(), None);
                    let text = if p.pointer.ends_with("/name") {
                        format!(
                            "Give system {} a name of up to {} characters that no other system has.",
                            i + 1,
                            aims_engine::MAX_SYSTEM_NAME_CHARS
                        )
                    } else {
                        format!("System {}: {reason}.", i + 1)
                    };
                    if let Some(slot) = errors.system_names.get_mut(i) {
                        *slot = Some(text);
                    }
                } else {
                    errors.counts = Some(format!("The AI systems: {reason}."));
                }
                continue;
            }
            let (slot, label) = match p.pointer.as_str() {
                "/profile/employees" => (&mut errors.employees, "The number of people"),
                "/profile/capacity_fte" => (&mut errors.capacity_fte, "Capacity"),
                "/profile/systems" if mode == Mode::Quick => (&mut errors.counts, "The count"),
                "/profile/systems" => (&mut errors.systems, "The inventory"),
                _ => (&mut errors.sector, "The sector"),
            };
            *slot = Some(format!("{label} {reason}."));
        }
        if errors.is_empty() {
            Ok(probe.profile)
        } else {
            Err(Box::new(errors))
        }
    }

    /// The form for an imported profile; a version 1 profile fills both the counts and the
    /// inventory from the systems it stands for.
    pub(crate) fn from_profile(p: &Profile) -> ProfileDraft {
        let systems = p.inventory();
        ProfileDraft {
            size: Some(p.size),
            employees: p.employees.map(|n| n.to_string()).unwrap_or_default(),
            counts: Counts::of(&systems),
            systems: systems.iter().map(SystemDraft::from_system).collect(),
            sector: p.sector.clone(),
            frameworks: p.frameworks.clone(),
            capacity_fte: crate::json::number_text(p.capacity_fte),
            start_date: p.start_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// Fills the form from saved progress of the first format (a count and a role).
    pub(crate) fn from_v1(
        count: u32,
        role: Option<Role>,
        high_risk: bool,
    ) -> (Counts, Vec<SystemDraft>) {
        let systems = aims_engine::v1_inventory(count, role.unwrap_or(Role::Uses), high_risk);
        let drafts = systems.iter().map(SystemDraft::from_system).collect();
        (Counts::of(&systems), drafts)
    }
}

/// A section of the questionnaire: one clause or one Annex A objective, or in the quick
/// quiz a page of neighbouring ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `"6"` or `"A.6"`; a merged page has its first group's.
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
    if quick {
        let titles: Vec<_> = data
            .groups
            .iter()
            .map(|g| (g.id.as_str(), g.title.as_str()))
            .collect();
        return pages(sections, &titles);
    }
    sections
}

/// Fewest questions on a page of the quick quiz.
const MIN_PER_PAGE: usize = 3;

/// The quick quiz's pages: neighbouring clauses (or Annex A objectives, never mixed with
/// clauses) joined until a page has at least [`MIN_PER_PAGE`] questions, so no page asks a
/// single one; a short remainder joins the page before it.
fn pages(sections: Vec<Section>, titles: &[(&str, &str)]) -> Vec<Section> {
    let mut runs: Vec<Vec<Section>> = Vec::new();
    for s in sections {
        let count = |run: &Vec<Section>| run.iter().map(|s| s.questions.len()).sum::<usize>();
        match runs.last_mut() {
            Some(run) if run[0].annex_a == s.annex_a && count(run) < MIN_PER_PAGE => run.push(s),
            _ => runs.push(vec![s]),
        }
    }
    // A last run of a kind that stayed short joins the page before it, of the same kind.
    let mut merged: Vec<Vec<Section>> = Vec::new();
    for run in runs {
        let short = run.iter().map(|s| s.questions.len()).sum::<usize>() < MIN_PER_PAGE;
        match merged.last_mut() {
            Some(last) if short && last[0].annex_a == run[0].annex_a => last.extend(run),
            _ => merged.push(run),
        }
    }
    merged.into_iter().map(|run| page(run, titles)).collect()
}

/// One page from a run of sections: "Clauses 4–5 · Context of the organization and
/// Leadership", "Annex A · The controls on your AI systems".
fn page(run: Vec<Section>, titles: &[(&str, &str)]) -> Section {
    let title_of = |id: &str| titles.iter().find(|t| t.0 == id).map_or("", |t| t.1);
    let (first, last) = (&run[0], &run[run.len() - 1]);
    let title = match (run.len(), first.annex_a) {
        (1, _) => first.title.clone(),
        (_, true) if run.len() > 2 => "Annex A · The controls on your AI systems".to_string(),
        (_, true) => format!(
            "Annex A · {} and {}",
            title_of(&first.id),
            title_of(&last.id)
        ),
        _ => {
            let names: Vec<&str> = run.iter().map(|s| title_of(&s.id)).collect();
            let (init, end) = names.split_at(names.len() - 1);
            format!(
                "Clauses {}–{} · {} and {}",
                first.id,
                last.id,
                init.join(", "),
                end[0]
            )
        }
    };
    Section {
        id: first.id.clone(),
        title,
        annex_a: first.annex_a,
        questions: run
            .iter()
            .flat_map(|s| s.questions.iter().copied())
            .collect(),
    }
}

/// The lead form, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadDraft {
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Company.
    pub company: String,
    /// Phone (optional).
    pub phone: String,
    /// Role (optional).
    pub role: String,
    /// Consent ticked.
    pub consent: bool,
    /// The separate opt-in to have the report emailed.
    pub send_report: bool,
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
    /// Phone.
    Phone(String),
    /// Role.
    Role(String),
    /// Consent.
    Consent(bool),
    /// The report by email.
    SendReport(bool),
}

impl LeadDraft {
    /// Applies a change, and clears the message of the field it touched.
    pub(crate) fn update(&mut self, field: LeadField, errors: &mut LeadErrors) {
        match field {
            LeadField::Name(v) => (self.name, errors.name) = (v, None),
            LeadField::Email(v) => (self.email, errors.email) = (v, None),
            LeadField::Company(v) => (self.company, errors.company) = (v, None),
            LeadField::Phone(v) => (self.phone, errors.phone) = (v, None),
            LeadField::Role(v) => (self.role, errors.role) = (v, None),
            LeadField::Consent(v) => (self.consent, errors.consent) = (v, None),
            LeadField::SendReport(v) => self.send_report = v,
        }
    }

    /// The messages for every field the engine refuses (empty when it can be sent).
    pub(crate) fn check(&self) -> LeadErrors {
        let lead = Lead {
            name: self.name.clone(),
            email: self.email.clone(),
            company: Some(self.company.clone()),
            phone: Some(self.phone.clone()),
            role: Some(self.role.clone()),
            consent: self.consent,
            send_report: self.send_report,
        };
        let mut errors = LeadErrors::default();
        for p in lead.problems() {
            errors.set(p.field, p.message.to_string());
        }
        errors
    }
}
