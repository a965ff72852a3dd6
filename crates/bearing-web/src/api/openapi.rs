//! The OpenAPI 3.1 document served at `/api/v1/openapi.json`, built from one
//! route table ([`ROUTES`]) that a test checks against the live router, and
//! from the domain vocabularies so enum values can never drift.

use axum::Json;
use bearing_domain::*;
use serde_json::{Map, Value, json};

/// One documented operation: method, path (as routed), summary, request
/// body schema and success response schema (component names), success status.
pub struct Operation {
    /// HTTP method, lowercase.
    pub method: &'static str,
    /// Path under `/api/v1`, with `{id}` parameters.
    pub path: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// Request body component, if any.
    pub body: Option<&'static str>,
    /// Success status.
    pub status: u16,
    /// Response body component, if any.
    pub response: Option<&'static str>,
    /// Query parameters: (name, description).
    pub query: &'static [(&'static str, &'static str)],
}

const PAGE: &[(&str, &str)] = &[
    ("sort", "sort order"),
    ("cursor", "next_cursor from the previous page"),
    ("limit", "rows per page, 1-200, default 50"),
];

macro_rules! op {
    ($m:literal, $p:literal, $s:literal, $b:expr, $st:literal, $r:expr) => {
        op!($m, $p, $s, $b, $st, $r, &[])
    };
    ($m:literal, $p:literal, $s:literal, $b:expr, $st:literal, $r:expr, $q:expr) => {
        Operation {
            method: $m,
            path: $p,
            summary: $s,
            body: $b,
            status: $st,
            response: $r,
            query: $q,
        }
    };
}

