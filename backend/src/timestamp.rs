//! Moments as the server stores and shows them: UTC, to the microsecond.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Postgres, Sqlite, Type};
use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

/// A moment in UTC, to the microsecond. In PostgreSQL a `TIMESTAMPTZ`; in SQLite, which has
/// no time type, RFC 3339 text of one width (`2027-01-04T09:30:00.000000Z`), so that text
/// order is time order. On the wire the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, utoipa::ToSchema)]
#[schema(value_type = String, format = DateTime, example = "2027-01-04T09:30:00.000000Z")]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Now.
    pub fn now() -> Timestamp {
        Timestamp::from(OffsetDateTime::now_utc())
    }

    /// `secs` seconds from now (before now when negative).
    pub fn in_secs(secs: i64) -> Timestamp {
        Timestamp::from(OffsetDateTime::now_utc() + Duration::seconds(secs))
    }

    /// Midnight UTC at the start of `date`.
    pub fn start_of(date: time::Date) -> Timestamp {
        Timestamp(date.midnight().assume_utc())
    }

    /// Seconds since 1970-01-01 UTC.
    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(t: OffsetDateTime) -> Timestamp {
        let t = t.to_offset(UtcOffset::UTC);
        let micros = t.nanosecond() / 1000 * 1000;
        Timestamp(t.replace_nanosecond(micros).unwrap_or(t))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        let (year, month, day) = t.to_calendar_date();
        write!(
            f,
            "{year:04}-{:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
            u8::from(month),
            t.hour(),
            t.minute(),
            t.second(),
            t.microsecond()
        )
    }
}

impl std::str::FromStr for Timestamp {
    type Err = time::error::Parse;

    /// Reads RFC 3339 in any offset.
    fn from_str(text: &str) -> Result<Timestamp, Self::Err> {
        OffsetDateTime::parse(text, &Rfc3339).map(Timestamp::from)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Type<Sqlite> for Timestamp {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for Timestamp {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        <String as Encode<Sqlite>>::encode(self.to_string(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Timestamp {
    fn decode(value: SqliteValueRef<'r>) -> Result<Timestamp, BoxDynError> {
        Ok(<&str as Decode<Sqlite>>::decode(value)?.parse()?)
    }
}

impl Type<Postgres> for Timestamp {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for Timestamp {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <OffsetDateTime as Encode<Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Timestamp {
    fn decode(value: PgValueRef<'r>) -> Result<Timestamp, BoxDynError> {
        <OffsetDateTime as Decode<Postgres>>::decode(value).map(Timestamp::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn one_width_in_utc_to_the_microsecond() {
        let t: Timestamp = "2027-01-04T10:30:00.1234567+01:00".parse().unwrap();
        assert_eq!(t.to_string(), "2027-01-04T09:30:00.123456Z");
        let whole: Timestamp = "2027-01-04T09:30:00Z".parse().unwrap();
        assert_eq!(whole.to_string(), "2027-01-04T09:30:00.000000Z");
        assert!(whole < t && whole.to_string() < t.to_string());
        assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
    }
}
