//! Merging a duplicate idea into another, and undoing it. One transaction
//! moves the merged idea's links, comments, followers, prioritisation votes
//! and nominations, exercise memberships and scorecards to the survivor
//! (dropping rows the survivor already has, such as a note linked to both),
//! unions the labels, fills an empty RICE, takes the merged idea off its
//! board, points it at the survivor and records a ledger of all of it in
//! `idea_merges`. Un-merging reads the ledger and puts every row back.
//!
//! The rules (who may merge into what, how labels and RICE combine, the
//! 30-day window) live in `bearing_domain::merge`; this file only moves rows.

use crate::activity::Change;
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::rows::to_json_list;
use bearing_domain::merge::*;
use bearing_domain::*;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct MergeRow {
    id: Uuid,
    survivor_id: Uuid,
    merged_id: Uuid,
    actor_id: Option<Uuid>,
    merged_at: i64,
    unmerged_at: Option<i64>,
    unmerged_by: Option<Uuid>,
    moved: String,
}

impl TryFrom<MergeRow> for Merge {
    type Error = StoreError;
    fn try_from(r: MergeRow) -> StoreResult<Merge> {
        Ok(Merge {
            id: MergeId(r.id),
            survivor_id: IdeaId(r.survivor_id),
            merged_id: IdeaId(r.merged_id),
            actor_id: r.actor_id.map(UserId),
            merged_at: Timestamp(r.merged_at),
            unmerged_at: r.unmerged_at.map(Timestamp),
            unmerged_by: r.unmerged_by.map(UserId),
            ledger: serde_json::from_str(&r.moved)
                .map_err(|e| StoreError::Corrupt(format!("merge ledger: {e}")))?,
        })
    }
}

type LinkTuple = (Uuid, Uuid, Option<String>, Option<Uuid>, i64);
type ScorecardTuple = (Uuid, Uuid, f64, f64, f64, f64, f64, i64);

const LOCK_IDEA: &str = "UPDATE ideas SET updated_at = $2 WHERE id = $1";
const MERGED_INTO: &str = "SELECT merged_into FROM ideas WHERE id = $1";
const LINKS_OF: &str =
    "SELECT id, note_id, excerpt, created_by, created_at FROM links WHERE idea_id = $1 ORDER BY id";
const LINKED_NOTES: &str = "SELECT note_id FROM links WHERE idea_id = $1";
const MOVE_LINK: &str = "UPDATE links SET idea_id = $2 WHERE id = $1";
const MOVE_LINK_BACK: &str = "UPDATE links SET idea_id = $3 WHERE id = $1 AND idea_id = $2 AND NOT EXISTS (SELECT 1 FROM links x WHERE x.note_id = links.note_id AND x.idea_id = $3)";
const DELETE_LINK: &str = "DELETE FROM links WHERE id = $1";
const RESTORE_LINK: &str = "INSERT INTO links (id, note_id, idea_id, excerpt, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
const NOTE_EXISTS: &str = "SELECT id FROM notes WHERE id = $1";
const USER_EXISTS: &str = "SELECT id FROM users WHERE id = $1";
const COMMENTS_OF: &str = "SELECT id FROM comments WHERE idea_id = $1 ORDER BY id";
const MOVE_COMMENTS: &str = "UPDATE comments SET idea_id = $2 WHERE idea_id = $1";
const MOVE_COMMENT_BACK: &str = "UPDATE comments SET idea_id = $3 WHERE id = $1 AND idea_id = $2";
const FOLLOWERS_OF: &str =
    "SELECT user_id, created_at FROM followers WHERE idea_id = $1 ORDER BY user_id";
