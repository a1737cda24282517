//! Small-group protection: a rate or a distribution drawn from fewer than
//! [`MIN_GROUP`] people could point at one person, so everyone but HR and
//! administrators sees it as "fewer than 5".

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The fewest people a rate or a distribution is shown for, below HR.
pub const MIN_GROUP: u64 = 5;

/// What a suppressed figure says in place of its value.
pub const SUPPRESSED_TEXT: &str = "fewer than 5";

/// Whether small groups are hidden from the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Privacy {
    /// Figures from fewer than [`MIN_GROUP`] people are [`Figure::Suppressed`].
    Protected,
    /// Every figure is shown (HR and administrators).
    Full,
}

impl Privacy {
    /// `value` as the caller may see it: shown, unless it is drawn from
    /// fewer than [`MIN_GROUP`] people and small groups are protected.
    pub fn figure<T>(self, people: u64, value: T) -> Figure<T> {
        if self == Self::Protected && people < MIN_GROUP {
            Figure::Suppressed
        } else {
            Figure::Shown(value)
        }
    }
}

/// A figure, or the notice that it is hidden. Serialised as the value
/// itself, or as `{"suppressed": "fewer than 5"}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure<T> {
    /// The value.
    Shown(T),
    /// Drawn from fewer than [`MIN_GROUP`] people.
    Suppressed,
}

impl<T> Figure<T> {
    /// The value, when shown.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Self::Shown(value) => Some(value),
            Self::Suppressed => None,
        }
    }

    /// Whether the value is hidden.
    pub fn is_suppressed(&self) -> bool {
        matches!(self, Self::Suppressed)
    }
}

impl<T: Serialize> Serialize for Figure<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Shown(value) => value.serialize(serializer),
            Self::Suppressed => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("suppressed", SUPPRESSED_TEXT)?;
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_people_are_suppressed_for_everyone_but_hr_and_five_are_shown() {
        assert_eq!(Privacy::Protected.figure(4, 0.5), Figure::Suppressed);
        assert_eq!(Privacy::Protected.figure(5, 0.5), Figure::Shown(0.5));
        assert_eq!(Privacy::Full.figure(1, 0.5), Figure::Shown(0.5));
    }

    #[test]
    fn a_suppressed_figure_says_so_in_json() {
        let hidden = serde_json::to_string(&Figure::<f64>::Suppressed).unwrap_or_default();
        assert_eq!(hidden, r#"{"suppressed":"fewer than 5"}"#);
        let shown = serde_json::to_string(&Figure::Shown(3_u32)).unwrap_or_default();
        assert_eq!(shown, "3");
    }
}
