//! SCIM PATCH (RFC 7644 §3.5.2): the request parsed into typed operations
//! (`add`, `remove`, `replace`, in any case, as Entra writes them), each
//! applied to the user's JSON rendering; the result is then read like a PUT
//! body, so a PATCH can do no more than a PUT.

use serde_json::{Map, Value};

use crate::scim::filter::{self, AttrPath, CORE_USER, FilterError, member};

/// The schema of a PATCH request.
pub(crate) const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The most operations one request may hold.
const MAX_OPERATIONS: usize = 1000;

/// An operation's verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpKind {
    Add,
    Remove,
    Replace,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Operation {
    pub(crate) kind: OpKind,
    pub(crate) path: Option<AttrPath>,
    pub(crate) value: Option<Value>,
}

/// Why a PATCH cannot be carried out, with SCIM's `scimType`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PatchError {
    /// `invalidSyntax`: not a PatchOp request.
    #[error("{0}")]
    Syntax(String),
    /// `invalidPath`: a path that does not parse.
    #[error("{0}")]
    Path(String),
    /// `noTarget`: a filtered path that selects nothing.
    #[error("{0}")]
    NoTarget(String),
    /// `invalidValue`: a value of the wrong shape.
    #[error("{0}")]
    Value(String),
}

impl PatchError {
    pub(crate) fn scim_type(&self) -> &'static str {
        match self {
            Self::Syntax(_) => "invalidSyntax",
            Self::Path(_) => "invalidPath",
            Self::NoTarget(_) => "noTarget",
            Self::Value(_) => "invalidValue",
        }
    }
}

impl From<FilterError> for PatchError {
    fn from(error: FilterError) -> Self {
        Self::Path(error.0)
    }
}

/// Parses a PATCH body into its operations.
pub(crate) fn parse(body: &Value) -> Result<Vec<Operation>, PatchError> {
    let schemas_ok = member(body, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|s| s.as_str() == Some(PATCH_OP)));
    if !schemas_ok {
        return Err(PatchError::Syntax(format!(
            "a PATCH body lists `{PATCH_OP}` in `schemas`"
        )));
    }
    let Some(Value::Array(operations)) = member(body, "Operations") else {
        return Err(PatchError::Syntax(
            "a PATCH body holds an `Operations` array".to_owned(),
        ));
    };
    if operations.len() > MAX_OPERATIONS {
        return Err(PatchError::Syntax(format!(
            "a PATCH holds at most {MAX_OPERATIONS} operations"
        )));
    }
    operations.iter().map(operation).collect()
}

fn operation(op: &Value) -> Result<Operation, PatchError> {
    let verb = member(op, "op").and_then(Value::as_str).unwrap_or("");
    let kind = match verb.to_ascii_lowercase().as_str() {
        "add" => OpKind::Add,
        "remove" => OpKind::Remove,
        "replace" => OpKind::Replace,
        _ => {
            return Err(PatchError::Syntax(format!(
                "`{verb}` is not a PATCH op: use add, remove or replace"
            )));
        }
    };
    let path = match member(op, "path") {
        None | Some(Value::Null) => None,
        Some(Value::String(path)) => Some(filter::parse_path(path)?),
        Some(_) => return Err(PatchError::Path("a path is a string".to_owned())),
    };
    let value = member(op, "value").cloned();
    match (kind, &path, &value) {
        (OpKind::Remove, None, _) => Err(PatchError::NoTarget(
            "a remove operation needs a path".to_owned(),
        )),
        (OpKind::Add | OpKind::Replace, _, None) => Err(PatchError::Value(format!(
            "a {verb} operation needs a value"
        ))),
        (OpKind::Add | OpKind::Replace, None, Some(v)) if !v.is_object() => Err(PatchError::Value(
            "without a path, the value is an object of attributes".to_owned(),
        )),
        _ => Ok(Operation { kind, path, value }),
    }
}

/// Applies `operations` in order to the user `doc`.
pub(crate) fn apply(doc: &mut Value, operations: &[Operation]) -> Result<(), PatchError> {
    for op in operations {
        match &op.path {
            // A bare extension URN as the path: its attributes in the value.
            Some(AttrPath {
                urn: Some(urn),
                attr,
                filter: None,
                sub: None,
            }) if is_schema_urn(&format!("{urn}:{attr}")) => {
                let whole = format!("{urn}:{attr}");
                let value = op.value.clone().unwrap_or(Value::Null);
                if op.kind == OpKind::Remove {
                    if let Some(root) = doc.as_object_mut() {
                        let key = key_of(root, &whole);
                        root.remove(&key);
                    }
                    continue;
                }
                let Value::Object(inner) = value else {
                    return Err(PatchError::Value(format!(
                        "the value for `{whole}` is an object"
                    )));
                };
                for (name, v) in inner {
                    let path = AttrPath {
                        urn: Some(whole.clone()),
                        attr: name,
                        filter: None,
                        sub: None,
                    };
                    apply_at(doc, op.kind, &path, Some(&v))?;
                }
            }
            Some(path) => apply_at(doc, op.kind, path, op.value.as_ref())?,
            None => {
                let Some(Value::Object(attributes)) = &op.value else {
                    continue;
                };
                for (key, value) in attributes {
                    if key.eq_ignore_ascii_case("schemas") {
                        continue;
                    }
                    // An extension's attributes as one object under its URN.
                    if is_schema_urn(key) {
                        if let Value::Object(inner) = value {
                            for (name, v) in inner {
                                let path = AttrPath {
                                    urn: Some(key.clone()),
                                    attr: name.clone(),
                                    filter: None,
                                    sub: None,
                                };
                                apply_at(doc, op.kind, &path, Some(v))?;
                            }
                        }
                        continue;
                    }
                    // Entra writes `name.givenName` and `urn:…:User:manager` as keys.
                    let path = filter::parse_path(key)?;
                    apply_at(doc, op.kind, &path, Some(value))?;
                }
            }
        }
    }
    Ok(())
}

