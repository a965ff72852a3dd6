//! The ranked board: each product area's ideas in the order its PM ranks
//! them. Ranks are fractional keys (`rank`); this module holds the rules
//! for placing an idea: at the bottom when it joins a board, between two
//! neighbours when it is moved, and when the board must be renumbered.
//!
//! The store keeps the invariant that makes these rules safe under
//! concurrency: every write to a board's ranks first takes that board's
//! lock (its area row), in the same transaction.

pub mod rank;

pub use rank::{LONG_RANK, initial_ranks, rank_between, ranks_between};

use crate::area::AreaId;
use crate::error::ValidationError;
use crate::idea::IdeaId;

/// Why a move on the board was refused; nothing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoardRefusal {
    /// The idea has no product area, so it is on no board.
    NotOnABoard,
    /// A neighbour named in `field` does not exist.
    NoSuchNeighbour {
        /// The request field that named it (`after_id` or `before_id`).
        field: &'static str,
    },
    /// A neighbour named in `field` is on another board (or none).
    NotSameBoard {
        /// The request field that named it.
        field: &'static str,
    },
    /// The neighbours are no longer adjacent: another move took the gap.
    BoardChanged,
}

impl std::fmt::Display for BoardRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BoardRefusal::NotOnABoard => "only ideas in a product area are on a board",
            BoardRefusal::NoSuchNeighbour { .. } => "no idea with that id",
            BoardRefusal::NotSameBoard { .. } => "that idea is not on the same board",
            BoardRefusal::BoardChanged => {
                "the board changed while you were moving; reload and try again"
            }
        })
    }
}

impl crate::error::Refusal for BoardRefusal {
    fn kind(&self) -> crate::error::RefusalKind {
        use crate::error::RefusalKind::{Conflict, Invalid};
        match self {
            BoardRefusal::NotOnABoard => Invalid { field: "idea" },
            BoardRefusal::NoSuchNeighbour { field } | BoardRefusal::NotSameBoard { field } => {
                Invalid { field }
            }
            BoardRefusal::BoardChanged => Conflict,
        }
    }
}

/// Where an idea sits: its area and its rank there, as read from storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// The idea's area, if it has one.
    pub area_id: Option<AreaId>,
    /// Its rank on that area's board, if it is on it.
    pub rank: Option<String>,
}

/// The rank of a neighbour named in `field` (`None` if no neighbour was
/// named): it must exist (`placement` is `None` if not) and sit on `board`.
pub fn neighbour_rank(
    field: &'static str,
    named: Option<IdeaId>,
    placement: Option<Placement>,
    board: AreaId,
) -> Result<Option<String>, BoardRefusal> {
    if named.is_none() {
        return Ok(None);
    }
    let p = placement.ok_or(BoardRefusal::NoSuchNeighbour { field })?;
    match (p.area_id, p.rank) {
        (Some(a), Some(r)) if a == board => Ok(Some(r)),
        _ => Err(BoardRefusal::NotSameBoard { field }),
    }
}

/// The rank for an idea dropped between `above` and `below` (either absent
/// for an end of the board). Fails when they are out of order, which means
/// another move took the gap while the caller was looking.
pub fn rank_for_move(above: Option<&str>, below: Option<&str>) -> Result<String, BoardRefusal> {
    rank_between(above, below).map_err(|_| BoardRefusal::BoardChanged)
}

/// `n` ranks, in order, below every idea now on a board whose lowest rank
/// is `lowest` (`None` for an empty board): for ideas joining it.
pub fn ranks_at_bottom(lowest: Option<&str>, n: usize) -> Result<Vec<String>, ValidationError> {
    ranks_between(lowest, None, n)
}

/// Whether a board holding `rank` should be renumbered: the key has grown
/// past [`LONG_RANK`] (many drops into the same gap).
pub fn needs_renumbering(rank: &str) -> bool {
    rank.len() > LONG_RANK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_must_share_the_board() {
        let board = AreaId::new();
        let here = Placement {
            area_id: Some(board),
            rank: Some("V".into()),
        };
        let id = Some(IdeaId::new());
        assert_eq!(
            neighbour_rank("after_id", id, Some(here.clone()), board),
            Ok(Some("V".into()))
        );
        assert_eq!(neighbour_rank("after_id", None, None, board), Ok(None));
        assert_eq!(
            neighbour_rank("before_id", id, None, board),
            Err(BoardRefusal::NoSuchNeighbour { field: "before_id" })
        );
        assert_eq!(
            neighbour_rank("after_id", id, Some(here), AreaId::new()),
            Err(BoardRefusal::NotSameBoard { field: "after_id" })
        );
        let unranked = Placement {
            area_id: Some(board),
            rank: None,
        };
        assert_eq!(
            neighbour_rank("after_id", id, Some(unranked), board),
            Err(BoardRefusal::NotSameBoard { field: "after_id" })
        );
    }

    #[test]
    fn out_of_order_neighbours_mean_the_board_changed() {
        assert_eq!(
            rank_for_move(Some("b"), Some("a")),
            Err(BoardRefusal::BoardChanged)
        );
        let r = rank_for_move(Some("a"), Some("b")).unwrap();
        assert!("a" < r.as_str() && r.as_str() < "b");
    }

    #[test]
    fn bottom_ranks_follow_the_lowest() {
        let r = ranks_at_bottom(Some("V"), 3).unwrap();
        assert_eq!(r.len(), 3);
        assert!(r.windows(2).all(|w| w[0] < w[1]) && r[0].as_str() > "V");
        assert!(!needs_renumbering(&r[2]));
        assert!(needs_renumbering(&"V".repeat(LONG_RANK + 1)));
    }
}
