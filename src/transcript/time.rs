//! Call-relative times: parsing `hh:mm:ss(.mmm)` / `mm:ss(.mmm)` and formatting them back, and
//! ISO 8601 timestamps (`2022-10-27T03:31:50.735Z`) for exports that give wall-clock times.

use crate::problem::Problem;
use std::fmt;

/// Milliseconds since the start of the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(pub u64);

impl Millis {
    /// Builds a time from (possibly fractional) seconds; `None` when negative or not finite.
    pub fn from_secs_f64(secs: f64) -> Option<Millis> {
        (0.0..1e12)
            .contains(&secs)
            .then(|| Millis((secs * 1000.0).round() as u64))
    }

    /// Whole seconds as a float, for rates and comparisons with rule bounds.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl fmt::Display for Millis {
    /// `hh:mm:ss`, with `.mmm` only when the time has a fraction.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total_secs = self.0 / 1000;
        let (h, m, s) = (total_secs / 3600, (total_secs / 60) % 60, total_secs % 60);
        write!(f, "{h:02}:{m:02}:{s:02}")?;
        let ms = self.0 % 1000;
        if ms != 0 {
            write!(f, ".{ms:03}")?;
        }
        Ok(())
    }
}

/// Parses `hh:mm:ss`, `mm:ss` or `h:m:s`, each optionally followed by `.f`, `.ff` or `.fff`
/// (or `,fff`). Minutes and seconds must be below 60 when an hour field is present.
pub fn parse_clock(text: &str) -> Result<Millis, Problem> {
    // This runs once or twice per timestamped line: valid times take a byte loop, and anything
    // else the general parser, which also words the errors.
    match clock_fast(text) {
        Some(millis) => Ok(millis),
        None => parse_clock_general(text),
    }
}

/// A valid clock in the plainest spelling (ASCII digits, `:`, one `.` or `,`, ASCII whitespace
/// around it); `None` for anything else, valid or not. When `Some`, it is what
/// [`parse_clock_general`] returns.
fn clock_fast(text: &str) -> Option<Millis> {
    let mut bytes = text.as_bytes();
    // The whitespace `str::trim` removes, restricted to ASCII: a clock starts and ends with
    // non-whitespace, so stopping at the first other byte trims the same.
    let space = |b: &u8| b.is_ascii() && char::from(*b).is_whitespace();
    while let [first, rest @ ..] = bytes
        && space(first)
    {
        bytes = rest;
    }
    while let [rest @ .., last] = bytes
        && space(last)
    {
        bytes = rest;
    }
    // `hh:mm:ss`, by far the commonest, without the loop.
    if let &[h1, h2, b':', m1, m2, b':', s1, s2] = bytes
        && [h1, h2, m1, m2, s1, s2].iter().all(u8::is_ascii_digit)
    {
        let two = |a: u8, b: u8| u64::from(a - b'0') * 10 + u64::from(b - b'0');
        let (h, m, s) = (two(h1, h2), two(m1, m2), two(s1, s2));
        return (m < 60 && s < 60).then_some(Millis(((h * 60 + m) * 60 + s) * 1000));
    }
    let mut fields = [0u64; 3];
    let mut count = 0;
    let (mut value, mut digits) = (0u64, 0usize);
    let mut fraction = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' if digits < 6 => {
                value = value * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b':' if digits > 0 && count < 2 => {
                fields[count] = value;
                count += 1;
                (value, digits) = (0, 0);
            }
            b'.' | b',' => {
                fraction = Some(&bytes[i + 1..]);
                break;
            }
            _ => return None,
        }
    }
    if digits == 0 || count == 0 {
        return None;
    }
    fields[count] = value;
    let (h, m, s) = match count {
        2 => (fields[0], fields[1], fields[2]),
        _ => (0, fields[0], fields[1]),
    };
    if s >= 60 || (count == 2 && m >= 60) {
        return None;
    }
    let ms = match fraction {
        None => 0,
        Some(f) if (1..=3).contains(&f.len()) && f.iter().all(u8::is_ascii_digit) => {
            let n = f.iter().fold(0, |n, b| n * 10 + u64::from(b - b'0'));
            n * 10u64.pow(3 - f.len() as u32)
        }
        Some(_) => return None,
    };
    Some(Millis(((h * 60 + m) * 60 + s) * 1000 + ms))
}

/// [`parse_clock`] for any input, with the error messages.
fn parse_clock_general(text: &str) -> Result<Millis, Problem> {
    let text = text.trim();
    let (clock, fraction) = match text.find(['.', ',']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let not_a_time = || format!("`{text}` is not a time: expected hh:mm:ss or mm:ss");
    // Parsed without allocating: this runs once per timestamped line.
    let mut fields = [0u64; 3];
    let mut count = 0;
    for field in clock.split(':') {
        if count == 3 || field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_a_time().into());
        }
        // Six digits of hours is over a century: more is an overflow, not a call.
        if field.len() > 6 {
            return Err(format!("`{text}` is not a valid time: `{field}` is out of range").into());
        }
        fields[count] = field.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0'));
        count += 1;
    }
    let (h, m, s) = match count {
        3 => (fields[0], fields[1], fields[2]),
        2 => (0, fields[0], fields[1]),
        _ => return Err(not_a_time().into()),
    };
    if s >= 60 || (count == 3 && m >= 60) {
        return Err(format!("`{text}` is not a valid time: minutes and seconds must be below 60").into());
    }
    let ms = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 3 && f.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = f.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0'));
            digits * 10u64.pow(3 - f.len() as u32)
        }
        Some(_) => {
            return Err(format!("`{text}` is not a valid time: the fraction must be 1 to 3 digits").into());
        }
    };
    Ok(Millis(((h * 60 + m) * 60 + s) * 1000 + ms))
}