/// Whether `key` names a whole schema (`urn:…:User`) rather than an attribute in one.
fn is_schema_urn(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.starts_with("urn:") && lower.ends_with(":user")
}

/// The object a path's URN names in `doc`, made when missing.
fn scope_mut<'a>(
    doc: &'a mut Value,
    urn: Option<&str>,
) -> Result<&'a mut Map<String, Value>, PatchError> {
    let not_object = || PatchError::Value("the resource is not an object".to_owned());
    let root = doc.as_object_mut().ok_or_else(not_object)?;
    match urn {
        None => Ok(root),
        Some(urn) if urn.eq_ignore_ascii_case(CORE_USER) => Ok(root),
        Some(urn) => {
            let key = root
                .keys()
                .find(|k| k.eq_ignore_ascii_case(urn))
                .cloned()
                .unwrap_or_else(|| urn.to_owned());
            let entry = root.entry(key).or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            entry.as_object_mut().ok_or_else(not_object)
        }
    }
}

/// The key of `name` in `object`, whatever its case, or `name` itself.
fn key_of(object: &Map<String, Value>, name: &str) -> String {
    object
        .keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

fn apply_at(
    doc: &mut Value,
    kind: OpKind,
    path: &AttrPath,
    value: Option<&Value>,
) -> Result<(), PatchError> {
    let scope = scope_mut(doc, path.urn.as_deref())?;
    let key = key_of(scope, &path.attr);
    match (&path.filter, &path.sub) {
        (None, None) => {
            match kind {
                OpKind::Remove => {
                    scope.remove(&key);
                }
                OpKind::Replace => {
                    if let Some(v) = value {
                        scope.insert(key, merge_replace(scope_get(scope, &path.attr), v));
                    }
                }
                OpKind::Add => {
                    if let Some(v) = value {
                        let merged = match (scope.get(&key), v) {
                            (Some(Value::Array(old)), Value::Array(new)) => {
                                let mut all = old.clone();
                                all.extend(new.iter().cloned());
                                Value::Array(all)
                            }
                            (old, v) => merge_replace(old, v),
                        };
                        scope.insert(key, merged);
                    }
                }
            }
            Ok(())
        }
        (None, Some(sub)) => {
            let entry = scope
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            let Some(object) = entry.as_object_mut() else {
                return Ok(());
            };
            let sub_key = key_of(object, sub);
            match (kind, value) {
                (OpKind::Remove, _) => {
                    object.remove(&sub_key);
                }
                (_, Some(v)) => {
                    object.insert(sub_key, v.clone());
                }
                (_, None) => {}
            }
            Ok(())
        }
        (Some(selector), sub) => {
            let entry = scope.entry(key).or_insert_with(|| Value::Array(Vec::new()));
            if !entry.is_array() {
                *entry = Value::Array(Vec::new());
            }
            let Some(items) = entry.as_array_mut() else {
                return Ok(());
            };
            let selected: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(_, item)| selector.matches(item))
                .map(|(i, _)| i)
                .collect();
            if selected.is_empty() {
                if kind == OpKind::Remove {
                    return Ok(());
                }
                // Entra adds `emails[type eq "work"].value` to a user with no
                // work email: make the element the filter describes.
                let mut item = Map::new();
                if let filter::Filter::Compare(p, filter::CompareOp::Eq, v) = selector.as_ref()
                    && p.sub.is_none()
                    && p.filter.is_none()
                {
                    item.insert(p.attr.clone(), v.clone());
                }
                match (sub, value) {
                    (Some(sub), Some(v)) => {
                        item.insert(sub.clone(), v.clone());
                    }
                    (None, Some(Value::Object(v))) => {
                        item.extend(v.clone());
                    }
                    _ => {
                        return Err(PatchError::NoTarget(format!(
                            "no value of `{}` matches the path's filter",
                            path.attr
                        )));
                    }
                }
                items.push(Value::Object(item));
                return Ok(());
            }
            if kind == OpKind::Remove && sub.is_none() {
                let mut index = 0;
                items.retain(|_| {
                    let keep = !selected.contains(&index);
                    index += 1;
                    keep
                });
                return Ok(());
            }
            for i in selected {
                let Some(Value::Object(item)) = items.get_mut(i) else {
                    continue;
                };
                match (sub, kind, value) {
                    (Some(sub), OpKind::Remove, _) => {
                        let k = key_of(item, sub);
                        item.remove(&k);
                    }
                    (Some(sub), _, Some(v)) => {
                        let k = key_of(item, sub);
                        item.insert(k, v.clone());
                    }
                    (None, _, Some(Value::Object(v))) => {
                        for (k, v) in v {
                            let k = key_of(item, k);
                            item.insert(k, v.clone());
                        }
                    }
                    _ => {
                        return Err(PatchError::Value(
                            "the value for a filtered path is an object".to_owned(),
                        ));
                    }
                }
            }
            Ok(())
        }
    }
}

