//! The engine's one error type: what was wrong, and where (a JSON Pointer).

use std::fmt;

/// Everything that can go wrong in the engine: a list of one or more problems.
///
/// Validation reports every problem it finds (up to [`Error::MAX_PROBLEMS`]), so a
/// form can mark all bad fields at once. Each [`Problem`] names the offending field
/// with a JSON Pointer into the input (`/answers/3/level`) and says what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    problems: Vec<Problem>,
}

/// One thing that was wrong with an input or a question bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// What kind of problem this is.
    pub kind: ProblemKind,
    /// JSON Pointer (RFC 6901) to the offending value, `""` for the whole document.
    pub pointer: String,
}

/// The kinds of problem the engine reports; each one's `Display` says what was wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The JSON could not be read into the expected shape (syntax, type, unknown field).
    #[error("{message}")]
    Json {
        /// The parser's description of the problem.
        message: String,
    },
    /// An answer names a question the bank does not have.
    #[error("the bank has no question `{question}`")]
    UnknownQuestion {
        /// The question ID as given.
        question: String,
    },
    /// A level outside 0–4 that is neither `"unknown"` nor `"not_applicable"`.
    #[error(
        "level {value} for question `{question}` is not valid; expected an integer 0-4, \"unknown\" or \"not_applicable\""
    )]
    LevelOutOfRange {
        /// The question the answer was for.
        question: String,
        /// The value as given, rendered as text.
        value: String,
    },
    /// `not_applicable` on a question that covers a mandatory clause requirement.
    #[error(
        "question `{question}` covers a mandatory clause requirement and cannot be not applicable"
    )]
    NotApplicableOnMandatory {
        /// The question the answer was for.
        question: String,
    },
    /// `not_applicable` on an Annex A control that restates a mandatory clause.
    #[error(
        "question `{question}` covers {control}, which restates clause {clause}: it is mandatory and cannot be excluded"
    )]
    NotExcludable {
        /// The question the answer was for.
        question: String,
        /// The control (`"A.2.2"`).
        control: String,
        /// The clause it restates (`"5.2"`).
        clause: String,
    },
    /// `not_applicable` without a justification (or with only whitespace).
    #[error("question `{question}` is marked not applicable without a justification")]
    MissingJustification {
        /// The question the answer was for.
        question: String,
    },
    /// Two answers for the same question.
    #[error("question `{question}` is answered more than once")]
    DuplicateAnswer {
        /// The question answered twice.
        question: String,
    },
    /// An answer to a question of the other mode (a full-assessment question in a quick quiz).
    #[error("question `{question}` does not belong to the {mode} mode")]
    WrongMode {
        /// The question the answer was for.
        question: String,
        /// The mode the assessment declared.
        mode: crate::Mode,
    },
    /// The input was written for another version of the question bank.
    #[error(
        "the answers were given for bank version {found}, but the bank in use is version {expected}"
    )]
    BankVersionMismatch {
        /// The version of the bank in use.
        expected: String,
        /// The version the input names.
        found: String,
    },
    /// A profile field is outside what the engine accepts.
    #[error("profile field `{field}` {reason}")]
    InvalidProfile {
        /// The profile field (`"capacity_fte"`).
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// A document field of the Statement of Applicability (`soa`) is not valid.
    #[error("statement of applicability field `{field}` {reason}")]
    InvalidSoa {
        /// The field (`"version"`).
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// A text field is longer than allowed.
    #[error("text is longer than {max} characters")]
    TextTooLong {
        /// The maximum number of characters.
        max: u32,
    },
    /// Free text holds a character that is not allowed (see [`crate::forbidden_char`]).
    #[error("text may not hold the control character U+{code_point:04X}")]
    ForbiddenCharacter {
        /// The character's code point.
        code_point: u32,
    },
    /// More answers than the bank has questions.
    #[error("more than {max} answers")]
    TooManyAnswers {
        /// The maximum number of answers accepted.
        max: u32,
    },
    /// The question bank itself is inconsistent.
    #[error("invalid question bank: {reason}")]
    InvalidBank {
        /// What is inconsistent.
        reason: String,
    },
}

impl Error {
    /// The most problems one error carries; validation stops collecting after this.
    pub const MAX_PROBLEMS: usize = 50;

    pub(crate) fn single(kind: ProblemKind, pointer: impl Into<String>) -> Error {
        Error {
            problems: vec![Problem {
                kind,
                pointer: pointer.into(),
            }],
        }
    }

    pub(crate) fn from_problems(problems: Vec<Problem>) -> Option<Error> {
        if problems.is_empty() {
            None
        } else {
            Some(Error { problems })
        }
    }

    /// The first (or only) problem's kind.
    pub fn kind(&self) -> &ProblemKind {
        &self.problems[0].kind
    }

    /// The first (or only) problem's JSON Pointer.
    pub fn pointer(&self) -> &str {
        &self.problems[0].pointer
    }

    /// Every problem found, in input order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "the document".to_string()
        } else {
            format!("`{}`", self.pointer)
        };
        write!(f, "{at}: {}", self.kind)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problems[0])?;
        if self.problems.len() > 1 {
            write!(f, " (and {} more problems)", self.problems.len() - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl ProblemKind {
    /// Whether this problem is about the bank rather than the input.
    pub fn is_bank_problem(&self) -> bool {
        matches!(self, ProblemKind::InvalidBank { .. })
    }
}

/// Reads JSON text into `T`, reporting a failure with a JSON Pointer to the bad value
/// (duplicate keys, unknown fields and wrong types included). For callers whose bodies
/// carry more than an assessment, such as an API reading contact details next to one.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// #[serde(deny_unknown_fields)]
/// struct Lead { email: String }
/// let err = aims_engine::from_json_str::<Lead>(r#"{"email": 7}"#).unwrap_err();
/// assert_eq!(err.pointer(), "/email");
/// let twice = aims_engine::from_json_str::<Lead>(r#"{"email": "a@b.co", "email": "c@d.co"}"#);
/// assert!(twice.unwrap_err().to_string().contains("duplicate field `email`"));
/// ```
#[cfg(feature = "pointers")]
pub fn from_json_str<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Error> {
    from_json(json)
}

/// Reads JSON into `T`, reporting a failure with a JSON Pointer to the bad value.
///
/// Valid input is read once, by plain serde_json; only input that fails is read again
/// with path tracking, to say where. Tracking the path of every value costs about as much
/// as the reading itself, and a server mostly reads valid bodies.
#[cfg(feature = "pointers")]
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Error> {
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| tracked(e, ""))?;
    de.end().map_err(|e| {
        Error::single(
            ProblemKind::Json {
                message: json_message(&e),
            },
            "",
        )
    })?;
    Ok(value)
}

/// Reads an already parsed JSON value into `T`; `prefix` is prepended to pointers (the
/// value's place in a larger document, `""` for the whole). For callers that take parts
/// of one document apart, such as an API reading contact details next to an assessment.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// #[serde(deny_unknown_fields)]
/// struct Lead { email: String }
/// let err = aims_engine::from_json_value::<Lead>(serde_json::json!({"email": 7}), "/lead")
///     .unwrap_err();
/// assert_eq!(err.pointer(), "/lead/email");
/// ```
#[cfg(feature = "pointers")]
pub fn from_json_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| tracked(e, prefix))
}