/// Every API operation.
pub const ROUTES: &[Operation] = &[
    op!("get", "/openapi.json", "This document", None, 200, None),
    op!("get", "/me", "The user the token acts as", None, 200, None),
    op!(
        "get",
        "/search",
        "Full-text search over notes, ideas and customers, best first (query syntax: words, \"phrases\", -exclusions)",
        None,
        200,
        Some("SearchPage"),
        &[
            (
                "q",
                "the query, required, at most 200 characters and 12 words or phrases"
            ),
            ("type", "note|idea|customer"),
            ("area_id", "ideas in this area; notes linked to one"),
            ("state", "a note state or an idea status"),
            (
                "customer_id",
                "notes of, ideas asked for by, or the customer"
            ),
            ("from", "created on or after, yyyy-mm-dd"),
            ("to", "created on or before, yyyy-mm-dd"),
            ("cursor", "next_cursor from the previous page"),
            ("limit", "results per page, 1-100, default 20")
        ]
    ),
    op!(
        "get",
        "/ideas/similar",
        "Existing ideas most similar to a text or a note, best first",
        None,
        200,
        Some("SimilarIdeas"),
        &[
            (
                "text",
                "text to compare (a note or a new idea's title and problem)"
            ),
            (
                "note_id",
                "compare this note's text; its linked ideas are left out"
            ),
            ("limit", "1-50, default 5")
        ]
    ),
    op!(
        "get",
        "/customers",
        "List customers",
        None,
        200,
        Some("CustomerPage"),
        &[
            ("segment", "enterprise|mid_market|smb|startup"),
            ("owner_id", "account owner")
        ]
    ),
    op!(
        "post",
        "/customers",
        "Add a customer",
        Some("NewCustomer"),
        201,
        Some("Customer")
    ),
    op!(
        "get",
        "/customers/{id}",
        "A customer with contacts and the ideas they asked for",
        None,
        200,
        None
    ),
    op!(
        "patch",
        "/customers/{id}",
        "Change a customer",
        Some("CustomerChanges"),
        200,
        Some("Customer")
    ),
    op!(
        "get",
        "/customers/{id}/contacts",
        "A customer's contacts",
        None,
        200,
        None
    ),
    op!(
        "post",
        "/contacts",
        "Add a contact",
        Some("NewContact"),
        201,
        Some("Contact")
    ),
    op!(
        "get",
        "/contacts/{id}",
        "A contact",
        None,
        200,
        Some("Contact")
    ),
    op!(
        "patch",
        "/contacts/{id}",
        "Change a contact (an empty email or title clears it)",
        Some("ContactChanges"),
        200,
        Some("Contact")
    ),
    op!("get", "/areas", "List product areas", None, 200, None),
    op!(
        "post",
        "/areas",
        "Add a product area",
        Some("NewArea"),
        201,
        Some("Area")
    ),
    op!(
        "get",
        "/areas/{id}",
        "A product area",
        None,
        200,
        Some("Area")
    ),
    op!(
        "patch",
        "/areas/{id}",
        "Rename or re-describe an area",
        Some("AreaChanges"),
        200,
        Some("Area")
    ),
    op!(
        "get",
        "/notes",
        "List notes (the inbox)",
        None,
        200,
        Some("NotePage"),
        &[
            ("state", "unprocessed|processed|wont_do"),
            ("source", "where it came from"),
            ("importance", "nice_to_have|important|critical"),
            ("customer_id", "from this customer"),
            ("idea_id", "linked to this idea"),
            ("area_id", "linked to an idea in this area"),
            ("tag", "carrying this tag"),
            ("public_safe", "true|false")
        ]
    ),
    op!(
        "post",
        "/notes",
        "Log a note",
        Some("NewNote"),
        201,
        Some("Note")
    ),
    op!(
        "get",
        "/notes/{id}",
        "A note with customer, contact, reporter and linked ideas",
        None,
        200,
        None
    ),
    op!(
        "patch",
        "/notes/{id}",
        "Change a note",
        Some("NoteChanges"),
        200,
        Some("Note")
    ),
    op!(
        "post",
        "/notes/{id}/process",
        "Link a note to ideas (existing or new) and mark it processed, or decline it, in one transaction",
        Some("ProcessNote"),
        200,
        None
    ),
    op!(
        "get",
        "/notes/{id}/links",
        "The links of a note",
        None,
        200,
        None
    ),
    op!(
        "get",
        "/ideas",
        "List ideas",
        None,
        200,
        Some("IdeaPage"),
        &[
            ("status", "idea status"),
            ("area_id", "in this area"),
            ("label", "carrying this label"),
            ("owner_id", "owned by"),
            ("customer_id", "asked for by this customer")
        ]
    ),
    op!(
        "post",
        "/ideas",
        "Create an idea",
        Some("NewIdea"),
        201,
        Some("Idea")
    ),
    op!(
        "get",
        "/ideas/{id}",
        "An idea with area, owner and followers",
        None,
        200,
        None
    ),
    op!(
        "patch",
        "/ideas/{id}",
        "Change an idea",
        Some("IdeaChanges"),
        200,
        Some("Idea")
    ),
    op!(
        "get",
        "/ideas/{id}/notes",
        "Notes linked to an idea, with customers and excerpts",
        None,
        200,
        None
    ),
    op!(
        "get",
        "/ideas/{id}/comments",
        "Comments on an idea",
        None,
        200,
        None
    ),
    op!(
        "post",
        "/ideas/{id}/comments",
        "Comment on an idea",
        Some("NewComment"),
        201,
        Some("Comment")
    ),
    op!(
        "patch",
        "/comments/{id}",
        "Edit a comment (author, PM or admin)",
        Some("NewComment"),
        200,
        Some("Comment")
    ),
    op!(
        "put",
        "/ideas/{id}/follow",
        "Follow an idea",
        None,
        204,
        None
    ),
    op!(
        "delete",
        "/ideas/{id}/follow",
        "Stop following an idea",
        None,
        204,
        None
    ),
    op!(
        "post",
        "/links",
        "Link a note to an idea",
        Some("NewLink"),
        201,
        Some("Link")
    ),
    op!("get", "/links/{id}", "A link", None, 200, Some("Link")),
    op!(
        "post",
        "/ideas/{id}/merge",
        "Merge this idea into another (PMs and admins): notes, votes, followers, comments, scores and labels move to the survivor in one transaction; this idea's URL and id then redirect there",
        Some("MergeRequest"),
        200,
        Some("MergeResult")
    ),
    op!(
        "get",
        "/ideas/{id}/merges",
        "Merges into this idea, newest first, undone ones included",
        None,
        200,
        Some("MergeList")
    ),
    op!(
        "post",
        "/merges/{merge_id}/unmerge",
        "Undo a merge within 30 days (PMs and admins): everything moves back",
        None,
        200,
        Some("Merge")
    ),
    op!("delete", "/links/{id}", "Remove a link", None, 204, None),
    op!(
        "get",
        "/exercises",
        "Async RICE exercises you were invited to, newest first",
        None,
        200,
        Some("ExerciseList"),
        &[
            ("cursor", "next_cursor from the previous page"),
            ("limit", "rows per page, 1-200, default 50")
        ]
    ),
    op!(
        "post",
        "/exercises",
        "Open an async RICE exercise over 1-50 ideas (PMs and admins); the opener is invited too",
        Some("NewExercise"),
        201,
        Some("ExerciseDetail")
    ),
    op!(
        "get",
        "/exercises/{id}",
        "An exercise: ideas, participants, your scorecards, and everyone's once you have submitted or it is closed",
        None,
        200,
        Some("ExerciseDetail")
    ),
    op!(
        "put",
        "/exercises/{id}/scores/{idea_id}",
        "Save your scorecard for one idea (participants, until you submit or it closes)",
        Some("ScorecardInput"),
        200,
        Some("ExerciseScorecard")
    ),
    op!(
        "post",
        "/exercises/{id}/submit",
        "Submit your scorecards (every idea needs one); they are final afterwards",
        None,
        200,
        Some("ExerciseDetail")
    ),
    op!(
        "post",
        "/exercises/{id}/close",
        "Close the exercise (the PM who opened it, or an admin)",
        None,
        200,
        Some("ExerciseDetail")
    ),
    op!(
        "post",
        "/exercises/{id}/adopt/{idea_id}",
        "Adopt a closed exercise's aggregate as the idea's RICE",
        None,
        200,
        Some("Idea")
    ),
    op!(
        "get",
        "/sessions",
        "The latest 100 prioritisation sessions, newest first: {\"items\": [SignedIn]}",
        None,
        200,
        None
    ),
    op!(
        "post",
        "/sessions",
        "Open a prioritisation session (PMs and admins); the creator facilitates",
        Some("NewSession"),
        201,
        Some("SignedIn")
    ),
    op!(
        "get",
        "/sessions/{id}",
        "A session: participants and budgets, nominations, your votes, and results once closed",
        None,
        200,
        Some("SessionDetail")
    ),
    op!(
        "post",
        "/sessions/{id}/nominations",
        "Nominate an idea (participants; security and availability items are excluded)",
        Some("NewNomination"),
        201,
        Some("SessionDetail")
    ),
    op!(
        "post",
        "/sessions/{id}/votes",
        "Cast an importance or feasibility vote for a nominated idea; refused with 422 once the budget is spent",
        Some("NewVote"),
        201,
        Some("Vote")
    ),
    op!(
        "delete",
        "/sessions/{id}/votes/{vote_id}",
        "Take back one of your votes while the session is open",
        None,
        204,
        None
    ),
    op!(
        "post",
        "/sessions/{id}/close",
        "Close the session (facilitator) and get the results",
        None,
        200,
        Some("SessionDetail")
    ),
    op!(
        "get",
        "/sessions/{id}/matrix.svg",
        "The 2x2 priority matrix as image/svg+xml, once closed",
        None,
        200,
        None
    ),
];

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn vocab(keys: Vec<&'static str>) -> Value {
    json!({"type": "string", "enum": keys})
}

