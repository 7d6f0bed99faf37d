//! Shared, immutable text: results quote the bank's titles and IDs without copying them;
//! and which characters free text that people type may not hold.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A cheaply clonable, immutable string. Results are full of text taken from the bank
/// (IDs, titles, tasks); sharing it keeps evaluation fast. Text of the embedded bank,
/// which lives as long as the program, is shared without even a reference count.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Text {
    /// The text as `&str`.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }

    pub(crate) fn from_static(s: &'static str) -> Text {
        Text(Repr::Static(s))
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Repr::Shared(Arc::from(s)))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Repr::Shared(Arc::from(s)))
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        Ok(Text::from(String::deserialize(d)?))
    }
}

/// Several [`Text`]s shared as one block (a question's requirement IDs).
#[derive(Clone)]
pub struct TextList(ListRepr);

#[derive(Clone)]
enum ListRepr {
    Static(&'static [Text]),
    Shared(Arc<[Text]>),
}

impl TextList {
    pub(crate) fn new(items: Vec<Text>, forever: bool) -> TextList {
        if forever {
            TextList(ListRepr::Static(Vec::leak(items)))
        } else {
            TextList(ListRepr::Shared(items.into()))
        }
    }
}

impl Deref for TextList {
    type Target = [Text];
    fn deref(&self) -> &[Text] {
        match &self.0 {
            ListRepr::Static(s) => s,
            ListRepr::Shared(s) => s,
        }
    }
}

impl PartialEq for TextList {
    fn eq(&self, other: &TextList) -> bool {
        **self == **other
    }
}

impl fmt::Debug for TextList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for TextList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TextList, D::Error> {
        Ok(TextList::new(Vec::<Text>::deserialize(d)?, false))
    }
}

/// Whether `c` may not appear in text that people type (names, justifications): control
/// characters (NUL, escape, C1 controls...) and the Unicode bidirectional embeddings,
/// overrides and isolates (U+202A-U+202E, U+2066-U+2069), which can make a report or a
/// spreadsheet show text other than what is stored. Where text may span lines
/// (`multiline`), line feed, carriage return and tab are allowed.
///
/// ```
/// use aims_engine::forbidden_char;
/// assert!(forbidden_char('\u{0}', true));
/// assert!(forbidden_char('\u{202E}', true));
/// assert!(forbidden_char('\n', false));
/// assert!(!forbidden_char('\n', true));
/// assert!(!forbidden_char('é', false));
/// ```
pub fn forbidden_char(c: char, multiline: bool) -> bool {
    if multiline && matches!(c, '\n' | '\r' | '\t') {
        return false;
    }
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