/// Reads JSON into `T`; without the `pointers` feature (the widget's Wasm build, where
/// size matters more) a failure points at the whole document and the message gives the
/// line and column.
#[cfg(not(feature = "pointers"))]
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Error> {
    serde_json::from_str(json).map_err(|e| {
        Error::single(
            ProblemKind::Json {
                message: e.to_string(),
            },
            "",
        )
    })
}

/// Reads an already parsed JSON value into `T`; without the `pointers` feature a failure
/// points at `prefix`.
#[cfg(not(feature = "pointers"))]
pub fn from_json_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| {
        Error::single(
            ProblemKind::Json {
                message: e.to_string(),
            },
            prefix,
        )
    })
}

/// A deserialisation failure as a problem at its JSON Pointer.
#[cfg(feature = "pointers")]
fn tracked(e: serde_path_to_error::Error<serde_json::Error>, prefix: &str) -> Error {
    let pointer = format!("{prefix}{}", pointer_of(e.path()));
    Error::single(
        ProblemKind::Json {
            message: json_message(e.inner()),
        },
        pointer,
    )
}

/// serde_json's message without the trailing "at line 1 column 40" when a pointer says more.
#[cfg(feature = "pointers")]
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match e.classify() {
        serde_json::error::Category::Data => match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        },
        _ => text,
    }
}

#[cfg(feature = "pointers")]
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}
