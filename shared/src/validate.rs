//! From what was sent to what the engine evaluates: every answer checked against the bank.

use crate::Bank;
use crate::error::{Error, Problem, ProblemKind};
use crate::input::{
    AiSystem, Answer, AssessmentInput, Customisation, Framework, Level, Mode, Origin, Profile,
    RawLevel, RiskTier, Role, Size,
};

/// Longest justification accepted, in characters.
pub const MAX_JUSTIFICATION_CHARS: u32 = 2000;
/// Most AI systems accepted in one inventory (`systems`).
pub const MAX_AI_SYSTEMS: u32 = 200;
/// Most AI systems a version 1 profile may count (`ai_systems`), as version 1 accepted.
pub const MAX_V1_AI_SYSTEMS: u32 = 10_000;
/// Longest system name, in characters.
pub const MAX_SYSTEM_NAME_CHARS: u32 = 120;
/// Longest system purpose, in characters.
pub const MAX_SYSTEM_PURPOSE_CHARS: u32 = 500;
/// Longest Statement of Applicability version (`soa.version`), in characters.
pub const MAX_SOA_VERSION_CHARS: u32 = 32;
/// Longest Statement of Applicability approver (`soa.approved_by`), in characters.
pub const MAX_SOA_APPROVER_CHARS: u32 = 120;

/// An assessment that passed validation against one bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub(crate) mode: Mode,
    pub(crate) profile: Profile,
    /// One slot per bank question (bank order); `None` when unanswered.
    pub(crate) answers: Vec<Option<Answer>>,
    pub(crate) sector_factor: f64,
    /// The inventory: `systems`, or the one a version 1 profile maps to.
    pub(crate) systems: Vec<AiSystem>,
    /// Head count: `employees`, or the band's assumed head count.
    pub(crate) employees: f64,
    /// The Statement of Applicability's document fields (empty when not set).
    pub(crate) soa: crate::SoaFields,
}

impl Assessment {
    /// Quick or full.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The organisation profile (frameworks sorted and de-duplicated).
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The AI systems in scope (for a version 1 profile, the inventory it maps to).
    pub fn systems(&self) -> &[AiSystem] {
        &self.systems
    }
}

/// The inventory a version 1 profile stands for (`docs/METHOD.md`, section 2): `uses`
/// gives third-party systems used with prompting, internally; `develops` gives in-house
/// systems offered to customers; `both` gives half of each (the in-house half rounded up).
/// `high_risk` makes every system high-risk, otherwise they are minimal-risk.
pub fn v1_inventory(count: u32, role: Role, high_risk: bool) -> Vec<AiSystem> {
    let in_house = match role {
        Role::Develops => count,
        Role::Uses => 0,
        Role::Both => count.div_ceil(2),
    };
    let risk = if high_risk {
        RiskTier::High
    } else {
        RiskTier::Minimal
    };
    (0..count)
        .map(|i| {
            let built = i < in_house;
            AiSystem {
                name: format!("AI system {}", i + 1),
                origin: if built {
                    Origin::InHouse
                } else {
                    Origin::ThirdParty
                },
                customisation: if built {
                    Customisation::None
                } else {
                    Customisation::Prompting
                },
                offered_to_customers: built,
                risk,
                owner: None,
                purpose: None,
            }
        })
        .collect()
}

fn band_range(size: Size) -> (u32, u32) {
    match size {
        Size::UpTo50 => (1, 50),
        Size::UpTo250 => (51, 250),
        Size::UpTo1000 => (251, 1000),
        Size::Over1000 => (1001, 10_000_000),
    }
}

struct Collector(Vec<Problem>);

impl Collector {
    fn push(&mut self, kind: ProblemKind, pointer: String) {
        if self.0.len() < Error::MAX_PROBLEMS {
            self.0.push(Problem { kind, pointer });
        }
    }
}

