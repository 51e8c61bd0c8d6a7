//! Call-relative times: parsing `hh:mm:ss(.mmm)` / `mm:ss(.mmm)` and formatting them back.

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
pub fn parse_clock(text: &str) -> Result<Millis, String> {
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
        if count == 3 || field.is_empty() || field.len() > 6 || !field.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_a_time());
        }
        fields[count] = field.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0'));
        count += 1;
    }
    let (h, m, s) = match count {
        3 => (fields[0], fields[1], fields[2]),
        2 => (0, fields[0], fields[1]),
        _ => return Err(not_a_time()),
    };
    if s >= 60 || (count == 3 && m >= 60) {
        return Err(format!(
            "`{text}` is not a valid time: minutes and seconds must be below 60"
        ));
    }
    let ms = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 3 && f.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = f.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0'));
            digits * 10u64.pow(3 - f.len() as u32)
        }
        Some(_) => {
            return Err(format!(
                "`{text}` is not a valid time: the fraction must be 1 to 3 digits"
            ));
        }
    };
    Ok(Millis(((h * 60 + m) * 60 + s) * 1000 + ms))
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
        assert!(parse_clock("00:61").unwrap_err().contains("below 60"));
        assert!(parse_clock("00:61:00").unwrap_err().contains("below 60"));
        assert!(parse_clock("12").is_err());
        assert!(parse_clock("aa:bb").is_err());
        assert!(parse_clock("00:00:01.1234").unwrap_err().contains("fraction"));
        assert!(parse_clock("1:2:3:4").is_err());
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
}
