//! Contact details left with an assessment (a lead), and the rules they must meet.
//!
//! The widget checks them as the visitor types; the API checks them again before storing.
//! Both use these functions, so the two can never disagree.

use serde::{Deserialize, Serialize};

/// Longest name or company name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest phone number accepted, in characters.
pub const MAX_PHONE_CHARS: usize = 30;
/// Longest role accepted, in characters.
pub const MAX_ROLE_CHARS: usize = 100;

/// Contact details as sent with an assessment.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lead {
    /// The person's name.
    pub name: String,
    /// Where to reach them.
    pub email: String,
    /// Their organisation (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// A number to call them back on (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// What they do there, such as "Head of compliance" (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Agreement to have the details stored and used to follow up.
    pub consent: bool,
    /// A separate opt-in: email the Gap Analysis Report to this address.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub send_report: bool,
}

/// A field of a [`Lead`] that breaks a rule, with a message for the person who typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadProblem {
    /// `"name"`, `"email"`, `"company"`, `"phone"`, `"role"` or `"consent"`.
    pub field: &'static str,
    /// What to do about it.
    pub message: &'static str,
}

impl Lead {
    /// Every rule the lead breaks, in form order (empty when it may be stored).
    ///
    /// ```
    /// let lead = aims_engine::Lead { name: "Ada".into(), email: "ada@example".into(),
    ///                                phone: Some("+44 20 7946 0000".into()),
    ///                                ..Default::default() };
    /// let fields: Vec<_> = lead.problems().iter().map(|p| p.field).collect();
    /// assert_eq!(fields, ["email", "consent"]);
    /// ```
    pub fn problems(&self) -> Vec<LeadProblem> {
        let mut problems = Vec::new();
        let name = self.name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_NAME_CHARS
            || name.chars().any(|c| crate::forbidden_char(c, false))
        {
            problems.push(LeadProblem {
                field: "name",
                message: "Give a name of 1 to 200 characters.",
            });
        }
        if !valid_email(self.email.trim()) {
            problems.push(LeadProblem {
                field: "email",
                message: "Give a valid email address, such as name@example.com.",
            });
        }
        let company = self.company.as_deref().unwrap_or("").trim();
        if company.chars().count() > MAX_NAME_CHARS
            || company.chars().any(|c| crate::forbidden_char(c, false))
        {
            problems.push(LeadProblem {
                field: "company",
                message: "The company name is at most 200 characters.",
            });
        }
        let phone = self.phone.as_deref().unwrap_or("").trim();
        if !phone.is_empty() && !valid_phone(phone) {
            problems.push(LeadProblem {
                field: "phone",
                message: "Give a phone number of 6 to 30 digits and spaces, such as +44 20 7946 0000, or leave it empty.",
            });
        }
        let role = self.role.as_deref().unwrap_or("").trim();
        if role.chars().count() > MAX_ROLE_CHARS
            || role.chars().any(|c| crate::forbidden_char(c, false))
        {
            problems.push(LeadProblem {
                field: "role",
                message: "The role is at most 100 characters on one line.",
            });
        }
        if !self.consent {
            problems.push(LeadProblem {
                field: "consent",
                message: "Consent is required to store your contact details.",
            });
        }
        problems
    }
}

/// A plausible phone number: at most 30 characters, at least 6 digits, and otherwise only
/// spaces, a leading `+`, and `-`, `.`, `(`, `)` between digits.
///
/// ```
/// use aims_engine::valid_phone;
/// assert!(valid_phone("+44 (0)20 7946-0000"));
/// assert!(!valid_phone("12345"));
/// assert!(!valid_phone("call me"));
/// ```
pub fn valid_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let body = phone.strip_prefix('+').unwrap_or(phone);
    phone.chars().count() <= MAX_PHONE_CHARS
        && digits >= 6
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || " -.()".contains(c))
}

/// A plausible email address: one `@`, a local part and a dotted domain, no spaces or
/// control characters. (Whether it is deliverable is for the mail system to find out.)
///
/// ```
/// use aims_engine::valid_email;
/// assert!(valid_email("ada@example.org"));
/// assert!(!valid_email("ada@example"));
/// assert!(!valid_email("ada lovelace@example.org"));
/// ```
pub fn valid_email(email: &str) -> bool {
    if email.len() > 254
        || email
            .chars()
            .any(|c| c.is_whitespace() || crate::forbidden_char(c, false))
    {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.contains('@') {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}