impl Bank {
    /// Checks an assessment against this bank, reporting every problem with a JSON Pointer.
    ///
    /// ```
    /// use aims_engine::{AnswerInput, AssessmentInput, Bank, ProblemKind};
    /// let mut input: AssessmentInput = serde_json::from_str(
    ///     r#"{"mode":"full","profile":{"size":"1-50","ai_systems":1,"role":"uses","capacity_fte":1}}"#,
    /// ).unwrap();
    /// input.answers.push(AnswerInput::not_applicable("q-9-2", "we are too small"));
    /// let err = Bank::embedded().validate(&input).unwrap_err();
    /// assert!(matches!(err.kind(), ProblemKind::NotApplicableOnMandatory { .. }));
    /// assert_eq!(err.pointer(), "/answers/0/level");
    /// ```
    pub fn validate(&self, input: &AssessmentInput) -> Result<Assessment, Error> {
        let mut problems = Collector(Vec::new());

        if let Some(found) = &input.bank_version
            && !self.accepts_version(found)
        {
            problems.push(
                ProblemKind::BankVersionMismatch {
                    expected: self.data.version.clone(),
                    found: found.chars().take(40).collect(),
                },
                "/bank_version".to_string(),
            );
        }

        let p = &input.profile;
        let mut sector_factor = 1.0;
        let systems = inventory(p, &mut problems);
        let (min, max) = band_range(p.size);
        if let Some(n) = p.employees
            && !(min..=max).contains(&n)
        {
            problems.push(
                ProblemKind::InvalidProfile {
                    field: "employees",
                    reason: format!(
                        "must fall inside the size band {} ({min}-{max})",
                        p.size.as_str()
                    ),
                },
                "/profile/employees".to_string(),
            );
        }
        if !(p.capacity_fte.is_finite() && (0.1..=500.0).contains(&p.capacity_fte)) {
            problems.push(
                ProblemKind::InvalidProfile {
                    field: "capacity_fte",
                    reason: "must be between 0.1 and 500 full-time equivalents".to_string(),
                },
                "/profile/capacity_fte".to_string(),
            );
        }
        match self.data.sectors.iter().find(|s| s.id == p.sector) {
            Some(s) => sector_factor = s.factor,
            None => {
                let known: Vec<&str> = self.data.sectors.iter().map(|s| s.id.as_str()).collect();
                problems.push(
                    ProblemKind::InvalidProfile {
                        field: "sector",
                        reason: format!("must be one of {}", known.join(", ")),
                    },
                    "/profile/sector".to_string(),
                );
            }
        }

        let max_answers = self.data.questions.len() as u32;
        let mut answers: Vec<Option<Answer>> = vec![None; self.data.questions.len()];
        if input.answers.len() > max_answers as usize {
            problems.push(
                ProblemKind::TooManyAnswers { max: max_answers },
                "/answers".to_string(),
            );
        } else {
            // Answers usually arrive in bank order: try the question after the last one first.
            let mut hint = 0;
            for (i, a) in input.answers.iter().enumerate() {
                let index = match self.data.questions.get(hint) {
                    Some(q) if q.id == a.question => Some(hint),
                    _ => self.question_index(&a.question),
                };
                if let Some(q) = index {
                    hint = q + 1;
                }
                self.check_answer(input.mode, i, a, index, &mut answers, &mut problems);
            }
        }

        let soa = input.soa.clone().unwrap_or_default();
        for (field, text, max) in [
            ("version", &soa.version, MAX_SOA_VERSION_CHARS),
            ("approved_by", &soa.approved_by, MAX_SOA_APPROVER_CHARS),
        ] {
            let Some(text) = text else { continue };
            let bad = text.trim().is_empty()
                || text.chars().count() > max as usize
                || text.chars().any(|c| crate::forbidden_char(c, false));
            if bad {
                problems.push(
                    ProblemKind::InvalidSoa {
                        field,
                        reason: format!("must be 1-{max} characters of text on one line"),
                    },
                    format!("/soa/{field}"),
                );
            }
        }

        if let Some(error) = Error::from_problems(problems.0) {
            return Err(error);
        }
        let mut profile = input.profile.clone();
        profile.frameworks.sort();
        profile.frameworks.dedup();
        let m = &self.data.model.size;
        let employees = p
            .employees
            .map_or_else(|| m.band_employees.get(p.size), f64::from);
        Ok(Assessment {
            mode: input.mode,
            profile,
            answers,
            sector_factor,
            systems,
            employees,
            soa,
        })
    }

