//! The company directory's orders: people by name, by role (the most senior
//! first) or by manager, always ending on name and id so that every page
//! boundary is stable. [`sorted`] puts any set of people in one of them;
//! the server keeps the whole company's orders per [`Org::revision`], so a
//! directory page in any order is read off in the time of the page.

use std::cmp::Reverse;

use climb_framework::Framework;

use crate::org::Org;
use crate::person::Person;

/// An order the directory lists people in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectoryOrder {
    /// By name.
    Name,
    /// The most senior role first, then by name.
    Role,
    /// By manager's name (people without one last), then by name.
    Manager,
}

impl DirectoryOrder {
    /// Every order, in the directory's column order.
    pub const ALL: [Self; 3] = [Self::Name, Self::Role, Self::Manager];

    /// The order's name in addresses (`sort=role`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Role => "role",
            Self::Manager => "manager",
        }
    }

    /// The order named `name`, or by name for anything else.
    pub fn parse(name: &str) -> Self {
        match name {
            "role" => Self::Role,
            "manager" => Self::Manager,
            _ => Self::Name,
        }
    }

    /// Its position in [`DirectoryOrder::ALL`].
    pub fn index(self) -> usize {
        match self {
            Self::Name => 0,
            Self::Role => 1,
            Self::Manager => 2,
        }
    }
}

/// `people` in `order`. Each person's key is read once before sorting.
pub fn sorted<'o>(
    framework: &Framework,
    org: &'o Org,
    order: DirectoryOrder,
    people: impl IntoIterator<Item = &'o Person>,
) -> Vec<&'o Person> {
    let mut keyed: Vec<(SortKey<'o>, &'o Person)> = people
        .into_iter()
        .map(|person| (SortKey::of(framework, org, order, person), person))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, person)| person).collect()
}

/// A text as a sort key: its first eight bytes as one number, compared
/// first, then the whole text. Most comparisons end at the number, without
/// reading the text from wherever it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Text<'o> {
    head: u64,
    text: &'o str,
}

impl<'o> Text<'o> {
    fn of(text: &'o str) -> Self {
        let mut head = [0u8; 8];
        for (to, from) in head.iter_mut().zip(text.bytes()) {
            *to = from;
        }
        Self {
            head: u64::from_be_bytes(head),
            text,
        }
    }
}

/// What a person sorts by in one of the orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey<'o> {
    rank: Reverse<u8>,
    no_manager: bool,
    manager: Text<'o>,
    name: Text<'o>,
    id: i64,
}

impl<'o> SortKey<'o> {
    fn of(framework: &Framework, org: &'o Org, order: DirectoryOrder, person: &'o Person) -> Self {
        let manager = match order {
            DirectoryOrder::Manager => person.manager.and_then(|m| org.person(m)),
            DirectoryOrder::Name | DirectoryOrder::Role => None,
        };
        Self {
            rank: Reverse(match order {
                DirectoryOrder::Role => framework
                    .role(person.role.as_str())
                    .map_or(0, |r| r.seniority.get()),
                DirectoryOrder::Name | DirectoryOrder::Manager => 0,
            }),
            no_manager: order == DirectoryOrder::Manager && manager.is_none(),
            manager: Text::of(manager.map_or("", |m| m.name.as_str())),
            name: Text::of(&person.name),
            id: person.id.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_key_sorts_as_its_text_does() {
        let texts = [
            "",
            "a",
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgi",
            "Zoë",
            "Zoe",
            "Ölund",
            "Öl",
            "zz",
            "Émile Zola",
            "Émile",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(Text::of(a).cmp(&Text::of(b)), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn orders_round_trip_through_their_names() {
        for order in DirectoryOrder::ALL {
            assert_eq!(DirectoryOrder::parse(order.as_str()), order);
            assert_eq!(DirectoryOrder::ALL[order.index()], order);
        }
        assert_eq!(DirectoryOrder::parse("nonsense"), DirectoryOrder::Name);
    }
}
