//! The discovery documents (RFC 7643 §5–7): what this service provider
//! supports, its one resource type (User, with the enterprise extension;
//! no Groups), and the schemas of the attributes it reads and writes. The
//! role attribute lists the framework's role titles as canonical values, so
//! an identity provider can offer them in a drop-down.

use climb_framework::Framework;
use serde_json::{Value, json};

use crate::scim::RoleAttribute;
use crate::scim::filter::{CORE_USER, ENTERPRISE_USER};

pub(crate) const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const SPC: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
/// The most users one page of a list holds.
pub(crate) const MAX_RESULTS: usize = 1000;

/// `/ServiceProviderConfig`.
pub(crate) fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [SPC],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A SCIM token an administrator issues (climb admin scim-token, or the admin pages).",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig")
        }
    })
}

/// The User resource type.
pub(crate) fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": [RESOURCE_TYPE],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person of the company",
        "schema": CORE_USER,
        "schemaExtensions": [{"schema": ENTERPRISE_USER, "required": false}],
        "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")}
    })
}

fn attribute(name: &str, kind: &str, mutability: &str, description: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": description,
        "required": false,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": "none"
    })
}

fn complex(name: &str, multi: bool, description: &str, subs: Vec<Value>) -> Value {
    let mut value = attribute(name, "complex", "readWrite", description);
    value["multiValued"] = json!(multi);
    value["subAttributes"] = Value::Array(subs);
    if let Some(object) = value.as_object_mut() {
        object.remove("uniqueness");
    }
    value
}

/// The attribute a role comes from, described with the roles as canonical values.
fn role_attribute(name: &str, framework: &Framework) -> Value {
    let mut value = attribute(
        name,
        "string",
        "readWrite",
        "The role: a role title or id of the framework. A change must follow the framework's transitions.",
    );
    value["canonicalValues"] = framework.roles().iter().map(|r| json!(r.title)).collect();
    // A hire needs a role.
    value["required"] = json!(true);
    value
}

/// The core User schema, as far as climb keeps it.
pub(crate) fn user_schema(base: &str, framework: &Framework, role: RoleAttribute) -> Value {
    let mut user_name = attribute(
        "userName",
        "string",
        "readWrite",
        "Unique login name; the work email as a rule.",
    );
    user_name["required"] = json!(true);
    user_name["uniqueness"] = json!("server");
    // Every person has an email: the primary (or work) one.
    let mut emails = complex(
        "emails",
        true,
        "Email addresses; the primary (or work) one is the person's email",
        vec![
            attribute("value", "string", "readWrite", "The address"),
            attribute("type", "string", "readWrite", "work, home or other"),
            attribute(
                "primary",
                "boolean",
                "readWrite",
                "Whether it is the primary address",
            ),
        ],
    );
    emails["required"] = json!(true);
    emails["subAttributes"][0]["required"] = json!(true);
    let mut attributes = vec![
        user_name,
        complex(
            "name",
            false,
            "The person's name",
            vec![
                attribute("formatted", "string", "readWrite", "The full name"),
                attribute("familyName", "string", "readWrite", "Family name"),
                attribute("givenName", "string", "readWrite", "Given name"),
            ],
        ),
        attribute(
            "displayName",
            "string",
            "readWrite",
            "The name shown in climb",
        ),
        emails,
        attribute(
            "active",
            "boolean",
            "readWrite",
            "false records that the person leaves",
        ),
    ];
    if role == RoleAttribute::Title {
        attributes.push(role_attribute("title", framework));
    } else {
        attributes.push(attribute("title", "string", "readOnly", "The role's title"));
    }
    if role == RoleAttribute::UserType {
        attributes.push(role_attribute("userType", framework));
    }
    json!({
        "schemas": [SCHEMA],
        "id": CORE_USER,
        "name": "User",
        "description": "A person of the company",
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{CORE_USER}")}
    })
}

/// The enterprise extension, as far as climb keeps it.
pub(crate) fn enterprise_schema(base: &str, framework: &Framework, role: RoleAttribute) -> Value {
    let mut manager_value = attribute(
        "value",
        "string",
        "readWrite",
        "The manager's id (or the URL of their resource)",
    );
    manager_value["caseExact"] = json!(true);
    let mut reference = attribute(
        "$ref",
        "reference",
        "readWrite",
        "The manager's URL; when sent, it names the manager",
    );
    reference["referenceTypes"] = json!(["User"]);
    let mut display = attribute("displayName", "string", "readOnly", "The manager's name");
    display["mutability"] = json!("readOnly");
    let mut attributes = vec![
        attribute(
            "department",
            "string",
            "readOnly",
            "The stream of the person's role",
        ),
        complex(
            "manager",
            false,
            "The person's manager",
            vec![manager_value, reference, display],
        ),
    ];
    match role {
        RoleAttribute::Division => attributes.push(role_attribute("division", framework)),
        RoleAttribute::Organization => attributes.push(role_attribute("organization", framework)),
        RoleAttribute::CostCenter => attributes.push(role_attribute("costCenter", framework)),
        RoleAttribute::Title | RoleAttribute::UserType => {}
    }
    json!({
        "schemas": [SCHEMA],
        "id": ENTERPRISE_USER,
        "name": "EnterpriseUser",
        "description": "Enterprise user",
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{ENTERPRISE_USER}")}
    })
}

/// A list response of `resources`, all of them on one page.
pub(crate) fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": resources.len(),
        "itemsPerPage": resources.len(),
        "startIndex": 1,
        "Resources": resources
    })
}
