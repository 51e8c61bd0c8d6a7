//! [`outline`]: the shape and top-level keys of a JSON text, found without building values, to
//! detect which format a `.json` file is.

/// The shape of a JSON text, for format detection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One object.
    Object,
    /// One array.
    Array,
    /// Several values one after another (JSON Lines).
    Lines,
}

/// A JSON text's shape and the keys of its top-level object (for an array, of its first
/// element; for JSON Lines, of the first line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outline {
    /// Object, array or lines.
    pub shape: Shape,
    /// Up to 64 keys in source order.
    pub keys: Vec<String>,
}

/// Scans a text for its JSON outline without building values; `None` when it does not start
/// with `{` or `[`. Tolerant of errors: a truncated file still gives the keys seen so far.
pub fn outline(text: &str) -> Option<Outline> {
    let bytes = text.as_bytes();
    let mut at = skip_ws(bytes, 0);
    let top = *bytes.get(at)?;
    let shape = match top {
        b'{' => Shape::Object,
        b'[' => Shape::Array,
        _ => return None,
    };
    if top == b'[' {
        // Keys of the first element, if it is an object.
        at = skip_ws(bytes, at + 1);
        if bytes.get(at) != Some(&b'{') {
            return Some(Outline {
                shape,
                keys: Vec::new(),
            });
        }
    }
    let (keys, end) = object_keys(text, at);
    let shape = if top == b'{' && bytes.get(skip_ws(bytes, end)) == Some(&b'{') {
        Shape::Lines
    } else {
        shape
    };
    Some(Outline { shape, keys })
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// Keys of the object starting at `at` (on its `{`), and the offset just past its end.
fn object_keys(text: &str, at: usize) -> (Vec<String>, usize) {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (keys, i + 1);
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let end = i.min(bytes.len());
                if depth == 1 && bytes.get(skip_ws(bytes, end + 1)) == Some(&b':') && keys.len() < 64 {
                    if let Some(key) = text.get(start..end) {
                        keys.push(key.to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    (keys, bytes.len())
}