    fn check_answer(
        &self,
        mode: Mode,
        i: usize,
        a: &crate::AnswerInput,
        index: Option<usize>,
        answers: &mut [Option<Answer>],
        problems: &mut Collector,
    ) {
        let Some(q) = index else {
            problems.push(
                ProblemKind::UnknownQuestion {
                    question: a.question.chars().take(80).collect(),
                },
                format!("/answers/{i}/question"),
            );
            return;
        };
        let question = || a.question.clone();
        if self.data.questions[q].quick != (mode == Mode::Quick) {
            problems.push(
                ProblemKind::WrongMode {
                    question: question(),
                    mode,
                },
                format!("/answers/{i}/question"),
            );
            return;
        }
        if answers[q].is_some() {
            problems.push(
                ProblemKind::DuplicateAnswer {
                    question: question(),
                },
                format!("/answers/{i}/question"),
            );
            return;
        }
        if let Some(j) = &a.justification
            && j.chars().count() > MAX_JUSTIFICATION_CHARS as usize
        {
            problems.push(
                ProblemKind::TextTooLong {
                    max: MAX_JUSTIFICATION_CHARS,
                },
                format!("/answers/{i}/justification"),
            );
            return;
        }
        if let Some(c) = a
            .justification
            .as_deref()
            .and_then(|j| j.chars().find(|&c| crate::forbidden_char(c, true)))
        {
            problems.push(
                ProblemKind::ForbiddenCharacter {
                    code_point: u32::from(c),
                },
                format!("/answers/{i}/justification"),
            );
            return;
        }
        let answer = match &a.level {
            RawLevel::Number(n) => match u8::try_from(*n).ok().and_then(Level::new) {
                Some(level) => Answer::Level(level),
                None => {
                    problems.push(
                        ProblemKind::LevelOutOfRange {
                            question: question(),
                            value: a.level.render(),
                        },
                        format!("/answers/{i}/level"),
                    );
                    return;
                }
            },
            RawLevel::Text(t) if t == "unknown" => Answer::Unknown,
            RawLevel::Text(t) if t == "not_applicable" => {
                if !self.na_allowed[q] {
                    let kind = match self.restated[q] {
                        Some((control, clause)) => ProblemKind::NotExcludable {
                            question: question(),
                            control: self.data.requirements[control as usize].id.clone(),
                            clause: self.data.requirements[clause as usize].id.clone(),
                        },
                        None => ProblemKind::NotApplicableOnMandatory {
                            question: question(),
                        },
                    };
                    problems.push(kind, format!("/answers/{i}/level"));
                    return;
                }
                match a.justification.as_deref().map(str::trim) {
                    Some(j) if !j.is_empty() => Answer::NotApplicable(j.to_string()),
                    _ => {
                        problems.push(
                            ProblemKind::MissingJustification {
                                question: question(),
                            },
                            format!("/answers/{i}/justification"),
                        );
                        return;
                    }
                }
            }
            other => {
                problems.push(
                    ProblemKind::LevelOutOfRange {
                        question: question(),
                        value: other.render(),
                    },
                    format!("/answers/{i}/level"),
                );
                return;
            }
        };
        answers[q] = Some(answer);
    }
}

/// Whether a framework is in the profile.
pub(crate) fn has(profile: &Profile, f: Framework) -> bool {
    profile.frameworks.contains(&f)
}

