//! Fractional ranks for the ranked board. Each idea on the board carries a
//! short text key; the board is the ideas sorted by key, byte by byte. Moving
//! an idea writes one row: its new key is computed from the keys of its new
//! neighbours with [`rank_between`], and there is always room between two
//! keys, so keys never collide and nothing is renumbered.
//!
//! Keys are base-62 fractions: digits `0-9`, `A-Z`, `a-z` in ASCII order (so
//! byte order, SQLite's `BINARY` and PostgreSQL's `COLLATE "C"` all agree),
//! read as `0.d1 d2 d3 …`. A key is never empty and never ends in `0`, the
//! smallest digit, so a key strictly between any two keys always exists.
//!
//! * Between two keys: the shortest-ish midpoint (Figma / rocicorp style),
//!   usually the length of the longer neighbour or one more.
//! * At the top or bottom (one side open): the shortest key past the
//!   neighbour, stepping one digit, so 61 moves in a row to the very top (or
//!   bottom) add one character.
//! * [`initial_ranks`] spreads `n` keys evenly, with gaps, for a new board or
//!   to renumber one whose keys have grown long.
//!
//! Observed lengths (from the tests): 100,000 random moves over 10,000 items
//! that start at three characters never make a key longer than 7 characters;
//! 610 moves in a row to the very top reach 11. The worst case is dropping
//! item after item into the *same* gap (always "second place"): each drop
//! halves the gap, so a key grows by one character per ~6 drops (1,000 such
//! drops give 168 characters). The store renumbers a board with
//! [`initial_ranks`] when a move makes a key longer than [`LONG_RANK`].

use crate::error::ValidationError;

/// The rank alphabet, in byte order.
pub const RANK_DIGITS: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const BASE: u8 = 62;

/// A move that makes a key longer than this renumbers its board with
/// [`initial_ranks`] (one write per item, order unchanged).
pub const LONG_RANK: usize = 64;

fn digit_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'Z' => Some(c - b'A' + 10),
        b'a'..=b'z' => Some(c - b'a' + 36),
        _ => None,
    }
}

fn encode(digits: &[u8]) -> String {
    digits
        .iter()
        .map(|d| char::from(RANK_DIGITS[usize::from(*d)]))
        .collect()
}

/// Is `key` a well-formed rank: non-empty, only `0-9A-Za-z`, not ending in `0`?
pub fn is_valid_rank(key: &str) -> bool {
    !key.is_empty() && !key.ends_with('0') && key.bytes().all(|b| digit_value(b).is_some())
}

fn decode(field: &str, key: &str) -> Result<Vec<u8>, ValidationError> {
    if !is_valid_rank(key) {
        return Err(ValidationError::new(
            field,
            format!(
                "'{key}' is not a valid rank; a rank is one or more of 0-9, A-Z, a-z and does \
                 not end in 0"
            ),
        ));
    }
    Ok(key.bytes().filter_map(digit_value).collect())
}

/// A key strictly between `before` and `after` (byte-wise), where `None` is
/// an open end: `(None, None)` gives a key in the middle of the space,
/// `(Some(b), None)` a key after `b`, `(None, Some(a))` a key before `a`.
///
/// Fails, naming `before` or `after`, if a key is malformed, and naming
/// `rank` if `before` does not sort strictly before `after`.
pub fn rank_between(before: Option<&str>, after: Option<&str>) -> Result<String, ValidationError> {
    let lo = before.map(|b| decode("before", b)).transpose()?;
    let hi = after.map(|a| decode("after", a)).transpose()?;
    let digits = match (lo, hi) {
        (None, None) => vec![BASE / 2],
        (Some(lo), None) => increment(&lo),
        (None, Some(hi)) => decrement(&hi),
        (Some(lo), Some(hi)) => {
            if lo >= hi {
                return Err(ValidationError::new(
                    "rank",
                    format!(
                        "'{}' must sort strictly before '{}'",
                        before.unwrap_or_default(),
                        after.unwrap_or_default()
                    ),
                ));
            }
            midpoint(&lo, Some(&hi))
        }
    };
    Ok(encode(&digits))
}

