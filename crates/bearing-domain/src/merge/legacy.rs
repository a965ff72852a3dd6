//! The ledger format of the first merges (before the store's registry of
//! idea-referencing tables): one field per table. Merges made then can
//! still be undone for 30 days, so their ledgers are read here and
//! converted to today's [`MergeLedger`], table by table.

use super::{LedgerRow, MergeLedger, PriorRice};
use crate::account::UserId;
use crate::idea::CommentId;
use crate::link::LinkId;
use crate::note::NoteId;
use crate::timestamp::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

/// A link dropped because the note was linked to both ideas: enough to
/// re-create it exactly on un-merge.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(super) struct DroppedLink {
    /// The link's id.
    pub id: LinkId,
    /// The note.
    pub note_id: NoteId,
    /// Its excerpt.
    pub excerpt: Option<String>,
    /// Who made it.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
}

/// A follower row dropped because the user followed both ideas.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(super) struct DroppedFollower {
    /// The follower.
    pub user_id: UserId,
    /// Since when they followed the merged idea.
    pub created_at: Timestamp,
}

/// A prioritisation-session nomination of the merged idea; `dropped` when
/// the survivor was nominated in the same session already.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(super) struct MovedNomination {
    /// The session.
    pub session_id: uuid::Uuid,
    /// Who nominated it.
    pub nominated_by: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
    /// Deleted (the survivor already had one) rather than moved.
    pub dropped: bool,
}

/// The merged idea's membership of an async RICE exercise.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(super) struct MovedExerciseIdea {
    /// The exercise.
    pub exercise_id: uuid::Uuid,
    /// Deleted (the survivor was in it already) rather than moved.
    pub dropped: bool,
}

/// One participant's scorecard for the merged idea in an exercise.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(super) struct MovedScorecard {
    /// The exercise.
    pub exercise_id: uuid::Uuid,
    /// The participant.
    pub user_id: UserId,
    /// The card's factors, kept whole when it is dropped.
    pub reach: f64,
    /// Impact.
    pub impact: f64,
    /// Confidence.
    pub confidence: f64,
    /// Effort.
    pub effort_months: f64,
    /// Score.
    pub score: f64,
    /// Last saved.
    pub updated_at: Timestamp,
    /// Deleted (the participant scored the survivor too) rather than moved.
    pub dropped: bool,
}

/// Everything a merge moved or deduplicated, stored whole with the merge.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub(super) struct LegacyLedger {
    /// Links moved to the survivor.
    pub links: Vec<LinkId>,
    /// Links deleted because the note was linked to the survivor already.
    pub dropped_links: Vec<DroppedLink>,
    /// Comments moved.
    pub comments: Vec<CommentId>,
    /// Followers moved.
    pub followers: Vec<UserId>,
    /// Followers deleted because they followed the survivor already.
    pub dropped_followers: Vec<DroppedFollower>,
    /// Prioritisation votes moved (votes are never deduplicated).
    pub votes: Vec<uuid::Uuid>,
    /// Prioritisation nominations moved or dropped.
    pub nominations: Vec<MovedNomination>,
    /// Exercise memberships moved or dropped.
    pub exercise_ideas: Vec<MovedExerciseIdea>,
    /// Exercise scorecards moved or dropped.
    pub scorecards: Vec<MovedScorecard>,
    /// Labels the survivor gained.
    pub labels_added: Vec<String>,
    /// The survivor's RICE before it adopted the merged idea's, if it did.
    pub prior_rice: Option<PriorRice>,
    /// The merged idea's board rank before it left the board.
    pub merged_board_rank: Option<String>,
}

fn row(v: Value) -> LedgerRow {
    match v {
        Value::Object(m) => m,
        _ => LedgerRow::new(),
    }
}

fn push(map: &mut std::collections::BTreeMap<String, Vec<LedgerRow>>, table: &str, v: Value) {
    map.entry(table.to_string()).or_default().push(row(v));
}