/// Parses an ISO 8601 / RFC 3339 timestamp (`2022-10-27T03:31:50.735Z`, `…+08:00`, a space
/// instead of `T`, any number of fraction digits) into milliseconds since the Unix epoch.
pub fn parse_timestamp(text: &str) -> Result<i64, Problem> {
    let bad = || format!("`{text}` is not a timestamp: expected yyyy-mm-ddThh:mm:ss(.fff)(Z|±hh:mm)");
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return Err(bad().into());
    }
    let num = |range: std::ops::Range<usize>| -> Result<i64, String> {
        let s = t.get(range).ok_or_else(bad)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse::<i64>().map_err(|_| bad())
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return Err(format!("`{text}` is not a valid timestamp: a field is out of range").into());
    }
    let mut rest = &t[19..];
    let mut millis = 0i64;
    if let Some(fraction) = rest.strip_prefix(['.', ',']) {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad().into());
        }
        let first3: String = fraction[..digits].chars().chain("00".chars()).take(3).collect();
        millis = first3.parse::<i64>().map_err(|_| bad())?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(bad().into()),
            };
            let zone = rest[1..].replace(':', "");
            if zone.len() != 4 || !zone.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad().into());
            }
            let hours = zone[..2].parse::<i64>().map_err(|_| bad())?;
            let minutes = zone[2..].parse::<i64>().map_err(|_| bad())?;
            sign * (hours * 60 + minutes)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Ok(secs * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_clock_form() {
        assert_eq!(parse_clock("00:00:02"), Ok(Millis(2_000)));
        assert_eq!(parse_clock("01:02:03"), Ok(Millis(3_723_000)));
        assert_eq!(parse_clock("02:03"), Ok(Millis(123_000)));
        assert_eq!(parse_clock("00:00:02.5"), Ok(Millis(2_500)));
        assert_eq!(parse_clock("00:00:02.25"), Ok(Millis(2_250)));
        assert_eq!(parse_clock("00:02.125"), Ok(Millis(2_125)));
        assert_eq!(parse_clock("00:00:02,125"), Ok(Millis(2_125)));
        assert_eq!(parse_clock("0:0:5"), Ok(Millis(5_000)));
        assert_eq!(parse_clock("75:10"), Ok(Millis(4_510_000)));
    }

    #[test]
    fn rejects_bad_clocks() {
        assert!(parse_clock("00:61").unwrap_err().message().contains("below 60"));
        assert!(
            parse_clock("00:61:00")
                .unwrap_err()
                .message()
                .contains("below 60")
        );
        assert!(parse_clock("12").is_err());
        assert!(parse_clock("aa:bb").is_err());
        assert!(
            parse_clock("00:00:01.1234")
                .unwrap_err()
                .message()
                .contains("fraction")
        );
        assert!(parse_clock("1:2:3:4").is_err());
    }

    proptest::proptest! {
        #[test]
        fn the_fast_clock_parser_agrees_with_the_general_one(
            text in "[ \t]?[0-9]{0,7}([:.,][0-9]{0,7}){0,4}[ \t]?|[0-9:.,\\- a\u{3000}]{0,12}|\\PC{0,12}"
        ) {
            if let Some(millis) = clock_fast(&text) {
                proptest::prop_assert_eq!(parse_clock_general(&text), Ok(millis));
            }
            proptest::prop_assert_eq!(parse_clock(&text), parse_clock_general(&text));
        }
    }

    #[test]
    fn the_fast_clock_parser_takes_the_common_spellings() {
        for (text, ms) in [
            ("00:00:02", 2_000),
            (" 01:02:03.25 ", 3_723_250),
            ("75:10", 4_510_000),
            ("0:0:5,1", 5_100),
            ("999999:59:59.999", 3_599_999_999_999),
            ("12:34:56", 45_296_000),
            ("99:59:59", 359_999_000),
        ] {
            assert_eq!(clock_fast(text), Some(Millis(ms)), "{text}");
        }
        for text in [
            "",
            "12",
            "1:2:3:4",
            "00:60",
            "00:60:00",
            "1234567:00",
            "00:00.",
            "00:00.1234",
            ":00",
            "00::00",
            "00:00:",
            "\u{3000}00:01",
            "00:01 x",
            "00:60:00",
            "00:00:60",
            "0a:00:00",
        ] {
            assert_eq!(clock_fast(text), None, "{text}");
        }
    }

    #[test]
    fn formats_round_trip() {
        assert_eq!(Millis(41_000).to_string(), "00:00:41");
        assert_eq!(Millis(3_723_250).to_string(), "01:02:03.250");
        assert_eq!(parse_clock(&Millis(3_723_250).to_string()), Ok(Millis(3_723_250)));
    }

    #[test]
    fn from_seconds() {
        assert_eq!(Millis::from_secs_f64(1.5), Some(Millis(1_500)));
        assert_eq!(Millis::from_secs_f64(-1.0), None);
        assert_eq!(Millis::from_secs_f64(f64::NAN), None);
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_timestamp("2022-10-27T03:31:50.735Z"), Ok(1_666_841_510_735));
        assert_eq!(
            parse_timestamp("2022-10-27 11:31:50.7351+08:00"),
            Ok(1_666_841_510_735)
        );
        assert_eq!(
            parse_timestamp("2023-03-08T08:22:30.0461639+00:00"),
            Ok(1_678_263_750_046)
        );
        assert!(
            parse_timestamp("27/10/2022 03:31")
                .unwrap_err()
                .message()
                .contains("not a timestamp")
        );
        assert!(
            parse_timestamp("2022-13-27T03:31:50Z")
                .unwrap_err()
                .message()
                .contains("out of range")
        );
        assert!(parse_timestamp("2022-10-27T03:31:50+8").is_err());
    }
}