fn obj(required: &[&str], props: Value) -> Value {
    json!({"type": "object", "required": required, "properties": props, "additionalProperties": false})
}

fn schemas() -> Value {
    let id = json!({"type": "string", "format": "uuid"});
    let nid = json!({"type": ["string", "null"], "format": "uuid"});
    let ts = json!({"type": "string", "format": "date-time"});
    let strs = json!({"type": "array", "items": {"type": "string"}});
    let page = |item: &str| json!({"type": "object", "properties": {"items": {"type": "array", "items": r(item)}, "next_cursor": {"type": ["string", "null"]}}});
    json!({
        "Error": {"type": "object", "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": ["string", "null"]}}}}},
        "Customer": {"type": "object", "properties": {"id": id, "name": {"type": "string"}, "domain": {"type": ["string", "null"]}, "arr": {"type": "integer"},
            "segment": vocab(Segment::keys()), "owner_id": nid, "created_at": ts, "updated_at": ts}},
        "NewCustomer": obj(&["name"], json!({"name": {"type": "string"}, "domain": {"type": "string"}, "arr": {"type": "integer", "minimum": 0}, "segment": vocab(Segment::keys()), "owner_id": id})),
        "CustomerChanges": obj(&[], json!({"name": {"type": "string"}, "domain": {"type": "string"}, "arr": {"type": "integer", "minimum": 0}, "segment": vocab(Segment::keys()), "owner_id": id})),
        "CustomerPage": page("Customer"),
        "Contact": {"type": "object", "properties": {"id": id, "customer_id": id, "name": {"type": "string"}, "email": {"type": ["string", "null"]}, "title": {"type": ["string", "null"]}, "created_at": ts}},
        "NewContact": obj(&["customer_id", "name"], json!({"customer_id": id, "name": {"type": "string"}, "email": {"type": "string"}, "title": {"type": "string"}})),
        "ContactChanges": obj(&[], json!({"name": {"type": "string"}, "email": {"type": "string"}, "title": {"type": "string"}})),
        "Area": {"type": "object", "properties": {"id": id, "key": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"}, "created_at": ts}},
        "NewArea": obj(&["name"], json!({"key": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"}})),
        "AreaChanges": obj(&[], json!({"name": {"type": "string"}, "description": {"type": "string"}})),
        "Note": {"type": "object", "properties": {"id": id, "text": {"type": "string"}, "source": vocab(NoteSource::keys()), "importance": vocab(Importance::keys()),
            "customer_id": nid, "contact_id": nid, "reporter_id": nid, "tags": strs, "public_safe": {"type": "boolean"}, "state": vocab(NoteState::keys()),
            "wont_do_reason": {"type": ["string", "null"]}, "underlying_need": {"type": ["string", "null"]}, "workaround": {"type": ["string", "null"]},
            "processed_by": nid, "processed_at": {"type": ["string", "null"], "format": "date-time"}, "created_at": ts, "updated_at": ts, "customer_name": {"type": ["string", "null"]}}},
        "NewNote": obj(&["text", "source"], json!({"text": {"type": "string", "description": "at most max_note_bytes (default 64 KiB)"}, "source": vocab(NoteSource::keys()),
            "importance": vocab(Importance::keys()), "customer_id": id, "contact_id": id, "tags": strs, "public_safe": {"type": "boolean"}})),
        "NoteChanges": obj(&[], json!({"text": {"type": "string"}, "source": vocab(NoteSource::keys()), "importance": vocab(Importance::keys()), "customer_id": id,
            "contact_id": id, "clear_customer": {"type": "boolean"}, "tags": strs, "public_safe": {"type": "boolean"}})),
        "NotePage": page("Note"),
        "SignedIn": super::sessions::schema("SignedIn"),
        "NewSession": super::sessions::schema("NewSession"),
        "SessionDetail": super::sessions::schema("SessionDetail"),
        "NewNomination": super::sessions::schema("NewNomination"),
        "NewVote": super::sessions::schema("NewVote"),
        "MergeRequest": super::merges::schema("MergeRequest"), "Merge": super::merges::schema("Merge"), "MergeResult": super::merges::schema("MergeResult"), "MergeList": super::merges::schema("MergeList"),
        "Vote": super::sessions::schema("Vote"),
        "Idea": {"type": "object", "properties": {"id": id, "title": {"type": "string"}, "problem": {"type": "string"}, "proposal": {"type": "string"}, "area_id": nid, "owner_id": nid,
            "status": vocab(IdeaStatus::keys()), "effort_months": {"type": ["number", "null"]}, "timeframe": {"type": ["string", "null"], "enum": Timeframe::keys()},
            "due_date": {"type": ["string", "null"], "format": "date"}, "labels": strs, "tracker_links": strs, "created_at": ts, "updated_at": ts, "area_name": {"type": ["string", "null"]}, "rice": {"type": ["object", "null"], "properties": {"reach": {"type": "number"}, "impact": {"type": "number"}, "confidence": {"type": "number"}, "effort_months": {"type": "number"}, "score": {"type": "number"}}}, "rice_reach_mode": {"type": ["string", "null"], "enum": ["standard", "absolute", null]}, "demand_score": {"type": "number"}, "board_rank": {"type": ["string", "null"]}}},
        "NewIdea": obj(&["title", "problem"], json!({"title": {"type": "string", "maxLength": 200}, "problem": {"type": "string"}, "proposal": {"type": "string"}, "area_id": id, "owner_id": id,
            "status": vocab(IdeaStatus::keys()), "effort_months": {"type": "number", "exclusiveMinimum": 0}, "timeframe": vocab(Timeframe::keys()), "due_date": {"type": "string", "format": "date"},
            "labels": strs, "tracker_links": strs})),
        "IdeaChanges": obj(&[], json!({"title": {"type": "string"}, "problem": {"type": "string"}, "proposal": {"type": "string"}, "area_id": id, "owner_id": id, "status": vocab(IdeaStatus::keys()),
            "effort_months": {"type": "number", "exclusiveMinimum": 0}, "timeframe": vocab(Timeframe::keys()), "due_date": {"type": "string", "format": "date"}, "labels": strs, "tracker_links": strs})),
        "IdeaPage": page("Idea"),
        "SearchHit": {"type": "object", "properties": {"type": vocab(vec!["note", "idea", "customer"]), "id": id, "title": {"type": "string"}, "snippet_html": {"type": "string", "description": "HTML-escaped excerpt with matches in <mark>"}, "score": {"type": "number", "description": "0..1, higher is more relevant"}, "created_at": ts, "detail": {"type": ["string", "null"], "description": "note: customer name; idea: status; customer: segment"}}}, "SearchPage": page("SearchHit"), "SimilarIdeas": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"id": id, "title": {"type": "string"}, "status": vocab(IdeaStatus::keys()), "score": {"type": "number"}}}}}},
        "ProcessNote": obj(&[], json!({
            "links": {"type": "array", "items": obj(&["idea_id"], json!({"idea_id": id, "excerpt": {"type": "string", "description": "must be text from the note"}}))},
            "new_idea": r("NewIdea"), "new_idea_excerpt": {"type": "string"}, "underlying_need": {"type": "string"}, "workaround": {"type": "string"},
            "wont_do_reason": {"type": "string", "description": "decline instead of linking"}})),
        "PrioritisationSettings": obj(&["reach_mode"], json!({"reach_mode": vocab(vec!["standard", "absolute"])})),
        "RiceInput": obj(&["reach", "impact", "confidence", "effort_months"], json!({
            "reach": {"type": "number", "description": "standard scale: 10, 6, 3, 1.5 or 0.5; absolute: people or events per quarter"},
            "impact": {"type": "number", "enum": [3, 2, 1, 0.5, 0.25]},
            "confidence": {"type": "number", "description": "1.0, 0.8 or 0.5 (or 100, 80, 50)"},
            "effort_months": {"type": "number", "exclusiveMinimum": 0}})),
        "BoardMove": obj(&[], json!({"after_id": id, "before_id": id})),
        "Link": {"type": "object", "properties": {"id": id, "note_id": id, "idea_id": id, "excerpt": {"type": ["string", "null"]}, "created_by": nid, "created_at": ts}},
        "NewLink": obj(&["note_id", "idea_id"], json!({"note_id": id, "idea_id": id, "excerpt": {"type": "string"}})),
        "Comment": {"type": "object", "properties": {"id": id, "idea_id": id, "author_id": nid, "body": {"type": "string"}, "created_at": ts}},
        "NewComment": obj(&["body"], json!({"body": {"type": "string"}})),
        "Exercise": {"type": "object", "properties": {"id": id, "title": {"type": "string"}, "state": vocab(vec!["open", "closed"]), "reach_mode": vocab(ReachMode::ALL.iter().map(|m| m.as_str()).collect()), "created_by": nid, "created_at": ts, "closed_at": {"type": ["string", "null"], "format": "date-time"}}},
        "ExerciseList": {"type": "object", "properties": {"items": {"type": "array", "items": {"allOf": [r("Exercise"), {"type": "object", "properties": {"idea_count": {"type": "integer"}, "participant_count": {"type": "integer"}, "submitted_count": {"type": "integer"}, "my_submitted_at": {"type": ["string", "null"], "format": "date-time"}}}]}}, "next_cursor": {"type": ["string", "null"]}}},
        "NewExercise": obj(&["title", "idea_ids"], json!({"title": {"type": "string", "maxLength": 200}, "idea_ids": {"type": "array", "items": id, "minItems": 1, "maxItems": 50}, "participant_ids": {"type": "array", "items": id, "description": "users to invite (not viewers); the opener is always included"}})),
        "ScorecardInput": obj(&["reach", "impact", "confidence", "effort_months"], json!({"reach": {"type": "number", "description": format!("standard reach mode: one of {}; absolute reach mode: people or events per quarter, 0 to 1000000000000", bearing_domain::prioritisation::rice::STANDARD_REACH.iter().map(|(v, l)| format!("{v} ({l})")).collect::<Vec<_>>().join(", "))}, "impact": {"type": "number", "description": format!("one of {}", bearing_domain::prioritisation::rice::IMPACT.iter().map(|(v, l)| format!("{v} ({l})")).collect::<Vec<_>>().join(", "))}, "confidence": {"type": "number", "description": format!("one of {} (or as percentages: 100, 80, 50)", bearing_domain::prioritisation::rice::CONFIDENCE.iter().map(|(v, l)| format!("{v} ({l})")).collect::<Vec<_>>().join(", "))}, "effort_months": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "description": "person-months"}})),
        "ExerciseScorecard": {"type": "object", "properties": {"idea_id": id, "reach": {"type": "number"}, "impact": {"type": "number"}, "confidence": {"type": "number", "description": "a fraction"}, "effort_months": {"type": "number"}, "score": {"type": "number"}, "updated_at": ts}},
        "FactorSpread": {"type": "object", "properties": {"min": {"type": "number"}, "max": {"type": "number"}, "median": {"type": "number"}}},
        "ExerciseDetail": {"type": "object", "description": "results is null (and results_visible false) until you have submitted or the exercise is closed; before that you see only your own scorecards and submitted_count", "properties": {"exercise": r("Exercise"), "opener": {"type": ["string", "null"]}, "ideas": {"type": "array", "items": {"type": "object", "properties": {"id": id, "title": {"type": "string"}}}}, "participants": {"type": "array", "items": {"type": "object", "properties": {"user_id": id, "name": {"type": "string"}, "submitted": {"type": "boolean"}, "submitted_at": {"type": ["string", "null"], "format": "date-time"}}}}, "me": {"type": "object", "properties": {"participant": {"type": "boolean"}, "submitted": {"type": "boolean"}, "can_score": {"type": "boolean"}, "can_close": {"type": "boolean"}, "can_adopt": {"type": "boolean"}}}, "my_scorecards": {"type": "array", "items": r("ExerciseScorecard")}, "submitted_count": {"type": "integer"}, "results_visible": {"type": "boolean"}, "results": {"type": ["array", "null"], "items": {"type": "object", "properties": {"idea_id": id, "title": {"type": "string"}, "scorecards": {"type": "array", "items": {"type": "object", "properties": {"user_id": id, "name": {"type": "string"}, "reach": {"type": "number"}, "impact": {"type": "number"}, "confidence": {"type": "number"}, "effort_months": {"type": "number"}, "score": {"type": "number"}}}}, "spread": {"type": ["object", "null"], "properties": {"reach": r("FactorSpread"), "impact": r("FactorSpread"), "confidence": r("FactorSpread"), "effort_months": r("FactorSpread"), "score": r("FactorSpread")}}, "aggregate": {"type": ["object", "null"], "description": "median of each factor and the score from those medians", "properties": {"reach": {"type": "number"}, "impact": {"type": "number"}, "confidence": {"type": "number"}, "effort_months": {"type": "number"}, "score": {"type": "number"}}}}}}}},
    })
}

