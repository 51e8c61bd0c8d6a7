//! Comparing a value restated with the value given: the same, almost the same (a wrong
//! read-back) or unrelated.

use super::digit_strings::Digit;
use super::values::{Entity, Value};

/// How a restated value compares with the value given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// The same value (or an accepted partial restatement, or equal visible parts).
    Same,
    /// Almost the same: a digit or two wrong, a transposition, the wrong day. A wrong read-back.
    Near,
    /// Unrelated.
    Different,
}

/// Compares a value the customer gave with one the agent said. `partial` is the number of
/// final digits that may stand for the whole digit string (`accept_partial = { last = N }`).
pub fn compare(entity: Entity, given: &Value, said: &Value, partial: Option<usize>) -> Comparison {
    match (given, said) {
        (Value::Digits(g), Value::Digits(s)) => compare_digits(entity == Entity::Phone, g, s, partial),
        (Value::Amount(g), Value::Amount(s)) => {
            if g == s {
                return Comparison::Same;
            }
            let (a, b) = (g.to_string(), s.to_string());
            // One digit off ($135 vs $136, $135 vs $1,350) in an amount of 100 or more.
            if (*g).max(*s) >= 10_000 && osa(a.as_bytes(), b.as_bytes()) <= 1 {
                Comparison::Near
            } else {
                Comparison::Different
            }
        }
        (Value::Date(g), Value::Date(s)) => {
            let years_agree = g.year.is_none() || s.year.is_none() || g.year == s.year;
            match (g.month == s.month, g.day == s.day) {
                (true, true) if years_agree => Comparison::Same,
                (true, true) => Comparison::Near,
                (true, false) | (false, true) if years_agree => Comparison::Near,
                _ => Comparison::Different,
            }
        }
        (Value::Text(g), Value::Text(s)) => {
            if g == s {
                return Comparison::Same;
            }
            let len = g.chars().count();
            let limit = if len <= 8 { 1 } else { 2 };
            let (a, b): (Vec<char>, Vec<char>) = (g.chars().collect(), s.chars().collect());
            if len >= 5 && osa(&a, &b) <= limit {
                Comparison::Near
            } else {
                Comparison::Different
            }
        }
        _ => Comparison::Different,
    }
}

fn compare_digits(phone: bool, given: &[Digit], said: &[Digit], partial: Option<usize>) -> Comparison {
    // Compared as they are: with every digit visible, `Some` digits compare as the digits do.
    let masked = |d: &[Digit]| d.iter().any(Option::is_none);
    if masked(given) || masked(said) {
        return compare_masked(given, said, partial);
    }
    let (g, s) = (given, said);
    if g == s {
        return Comparison::Same;
    }
    if phone {
        let (long, short) = if g.len() >= s.len() { (&g, &s) } else { (&s, &g) };
        // +86 138…, 0 20…: a country code or trunk prefix does not make a different number.
        if short.len() >= 7 && long.len() - short.len() <= 3 && long.ends_with(short) {
            return Comparison::Same;
        }
    }
    if let Some(n) = partial
        && s.len() >= n
        && s.len() < g.len()
        && g.ends_with(s)
    {
        return Comparison::Same;
    }
    let limit = if g.len() <= 7 { 1 } else { 2 };
    if s.len() + 2 >= g.len() && s.len() <= g.len() + 2 && osa(g, s) <= limit {
        return Comparison::Near;
    }
    if let Some(n) = partial
        && s.len() == n
        && g.len() > n
        && osa(&g[g.len() - n..], s) == 1
    {
        return Comparison::Near;
    }
    Comparison::Different
}

/// Compares digit strings where at least one is partly masked: only the visible leading and
/// trailing digits can be compared, and they must agree. A masked value is never "near".
fn compare_masked(given: &[Digit], said: &[Digit], partial: Option<usize>) -> Comparison {
    let edges = |d: &[Digit]| -> (Vec<u8>, Vec<u8>, bool) {
        let head: Vec<u8> = d.iter().map_while(|x| *x).collect();
        let mut tail: Vec<u8> = d.iter().rev().map_while(|x| *x).collect();
        tail.reverse();
        (head, tail, d.iter().any(Option::is_none))
    };
    let (gh, gt, _) = edges(given);
    let (sh, st, s_masked) = edges(said);
    let common_tail = gt.len().min(st.len());
    let tails_agree = gt[gt.len() - common_tail..] == st[st.len() - common_tail..];
    // An unmasked short restatement ("ending 1234") is compared by its end only.
    let suffix_only = !s_masked && partial.is_some_and(|n| said.len() >= n && said.len() < given.len());
    let common_head = if suffix_only { 0 } else { gh.len().min(sh.len()) };
    let heads_agree = gh[..common_head] == sh[..common_head];
    if tails_agree && heads_agree && common_head + common_tail >= 3 {
        Comparison::Same
    } else {
        Comparison::Different
    }
}

/// Optimal string alignment distance: edits and adjacent transpositions.
pub fn osa<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    // Runs for every value compared: the three rows it needs live on the stack when they fit.
    const ON_STACK: usize = 48;
    let width = b.len() + 1;
    if width <= ON_STACK {
        osa_in_rows(a, b, &mut [0; 3 * ON_STACK][..3 * width])
    } else {
        osa_in_rows(a, b, &mut vec![0; 3 * width])
    }
}

/// [`osa`] with three rows of `b.len() + 1` cells in `rows`: row `i` of the table is kept at
/// `i % 3`, since a transposition looks two rows back.
fn osa_in_rows<T: PartialEq>(a: &[T], b: &[T], rows: &mut [usize]) -> usize {
    let width = b.len() + 1;
    for (j, cell) in rows[..width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (current, previous, two_back) = ((i % 3) * width, ((i - 1) % 3) * width, ((i + 1) % 3) * width);
        rows[current] = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[previous + j] + 1)
                .min(rows[current + j - 1] + 1)
                .min(rows[previous + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[two_back + j - 2] + 1);
            }
            rows[current + j] = best;
        }
    }
    rows[(a.len() % 3) * width + width - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, as [`osa`] was first written: the reference for the three-row form.
    fn osa_full_table(a: &[u8], b: &[u8]) -> usize {
        let (n, m) = (a.len(), b.len());
        let mut d = vec![vec![0usize; m + 1]; n + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=n {
            for j in 1..=m {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        d[n][m]
    }

    #[test]
    fn osa_counts_edits_and_transpositions() {
        assert_eq!(osa(b"13800138000", b"13800138000"), 0);
        assert_eq!(osa(b"13800138000", b"13800138001"), 1);
        assert_eq!(osa(b"1234", b"1324"), 1);
        assert_eq!(osa(b"", b"123"), 3);
        assert_eq!(osa(b"123", b""), 3);
    }

    proptest::proptest! {
        /// Short values (rows on the stack) and long ones (on the heap) alike.
        #[test]
        fn three_rows_give_the_full_tables_distance(
            a in proptest::collection::vec(0u8..4, 0..60),
            b in proptest::collection::vec(0u8..4, 0..60),
        ) {
            proptest::prop_assert_eq!(osa(&a, &b), osa_full_table(&a, &b));
        }
    }
}
