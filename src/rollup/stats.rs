//! Counters that summarise many calls in constant memory: score statistics kept as a histogram
//! of scores in tenths of a point (so the median is exact to one decimal), per-rule tallies, and
//! the N worst calls.

use std::collections::BTreeMap;

use crate::score::round1;

/// Score statistics over a set of calls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScoreStats {
    /// Calls checked.
    pub calls: u64,
    /// Calls with a score.
    pub scored: u64,
    /// Scored calls at or above their pass mark.
    pub passed: u64,
    /// Scored calls with an auto-fail finding.
    pub auto_failed: u64,
    /// Findings in all calls.
    pub findings: u64,
    /// Calls with at least one finding.
    pub with_findings: u64,
    tenths: u64,
    histogram: BTreeMap<u16, u64>,
}

impl ScoreStats {
    /// Adds one call: its score in tenths (if scored), pass, auto-fail and finding count.
    pub fn add(&mut self, score: Option<(u16, bool, bool)>, findings: usize) {
        self.calls += 1;
        self.findings += findings as u64;
        self.with_findings += u64::from(findings > 0);
        if let Some((tenths, passed, auto_failed)) = score {
            self.scored += 1;
            self.passed += u64::from(passed);
            self.auto_failed += u64::from(auto_failed);
            self.tenths += u64::from(tenths);
            *self.histogram.entry(tenths).or_default() += 1;
        }
    }

    /// Mean score, one decimal.
    pub fn mean(&self) -> Option<f64> {
        (self.scored > 0).then(|| round1(self.tenths as f64 / 10.0 / self.scored as f64))
    }

    /// Median score, one decimal (the mean of the two middle scores for an even count).
    pub fn median(&self) -> Option<f64> {
        if self.scored == 0 {
            return None;
        }
        let low = self.nth((self.scored - 1) / 2);
        let high = self.nth(self.scored / 2);
        Some(round1((f64::from(low) + f64::from(high)) / 20.0))
    }

    /// The n-th smallest score (0-based), in tenths.
    fn nth(&self, n: u64) -> u16 {
        let mut seen = 0;
        for (&tenths, &count) in &self.histogram {
            seen += count;
            if seen > n {
                return tenths;
            }
        }
        0
    }

    /// Share of scored calls that passed, in percent, one decimal.
    pub fn pass_rate(&self) -> Option<f64> {
        (self.scored > 0).then(|| percent(self.passed, self.scored))
    }

    /// Calls per score band: `[0, 10)`, `[10, 20)`, … `[90, 100]`.
    pub fn distribution(&self) -> [u64; 10] {
        let mut bands = [0; 10];
        for (&tenths, &count) in &self.histogram {
            bands[usize::from(tenths / 100).min(9)] += count;
        }
        bands
    }
}

/// `part` of `whole` in percent, one decimal (0 when `whole` is 0).
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round1(100.0 * part as f64 / whole as f64)
    }
}

/// How one rule fared over a set of calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleTally {
    /// Calls the rule applied to.
    pub applicable: u32,
    /// Calls with at least one finding of the rule.
    pub broken: u32,
    /// Its findings.
    pub findings: u32,
    /// Points it cost, in tenths of a point, summed over the calls.
    pub lost: u64,
}

impl RuleTally {
    /// Adds another tally.
    pub fn add(&mut self, other: RuleTally) {
        self.applicable += other.applicable;
        self.broken += other.broken;
        self.findings += other.findings;
        self.lost += other.lost;
    }

    /// Points it cost over the calls, one decimal.
    pub fn points(&self) -> f64 {
        self.lost as f64 / 10.0
    }

    /// Share of the calls it applied to that broke it, in percent.
    pub fn rate(&self) -> f64 {
        percent(u64::from(self.broken), u64::from(self.applicable))
    }
}

/// The `limit` worst items seen, worst first, by a sort key where smaller is worse.
#[derive(Clone, Debug)]
pub struct Worst<K: Ord, T> {
    limit: usize,
    items: Vec<(K, T)>,
}

impl<K: Ord, T> Worst<K, T> {
    /// Keeps at most `limit` items.
    pub fn new(limit: usize) -> Self {
        Worst {
            limit,
            items: Vec::new(),
        }
    }

    /// True when an item with this key would be kept.
    pub fn admits(&self, key: &K) -> bool {
        self.limit > 0 && (self.items.len() < self.limit || self.items.last().is_some_and(|(k, _)| key < k))
    }

    /// Offers an item; `make` builds it only when it is kept.
    pub fn offer(&mut self, key: K, make: impl FnOnce() -> T) {
        if !self.admits(&key) {
            return;
        }
        let at = self.items.partition_point(|(k, _)| *k <= key);
        self.items.insert(at, (key, make()));
        self.items.truncate(self.limit);
    }

