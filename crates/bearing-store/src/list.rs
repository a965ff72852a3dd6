//! Keyset pagination for list queries built with sea-query: order by a sort
//! column then id, seek past the cursor, fetch one extra row to know whether
//! another page exists. No OFFSET anywhere, so page 1,000 costs what page 1 does.

use bearing_domain::{Cursor, CursorKey, Page, PageRequest};
use sea_query::{Expr, ExprTrait, Order, SelectStatement};
use uuid::Uuid;

/// The column a list is sorted by, before the id tie-breaker.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SortKey {
    /// Sort by id alone (creation order, since ids are UUIDv7).
    Id,
    /// An integer column.
    Int(&'static str),
    /// A lowercased text column.
    Text(&'static str),
    /// A floating-point column that is never NULL (scores).
    Float(&'static str),
}

/// Add ORDER BY, the seek condition after `page.after`, and LIMIT n+1.
pub(crate) fn keyset(
    q: &mut SelectStatement,
    table: &'static str,
    key: SortKey,
    desc: bool,
    page: &PageRequest,
) {
    let order = if desc { Order::Desc } else { Order::Asc };
    let id_col = Expr::col((table, "id"));
    if let Some(c) = &page.after {
        let past_id = |e: Expr| if desc { e.lt(c.id) } else { e.gt(c.id) };
        let cond = match (key, &c.key) {
            (SortKey::Int(col), CursorKey::Int(k)) => {
                let col = Expr::col((table, col));
                let past = if desc {
                    col.clone().lt(*k)
                } else {
                    col.clone().gt(*k)
                };
                Some(past.or(col.eq(*k).and(past_id(id_col.clone()))))
            }
            (SortKey::Text(col), CursorKey::Text(k)) => {
                let col = Expr::col((table, col));
                let past = if desc {
                    col.clone().lt(k.clone())
                } else {
                    col.clone().gt(k.clone())
                };
                Some(past.or(col.eq(k.clone()).and(past_id(id_col.clone()))))
            }
            (SortKey::Float(col), CursorKey::Float(k)) => {
                let col = Expr::col((table, col));
                let past = if desc {
                    col.clone().lt(*k)
                } else {
                    col.clone().gt(*k)
                };
                Some(past.or(col.eq(*k).and(past_id(id_col.clone()))))
            }
            (SortKey::Id, _) => Some(past_id(id_col.clone())),
            // A cursor from another sort order: start from the top rather than guess.
            _ => None,
        };
        if let Some(cond) = cond {
            q.and_where(cond);
        }
    }
    match key {
        SortKey::Id => {}
        SortKey::Int(col) | SortKey::Text(col) | SortKey::Float(col) => {
            q.order_by((table, col), order.clone());
        }
    }
    q.order_by((table, "id"), order);
    q.limit(u64::from(page.limit) + 1);
}

/// Turn `limit + 1` fetched rows into a page and the cursor after it.
pub(crate) fn page_of<T>(
    mut rows: Vec<T>,
    limit: u32,
    cursor_of: impl Fn(&T) -> (CursorKey, Uuid),
) -> Page<T> {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| {
            let (key, id) = cursor_of(r);
            Cursor { key, id }.encode()
        })
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}
