//! Reading one input: its bytes, capped at the file limit whatever the source (a file that
//! grows, a pipe that never ends), then decoded, parsed into transcripts, given their metadata
//! and their speakers' roles.

use std::borrow::Cow;
use std::io::{self, Read as _};
use std::path::Path;

use super::Pipeline;
use crate::decode::decode_as;
use crate::discover::{Input, Source};
use crate::metadata::Record;
use crate::problem::Problem;
use crate::transcript::{Format, Transcript, detect};

/// Where a transcript's metadata beyond its own text comes from: the file on disk (sidecars,
/// folder tables) and metadata given beside the text (an embedding program's table row).
#[derive(Clone, Copy, Default)]
pub(super) struct Origin<'a> {
    pub file: Option<&'a Path>,
    pub given: Option<&'a Record>,
}

impl<'a> Origin<'a> {
    /// The file on disk, if any, and nothing given beside it.
    pub fn file(file: Option<&'a Path>) -> Origin<'a> {
        Origin { file, given: None }
    }
}

/// A file read into transcripts.
pub struct Read<'b> {
    /// The decoded text.
    pub text: Cow<'b, str>,
    /// The encoding it was read in.
    pub encoding: &'static str,
    /// The format it was read as.
    pub format: &'static Format,
    /// Its transcripts, with metadata from sidecars and tables.
    pub transcripts: Vec<Transcript>,
}

impl Read<'_> {
    /// The same, owning its text, so it outlives the bytes it was read from.
    pub fn into_owned(self) -> Read<'static> {
        Read {
            text: Cow::Owned(self.text.into_owned()),
            encoding: self.encoding,
            format: self.format,
            transcripts: self.transcripts,
        }
    }
}

impl Pipeline<'_> {
    /// Decodes `bytes` (detecting the encoding unless one is forced), chooses the format (unless
    /// `format` is given), parses, adds metadata from sidecars and tables (`file` is the file on
    /// disk, if any), and decides the speakers' roles.
    pub fn read<'b>(
        &self,
        file: Option<&Path>,
        format: Option<&'static Format>,
        bytes: &'b [u8],
    ) -> Result<Read<'b>, Problem> {
        self.read_with(Origin::file(file), format, bytes)
    }

    /// [`Pipeline::read`] with metadata given beside the text (see
    /// [`Metadata::apply_with`](crate::metadata::Metadata::apply_with)).
    pub(super) fn read_with<'b>(
        &self,
        origin: Origin<'_>,
        format: Option<&'static Format>,
        bytes: &'b [u8],
    ) -> Result<Read<'b>, Problem> {
        let Origin { file, given } = origin;
        let decoded = decode_as(bytes, self.encoding)?;
        if decoded.text.trim().is_empty() {
            return Err("empty file: there is nothing in it to check".into());
        }
        let format = match format {
            Some(format) => format,
            None => {
                let extension = file.and_then(|p| p.extension()).and_then(|e| e.to_str());
                detect(extension, &decoded.text)?
            }
        };
        let mut transcripts =
            (format.parse)(&decoded.text, &self.parse_options).map_err(|e| e.to_string())?;
        self.metadata.apply_with(file, given, &mut transcripts)?;
        crate::limits::check_transcripts(&transcripts)?;
        // Roles after metadata: a sidecar may name the agent or say the call came from Connect.
        for transcript in &mut transcripts {
            self.roles.apply(transcript);
        }
        Ok(Read {
            text: decoded.text,
            encoding: decoded.encoding,
            format,
            transcripts,
        })
    }
}

/// An input's bytes: the file, standard input, or why it cannot be read (including an input
/// past [`MAX_FILE_BYTES`](crate::limits::MAX_FILE_BYTES), which is refused unread).
pub fn read_bytes(input: &Input) -> Result<Vec<u8>, Problem> {
    match &input.source {
        Source::Unreadable(reason) => Err(reason.clone().into()),
        Source::File(path) => {
            let file = std::fs::File::open(path).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => {
                    "cannot read: the file is gone (deleted or moved after callcheck listed it)".to_string()
                }
                _ => format!("cannot read: {e}"),
            })?;
            read_file(file).map_err(|e| {
                Problem::new(match e.kind() {
                    io::ErrorKind::IsADirectory => {
                        "cannot read: it is a folder now (it was replaced after callcheck listed it)"
                            .to_string()
                    }
                    _ => format!("cannot read: {e}"),
                })
            })?
        }
        Source::Stdin => read_capped(io::stdin().lock(), Vec::new(), 0)
            .map_err(|e| Problem::new(format!("cannot read standard input: {e}")))?,
    }
}

/// What the first read of a file asks for: most transcripts are a few kilobytes, and a file
/// that ends within it is read without asking for its size (a system call per file).
const FIRST_READ: usize = 32 << 10;

/// Reads a file to the end: its size is asked only when the first read does not reach the end,
/// to refuse it unread past the file limit and to read the rest into one allocation.
fn read_file(mut file: std::fs::File) -> io::Result<Result<Vec<u8>, Problem>> {
    let mut bytes = Vec::with_capacity(FIRST_READ);
    (&mut file).take(FIRST_READ as u64).read_to_end(&mut bytes)?;
    if bytes.len() < FIRST_READ {
        return Ok(Ok(bytes));
    }
    let meta = file.metadata()?;
    // A named pipe on the command line (`<(zcat calls.gz)`) has no size: it is read capped.
    if meta.is_file()
        && let Err(too_large) = crate::limits::check_size(meta.len())
    {
        return Ok(Err(too_large));
    }
    let expected = usize::try_from(meta.len()).unwrap_or(0);
    read_capped(file, bytes, expected)
}

/// Reads to the end after the `bytes` already read, but never more than the file limit plus
/// one byte in all (a file may grow, a pipe may never end); `expected` is the size, when known.
/// `Ok(Err)` says the input was over the limit.
fn read_capped(
    reader: impl io::Read,
    mut bytes: Vec<u8>,
    expected: usize,
) -> io::Result<Result<Vec<u8>, Problem>> {
    let limit = crate::limits::MAX_FILE_BYTES;
    // One byte more than expected lets the final read see the end without growing.
    bytes.reserve(expected.saturating_sub(bytes.len()).saturating_add(1));
    reader
        .take((limit + 1).saturating_sub(bytes.len() as u64))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(crate::limits::too_large(None).into()));
    }
    Ok(Ok(bytes))
}

/// The file on disk behind an input, if any.
pub fn input_file(input: &Input) -> Option<&Path> {
    match &input.source {
        Source::File(path) => Some(path),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &Path) -> Input {
        Input {
            display: path.display().to_string(),
            source: Source::File(path.to_path_buf()),
            format: None,
        }
    }

    #[test]
    fn files_are_read_whole_whether_or_not_the_first_read_reaches_their_end() {
        let dir = tempfile::tempdir().unwrap();
        for size in [
            0,
            1,
            FIRST_READ - 1,
            FIRST_READ,
            FIRST_READ + 1,
            3 * FIRST_READ + 7,
        ] {
            let path = dir.path().join(format!("{size}.txt"));
            let bytes: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_bytes(&input(&path)).unwrap(), bytes, "{size} bytes");
        }
    }

    #[test]
    fn a_folder_in_place_of_a_listed_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_bytes(&input(dir.path())).unwrap_err();
        assert!(error.message().contains("it is a folder now"), "{error}");
    }
}