/// Build the whole document.
pub fn build() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for op in ROUTES {
        let mut o = json!({"summary": op.summary, "operationId": format!("{}{}", op.method, op.path.replace(['/', '{', '}', '.'], "_"))});
        let mut params: Vec<Value> = Vec::new();
        for name in op
            .path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(n, _)| n))
        {
            params.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}));
        }
        let mut query: Vec<(&str, &str)> = op.query.to_vec();
        if op.response.is_some_and(|r| r.ends_with("Page")) {
            query.extend_from_slice(PAGE);
        }
        for (name, desc) in query {
            params.push(json!({"name": name, "in": "query", "required": false, "description": desc, "schema": {"type": "string"}}));
        }
        if !params.is_empty() {
            o["parameters"] = Value::Array(params);
        }
        if let Some(b) = op.body {
            o["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": r(b)}}});
        }
        let ok = match op.response {
            Some(resp) => {
                json!({"description": "success", "content": {"application/json": {"schema": r(resp)}}})
            }
            None => json!({"description": "success"}),
        };
        let err = json!({"description": "error", "content": {"application/json": {"schema": r("Error")}}});
        o["responses"] = json!({ op.status.to_string(): ok, "4XX": err });
        if op.path != "/openapi.json" {
            o["security"] = json!([{"bearer": []}]);
        }
        let entry = paths
            .entry(format!("/api/v1{}", op.path))
            .or_insert_with(|| json!({}));
        entry[op.method] = o;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Bearing API", "version": env!("CARGO_PKG_VERSION"),
            "description": "Feedback, ideas and customers. Errors are {\"error\": {\"code\", \"message\", \"field\"}}. Lists page by cursor: pass next_cursor back as cursor."},
        "paths": paths,
        "components": {"schemas": schemas(), "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<Value> {
    Json(build())
}
