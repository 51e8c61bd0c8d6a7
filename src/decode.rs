//! Bytes → text: byte-order marks, UTF-8, UTF-16, and the Chinese legacy encodings (GB18030/GBK,
//! Big5) that contact-centre platforms in China and Taiwan still export.
//!
//! Detection order: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE); valid UTF-8; then a guess by
//! `chardetng`, accepted only when it is GB18030/GBK or Big5 and the whole file decodes in it
//! without a single replacement character. Any other guess is reported with a hint to pass
//! `--encoding`, because every byte sequence "decodes" as windows-1252 and silently garbled text
//! is worse than an error. A forced encoding (`--encoding`) must also decode the file cleanly;
//! every failure names the line, column and byte of the first bad sequence.

use std::borrow::Cow;

use crate::problem::Problem;
use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

/// Decoded text and the encoding it was read as.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, without a byte-order mark.
    pub text: Cow<'a, str>,
    /// The encoding's name: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `GB18030`, `Big5`, or the name of a
    /// forced encoding.
    pub encoding: &'static str,
}

/// How many leading bytes are inspected for NUL bytes (binary files).
const SNIFF_LEN: usize = 8 * 1024;

/// Decodes a file's bytes, detecting the encoding; errors say what the file seems to be and
/// where decoding failed.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, Problem> {
    decode_as(bytes, None)
}

/// Decodes a file's bytes in `forced` when given (a matching byte-order mark is skipped),
/// otherwise detects the encoding as [`decode`] does.
pub fn decode_as<'a>(bytes: &'a [u8], forced: Option<&'static Encoding>) -> Result<Decoded<'a>, Problem> {
    if let Some(encoding) = forced {
        return decode_forced(bytes, encoding);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, UTF_16LE);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, UTF_16BE);
    }
    // `memchr` scans a whole file for NUL many times faster than a byte loop.
    if let Some(nul) = memchr::memchr(0, bytes) {
        let line = bytes[..nul].iter().filter(|&&b| b == b'\n').count() + 1;
        // Early NUL bytes mean a binary file or UTF-16; a late one, a damaged text file.
        let what = if nul < SNIFF_LEN {
            "binary file (it contains NUL bytes): not a transcript; if it is UTF-16 without a \
             byte-order mark, pass --encoding UTF-16LE or UTF-16BE"
        } else {
            "the text file is damaged: it contains NUL bytes"
        };
        return Err(format!("line {line}: a NUL byte (byte {nul}): {what}").into());
    }
    let utf8_error = match from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text: Cow::Borrowed(text),
                encoding: "UTF-8",
            });
        }
        Err(e) => utf8_location(bytes, &e),
    };
    // Chinese UTF-8 text also "decodes" as GB18030 or Big5, into garbage: say what happened.
    if let Some(line) = utf8_line(bytes) {
        return Err(format!(
            "{utf8_error}, but line {line} is UTF-8: the file mixes encodings; save the whole file \
             in one encoding (UTF-8)"
        )
        .into());
    }
    let guess = guess(bytes);
    let (encoding, name) = match guess {
        g if g == GBK || g == GB18030 => (GB18030, "GB18030"),
        g if g == BIG5 => (BIG5, "Big5"),
        other => {
            if let Some(damaged) = damaged_cjk(bytes) {
                return Err(damaged.into());
            }
            return Err(format!(
                "{utf8_error}; it may be {}: pass --encoding {}, or save the file as UTF-8",
                other.name(),
                other.name()
            )
            .into());
        }
    };
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded { text, encoding: name }),
        None => Err(format!(
            "{}; the file looks like {name} but is not valid {name} either: it may mix encodings; \
             pass --encoding NAME, or save it as UTF-8",
            malformed(bytes, encoding, name)
        )
        .into()),
    }
}