impl From<LegacyLedger> for MergeLedger {
    fn from(l: LegacyLedger) -> MergeLedger {
        let mut out = MergeLedger {
            labels_added: l.labels_added,
            prior_rice: l.prior_rice,
            merged_board_rank: l.merged_board_rank,
            ..MergeLedger::default()
        };
        let (m, d) = (&mut out.moved, &mut out.dropped);
        for id in l.links {
            push(m, "links", json!({ "id": id }));
        }
        for x in l.dropped_links {
            push(
                d,
                "links",
                json!({
                    "id": x.id, "note_id": x.note_id, "excerpt": x.excerpt,
                    "created_by": x.created_by, "created_at": x.created_at.0,
                }),
            );
        }
        for id in l.comments {
            push(m, "comments", json!({ "id": id }));
        }
        for u in l.followers {
            push(m, "followers", json!({ "user_id": u }));
        }
        for f in l.dropped_followers {
            push(
                d,
                "followers",
                json!({ "user_id": f.user_id, "created_at": f.created_at.0 }),
            );
        }
        for v in l.votes {
            push(m, "prio_votes", json!({ "id": v }));
        }
        for n in l.nominations {
            if n.dropped {
                push(
                    d,
                    "prio_nominations",
                    json!({
                        "session_id": n.session_id, "nominated_by": n.nominated_by,
                        "created_at": n.created_at.0,
                    }),
                );
            } else {
                push(m, "prio_nominations", json!({ "session_id": n.session_id }));
            }
        }
        for e in l.exercise_ideas {
            let target = if e.dropped { &mut *d } else { &mut *m };
            push(
                target,
                "rice_exercise_ideas",
                json!({ "exercise_id": e.exercise_id }),
            );
        }
        for s in l.scorecards {
            if s.dropped {
                push(
                    d,
                    "rice_scorecards",
                    json!({
                        "exercise_id": s.exercise_id, "user_id": s.user_id, "reach": s.reach,
                        "impact": s.impact, "confidence": s.confidence,
                        "effort_months": s.effort_months, "score": s.score,
                        "updated_at": s.updated_at.0,
                    }),
                );
            } else {
                push(
                    m,
                    "rice_scorecards",
                    json!({ "exercise_id": s.exercise_id, "user_id": s.user_id }),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_legacy_ledger_converts_table_by_table() {
        let link = LinkId::new();
        let note = NoteId::new();
        let user = UserId::new();
        let session = uuid::Uuid::now_v7();
        let old = json!({
            "links": [link], "dropped_links": [{"id": LinkId::new(), "note_id": note, "excerpt": "x",
                "created_by": null, "created_at": Timestamp(5)}],
            "comments": [], "followers": [user], "dropped_followers": [],
            "votes": [], "nominations": [{"session_id": session, "nominated_by": user,
                "created_at": Timestamp(7), "dropped": true}],
            "exercise_ideas": [], "scorecards": [], "labels_added": ["ux"],
            "prior_rice": null, "merged_board_rank": "V"
        });
        let l = MergeLedger::from_json(&old.to_string()).unwrap();
        assert_eq!(l.version, super::super::LEDGER_VERSION);
        assert_eq!(l.moved["links"][0]["id"], json!(link));
        assert_eq!(l.dropped["links"][0]["note_id"], json!(note));
        assert_eq!(l.dropped["links"][0]["created_at"], json!(5));
        assert_eq!(l.moved["followers"][0]["user_id"], json!(user));
        assert_eq!(
            l.dropped["prio_nominations"][0]["session_id"],
            json!(session)
        );
        assert_eq!(l.labels_added, vec!["ux".to_string()]);
        assert_eq!(l.merged_board_rank.as_deref(), Some("V"));
        // And today's format reads back as written.
        assert_eq!(MergeLedger::from_json(&l.to_json()).unwrap(), l);
    }
}