const MOVE_FOLLOWER: &str = "UPDATE followers SET idea_id = $3 WHERE idea_id = $1 AND user_id = $2 AND NOT EXISTS (SELECT 1 FROM followers x WHERE x.idea_id = $3 AND x.user_id = $2)";
const DELETE_FOLLOWER: &str = "DELETE FROM followers WHERE idea_id = $1 AND user_id = $2";
const RESTORE_FOLLOWER: &str = "INSERT INTO followers (idea_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (idea_id, user_id) DO NOTHING";
const VOTES_OF: &str = "SELECT id FROM prio_votes WHERE idea_id = $1 ORDER BY id";
const MOVE_VOTES: &str = "UPDATE prio_votes SET idea_id = $2 WHERE idea_id = $1";
const MOVE_VOTE_BACK: &str = "UPDATE prio_votes SET idea_id = $3 WHERE id = $1 AND idea_id = $2";
const NOMINATIONS_OF: &str = "SELECT session_id, nominated_by, created_at FROM prio_nominations WHERE idea_id = $1 ORDER BY session_id";
const NOMINATED_IN: &str = "SELECT session_id FROM prio_nominations WHERE idea_id = $1";
const MOVE_NOMINATION: &str =
    "UPDATE prio_nominations SET idea_id = $3 WHERE session_id = $1 AND idea_id = $2";
const DELETE_NOMINATION: &str =
    "DELETE FROM prio_nominations WHERE session_id = $1 AND idea_id = $2";
const RESTORE_NOMINATION: &str = "INSERT INTO prio_nominations (session_id, idea_id, nominated_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id, idea_id) DO NOTHING";
const SESSION_EXISTS: &str = "SELECT id FROM prio_sessions WHERE id = $1";
const EXERCISES_OF: &str =
    "SELECT exercise_id FROM rice_exercise_ideas WHERE idea_id = $1 ORDER BY exercise_id";
const MOVE_EXERCISE_IDEA: &str =
    "UPDATE rice_exercise_ideas SET idea_id = $3 WHERE exercise_id = $1 AND idea_id = $2";
const DELETE_EXERCISE_IDEA: &str =
    "DELETE FROM rice_exercise_ideas WHERE exercise_id = $1 AND idea_id = $2";
const RESTORE_EXERCISE_IDEA: &str = "INSERT INTO rice_exercise_ideas (exercise_id, idea_id) VALUES ($1, $2) ON CONFLICT (exercise_id, idea_id) DO NOTHING";
const EXERCISE_EXISTS: &str = "SELECT id FROM rice_exercises WHERE id = $1";
const SCORECARDS_OF: &str = "SELECT exercise_id, user_id, reach, impact, confidence, effort_months, score, updated_at FROM rice_scorecards WHERE idea_id = $1 ORDER BY exercise_id, user_id";
const MOVE_SCORECARD: &str = "UPDATE rice_scorecards SET idea_id = $4 WHERE exercise_id = $1 AND idea_id = $2 AND user_id = $3";
const DELETE_SCORECARD: &str =
    "DELETE FROM rice_scorecards WHERE exercise_id = $1 AND idea_id = $2 AND user_id = $3";
const RESTORE_SCORECARD: &str = "INSERT INTO rice_scorecards (exercise_id, idea_id, user_id, reach, impact, confidence, effort_months, score, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (exercise_id, idea_id, user_id) DO NOTHING";
const SET_LABELS: &str = "UPDATE ideas SET labels = $2 WHERE id = $1";
const REMOVE_LABEL: &str = "DELETE FROM idea_labels WHERE idea_id = $1 AND label = $2";
const SET_RICE: &str = "UPDATE ideas SET rice_reach = $2, rice_impact = $3, rice_confidence = $4, effort_months = $5, rice_score = $6, rice_sort = $7, rice_reach_mode = $8 WHERE id = $1";
const MARK_MERGED: &str =
    "UPDATE ideas SET merged_into = $2, merged_at = $3, board_rank = NULL WHERE id = $1";
const CLEAR_MERGED: &str =
    "UPDATE ideas SET merged_into = NULL, merged_at = NULL, board_rank = $2 WHERE id = $1";
const INSERT_MERGE: &str = "INSERT INTO idea_merges (id, survivor_id, merged_id, actor_id, merged_at, unmerged_at, unmerged_by, moved) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6)";
const MERGE_BY_ID: &str = "SELECT id, survivor_id, merged_id, actor_id, merged_at, unmerged_at, unmerged_by, moved FROM idea_merges WHERE id = $1";
const MERGES_INTO: &str = "SELECT id, survivor_id, merged_id, actor_id, merged_at, unmerged_at, unmerged_by, moved FROM idea_merges WHERE survivor_id = $1 ORDER BY id DESC LIMIT $2";
const MARK_UNMERGED: &str = "UPDATE idea_merges SET unmerged_at = $2, unmerged_by = $3 WHERE id = $1 AND unmerged_at IS NULL";