/// The first line (1-based) that is valid UTF-8 holding at least three Chinese characters, in a
/// file that as a whole is not UTF-8. A line of GB18030 or Big5 text almost never is (each of
/// its characters would have to be bytes that also form a three-byte UTF-8 sequence in the CJK
/// block, and full-width punctuation never does), so such a line means UTF-8 text was appended
/// to a legacy-encoded file, or the other way round.
fn utf8_line(bytes: &[u8]) -> Option<usize> {
    const MIN_HAN: usize = 3;
    let is_han = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
    bytes
        .split(|&b| b == b'\n')
        .position(|line| {
            std::str::from_utf8(line).is_ok_and(|text| text.chars().filter(is_han).nth(MIN_HAN - 1).is_some())
        })
        .map(|index| index + 1)
}

/// The encoding for an `--encoding` value (any WHATWG label: `gbk`, `gb18030`, `big5`,
/// `utf-16le`, `shift_jis`, `windows-1252`, …).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, Problem> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Problem::new(format!(
            "--encoding {label}: unknown encoding; expected a name such as UTF-8, UTF-16LE, \
             UTF-16BE, GB18030, GBK, Big5, Shift_JIS or windows-1252"
        ))
    })
}

/// chardetng's guess over the whole file (UTF-8 already ruled out).
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

fn decode_forced<'a>(bytes: &'a [u8], encoding: &'static Encoding) -> Result<Decoded<'a>, Problem> {
    // A byte-order mark that agrees with the forced encoding is not text.
    let bytes = match Encoding::for_bom(bytes) {
        Some((bom_encoding, len)) if bom_encoding == encoding => &bytes[len..],
        _ => bytes,
    };
    let name = encoding.name();
    if encoding == UTF_8 {
        return utf8(bytes);
    }
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded { text, encoding: name }),
        None => Err(format!(
            "{} (--encoding {name}); check the encoding, or save the file as UTF-8",
            malformed(bytes, encoding, name)
        )
        .into()),
    }
}

fn utf8(bytes: &[u8]) -> Result<Decoded<'_>, Problem> {
    match from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: "UTF-8",
        }),
        Err(e) => Err(format!("{}; save the file as UTF-8", utf8_location(bytes, &e)).into()),
    }
}

/// `str::from_utf8`, with valid text (most files) checked by a SIMD validator at a fraction of
/// the cost; the standard one then only locates the error.
fn from_utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

/// "line L: not valid UTF-8 at column C (byte B)".
fn utf8_location(bytes: &[u8], e: &std::str::Utf8Error) -> String {
    let valid = &bytes[..e.valid_up_to()];
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
    format!(
        "line {line}: not valid UTF-8 at column {column} (byte {})",
        e.valid_up_to()
    )
}

fn utf16(bytes: &[u8], encoding: &'static Encoding) -> Result<Decoded<'static>, Problem> {
    let name = encoding.name();
    if bytes.len() % 2 != 0 {
        return Err(format!("truncated {name} file: odd number of bytes").into());
    }
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded {
            text: Cow::Owned(text.into_owned()),
            encoding: name,
        }),
        None => Err(format!("{}: an unpaired surrogate", malformed(bytes, encoding, name)).into()),
    }
}

/// A file that reads as GB18030 or Big5 up to a bad sequence: one damaged byte makes chardetng
/// rule the encoding out, so the text before the damage is judged on its own.
fn damaged_cjk(bytes: &[u8]) -> Option<String> {
    for (encoding, name) in [(GB18030, "GB18030"), (BIG5, "Big5")] {
        let (_, byte) = first_malformed(bytes, encoding);
        let prefix = &bytes[..byte.min(bytes.len())];
        let matches = |g: &'static Encoding| g == encoding || (encoding == GB18030 && g == GBK);
        if !prefix.is_ascii() && matches(guess(prefix)) {
            return Some(format!(
                "{}; the text before it reads as {name}, so the file may be damaged or mix encodings; \
                 pass --encoding NAME, or save it as UTF-8",
                malformed(bytes, encoding, name)
            ));
        }
    }
    None
}

