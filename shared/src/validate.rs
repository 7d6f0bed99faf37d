//! From what was sent to what the engine evaluates: every answer checked against the bank.

use crate::Bank;
use crate::error::{Error, Problem, ProblemKind};
use crate::input::{Answer, AssessmentInput, Framework, Level, Mode, Profile, RawLevel};

/// Longest justification accepted, in characters.
pub const MAX_JUSTIFICATION_CHARS: u32 = 2000;
/// Most AI systems accepted in one scope.
pub const MAX_AI_SYSTEMS: u32 = 10_000;

/// An assessment that passed validation against one bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub(crate) mode: Mode,
    pub(crate) profile: Profile,
    /// One slot per bank question (bank order); `None` when unanswered.
    pub(crate) answers: Vec<Option<Answer>>,
    pub(crate) sector_factor: f64,
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
            && found != &self.data.version
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
        if p.ai_systems > MAX_AI_SYSTEMS {
            problems.push(
                ProblemKind::InvalidProfile {
                    field: "ai_systems",
                    reason: format!("must be at most {MAX_AI_SYSTEMS}"),
                },
                "/profile/ai_systems".to_string(),
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

        if let Some(error) = Error::from_problems(problems.0) {
            return Err(error);
        }
        let mut profile = input.profile.clone();
        profile.frameworks.sort();
        profile.frameworks.dedup();
        Ok(Assessment {
            mode: input.mode,
            profile,
            answers,
            sector_factor,
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
                    problems.push(
                        ProblemKind::NotApplicableOnMandatory {
                            question: question(),
                        },
                        format!("/answers/{i}/level"),
                    );
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