/// A merge or un-merge: done, or refused by a rule (the refusal is an
/// answer for the user, not a storage failure).
pub type MergeResult = StoreResult<Result<Merge, MergeRefusal>>;

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("merge ledger: {e}"))
}

impl Tx {
    /// Lock an idea's row for the rest of the transaction (PostgreSQL takes
    /// a row lock on UPDATE; SQLite already holds the write lock).
    async fn lock_idea(&mut self, id: IdeaId, now: Timestamp) -> StoreResult<()> {
        let n = on_tx!(self, c => sqlx::query(LOCK_IDEA).bind(id.0).bind(now.0).execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Where an idea was merged into, if it was.
    async fn merged_into(&mut self, id: IdeaId) -> StoreResult<Option<IdeaId>> {
        let v: Option<Option<Uuid>> =
            on_tx!(self, c => sqlx::query_scalar(MERGED_INTO).bind(id.0).fetch_optional(c).await)?;
        Ok(v.ok_or(StoreError::NotFound)?.map(IdeaId))
    }

    async fn exists(&mut self, sql: &'static str, id: Uuid) -> StoreResult<bool> {
        let v: Option<Uuid> =
            on_tx!(self, c => sqlx::query_scalar(sql).bind(id).fetch_optional(c).await)?;
        Ok(v.is_some())
    }

    async fn exec(&mut self, q: ExecQuery<'_>) -> StoreResult<u64> {
        let r = on_tx!(self, c => {
            let mut x = sqlx::query(q.sql);
            for b in &q.binds {
                x = match b {
                    Bind::Id(u) => x.bind(*u),
                    Bind::OptId(u) => x.bind(*u),
                    Bind::Int(i) => x.bind(*i),
                    Bind::Float(f) => x.bind(*f),
                    Bind::OptFloat(f) => x.bind(*f),
                    Bind::Text(s) => x.bind(*s),
                    Bind::OptText(s) => x.bind(*s),
                };
            }
            x.execute(c).await.map(|r| r.rows_affected())
        })?;
        Ok(r)
    }

    /// Move the links of `from` to `to`, dropping (and remembering) those
    /// whose note is linked to `to` already.
    async fn move_links(
        &mut self,
        from: IdeaId,
        to: IdeaId,
        ledger: &mut MergeLedger,
    ) -> StoreResult<()> {
        let links: Vec<LinkTuple> =
            on_tx!(self, c => sqlx::query_as(LINKS_OF).bind(from.0).fetch_all(c).await)?;
        let have: Vec<Uuid> =
            on_tx!(self, c => sqlx::query_scalar(LINKED_NOTES).bind(to.0).fetch_all(c).await)?;
        for (id, note, excerpt, created_by, created_at) in links {
            if have.contains(&note) {
                self.exec(ExecQuery::new(DELETE_LINK).id(id)).await?;
                ledger.dropped_links.push(DroppedLink {
                    id: LinkId(id),
                    note_id: NoteId(note),
                    excerpt,
                    created_by: created_by.map(UserId),
                    created_at: Timestamp(created_at),
                });
            } else {
                self.exec(ExecQuery::new(MOVE_LINK).id(id).id(to.0)).await?;
                ledger.links.push(LinkId(id));
            }
        }
        Ok(())
    }

    async fn move_followers(
        &mut self,
        from: IdeaId,
        to: IdeaId,
        ledger: &mut MergeLedger,
    ) -> StoreResult<()> {
        let rows: Vec<(Uuid, i64)> =
            on_tx!(self, c => sqlx::query_as(FOLLOWERS_OF).bind(from.0).fetch_all(c).await)?;
        for (user, created_at) in rows {
            let moved = self
                .exec(ExecQuery::new(MOVE_FOLLOWER).id(from.0).id(user).id(to.0))
                .await?;
            if moved == 1 {
                ledger.followers.push(UserId(user));
            } else {
                self.exec(ExecQuery::new(DELETE_FOLLOWER).id(from.0).id(user))
                    .await?;
                ledger.dropped_followers.push(DroppedFollower {
                    user_id: UserId(user),
                    created_at: Timestamp(created_at),
                });
            }
        }
        Ok(())
    }

    async fn move_prioritisation(
        &mut self,
        from: IdeaId,
        to: IdeaId,
        ledger: &mut MergeLedger,
    ) -> StoreResult<()> {
        // Votes are one row each with no uniqueness: every one moves.
        let votes: Vec<Uuid> =
            on_tx!(self, c => sqlx::query_scalar(VOTES_OF).bind(from.0).fetch_all(c).await)?;
        self.exec(ExecQuery::new(MOVE_VOTES).id(from.0).id(to.0))
            .await?;
        ledger.votes = votes;
        let noms: Vec<(Uuid, Option<Uuid>, i64)> =
            on_tx!(self, c => sqlx::query_as(NOMINATIONS_OF).bind(from.0).fetch_all(c).await)?;
        let have: Vec<Uuid> =
            on_tx!(self, c => sqlx::query_scalar(NOMINATED_IN).bind(to.0).fetch_all(c).await)?;
        for (session, by, at) in noms {
            let dropped = have.contains(&session);
            if dropped {
                self.exec(ExecQuery::new(DELETE_NOMINATION).id(session).id(from.0))
                    .await?;
            } else {
                self.exec(
                    ExecQuery::new(MOVE_NOMINATION)
                        .id(session)
                        .id(from.0)
                        .id(to.0),
                )
                .await?;
            }
            ledger.nominations.push(MovedNomination {
                session_id: session,
                nominated_by: by.map(UserId),
                created_at: Timestamp(at),
                dropped,
            });
        }
        let exercises: Vec<Uuid> =
            on_tx!(self, c => sqlx::query_scalar(EXERCISES_OF).bind(from.0).fetch_all(c).await)?;
        let have: Vec<Uuid> =
            on_tx!(self, c => sqlx::query_scalar(EXERCISES_OF).bind(to.0).fetch_all(c).await)?;
        for e in exercises {
            let dropped = have.contains(&e);
            if dropped {
                self.exec(ExecQuery::new(DELETE_EXERCISE_IDEA).id(e).id(from.0))
                    .await?;
            } else {
                self.exec(ExecQuery::new(MOVE_EXERCISE_IDEA).id(e).id(from.0).id(to.0))
                    .await?;
            }
            ledger.exercise_ideas.push(MovedExerciseIdea {
                exercise_id: e,
                dropped,
            });
        }
        let cards: Vec<ScorecardTuple> =
            on_tx!(self, c => sqlx::query_as(SCORECARDS_OF).bind(from.0).fetch_all(c).await)?;
        let theirs: Vec<ScorecardTuple> =
            on_tx!(self, c => sqlx::query_as(SCORECARDS_OF).bind(to.0).fetch_all(c).await)?;
        for (e, u, reach, impact, confidence, effort_months, score, at) in cards {
            let dropped = theirs.iter().any(|t| t.0 == e && t.1 == u);
            if dropped {
                self.exec(ExecQuery::new(DELETE_SCORECARD).id(e).id(from.0).id(u))
                    .await?;
            } else {
                self.exec(
                    ExecQuery::new(MOVE_SCORECARD)
                        .id(e)
                        .id(from.0)
                        .id(u)
                        .id(to.0),
                )
                .await?;
            }
            ledger.scorecards.push(MovedScorecard {
                exercise_id: e,
                user_id: UserId(u),
                reach,
                impact,
                confidence,
                effort_months,
                score,
                updated_at: Timestamp(at),
                dropped,
            });
        }
        Ok(())
    }

    async fn set_labels(&mut self, id: IdeaId, labels: &[String]) -> StoreResult<()> {
        let json = to_json_list(labels);
        self.exec(ExecQuery::new(SET_LABELS).id(id.0).text(&json))
            .await?;
        Ok(())
    }

    async fn set_rice_fields(
        &mut self,
        id: IdeaId,
        rice: Option<&Rice>,
        mode: Option<ReachMode>,
        effort: Option<f64>,
    ) -> StoreResult<()> {
        self.exec(
            ExecQuery::new(SET_RICE)
                .id(id.0)
                .opt_float(rice.map(|r| r.reach))
                .opt_float(rice.map(|r| r.impact))
                .opt_float(rice.map(|r| r.confidence))
                .opt_float(effort)
                .opt_float(rice.map(|r| r.score))
                .float(crate::rows::rice_sort(rice.map(|r| r.score)))
                .opt_text(mode.map(|m| m.as_str())),
        )
        .await?;
        Ok(())
    }
}

impl Db {
    /// Merge `merged` into `survivor` at `now`, all in one transaction.
    /// `Ok(Err(refusal))` when a merge rule forbids it.
    pub async fn merge_ideas(
        &self,
        merged: IdeaId,
        survivor: IdeaId,
        actor: Option<UserId>,
        now: Timestamp,
    ) -> MergeResult {
        if merged == survivor {
            return Ok(Err(MergeRefusal::SameIdea));
        }
        let mut tx = self.begin().await?;
        // Lock both rows in id order so two opposite merges cannot deadlock.
        let (first, second) = if merged < survivor {
            (merged, survivor)
        } else {
            (survivor, merged)
        };
        tx.lock_idea(first, now).await?;
        tx.lock_idea(second, now).await?;
        let b_into = tx.merged_into(merged).await?;
        let a_into = tx.merged_into(survivor).await?;
        if let Err(r) = check_merge(merged, b_into, survivor, a_into) {
            return Ok(Err(r));
        }
        let a = tx.idea(survivor).await?;
        let b = tx.idea(merged).await?;
        let mut ledger = MergeLedger::default();
        tx.move_links(merged, survivor, &mut ledger).await?;
        ledger.comments =
            on_tx!(&mut tx, c => sqlx::query_scalar(COMMENTS_OF).bind(merged.0).fetch_all(c).await)?
                .into_iter()
                .map(CommentId)
                .collect();
        tx.exec(ExecQuery::new(MOVE_COMMENTS).id(merged.0).id(survivor.0))
            .await?;
        tx.move_followers(merged, survivor, &mut ledger).await?;
        tx.move_prioritisation(merged, survivor, &mut ledger)
            .await?;
        let (labels, added) = union_labels(&a.labels, &b.labels);
        if !added.is_empty() {
            tx.set_labels(survivor, &labels).await?;
            tx.write_labels(survivor, &added, false).await?;
        }
        ledger.labels_added = added;
        if let Some((rice, mode)) =
            rice_to_adopt(a.rice.as_ref(), b.rice.as_ref(), b.rice_reach_mode)
        {
            tx.set_rice_fields(survivor, Some(&rice), mode, Some(rice.effort_months))
                .await?;
            ledger.prior_rice = Some(PriorRice {
                rice: a.rice.clone(),
                reach_mode: a.rice_reach_mode,
                effort_months: a.effort_months,
                adopted: rice,
            });
        }
        ledger.merged_board_rank = b.board_rank.clone();
        tx.exec(
            ExecQuery::new(MARK_MERGED)
                .id(merged.0)
                .id(survivor.0)
                .int(now.0),
        )
        .await?;
        let id = MergeId::new();
        let moved = serde_json::to_string(&ledger).map_err(json_err)?;
        tx.exec(
            ExecQuery::new(INSERT_MERGE)
                .id(id.0)
                .id(survivor.0)
                .id(merged.0)
                .opt_id(actor.map(|a| a.0))
                .int(now.0)
                .text(&moved),
        )
        .await?;
        tx.refresh_demand(survivor).await?;
        tx.refresh_demand(merged).await?;
        let summary = merge_summary(&ledger);
        tx.record(Change {
            entity_type: "idea",
            entity_id: survivor.0,
            actor,
            action: "merged",
            before: None,
            after: Some(serde_json::json!({"merge_id": id, "merged_from": {"id": merged, "title": b.title}, "moved": summary})),
        })
        .await?;
        tx.record(Change {
            entity_type: "idea",
            entity_id: merged.0,
            actor,
            action: "merged",
            before: None,
            after: Some(serde_json::json!({"merge_id": id, "merged_into": {"id": survivor, "title": a.title}, "moved": summary})),
        })
        .await?;
        tx.commit().await?;
        Ok(Ok(Merge {
            id,
            survivor_id: survivor,
            merged_id: merged,
            actor_id: actor,
            merged_at: now,
            unmerged_at: None,
            unmerged_by: None,
            ledger,
        }))
    }

    /// Undo merge `id` at `now`: every moved row goes back, dropped rows are
    /// re-created, the survivor loses the labels and RICE the merge gave it
    /// (if still unchanged), and the merged idea rejoins the bottom of its
    /// board. `Ok(Err(refusal))` when a rule forbids it.
    pub async fn unmerge(&self, id: MergeId, actor: Option<UserId>, now: Timestamp) -> MergeResult {
        let mut tx = self.begin().await?;
        let row: MergeRow =
            on_tx!(&mut tx, c => sqlx::query_as(MERGE_BY_ID).bind(id.0).fetch_one(c).await)?;
        let m: Merge = row.try_into()?;
        let (a, b) = (m.survivor_id, m.merged_id);
        let (first, second) = if a < b { (a, b) } else { (b, a) };
        tx.lock_idea(first, now).await?;
        tx.lock_idea(second, now).await?;
        // Re-read under the locks: another un-merge may have won the race.
        let row: MergeRow =
            on_tx!(&mut tx, c => sqlx::query_as(MERGE_BY_ID).bind(id.0).fetch_one(c).await)?;
        let m: Merge = row.try_into()?;
        let a_into = tx.merged_into(a).await?;
        if let Err(r) = check_unmerge(m.merged_at, m.unmerged_at, a_into.is_some(), now) {
            return Ok(Err(r));
        }
        let l = &m.ledger;
        for link in &l.links {
            tx.exec(ExecQuery::new(MOVE_LINK_BACK).id(link.0).id(a.0).id(b.0))
                .await?;
        }
        for d in &l.dropped_links {
            if !tx.exists(NOTE_EXISTS, d.note_id.0).await? {
                continue;
            }
            let by = match d.created_by {
                Some(u) if tx.exists(USER_EXISTS, u.0).await? => Some(u.0),
                _ => None,
            };
            tx.exec(
                ExecQuery::new(RESTORE_LINK)
                    .id(d.id.0)
                    .id(d.note_id.0)
                    .id(b.0)
                    .opt_text(d.excerpt.as_deref())
                    .opt_id(by)
                    .int(d.created_at.0),
            )
            .await?;
        }
        for c in &l.comments {
            tx.exec(ExecQuery::new(MOVE_COMMENT_BACK).id(c.0).id(a.0).id(b.0))
                .await?;
        }
        for u in &l.followers {
            tx.exec(ExecQuery::new(MOVE_FOLLOWER).id(a.0).id(u.0).id(b.0))
                .await?;
        }
        for f in &l.dropped_followers {
            if tx.exists(USER_EXISTS, f.user_id.0).await? {
                tx.exec(
                    ExecQuery::new(RESTORE_FOLLOWER)
                        .id(b.0)
                        .id(f.user_id.0)
                        .int(f.created_at.0),
                )
                .await?;
            }
        }
        for v in &l.votes {
            tx.exec(ExecQuery::new(MOVE_VOTE_BACK).id(*v).id(a.0).id(b.0))
                .await?;
        }
        for n in &l.nominations {
            if n.dropped {
                if tx.exists(SESSION_EXISTS, n.session_id).await? {
                    let by = match n.nominated_by {
                        Some(u) if tx.exists(USER_EXISTS, u.0).await? => Some(u.0),
                        _ => None,
                    };
                    tx.exec(
                        ExecQuery::new(RESTORE_NOMINATION)
                            .id(n.session_id)
                            .id(b.0)
                            .opt_id(by)
                            .int(n.created_at.0),
                    )
                    .await?;
                }
            } else {
                tx.exec(
                    ExecQuery::new(MOVE_NOMINATION)
                        .id(n.session_id)
                        .id(a.0)
                        .id(b.0),
                )
                .await?;
            }
        }
        for e in &l.exercise_ideas {
            if e.dropped {
                if tx.exists(EXERCISE_EXISTS, e.exercise_id).await? {
                    tx.exec(
                        ExecQuery::new(RESTORE_EXERCISE_IDEA)
                            .id(e.exercise_id)
                            .id(b.0),
                    )
                    .await?;
                }
            } else {
                tx.exec(
                    ExecQuery::new(MOVE_EXERCISE_IDEA)
                        .id(e.exercise_id)
                        .id(a.0)
                        .id(b.0),
                )
                .await?;
            }
        }
        for s in &l.scorecards {
            if s.dropped {
                if tx.exists(EXERCISE_EXISTS, s.exercise_id).await?
                    && tx.exists(USER_EXISTS, s.user_id.0).await?
                {
                    tx.exec(
                        ExecQuery::new(RESTORE_SCORECARD)
                            .id(s.exercise_id)
                            .id(b.0)
                            .id(s.user_id.0)
                            .float(s.reach)
                            .float(s.impact)
                            .float(s.confidence)
                            .float(s.effort_months)
                            .float(s.score)
                            .int(s.updated_at.0),
                    )
                    .await?;
                }
            } else {
                tx.exec(
                    ExecQuery::new(MOVE_SCORECARD)
                        .id(s.exercise_id)
                        .id(a.0)
                        .id(s.user_id.0)
                        .id(b.0),
                )
                .await?;
            }
        }
        let survivor = tx.idea(a).await?;
        if !l.labels_added.is_empty() {
            let kept = labels_after_unmerge(&survivor.labels, &l.labels_added);
            tx.set_labels(a, &kept).await?;
            for lab in &l.labels_added {
                tx.exec(ExecQuery::new(REMOVE_LABEL).id(a.0).text(lab))
                    .await?;
            }
        }
        if let Some(p) = &l.prior_rice {
            // Only if nobody re-scored the survivor since the merge.
            if survivor.rice.as_ref() == Some(&p.adopted) {
                tx.set_rice_fields(a, p.rice.as_ref(), p.reach_mode, p.effort_months)
                    .await?;
            }
        }
        let merged = tx.idea(b).await?;
        let rank = match merged.area_id {
            Some(area) => Some(tx.rank_at_bottom(area).await?),
            None => None,
        };
        tx.exec(
            ExecQuery::new(CLEAR_MERGED)
                .id(b.0)
                .opt_text(rank.as_deref()),
        )
        .await?;
        tx.exec(
            ExecQuery::new(MARK_UNMERGED)
                .id(id.0)
                .int(now.0)
                .opt_id(actor.map(|u| u.0)),
        )
        .await?;
        tx.refresh_demand(a).await?;
        tx.refresh_demand(b).await?;
        tx.record(Change {
            entity_type: "idea",
            entity_id: a.0,
            actor,
            action: "unmerged",
            before: None,
            after: Some(
                serde_json::json!({"merge_id": id, "restored": {"id": b, "title": merged.title}}),
            ),
        })
        .await?;
        tx.record(Change {
            entity_type: "idea",
            entity_id: b.0,
            actor,
            action: "unmerged",
            before: None,
            after: Some(serde_json::json!({"merge_id": id, "merged_into": {"id": a, "title": survivor.title}})),
        })
        .await?;
        tx.commit().await?;
        Ok(Ok(Merge {
            unmerged_at: Some(now),
            unmerged_by: actor,
            ..m
        }))
    }

    /// A merge by id.
    pub async fn merge(&self, id: MergeId) -> StoreResult<Merge> {
        let row: MergeRow =
            on_db!(self, p => sqlx::query_as(MERGE_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// The latest `limit` merges into `survivor`, newest first, undone ones included.
    pub async fn merges_into(&self, survivor: IdeaId, limit: i64) -> StoreResult<Vec<Merge>> {
        let rows: Vec<MergeRow> = on_db!(self, p => sqlx::query_as(MERGES_INTO).bind(survivor.0).bind(limit).fetch_all(p).await)?;
        rows.into_iter().map(Merge::try_from).collect()
    }

    /// The idea `id` was merged into, if it was (`NotFound` if no such idea).
    pub async fn merged_into(&self, id: IdeaId) -> StoreResult<Option<IdeaId>> {
        let v: Option<Option<Uuid>> =
            on_db!(self, p => sqlx::query_scalar(MERGED_INTO).bind(id.0).fetch_optional(p).await)?;
        Ok(v.ok_or(StoreError::NotFound)?.map(IdeaId))
    }
}

/// How many rows of each kind a merge moved or deduplicated, for the
/// activity log.
pub fn merge_summary(l: &MergeLedger) -> serde_json::Value {
    serde_json::json!({
        "links": l.links.len(), "duplicate_links": l.dropped_links.len(),
        "comments": l.comments.len(), "followers": l.followers.len() + l.dropped_followers.len(),
        "votes": l.votes.len(), "nominations": l.nominations.len(),
        "scorecards": l.scorecards.len(), "labels_added": l.labels_added,
        "rice_adopted": l.prior_rice.is_some(),
    })
}

/// A value bound to a statement run through [`Tx::exec`].
enum Bind<'a> {
    Id(Uuid),
    OptId(Option<Uuid>),
    Int(i64),
    Float(f64),
    OptFloat(Option<f64>),
    Text(&'a str),
    OptText(Option<&'a str>),
}

/// A write statement and its binds, built up in order. Keeps the many
/// small moves above to one line each.
struct ExecQuery<'a> {
    sql: &'static str,
    binds: Vec<Bind<'a>>,
}

impl<'a> ExecQuery<'a> {
    fn new(sql: &'static str) -> Self {
        Self { sql, binds: vec![] }
    }
    fn id(mut self, v: Uuid) -> Self {
        self.binds.push(Bind::Id(v));
        self
    }
    fn opt_id(mut self, v: Option<Uuid>) -> Self {
        self.binds.push(Bind::OptId(v));
        self
    }
    fn int(mut self, v: i64) -> Self {
        self.binds.push(Bind::Int(v));
        self
    }
    fn float(mut self, v: f64) -> Self {
        self.binds.push(Bind::Float(v));
        self
    }
    fn opt_float(mut self, v: Option<f64>) -> Self {
        self.binds.push(Bind::OptFloat(v));
        self
    }
    fn text(mut self, v: &'a str) -> Self {
        self.binds.push(Bind::Text(v));
        self
    }
    fn opt_text(mut self, v: Option<&'a str>) -> Self {
        self.binds.push(Bind::OptText(v));
        self
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    LOCK_IDEA,
    MERGED_INTO,
    LINKS_OF,
    LINKED_NOTES,
    MOVE_LINK,
    MOVE_LINK_BACK,
    DELETE_LINK,
    RESTORE_LINK,
    NOTE_EXISTS,
    USER_EXISTS,
    COMMENTS_OF,
    MOVE_COMMENTS,
    MOVE_COMMENT_BACK,
    FOLLOWERS_OF,
    MOVE_FOLLOWER,
    DELETE_FOLLOWER,
    RESTORE_FOLLOWER,
    VOTES_OF,
    MOVE_VOTES,
    MOVE_VOTE_BACK,
    NOMINATIONS_OF,
    NOMINATED_IN,
    MOVE_NOMINATION,
    DELETE_NOMINATION,
    RESTORE_NOMINATION,
    SESSION_EXISTS,
    EXERCISES_OF,
    MOVE_EXERCISE_IDEA,
    DELETE_EXERCISE_IDEA,
    RESTORE_EXERCISE_IDEA,
    EXERCISE_EXISTS,
    SCORECARDS_OF,
    MOVE_SCORECARD,
    DELETE_SCORECARD,
    RESTORE_SCORECARD,
    SET_LABELS,
    REMOVE_LABEL,
    SET_RICE,
    MARK_MERGED,
    CLEAR_MERGED,
    INSERT_MERGE,
    MERGE_BY_ID,
    MERGES_INTO,
    MARK_UNMERGED,
];