/// The text decoded before the first malformed sequence, and that sequence's byte offset
/// (the input length when there is none).
fn first_malformed(bytes: &[u8], encoding: &'static Encoding) -> (String, usize) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    let byte = match result {
        DecoderResult::Malformed(bad, after) => read.saturating_sub(usize::from(bad) + usize::from(after)),
        DecoderResult::InputEmpty | DecoderResult::OutputFull => read,
    };
    (text, byte)
}

/// "line L: not valid NAME at column C (byte B)" for the first malformed sequence.
fn malformed(bytes: &[u8], encoding: &'static Encoding, name: &str) -> String {
    let (text, byte) = first_malformed(bytes, encoding);
    let line = text.matches('\n').count() + 1;
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..].chars().count() + 1;
    format!("line {line}: not valid {name} at column {column} (byte {byte})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "test text must be encodable");
        bytes.into_owned()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("您好".as_bytes()).unwrap().text, "您好");
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice("您好".as_bytes());
        let d = decode(&with_bom).unwrap();
        assert_eq!(d.text, "您好");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn from_utf8_agrees_with_the_standard_library() {
        let mut long = "客服：您好，Agent: hello. ".repeat(20).into_bytes();
        let mut cases = vec![
            long.clone(),
            b"".to_vec(),
            b"\xE9".to_vec(),
            b"ab\xF0\x9F".to_vec(),
        ];
        for at in [0, 1, 63, 64, 200, long.len() - 1] {
            let mut bad = long.clone();
            bad[at] = 0xFF;
            cases.push(bad);
        }
        long.extend_from_slice(b"\xE5\xAE");
        cases.push(long);
        for bytes in &cases {
            assert_eq!(from_utf8(bytes), std::str::from_utf8(bytes), "{bytes:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn from_utf8_agrees_on_damaged_text(text in "\\PC{0,100}", at: usize, byte: u8) {
            let mut bytes = text.into_bytes();
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = byte;
            }
            proptest::prop_assert_eq!(from_utf8(&bytes), std::str::from_utf8(&bytes));
        }
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for unit in "Agent: 您好".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(&le).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("Agent: 您好", "UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        for unit in "hi".encode_utf16() {
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
        assert_eq!(decode(&be).unwrap().text, "hi");
        assert!(
            decode(&[0xFF, 0xFE, 0x41])
                .unwrap_err()
                .message()
                .contains("odd number")
        );
        // A lone high surrogate (0xD800) followed by "A".
        let e = decode(&[0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00]).unwrap_err();
        assert_eq!(
            e.message(),
            "line 1: not valid UTF-16LE at column 2 (byte 2): an unpaired surrogate"
        );
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let e = decode(b"Agent: hi\nAgent: caf\xE9\n").unwrap_err();
        assert!(
            e.message()
                .starts_with("line 2: not valid UTF-8 at column 11 (byte 20); it may be windows-1252"),
            "{e}"
        );
        assert!(e.message().contains("pass --encoding windows-1252"), "{e}");
    }

    #[test]
    fn binary_files_are_rejected() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0").unwrap_err().message(),
            "line 3: a NUL byte (byte 8): binary file (it contains NUL bytes): not a transcript; if \
             it is UTF-16 without a byte-order mark, pass --encoding UTF-16LE or UTF-16BE"
        );
        // A NUL far into a text file is damage, wherever it is.
        let mut text = "Agent: hi\n".repeat(1_000).into_bytes();
        text.extend_from_slice(b"Agent: h\0i\n");
        let e = decode(&text).unwrap_err();
        assert!(
            e.message()
                .starts_with("line 1001: a NUL byte (byte 10008): the text file is damaged"),
            "{e}"
        );
    }

    #[test]
    fn utf8_lines_in_a_gb18030_file_are_mixed_encodings() {
        let mut mixed = encode(SIMPLIFIED, GB18030);
        mixed.extend_from_slice("客服：感谢您的来电，再见。\n".as_bytes());
        let e = decode(&mixed).unwrap_err();
        assert_eq!(
            e.message(),
            "line 1: not valid UTF-8 at column 1 (byte 0), but line 3 is UTF-8: the file mixes \
             encodings; save the whole file in one encoding (UTF-8)"
        );
        // The other way round: UTF-8 first, then GB18030 lines.
        let mut mixed = "客服：您好，这里是顺达快递。\n".as_bytes().to_vec();
        mixed.extend_from_slice(&encode(SIMPLIFIED, GB18030));
        let e = decode(&mixed).unwrap_err();
        assert!(
            e.message().starts_with("line 2: not valid UTF-8 at column 1"),
            "{e}"
        );
        assert!(
            e.message().ends_with(
                "but line 1 is UTF-8: the file mixes encodings; save the whole file in one encoding (UTF-8)"
            ),
            "{e}"
        );
        // Genuine GB18030 and Big5 files are not mistaken for mixed ones.
        assert!(decode(&encode(&SIMPLIFIED.repeat(50), GB18030)).is_ok());
        assert!(decode(&encode(&TRADITIONAL.repeat(50), BIG5)).is_ok());
    }

    const SIMPLIFIED: &str = "客服：您好，这里是顺达快递客服中心，请问有什么可以帮您？\n\
                              客户：你好，我的快递三天了还没到，能帮我查一下吗？\n";
    const TRADITIONAL: &str = "話務員：您好，這裡是安信銀行，請問有什麼可以幫您？\n\
                               來電人：我的信用卡被鎖住了，想請你們幫忙解鎖。\n";

    #[test]
    fn gb18030_and_big5_are_detected() {
        let gb = encode(SIMPLIFIED, GB18030);
        let d = decode(&gb).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), (SIMPLIFIED, "GB18030"));
        let big5 = encode(TRADITIONAL, BIG5);
        let d = decode(&big5).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), (TRADITIONAL, "Big5"));
    }

    #[test]
    fn a_damaged_gb18030_file_is_an_error_not_garbled_text() {
        let mut gb = encode(SIMPLIFIED, GB18030);
        // Cut the second line's last character in half: a lead byte followed by a newline.
        let second_line = gb.iter().position(|&b| b == b'\n').unwrap() + 1;
        gb.insert(second_line + 4, 0x81);
        gb.insert(second_line + 5, b'\n');
        let e = decode(&gb).unwrap_err();
        assert!(
            e.message()
                .starts_with("line 2: not valid GB18030 at column 3 (byte "),
            "{e}"
        );
        assert!(
            e.message()
                .contains("the text before it reads as GB18030, so the file may be damaged"),
            "{e}"
        );
    }

    #[test]
    fn forced_encodings_decode_or_fail_with_a_location() {
        let big5 = encode(TRADITIONAL, BIG5);
        let d = decode_as(&big5, Some(BIG5)).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), (TRADITIONAL, "Big5"));
        let gb = encode(SIMPLIFIED, GB18030);
        assert_eq!(decode_as(&gb, Some(GBK)).unwrap().encoding, "GBK");
        // GB18030 bytes read as UTF-8 fail at the first Chinese character.
        let e = decode_as(&gb, Some(UTF_8)).unwrap_err();
        assert!(
            e.message()
                .starts_with("line 1: not valid UTF-8 at column 1 (byte 0)"),
            "{e}"
        );
        // A forced UTF-16 skips its own byte-order mark.
        let mut le = vec![0xFF, 0xFE];
        for unit in "hi".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_as(&le, Some(UTF_16LE)).unwrap().text, "hi");
        let e = decode_as(b"ok\n\x81\n", Some(encoding_rs::SHIFT_JIS)).unwrap_err();
        assert_eq!(
            e.message(),
            "line 2: not valid Shift_JIS at column 1 (byte 3) (--encoding Shift_JIS); check the \
             encoding, or save the file as UTF-8"
        );
    }

    #[test]
    fn encoding_labels() {
        assert_eq!(encoding_for_label("gbk").unwrap(), GBK);
        assert_eq!(encoding_for_label("Big5").unwrap(), BIG5);
        assert_eq!(encoding_for_label("utf-16le").unwrap(), UTF_16LE);
        assert!(
            encoding_for_label("klingon")
                .unwrap_err()
                .message()
                .contains("unknown encoding")
        );
    }
}