fn scope_get<'a>(scope: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    scope
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// A replacing value: an object merges into the object it replaces (RFC
/// 7644 §3.5.2.3: sub-attributes not named stay), anything else replaces.
fn merge_replace(old: Option<&Value>, new: &Value) -> Value {
    match (old, new) {
        (Some(Value::Object(old)), Value::Object(new)) => {
            let mut merged = old.clone();
            for (k, v) in new {
                let key = key_of(&merged, k);
                merged.insert(key, v.clone());
            }
            Value::Object(merged)
        }
        (_, new) => new.clone(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::scim::filter::ENTERPRISE_USER;

    fn user() -> Value {
        json!({
            "userName": "ada@example.com",
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": "ada@example.com", "type": "work", "primary": true}],
            "active": true,
            "title": "Software Engineer"
        })
    }

    fn patch(ops: Value) -> Result<Value, PatchError> {
        let body = json!({"schemas": [PATCH_OP], "Operations": ops});
        let mut doc = user();
        apply(&mut doc, &parse(&body)?)?;
        Ok(doc)
    }

    #[test]
    fn entra_s_capitalised_ops_and_string_booleans_are_applied() {
        let doc = patch(json!([
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Add", "path": "name.givenName", "value": "Augusta"},
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "augusta@example.com"},
            {"op": "Add", "path": format!("{ENTERPRISE_USER}:manager"), "value": "7"}
        ]))
        .expect("applies");
        assert_eq!(doc["active"], json!("False"));
        assert_eq!(doc["name"]["givenName"], json!("Augusta"));
        assert_eq!(doc["name"]["familyName"], json!("Lovelace"));
        assert_eq!(doc["emails"][0]["value"], json!("augusta@example.com"));
        assert_eq!(doc[ENTERPRISE_USER]["manager"], json!("7"));
    }

    #[test]
    fn okta_s_value_object_without_a_path_replaces_the_attributes_it_names() {
        let doc = patch(json!([{"op": "replace", "value": {
            "active": false,
            "name.familyName": "King",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager": {"value": "9"}
        }}]))
        .expect("applies");
        assert_eq!(doc["active"], json!(false));
        assert_eq!(doc["name"]["familyName"], json!("King"));
        assert_eq!(doc[ENTERPRISE_USER]["manager"]["value"], json!("9"));
    }

    #[test]
    fn remove_takes_the_attribute_away() {
        let doc = patch(json!([{"op": "remove", "path": "title"}])).expect("applies");
        assert!(doc.get("title").is_none());
    }

    #[test]
    fn malformed_patches_are_refused_with_their_scim_type() {
        let no_schema = parse(&json!({"Operations": []})).expect_err("refused");
        assert_eq!(no_schema.scim_type(), "invalidSyntax");
        let bad_op =
            patch(json!([{"op": "move", "path": "title", "value": "x"}])).expect_err("refused");
        assert_eq!(bad_op.scim_type(), "invalidSyntax");
        let bad_path = patch(json!([{"op": "add", "path": "emails[type eq", "value": "x"}]))
            .expect_err("refused");
        assert_eq!(bad_path.scim_type(), "invalidPath");
        let no_target = patch(json!([{"op": "remove"}])).expect_err("refused");
        assert_eq!(no_target.scim_type(), "noTarget");
    }

    proptest! {
        #[test]
        fn no_patch_panics(
            op in prop_oneof![Just("add"), Just("Remove"), Just("REPLACE"), Just("x")],
            path in proptest::option::of(".{0,60}"),
            value in prop_oneof![
                Just(json!(null)), Just(json!("v")), Just(json!(true)), Just(json!({"a": 1})),
                Just(json!([{"value": "x", "type": "work"}])), Just(json!({"name.givenName": "g"})),
            ],
        ) {
            let mut op_value = json!({"op": op, "value": value});
            if let Some(path) = path {
                op_value["path"] = json!(path);
            }
            let _ = patch(json!([op_value]));
        }
    }
}