/// `n` keys, in order, strictly between `lo` and `hi` (either open), spread
/// evenly: for inserting many items into one gap. Calling [`rank_between`]
/// `n` times into the same gap instead grows a key by a character every ~6
/// calls. Every key is one key in the gap followed by an [`initial_ranks`]
/// key, so they are at most a few characters longer than the gap's own.
pub fn ranks_between(
    lo: Option<&str>,
    hi: Option<&str>,
    n: usize,
) -> Result<Vec<String>, ValidationError> {
    let mut p = rank_between(lo, hi)?;
    // Anything appended to `p` stays above `lo`, and below `hi` unless `p`
    // is a prefix of `hi`: then step up, towards `hi`, until it is not.
    while let Some(h) = hi.filter(|h| h.starts_with(p.as_str())) {
        p = rank_between(Some(&p), Some(h))?;
    }
    Ok(initial_ranks(n)
        .into_iter()
        .map(|r| format!("{p}{r}"))
        .collect())
}

/// The shortest key greater than `lo`: `lo`'s prefix up to its first digit
/// below `z`, with that digit raised by one; or `lo` followed by `1` if it is
/// all `z`s.
fn increment(lo: &[u8]) -> Vec<u8> {
    match lo.iter().position(|d| *d < BASE - 1) {
        Some(i) => {
            let mut out = lo[..i].to_vec();
            out.push(lo[i] + 1);
            out
        }
        None => {
            let mut out = lo.to_vec();
            out.push(1);
            out
        }
    }
}

/// A short key less than `hi` (which has no trailing `0`): `hi`'s prefix up
/// to its first digit above `0`, with that digit lowered by one; if that
/// digit is `1`, lowering it would leave a trailing `0`, so `0z` follows the
/// prefix instead.
fn decrement(hi: &[u8]) -> Vec<u8> {
    // `hi` does not end in 0, so a non-zero digit exists.
    let i = hi.iter().position(|d| *d > 0).unwrap_or(hi.len());
    let mut out = hi[..i].to_vec();
    match hi.get(i) {
        Some(d) if *d >= 2 => out.push(d - 1),
        _ => out.extend([0, BASE - 1]),
    }
    out
}

/// A key strictly between `a` and `b` (`None` = 1.0, the end of the space),
/// given `a < b` and neither ending in 0; `a` may be empty (0.0).
fn midpoint(a: &[u8], b: Option<&[u8]>) -> Vec<u8> {
    if let Some(b) = b {
        // Skip the common prefix, reading `a` padded with zeros.
        let n = b
            .iter()
            .enumerate()
            .take_while(|(i, d)| a.get(*i).copied().unwrap_or(0) == **d)
            .count();
        if n > 0 {
            let mut out = b[..n].to_vec();
            out.extend(midpoint(a.get(n..).unwrap_or(&[]), Some(&b[n..])));
            return out;
        }
    }
    let da = a.first().copied().unwrap_or(0);
    let db = b.and_then(|b| b.first().copied()).unwrap_or(BASE);
    if db - da > 1 {
        vec![(da + db).div_ceil(2)]
    } else {
        match b {
            // `b` has more digits, so its first digit alone sorts after `a`
            // and before `b`.
            Some(b) if b.len() > 1 => vec![b[0]],
            _ => {
                let mut out = vec![da];
                out.extend(midpoint(a.get(1..).unwrap_or(&[]), None));
                out
            }
        }
    }
}