/// The inventory of a profile, in either form; problems go to `problems`.
fn inventory(p: &Profile, problems: &mut Collector) -> Vec<AiSystem> {
    let v1: [(&'static str, bool); 3] = [
        ("ai_systems", p.ai_systems.is_some()),
        ("role", p.role.is_some()),
        ("high_risk", p.high_risk.is_some()),
    ];
    let invalid = |field: &'static str, reason: String| {
        (
            ProblemKind::InvalidProfile { field, reason },
            format!("/profile/{field}"),
        )
    };
    let mut push = |(kind, pointer): (ProblemKind, String)| problems.push(kind, pointer);
    match (&p.systems, p.ai_systems, p.role) {
        (Some(systems), ..) => {
            if let Some((field, _)) = v1.iter().find(|(_, given)| *given) {
                push(invalid(
                    field,
                    "is version 1 of the profile and cannot be given together with `systems`: send one form".into(),
                ));
            }
            if systems.len() > MAX_AI_SYSTEMS as usize {
                push(invalid(
                    "systems",
                    format!(
                        "holds at most {MAX_AI_SYSTEMS} AI systems; scope a first group of them"
                    ),
                ));
                return Vec::new();
            }
            for (i, s) in systems.iter().enumerate() {
                let at = |field: &str| format!("/profile/systems/{i}/{field}");
                let name = s.name.trim();
                if name.is_empty() || name.chars().count() > MAX_SYSTEM_NAME_CHARS as usize {
                    push((
                        ProblemKind::InvalidProfile {
                            field: "systems",
                            reason: format!(
                                "needs a name of 1-{MAX_SYSTEM_NAME_CHARS} characters for every system"
                            ),
                        },
                        at("name"),
                    ));
                }
                if systems[..i].iter().any(|o| o.name.trim() == name) {
                    push((
                        ProblemKind::InvalidProfile {
                            field: "systems",
                            reason: format!(
                                "names `{}` twice; give each system its own name",
                                name.chars().take(40).collect::<String>()
                            ),
                        },
                        at("name"),
                    ));
                }
                if let Some(purpose) = &s.purpose
                    && purpose.chars().count() > MAX_SYSTEM_PURPOSE_CHARS as usize
                {
                    push((
                        ProblemKind::TextTooLong {
                            max: MAX_SYSTEM_PURPOSE_CHARS,
                        },
                        at("purpose"),
                    ));
                }
                for (field, text) in [("name", Some(&s.name)), ("purpose", s.purpose.as_ref())] {
                    if let Some(c) =
                        text.and_then(|t| t.chars().find(|&c| crate::forbidden_char(c, false)))
                    {
                        push((
                            ProblemKind::ForbiddenCharacter {
                                code_point: u32::from(c),
                            },
                            at(field),
                        ));
                    }
                }
            }
            systems
                .iter()
                .map(|s| AiSystem {
                    name: s.name.trim().to_string(),
                    ..s.clone()
                })
                .collect()
        }
        (None, Some(count), Some(_)) => {
            if count > MAX_V1_AI_SYSTEMS {
                push(invalid(
                    "ai_systems",
                    format!("must be at most {MAX_V1_AI_SYSTEMS}"),
                ));
                return Vec::new();
            }
            p.inventory().into_owned()
        }
        (None, Some(_), None) => {
            push(invalid(
                "role",
                "is needed with `ai_systems` (or send `systems` instead)".into(),
            ));
            Vec::new()
        }
        (None, None, Some(_)) => {
            push(invalid(
                "ai_systems",
                "is needed with `role` (or send `systems` instead)".into(),
            ));
            Vec::new()
        }
        (None, None, None) => {
            if p.high_risk.is_some() {
                push(invalid("high_risk", "belongs to version 1 of the profile, with `ai_systems` and `role`; send `systems` instead".into()));
            }
            Vec::new()
        }
    }
}
