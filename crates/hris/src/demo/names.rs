//! Built-in first and last names for demo people (diverse, a few accented),
//! and the folding of a name into the ASCII local part of an email.

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Ada",
    "Adebayo",
    "Aisha",
    "Akira",
    "Alejandro",
    "Amara",
    "Ana",
    "Anders",
    "Aroha",
    "Aurélien",
    "Beatriz",
    "Björn",
    "Camille",
    "Carlos",
    "Chen",
    "Chloé",
    "Chidi",
    "Dana",
    "Daniel",
    "Dmitri",
    "Elif",
    "Emeka",
    "Emma",
    "Erik",
    "Fatima",
    "Felipe",
    "Freya",
    "Gabriel",
    "Grace",
    "Hana",
    "Hiroshi",
    "Ines",
    "Ingrid",
    "Isabel",
    "Ivan",
    "Jamal",
    "Jia",
    "José",
    "Juan",
    "Kai",
    "Kavya",
    "Kenji",
    "Kofi",
    "Lars",
    "Laura",
    "Leila",
    "Liam",
    "Lucía",
    "Łukasz",
    "Maja",
    "Malik",
    "Marco",
    "María",
    "Mei",
    "Mohammed",
    "Nadia",
    "Naledi",
    "Nikhil",
    "Noémie",
    "Nour",
    "Olga",
    "Omar",
    "Priya",
    "Rafael",
    "Rania",
    "Ravi",
    "Rosa",
    "Sakura",
    "Samuel",
    "Sara",
    "Siddharth",
    "Sofia",
    "Søren",
    "Tariq",
    "Thandiwe",
    "Tomás",
    "Uma",
    "Valentina",
    "Wei",
    "Yara",
    "Yusuf",
    "Zanele",
    "Zoë",
    "Zhang Wei",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Abe",
    "Adeyemi",
    "Ahmed",
    "Alvarez",
    "Andersen",
    "Bakker",
    "Banerjee",
    "Bianchi",
    "Brown",
    "Çelik",
    "Chen",
    "Cohen",
    "Costa",
    "da Silva",
    "Dubois",
    "Eriksson",
    "Fernández",
    "Fischer",
    "García",
    "Gonzalez",
    "Haddad",
    "Hansen",
    "Hernández",
    "Ibrahim",
    "Ivanova",
    "Jensen",
    "Johnson",
    "Kaur",
    "Kim",
    "Kowalczyk",
    "Kumar",
    "Lefèvre",
    "Li",
    "Lopez",
    "Mahlangu",
    "Martin",
    "Mendes",
    "Mensah",
    "Moreau",
    "Müller",
    "Nakamura",
    "Ng",
    "Nguyễn",
    "Novak",
    "Núñez",
    "O'Brien",
    "Okafor",
    "Ólafsdóttir",
    "Osei",
    "Park",
    "Patel",
    "Petrov",
    "Rahman",
    "Rossi",
    "Sato",
    "Schmidt",
    "Singh",
    "Smith",
    "Søndergaard",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Tran",
    "van der Berg",
    "Wang",
    "Williams",
    "Wiśniewski",
    "Yamamoto",
    "Yilmaz",
    "Zhou",
];

/// The lowercase ASCII form of a name for an email: accents folded
/// (`é` → `e`, `ß` → `ss`, `ł` → `l`), anything else but letters and digits
/// dropped (`O'Brien` → `obrien`, `van der Berg` → `vanderberg`).
pub(crate) fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ð' | 'ď' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'ễ' | 'ệ' | 'ế' | 'ề' => "e",
            'ğ' => "g",
            'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
            'ł' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'ơ' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ś' | 'š' | 'ş' => "s",
            'ß' => "ss",
            'ţ' | 'ť' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ű' | 'ư' | 'ů' => "u",
            'ý' | 'ÿ' => "y",
            'ž' | 'ź' | 'ż' => "z",
            _ => "",
        };
        out.push_str(folded);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_to_ascii_email_parts() {
        assert_eq!(fold("Zoë"), "zoe");
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("Nguyễn"), "nguyen");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("van der Berg"), "vanderberg");
        assert_eq!(fold("Ólafsdóttir"), "olafsdottir");
        assert_eq!(fold("Wiśniewski"), "wisniewski");
    }

    #[test]
    fn every_built_in_name_folds_to_something() {
        for name in FIRST_NAMES.iter().chain(LAST_NAMES) {
            assert!(!fold(name).is_empty(), "{name}");
        }
    }
}
