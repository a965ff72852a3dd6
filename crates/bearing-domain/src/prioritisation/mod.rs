//! Prioritisation: the ways ideas are weighed and ordered. RICE scores
//! (`rice`), the ARR-weighted customer demand score (`demand`), async RICE
//! exercises (`exercise`), voting sessions with their priority matrix
//! (`session`) and each area's ranked board (`board`).

pub mod board;
pub mod demand;
pub mod exercise;
pub mod rice;
pub mod session;
