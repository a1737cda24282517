//! What the `scim` fuzz target and its corpus replay check, in one place:
//! the SCIM filter parser, the PATCH path parser and PATCH bodies must
//! answer any input without panicking, every refusal must say why, and what
//! parses must evaluate on a user and apply to one without panicking and
//! leave the user a JSON object.

use serde_json::{Value, json};

use super::{filter, patch};

/// Checks `data`: the first byte picks what the rest is (0 a filter, 1 a
/// PATCH path, 2 a PATCH body as JSON; other values cycle through them).
/// `Err` says which invariant broke.
pub fn filter_and_patch(data: &[u8]) -> Result<(), String> {
    let Some((&which, rest)) = data.split_first() else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(rest);
    match which % 3 {
        0 => match filter::parse(&text) {
            Ok(parsed) => {
                let _ = parsed.matches(&user());
                let _ = parsed.keys();
                Ok(())
            }
            Err(error) if error.0.trim().is_empty() => {
                Err(format!("the filter {text:?} is refused without a reason"))
            }
            Err(_) => Ok(()),
        },
        1 => match filter::parse_path(&text) {
            Err(error) if error.0.trim().is_empty() => {
                Err(format!("the path {text:?} is refused without a reason"))
            }
            _ => Ok(()),
        },
        _ => {
            let Ok(body) = serde_json::from_slice::<Value>(rest) else {
                return Ok(());
            };
            let operations = match patch::parse(&body) {
                Ok(operations) => operations,
                Err(error) if error.to_string().trim().is_empty() => {
                    return Err(format!("the PATCH {body} is refused without a reason"));
                }
                Err(_) => return Ok(()),
            };
            let mut doc = user();
            match patch::apply(&mut doc, &operations) {
                Err(error) if error.to_string().trim().is_empty() => {
                    Err(format!("the PATCH {body} fails to apply without a reason"))
                }
                _ if !doc.is_object() => Err(format!("the PATCH {body} left {doc}")),
                _ => Ok(()),
            }
        }
    }
}

/// A user as climb renders one, with the enterprise extension.
fn user() -> Value {
    json!({
        "schemas": [filter::CORE_USER, filter::ENTERPRISE_USER],
        "id": "17",
        "externalId": "okta-17",
        "userName": "ada@example.com",
        "name": {"formatted": "Ada Novak", "givenName": "Ada", "familyName": "Novak"},
        "displayName": "Ada Novak",
        "active": true,
        "emails": [{"value": "ada@example.com", "type": "work", "primary": true}],
        "title": "Senior Software Engineer",
        "meta": {"resourceType": "User", "created": "2026-01-05T09:00:00Z"},
        filter::ENTERPRISE_USER: {
            "department": "Engineering",
            "manager": {"value": "4", "displayName": "Björn Martin"}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_inputs_of_each_kind_hold_the_invariants() {
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for text in [
            r#"userName eq "ada@example.com""#,
            r#"emails[type eq "work" and value co "@"].value pr"#,
            r#"not (active eq false) or title sw "Sen""#,
            "((((",
            "userName eq",
            "",
        ] {
            inputs.push([&[0u8][..], text.as_bytes()].concat());
            inputs.push([&[1u8][..], text.as_bytes()].concat());
        }
        for body in [
            json!({"schemas": [patch::PATCH_OP], "Operations": [
                {"op": "replace", "path": "active", "value": false},
                {"op": "add", "path": "emails[type eq \"home\"].value", "value": "a@b.c"},
                {"op": "remove", "path": "title"}]}),
            json!({"schemas": [patch::PATCH_OP], "Operations": [{"op": "jump"}]}),
            json!([1, 2, 3]),
        ] {
            inputs.push([&[2u8][..], body.to_string().as_bytes()].concat());
        }
        for input in inputs {
            assert_eq!(filter_and_patch(&input), Ok(()), "{input:?}");
        }
    }
}
