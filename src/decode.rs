//! Bytes → text: byte-order marks, UTF-8 and UTF-16, and a clear error for anything else.

use std::borrow::Cow;

/// Decoded text and the encoding it was read as.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, without a byte-order mark.
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-16LE` or `UTF-16BE`.
    pub encoding: &'static str,
}

/// How many leading bytes are inspected for NUL bytes (binary files).
const SNIFF_LEN: usize = 8 * 1024;

/// Decodes a file's bytes; errors say what the file seems to be and where decoding failed.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes, "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes, "UTF-16BE");
    }
    if bytes[..bytes.len().min(SNIFF_LEN)].contains(&0) {
        return Err("binary file (it contains NUL bytes): not a transcript".into());
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<Decoded<'_>, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: "UTF-8",
        }),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
            Err(format!(
                "line {line}: not valid UTF-8 at column {column} (byte {}); save the file as UTF-8",
                e.valid_up_to()
            ))
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, name: &'static str) -> Result<Decoded<'static>, String> {
    if bytes.len() % 2 != 0 {
        return Err(format!("truncated {name} file: odd number of bytes"));
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let text: Result<String, _> = char::decode_utf16(units).collect();
    text.map(|t| Decoded {
        text: Cow::Owned(t),
        encoding: name,
    })
    .map_err(|e| {
        format!(
            "invalid {name}: unpaired surrogate {:#06x}",
            e.unpaired_surrogate()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(decode(&be).unwrap().text, "hi");
        assert!(decode(&[0xFF, 0xFE, 0x41]).unwrap_err().contains("odd number"));
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let e = decode(b"Agent: hi\nAgent: caf\xE9\n").unwrap_err();
        assert_eq!(
            e,
            "line 2: not valid UTF-8 at column 11 (byte 20); save the file as UTF-8"
        );
    }

    #[test]
    fn binary_files_are_rejected() {
        assert!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0")
                .unwrap_err()
                .contains("binary file")
        );
    }
}