    /// The items, worst first.
    pub fn into_items(self) -> Vec<T> {
        self.items.into_iter().map(|(_, t)| t).collect()
    }
}

/// A date as `YYYY-MM-DD` when it starts with one (`2026-11-22T10:00Z`, `2026/11/22`,
/// `20261122`); otherwise the value as it is.
pub fn normalize_date(value: &str) -> String {
    let value = value.trim();
    let digits: Vec<char> = value.chars().take(10).collect();
    let is_digits = |range: std::ops::Range<usize>| {
        digits
            .get(range)
            .is_some_and(|d| d.iter().all(char::is_ascii_digit))
    };
    let joined = |y: &[char], m: &[char], d: &[char]| {
        format!(
            "{}-{}-{}",
            y.iter().collect::<String>(),
            m.iter().collect::<String>(),
            d.iter().collect::<String>()
        )
    };
    if digits.len() >= 10
        && is_digits(0..4)
        && is_digits(5..7)
        && is_digits(8..10)
        && ['-', '/', '.'].contains(&digits[4])
        && digits[4] == digits[7]
    {
        return joined(&digits[0..4], &digits[5..7], &digits[8..10]);
    }
    if digits.len() >= 8 && is_digits(0..8) && !digits.get(8).is_some_and(char::is_ascii_digit) {
        let (m, d) = (&digits[4..6], &digits[6..8]);
        let month: u32 = m.iter().collect::<String>().parse().unwrap_or(0);
        let day: u32 = d.iter().collect::<String>().parse().unwrap_or(0);
        if (1..=12).contains(&month) && (1..=31).contains(&day) {
            return joined(&digits[0..4], m, d);
        }
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(scores: &[u16]) -> ScoreStats {
        let mut s = ScoreStats::default();
        for &t in scores {
            s.add(Some((t, t >= 800, t == 0)), usize::from(t < 1000));
        }
        s
    }

    #[test]
    fn mean_median_and_pass_rate() {
        let s = stats(&[1000, 500, 800, 333]);
        assert_eq!(s.mean(), Some(65.8)); // 263.3 / 4 = 65.825
        assert_eq!(s.median(), Some(65.0)); // (50.0 + 80.0) / 2
        assert_eq!(s.pass_rate(), Some(50.0));
        let odd = stats(&[1000, 0, 805]);
        assert_eq!(odd.median(), Some(80.5));
        assert_eq!((odd.auto_failed, odd.with_findings, odd.findings), (1, 2, 2));
        assert_eq!(ScoreStats::default().median(), None);
        // Unscored calls count as calls, not in the statistics.
        let mut s = stats(&[900]);
        s.add(None, 3);
        assert_eq!((s.calls, s.scored, s.findings, s.mean()), (2, 1, 4, Some(90.0)));
    }

    #[test]
    fn distribution_bands_include_100_in_the_last() {
        let s = stats(&[0, 99, 100, 999, 1000, 550]);
        assert_eq!(s.distribution(), [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    }

    #[test]
    fn worst_keeps_the_lowest_keys_in_order() {
        let mut w = Worst::new(3);
        let mut built = 0;
        for (key, name) in [(5, "e"), (1, "a"), (9, "z"), (3, "c"), (1, "b"), (7, "g")] {
            w.offer(key, || {
                built += 1;
                name
            });
        }
        assert_eq!(w.into_items(), ["a", "b", "c"]);
        assert_eq!(built, 5, "9 and 7 came when three better ones were kept");
        let mut none: Worst<u8, u8> = Worst::new(0);
        none.offer(1, || 1);
        assert!(none.into_items().is_empty());
    }

    #[test]
    fn rule_rates() {
        let t = RuleTally {
            applicable: 3,
            broken: 1,
            findings: 4,
            lost: 333,
        };
        assert_eq!(t.points(), 33.3);
        assert_eq!(t.rate(), 33.3);
        assert_eq!(RuleTally::default().rate(), 0.0);
    }

    #[test]
    fn dates_are_normalised() {
        assert_eq!(normalize_date("2026-11-20T02:15:09Z"), "2026-11-20");
        assert_eq!(normalize_date("2026/11/22"), "2026-11-22");
        assert_eq!(normalize_date("20261122"), "2026-11-22");
        assert_eq!(normalize_date("20261122-0001"), "2026-11-22");
        assert_eq!(normalize_date("2026-11"), "2026-11");
        assert_eq!(normalize_date("1699999999"), "1699999999");
        assert_eq!(normalize_date(" Monday "), "Monday");
    }
}