/// `n` increasing keys spread evenly over the space, all the same length
/// before trailing zeros are dropped, with gaps of at least two so the first
/// moves between them stay short.
pub fn initial_ranks(n: usize) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let slots_needed = (n as u128 + 1) * 2;
    let mut len = 1usize;
    let mut space: u128 = u128::from(BASE);
    while space < slots_needed {
        len += 1;
        space = space.saturating_mul(u128::from(BASE));
    }
    let step = space / (n as u128 + 1);
    (1..=n as u128)
        .map(|i| {
            let mut v = i * step;
            let mut digits = vec![0u8; len];
            for d in digits.iter_mut().rev() {
                *d = (v % u128::from(BASE)) as u8;
                v /= u128::from(BASE);
            }
            while digits.last() == Some(&0) {
                digits.pop();
            }
            encode(&digits)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// SplitMix64: a small, seeded generator for the simulation.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn between(a: Option<&str>, b: Option<&str>) -> String {
        let k = rank_between(a, b).unwrap();
        assert!(is_valid_rank(&k), "{k}");
        if let Some(a) = a {
            assert!(a < k.as_str(), "{a} < {k}");
        }
        if let Some(b) = b {
            assert!(k.as_str() < b, "{k} < {b}");
        }
        k
    }

    #[test]
    fn alphabet_is_in_byte_order() {
        assert!(RANK_DIGITS.windows(2).all(|w| w[0] < w[1]));
        for (i, c) in RANK_DIGITS.iter().enumerate() {
            assert_eq!(digit_value(*c), Some(i as u8));
        }
    }

    #[test]
    fn simple_cases() {
        assert_eq!(between(None, None), "V");
        assert_eq!(between(Some("V"), None), "W");
        assert_eq!(between(Some("z"), None), "z1");
        assert_eq!(between(Some("Vz"), None), "W");
        assert_eq!(between(None, Some("V")), "U");
        assert_eq!(between(None, Some("1")), "0z");
        assert_eq!(between(None, Some("01")), "00z");
        assert_eq!(between(Some("V"), Some("X")), "W");
        assert_eq!(between(Some("V"), Some("W")), "VV");
        assert_eq!(between(Some("V"), Some("V1")), "V0V");
        assert_eq!(between(Some("1"), Some("2")), "1V");
        between(Some("z1"), Some("z2"));
        between(Some("0001"), Some("1"));
    }

    #[test]
    fn rejects_bad_input() {
        let e = rank_between(Some("b"), Some("a")).unwrap_err();
        assert_eq!(e.field, "rank");
        let e = rank_between(Some("a"), Some("a")).unwrap_err();
        assert_eq!(e.field, "rank");
        for bad in ["", "a0", "a-b", "é", "a b"] {
            assert_eq!(rank_between(Some(bad), None).unwrap_err().field, "before");
            assert_eq!(rank_between(None, Some(bad)).unwrap_err().field, "after");
        }
    }

    #[test]
    fn initial_ranks_are_spread_and_increasing() {
        assert!(initial_ranks(0).is_empty());
        assert_eq!(initial_ranks(1), vec!["V".to_string()]);
        for n in [1, 2, 10, 30, 31, 61, 62, 100, 1000, 10_000] {
            let keys = initial_ranks(n);
            assert_eq!(keys.len(), n);
            assert!(keys.iter().all(|k| is_valid_rank(k)));
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "n = {n}");
            // There is room before the first, after the last and between.
            between(None, Some(&keys[0]));
            between(Some(&keys[n - 1]), None);
            for w in keys.windows(2) {
                between(Some(&w[0]), Some(&w[1]));
            }
        }
        assert!(initial_ranks(10_000).iter().all(|k| k.len() <= 3));
    }

    #[test]
    fn repeated_moves_to_the_ends_grow_slowly() {
        let mut top = "V".to_string();
        let mut bottom = "V".to_string();
        for _ in 0..610 {
            top = between(None, Some(&top));
            bottom = between(Some(&bottom), None);
        }
        assert!(top.len() <= 12, "{top}");
        assert!(bottom.len() <= 12, "{bottom}");
        // Always inserting just after the same key (e.g. "second place").
        let first = "1".to_string();
        let mut next = "2".to_string();
        for _ in 0..1000 {
            next = between(Some(&first), Some(&next));
        }
        // Each drop halves the gap: about one character per 6 drops.
        assert!(next.len() <= 1000 / 5, "{}", next.len());
    }

    /// 100,000 random moves over 10,000 items: keys stay unique, strictly
    /// increasing and short.
    #[test]
    fn random_moves_keep_order() {
        const ITEMS: usize = 10_000;
        const MOVES: usize = 100_000;
        let mut rng = Rng(0x5EED_B0A2D);
        let mut keys = initial_ranks(ITEMS);
        let mut max_len = 0;
        for _ in 0..MOVES {
            let from = rng.below(ITEMS);
            let to = rng.below(ITEMS);
            // Take the item out, then compute its key from its new neighbours
            // in the list without it.
            keys.remove(from);
            let before = to.checked_sub(1).map(|i| keys[i].as_str());
            let after = keys.get(to).map(String::as_str);
            let key = rank_between(before, after).unwrap();
            assert!(before.is_none_or(|b| b < key.as_str()));
            assert!(after.is_none_or(|a| key.as_str() < a));
            max_len = max_len.max(key.len());
            keys.insert(to, key);
        }
        assert_eq!(keys.len(), ITEMS);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert!(keys.iter().all(|k| is_valid_rank(k)));
        assert!(max_len <= 8, "longest key {max_len}");
    }

    fn key_s() -> impl Strategy<Value = String> {
        "[0-9A-Za-z]{0,8}[1-9A-Za-z]"
    }

    proptest! {
        #[test]
        fn many_between_any_two_stay_in_order_and_short(a in key_s(), b in key_s(), n in 0usize..3000,
                                                       open_lo: bool, open_hi: bool) {
            prop_assume!(a != b);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let (lo, hi) = ((!open_lo).then_some(lo.as_str()), (!open_hi).then_some(hi.as_str()));
            let keys = ranks_between(lo, hi, n).unwrap();
            prop_assert_eq!(keys.len(), n);
            for w in keys.windows(2) {
                prop_assert!(w[0] < w[1]);
            }
            for k in &keys {
                prop_assert!(lo.is_none_or(|l| l < k.as_str()) && hi.is_none_or(|h| k.as_str() < h), "{k}");
                prop_assert!(rank_between(Some(k), None).is_ok(), "{k} is a valid key");
                prop_assert!(k.len() <= lo.map_or(0, str::len).max(hi.map_or(0, str::len)) + 4, "{k}");
            }
        }

        #[test]
        fn between_any_two(a in key_s(), b in key_s()) {
            prop_assume!(a != b);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let k = rank_between(Some(&lo), Some(&hi)).unwrap();
            prop_assert!(is_valid_rank(&k));
            prop_assert!(lo < k && k < hi, "{} < {} < {}", lo, k, hi);
            prop_assert!(k.len() <= hi.len().max(lo.len()) + 1);
        }

        #[test]
        fn open_ends(a in key_s()) {
            let up = rank_between(Some(&a), None).unwrap();
            let down = rank_between(None, Some(&a)).unwrap();
            prop_assert!(is_valid_rank(&up) && is_valid_rank(&down));
            prop_assert!(down < a && a < up);
        }

        #[test]
        fn small_boards_survive_any_moves(n in 1usize..40, moves in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..300)) {
            let mut keys = initial_ranks(n);
            for (f, t) in moves {
                keys.remove(f.index(n));
                let to = t.index(n);
                let before = to.checked_sub(1).map(|i| keys[i].clone());
                let after = keys.get(to).cloned();
                let k = rank_between(before.as_deref(), after.as_deref()).unwrap();
                keys.insert(to, k);
            }
            prop_assert!(keys.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
