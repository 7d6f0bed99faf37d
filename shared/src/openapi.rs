//! JSON schemas for the wire types whose serialisation is written by hand (feature
//! `openapi`, used by the API's OpenAPI document).

use crate::{Date, RawLevel, Status, Text, TextList};
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
};
use utoipa::{PartialSchema, ToSchema};

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

impl PartialSchema for Text {
    fn schema() -> RefOr<Schema> {
        string().into()
    }
}

impl ToSchema for Text {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Text")
    }
}

impl PartialSchema for TextList {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new().items(string()).into()
    }
}

impl ToSchema for TextList {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("TextList")
    }
}

impl PartialSchema for Date {
    fn schema() -> RefOr<Schema> {
        string()
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some("A calendar day, YYYY-MM-DD"))
            .into()
    }
}

impl ToSchema for Date {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Date")
    }
}

fn level_or_word(words: &[&str], description: &str) -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(4)),
        )
        .item(string().enum_values(Some(words.iter().copied())))
        .description(Some(description))
        .into()
}

impl PartialSchema for Status {
    fn schema() -> RefOr<Schema> {
        level_or_word(
            &["unknown", "not_applicable"],
            "A maturity level 0-4, \"unknown\", or \"not_applicable\"",
        )
    }
}

impl ToSchema for Status {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Status")
    }
}

impl PartialSchema for RawLevel {
    fn schema() -> RefOr<Schema> {
        level_or_word(
            &["unknown", "not_applicable"],
            "A maturity level 0 (not started) to 4 (measured and improving), \"unknown\", or \
             \"not_applicable\" with a justification (Annex A controls only)",
        )
    }
}

impl ToSchema for RawLevel {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Level")
    }
}
