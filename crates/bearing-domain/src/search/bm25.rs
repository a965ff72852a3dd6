//! Okapi BM25 relevance, the formula SQLite FTS5's own `bm25()` uses, with
//! one difference that is the point of this module: each term's rarity (its
//! IDF) comes from a *sample* of the newest documents, passed in by the
//! caller, instead of from counting every document that holds the term.
//!
//! FTS5's `bm25()` counts a term's matches over the whole table on every
//! query: a word in 300,000 of 1,000,000 notes costs several milliseconds
//! before a single row is scored. A document frequency measured on the
//! newest 2,000 notes ranks the same way for any word that is not vanishingly
//! rare, at a fraction of the cost (docs/search-quality.md).

/// Term-frequency saturation: how quickly repeats of a word stop adding.
pub const K1: f64 = 1.2;
/// Length normalisation: 0 ignores document length, 1 divides it fully out.
pub const B: f64 = 0.75;
/// The smallest IDF a matching term gets, so a word found in most documents
/// still counts a little (FTS5 floors it the same way).
pub const MIN_IDF: f64 = 1e-6;

/// Inverse document frequency of a term found in `docs` of `total` sampled
/// documents (Robertson–Spärck Jones with FTS5's floor). A term missing from
/// the sample gets the highest value, as the rarest possible.
pub fn idf(docs: u64, total: u64) -> f64 {
    let n = total.max(docs) as f64;
    let d = docs as f64;
    let v = ((n - d + 0.5) / (d + 0.5)).ln();
    if v > MIN_IDF { v } else { MIN_IDF }
}

/// One document's score: `freqs[i]` is phrase `i`'s column-weighted count
/// in the document, `idfs[i]` its IDF (a missing IDF counts as 1),
/// `doc_len` the document's length in tokens and `avg_len` the average.
/// Higher is better; 0 when nothing matches.
pub fn score(freqs: &[f64], idfs: &[f64], doc_len: f64, avg_len: f64) -> f64 {
    let avg = if avg_len > 0.0 { avg_len } else { 1.0 };
    let norm = K1 * (1.0 - B + B * doc_len.max(0.0) / avg);
    freqs
        .iter()
        .enumerate()
        .filter(|(_, f)| **f > 0.0)
        .map(|(i, f)| idfs.get(i).copied().unwrap_or(1.0) * (f * (K1 + 1.0)) / (f + norm))
        .sum()
}

/// Parse the space-separated document counts the SQL hands the ranking
/// function ("12 0 340") into IDFs against a sample of `total` documents.
/// Anything unreadable counts as not seen in the sample.
pub fn idfs_from_counts(counts: &str, total: u64) -> Vec<f64> {
    counts
        .split_ascii_whitespace()
        .map(|c| idf(c.parse().unwrap_or(0), total))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fts5_reference_values() {
        // A term in 1 of 10 documents: ln(9.5 / 1.5).
        assert!((idf(1, 10) - (9.5f64 / 1.5).ln()).abs() < 1e-12);
        // In every document: floored, never negative.
        assert_eq!(idf(10, 10), MIN_IDF);
        // One occurrence in an average-length document: idf * (k1+1)/(1+k1).
        let s = score(&[1.0], &[2.0], 10.0, 10.0);
        assert!((s - 2.0).abs() < 1e-12, "{s}");
        assert_eq!(score(&[0.0, 0.0], &[3.0, 3.0], 5.0, 10.0), 0.0);
    }

    #[test]
    fn counts_text_is_forgiving() {
        let v = idfs_from_counts("0 5 x", 10);
        assert_eq!(v.len(), 3);
        assert_eq!(v[0], v[2], "unreadable counts as unseen");
        assert!(v[0] > v[1]);
        assert!(idfs_from_counts("", 10).is_empty());
    }

    proptest! {
        #[test]
        fn rarer_terms_weigh_more(total in 1u64..100_000, a in 0u64..100_000, b in 0u64..100_000) {
            let (lo, hi) = (a.min(b).min(total), a.max(b).min(total));
            prop_assert!(idf(lo, total) >= idf(hi, total));
            prop_assert!(idf(lo, total) >= MIN_IDF);
        }

        #[test]
        fn more_matches_never_score_less(f in 0.0f64..50.0, extra in 0.0f64..50.0, idf in 0.0f64..10.0,
                                         len in 1.0f64..500.0, avg in 1.0f64..500.0) {
            prop_assert!(score(&[f + extra], &[idf], len, avg) >= score(&[f], &[idf], len, avg));
        }

        #[test]
        fn longer_documents_never_score_more(f in 0.1f64..20.0, len in 1.0f64..500.0, extra in 0.0f64..500.0,
                                             avg in 1.0f64..500.0) {
            prop_assert!(score(&[f], &[1.0], len + extra, avg) <= score(&[f], &[1.0], len, avg));
        }

        #[test]
        fn saturates_below_idf_times_k1_plus_one(f in 0.0f64..1e6, idf in 0.0f64..10.0, len in 0.0f64..500.0) {
            prop_assert!(score(&[f], &[idf], len, 10.0) <= idf * (K1 + 1.0) + 1e-9);
        }
    }
}
