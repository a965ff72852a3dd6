//! The registry of every table that references an idea, and what a merge
//! does with each: [`IDEA_REFERENCES`]. Merging and un-merging are driven
//! by it (`merges.rs`), so a table added later that references ideas is
//! moved and restored by declaring it here, and a test (tests/store/
//! merges.rs) reads the schema's foreign keys to `ideas` on both databases
//! and fails for any that is not declared.

/// How a column's value is stored, so rows can be read, kept in a merge's
/// ledger as JSON and written back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// A UUID.
    Uuid,
    /// A UUID or NULL.
    OptUuid,
    /// Text or NULL.
    OptText,
    /// Text.
    Text,
    /// A 64-bit integer (timestamps are epoch milliseconds).
    Int,
    /// A double.
    Float,
}

/// What an un-merge does when a restored row refers to a row that has been
/// deleted since the merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenGone {
    /// Leave the row out (it could not exist: the reference is required).
    SkipRow,
    /// Restore the row with this column NULL (the reference is optional).
    Clear,
}

/// One column of a moved table, other than the idea column.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// Its name.
    pub name: &'static str,
    /// How it is stored.
    pub ty: ColumnType,
    /// The table it refers to by `id`, if it is a foreign key, and what to
    /// do when that row is gone by the time of an un-merge.
    pub refers_to: Option<(&'static str, WhenGone)>,
}

const fn col(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        refers_to: None,
    }
}

const fn fk(name: &'static str, ty: ColumnType, table: &'static str, gone: WhenGone) -> Column {
    Column {
        name,
        ty,
        refers_to: Some((table, gone)),
    }
}

/// What a merge does with the rows of one referencing column.
#[derive(Clone, Copy, Debug)]
pub enum OnMerge {
    /// The merged idea's rows move to the survivor. `key` finds a row among
    /// one idea's rows again (what the ledger records for a moved row).
    /// `unique_with` are the columns that, with the idea column, must be
    /// unique: a row whose twin the survivor already has is deleted and
    /// kept whole in the ledger instead (re-created on un-merge). `columns`
    /// are every column but the idea column.
    Move {
        /// Columns that find a row among one idea's rows.
        key: &'static [&'static str],
        /// Columns unique together with the idea column (empty: none).
        unique_with: &'static [&'static str],
        /// Every other column.
        columns: &'static [Column],
    },
    /// The rows stay where they are; the reason says why.
    Stay {
        /// Why a merge leaves these rows alone.
        why: &'static str,
    },
}

/// A column that references `ideas(id)`, and what a merge does with it.
#[derive(Clone, Copy, Debug)]
pub struct IdeaReference {
    /// The table.
    pub table: &'static str,
    /// The column holding the idea's id.
    pub column: &'static str,
    /// What a merge does with its rows.
    pub on_merge: OnMerge,
}

use ColumnType::*;
use WhenGone::*;

/// Every column in the schema that references `ideas(id)`.
pub const IDEA_REFERENCES: &[IdeaReference] = &[
    IdeaReference {
        table: "links",
        column: "idea_id",
        on_merge: OnMerge::Move {
            key: &["id"],
            unique_with: &["note_id"],
            columns: &[
                col("id", Uuid),
                fk("note_id", Uuid, "notes", SkipRow),
                col("excerpt", OptText),
                fk("created_by", OptUuid, "users", Clear),
                col("created_at", Int),
            ],
        },
    },
    IdeaReference {
        table: "comments",
        column: "idea_id",
        on_merge: OnMerge::Move {
            key: &["id"],
            unique_with: &[],
            columns: &[
                col("id", Uuid),
                fk("author_id", OptUuid, "users", Clear),
                col("body", Text),
                col("created_at", Int),
            ],
        },
    },
    IdeaReference {
        table: "followers",
        column: "idea_id",
        on_merge: OnMerge::Move {
            key: &["user_id"],
            unique_with: &["user_id"],
            columns: &[
                fk("user_id", Uuid, "users", SkipRow),
                col("created_at", Int),
            ],
        },
    },
    IdeaReference {
        table: "prio_votes",
        column: "idea_id",
        on_merge: OnMerge::Move {
            key: &["id"],
            unique_with: &[],
            columns: &[
                col("id", Uuid),
                fk("session_id", Uuid, "prio_sessions", SkipRow),
                fk("user_id", Uuid, "users", SkipRow),
                col("kind", Text),
                col("created_at", Int),
            ],
        },
    },
    IdeaReference {
        table: "prio_nominations",
        column: "idea_id",
        on_merge: OnMerge::Move {
            key: &["session_id"],
            unique_with: &["session_id"],
            columns: &[
                fk("session_id", Uuid, "prio_sessions", SkipRow),
                fk("nominated_by", OptUuid, "users", Clear),
                col("created_at", Int),
            ],
        },
    },
    IdeaReference {
        table: "rice_exercise_ideas",
        column: "idea_id",
        on_merge: OnMerge::Move {
            key: &["exercise_id"],
            unique_with: &["exercise_id"],
            columns: &[fk("exercise_id", Uuid, "rice_exercises", SkipRow)],
        },
    },
    IdeaReference {
        table: "rice_scorecards",
        column: "idea_id",
        on_merge: OnMerge::Move {
            key: &["exercise_id", "user_id"],
            unique_with: &["exercise_id", "user_id"],
            columns: &[
                fk("exercise_id", Uuid, "rice_exercises", SkipRow),
                fk("user_id", Uuid, "users", SkipRow),
                col("reach", Float),
                col("impact", Float),
                col("confidence", Float),
                col("effort_months", Float),
                col("score", Float),
                col("updated_at", Int),
            ],
        },
    },
    IdeaReference {
        table: "idea_labels",
        column: "idea_id",
        on_merge: OnMerge::Stay {
            why: "labels are combined by the merge rule (the survivor gains the merged idea's \
                  labels, listed in the ledger); the merged idea keeps its own",
        },
    },
    IdeaReference {
        table: "idea_merges",
        column: "survivor_id",
        on_merge: OnMerge::Stay {
            why: "the merge records themselves",
        },
    },
    IdeaReference {
        table: "idea_merges",
        column: "merged_id",
        on_merge: OnMerge::Stay {
            why: "the merge records themselves",
        },
    },
    IdeaReference {
        table: "ideas",
        column: "merged_into",
        on_merge: OnMerge::Stay {
            why: "the redirect a merge sets; ideas merged into the merged idea were merged \
                  before it and keep pointing at it, so chains resolve to the survivor",
        },
    },
];
