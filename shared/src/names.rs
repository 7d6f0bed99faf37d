//! Enums that travel on the wire: each variant's wire name (and label) is written once.
//!
//! [`named_enum!`] declares the enum with its serde names and gives it `ALL`, `as_str`,
//! [`FromStr`](std::str::FromStr), `Display` and, where labels are given, `label`. Every
//! other place (the widget's readers and forms, the reports, the API's filters and
//! OpenAPI document) asks the enum, so a new variant touches one file.

use std::fmt;

/// A name that is not the wire name of any variant of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The enum's name (`"Band"`).
    pub kind: &'static str,
    /// Every accepted wire name.
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a {}: expected one of {}",
            self.kind,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}

/// An enum whose variants have wire names: what generic code (readers, filters, the
/// OpenAPI document) asks.
pub trait Named: Copy + 'static {
    /// Every variant, in declaration order.
    const ALL: &'static [Self];
    /// Every wire name, in the same order.
    const NAMES: &'static [&'static str];

    /// The variant's wire name.
    fn name(self) -> &'static str;

    /// The variant with this wire name.
    fn from_name(name: &str) -> Option<Self> {
        let i = Self::NAMES.iter().position(|n| *n == name)?;
        Some(Self::ALL[i])
    }
}

/// Declares a wire enum. Each variant is `Name = "wire"` or `Name = "wire" / "Label"`
/// (labels for every variant or none).
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:tt $(/ $label:literal)?, )+
        }
    ) => {
        $(#[$meta])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every wire name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                $name::NAMES[self as usize]
            }

            $crate::names::named_enum!(@label $name { $($variant $(/ $label)?,)+ });
        }

        impl $crate::names::Named for $name {
            const ALL: &'static [$name] = $name::ALL;
            const NAMES: &'static [&'static str] = $name::NAMES;

            fn name(self) -> &'static str {
                self.as_str()
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::names::UnknownName;

            /// Reads a wire name.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                <$name as $crate::names::Named>::from_name(text).ok_or($crate::names::UnknownName {
                    kind: stringify!($name),
                    expected: $name::NAMES,
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    (@label $name:ident { $($variant:ident / $label:literal,)+ }) => {
        /// How it is named in reports and on screen.
        pub fn label(self) -> &'static str {
            match self {
                $($name::$variant => $label,)+
            }
        }
    };
    (@label $name:ident { $($variant:ident,)+ }) => {};
}

pub(crate) use named_enum;
