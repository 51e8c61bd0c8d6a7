//! CSV and TSV transcripts: a header line, then one row per turn, many calls per file.
//!
//! ```text
//! call_id,speaker,text,start,end
//! 0001,Agent,"Hello, this is ACME.",0:00:02,0:00:05
//! 0001,Customer,My parcel is late.,6.5,9
//! ```
//!
//! Columns are found by name, case-insensitively, among common spellings (`speaker`/`role`/
//! `participant`, `text`/`content`/`utterance`, `start`/`start_time`/`begin`, …) or as named with
//! `--csv-column FIELD=NAME`. Only `text` and one of `speaker`/`role` are required. Without a
//! call id column the file is one call; with one, rows are grouped by call id (in order of first
//! appearance; a call's rows need not be adjacent). Times are seconds, `hh:mm:ss(.mmm)`, or
//! milliseconds when the column name ends in `_ms`. An `ended_by` column sets who ended the call.
//! Rows are sorted and merged (see [`assemble`](super::assemble)). Quoted fields follow RFC 4180
//! (`""` is a quote; fields may span lines).

use indexmap::IndexMap;

use super::assemble::{Utterance, assemble};
use super::time::parse_clock;
use super::{EndedBy, Format, Millis, ParseError, ParseOptions, Position, Segment, Speaker, Transcript};
use crate::problem::Problem;

/// CSV: comma-separated.
pub static CSV: Format = Format {
    name: "csv",
    description: "CSV with a header naming `speaker` and `text` columns, one row per turn",
    extensions: &["csv"],
    sniff: Some(|s| sniff_header(s.text(), ',')),
    parse: |text, options| parse(text, b',', options),
    parse_line: None,
};

/// TSV: tab-separated.
pub static TSV: Format = Format {
    name: "tsv",
    description: "TSV with a header naming `speaker` and `text` columns, one row per turn",
    extensions: &["tsv"],
    sniff: Some(|s| sniff_header(s.text(), '\t')),
    parse: |text, options| parse(text, b'\t', options),
    parse_line: None,
};

/// The fields a transcript table can have.
pub const FIELDS: &[&str] = &["call_id", "speaker", "role", "text", "start", "end", "ended_by"];

/// Column names chosen with `--csv-column FIELD=NAME`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    chosen: Vec<(String, String)>,
}

impl Columns {
    /// Names the column for a field; `Err` says which fields exist.
    pub fn set(&mut self, field: &str, column: &str) -> Result<(), Problem> {
        let field = field.trim().to_ascii_lowercase();
        if !FIELDS.contains(&field.as_str()) {
            return Err(format!(
                "--csv-column {field}={column}: unknown field `{field}`; expected one of {}",
                FIELDS.join(", ")
            )
            .into());
        }
        self.chosen.retain(|(f, _)| *f != field);
        self.chosen.push((field, column.trim().to_string()));
        Ok(())
    }

    fn chosen(&self, field: &str) -> Option<&str> {
        self.chosen
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str())
    }
}

/// Common spellings of each field's column, compared after [`fold_name`].
fn aliases(field: &str) -> &'static [&'static str] {
    match field {
        "call_id" => &[
            "call_id",
            "callid",
            "call",
            "conversation_id",
            "contact_id",
            "contactid",
            "session_id",
        ],
        "speaker" => &[
            "speaker",
            "speaker_label",
            "speaker_name",
            "participant",
            "party",
            "name",
            "channel",
        ],
        "role" => &["role", "participant_role", "speaker_role", "speaker_type"],
        "text" => &[
            "text",
            "content",
            "utterance",
            "transcript",
            "message",
            "body",
            "sentence",
        ],
        "start" => &[
            "start",
            "start_time",
            "begin",
            "begin_time",
            "start_ms",
            "begin_ms",
            "start_offset",
            "offset",
        ],
        "end" => &["end", "end_time", "stop", "end_ms", "end_offset"],
        "ended_by" => &["ended_by", "hangup_by", "disconnected_by"],
        _ => &[],
    }
}

/// Lower case, with spaces and hyphens as underscores.
pub fn fold_name(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

fn sniff_header(text: &str, delimiter: char) -> bool {
    let header = text.lines().next().unwrap_or("");
    if !header.contains(delimiter) {
        return false;
    }
    let names: Vec<String> = header
        .split(delimiter)
        .map(|n| fold_name(n.trim_matches('"')))
        .collect();
    let has = |field: &str| names.iter().any(|n| aliases(field).contains(&n.as_str()));
    (has("speaker") || has("role")) && has("text")
}

/// One field of a row: its text and where each piece of it is in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The unquoted value.
    pub value: String,
    /// Source positions of the value.
    pub segments: Vec<Segment>,
}

/// One row: its first line and its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The line the row starts on.
    pub line: u32,
    /// The fields.
    pub fields: Vec<Field>,
}

/// Splits delimited text into records (RFC 4180 quoting; blank lines skipped).
pub fn records(text: &str, delimiter: u8) -> Result<Vec<Record>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let (mut at, mut line, mut column) = (0usize, 1u32, 1u32);
    while at < bytes.len() {
        // Skip blank lines between records.
        if bytes[at] == b'\n' || (bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n')) {
            at += if bytes[at] == b'\r' { 2 } else { 1 };
            line += 1;
            column = 1;
            continue;
        }
        let mut record = Record {
            line,
            fields: Vec::new(),
        };
        loop {
            let mut field = Field {
                value: String::new(),
                segments: Vec::new(),
            };
            if bytes.get(at) == Some(&b'"') {
                let (open_line, open_column) = (line, column);
                at += 1;
                column += 1;
                let mut run = true;
                field.segments.push(Segment {
                    text_offset: 0,
                    position: Position { line, column },
                    verbatim: true,
                });
                loop {
                    let Some(&b) = bytes.get(at) else {
                        return Err(ParseError::at_line(
                            open_line,
                            format!(
                                "unterminated quoted field: the quote at column {open_column} is never \
                                 closed"
                            ),
                        ));
                    };
                    if b == b'"' && bytes.get(at + 1) == Some(&b'"') {
                        field.segments.push(Segment {
                            text_offset: field.value.len(),
                            position: Position { line, column },
                            verbatim: false,
                        });
                        field.value.push('"');
                        at += 2;
                        column += 2;
                        run = false;
                        continue;
                    }
                    if b == b'"' {
                        at += 1;
                        column += 1;
                        break;
                    }
                    let c = text[at..].chars().next().unwrap_or('\u{fffd}');
                    if c == '\n' {
                        line += 1;
                        column = 1;
                        run = false;
                        field.value.push('\n');
                        at += 1;
                        continue;
                    }
                    if !run {
                        field.segments.push(Segment {
                            text_offset: field.value.len(),
                            position: Position { line, column },
                            verbatim: true,
                        });
                        run = true;
                    }
                    field.value.push(c);
                    at += c.len_utf8();
                    column += 1;
                }
                match bytes.get(at) {
                    None | Some(b'\n') => {}
                    Some(b'\r') if matches!(bytes.get(at + 1), None | Some(b'\n')) => {}
                    Some(&b) if b == delimiter => {}
                    Some(_) => {
                        let c = text[at..].chars().next().unwrap_or('?');
                        return Err(ParseError::at_line(
                            line,
                            format!(
                                "unexpected `{c}` after the closing quote at column {column}: expected \
                                 the delimiter or the end of the line"
                            ),
                        ));
                    }
                }
            } else {
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == delimiter || b == b'\n')
                    .map_or(bytes.len(), |i| at + i);
                let raw = &text[at..end];
                let raw = raw.strip_suffix('\r').unwrap_or(raw);
                field.segments.push(Segment {
                    text_offset: 0,
                    position: Position { line, column },
                    verbatim: true,
                });
                field.value.push_str(raw);
                column += text[at..end].chars().count() as u32;
                at = end;
            }
            record.fields.push(field);
            match bytes.get(at) {
                Some(&b) if b == delimiter => {
                    at += 1;
                    column += 1;
                }
                Some(b'\r') => {
                    at += if bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
                    line += 1;
                    column = 1;
                    break;
                }
                Some(b'\n') => {
                    at += 1;
                    line += 1;
                    column = 1;
                    break;
                }
                _ => break,
            }
        }
        records.push(record);
    }
    Ok(records)
}

/// The header's column index for each field that has one.
fn find_columns(
    header: &Record,
    options: &ParseOptions,
) -> Result<IndexMap<&'static str, usize>, ParseError> {
    let names: Vec<String> = header.fields.iter().map(|f| fold_name(&f.value)).collect();
    let mut found = IndexMap::new();
    for &field in FIELDS {
        let index = match options.columns.chosen(field) {
            Some(chosen) => {
                let wanted = fold_name(chosen);
                let Some(i) = names.iter().position(|n| *n == wanted) else {
                    return Err(ParseError::at_line(
                        header.line,
                        format!(
                            "no column `{chosen}` (chosen with --csv-column {field}={chosen}); the header \
                             has {}",
                            header_list(header)
                        ),
                    ));
                };
                Some(i)
            }
            None => names.iter().position(|n| aliases(field).contains(&n.as_str())),
        };
        if let Some(i) = index {
            found.insert(field, i);
        }
    }
    for (required, alternative) in [("text", None), ("speaker", Some("role"))] {
        if !found.contains_key(required) && alternative.is_none_or(|a| !found.contains_key(a)) {
            return Err(ParseError::at_line(
                header.line,
                format!(
                    "no `{required}` column in the header (found {}); name it with --csv-column \
                     {required}=NAME",
                    header_list(header)
                ),
            ));
        }
    }
    Ok(found)
}

fn header_list(header: &Record) -> String {
    let names: Vec<String> = header.fields.iter().map(|f| format!("`{}`", f.value)).collect();
    names.join(", ")
}

fn parse(text: &str, delimiter: u8, options: &ParseOptions) -> Result<Vec<Transcript>, ParseError> {
    let rows = records(text, delimiter)?;
    let Some((header, rows)) = rows.split_first() else {
        return Err(ParseError::whole_file(
            "empty file: expected a header line naming the columns (speaker, text, …)",
        ));
    };
    let columns = find_columns(header, options)?;
    let names: Vec<&str> = header.fields.iter().map(|f| f.value.as_str()).collect();
    // call id → (utterances, ended_by), in order of first appearance.
    let mut calls: IndexMap<String, (Vec<Utterance>, Option<EndedBy>)> = IndexMap::new();
    for row in rows {
        if row.fields.len() != header.fields.len() {
            return Err(ParseError::at_line(
                row.line,
                format!(
                    "expected {} fields as in the header (line {}), found {}",
                    header.fields.len(),
                    header.line,
                    row.fields.len()
                ),
            ));
        }
        let get = |field: &str| columns.get(field).map(|&i| &row.fields[i]);
        let call_id = get("call_id")
            .map(|f| f.value.trim().to_string())
            .unwrap_or_default();
        let text = get("text").map(|f| f.value.as_str()).unwrap_or("");
        let label = get("speaker")
            .or_else(|| get("role"))
            .map(|f| f.value.trim().to_string())
            .unwrap_or_default();
        if label.is_empty() {
            let column = columns
                .get("speaker")
                .or_else(|| columns.get("role"))
                .map_or("speaker", |&i| names[i]);
            return Err(ParseError::at_line(
                row.line,
                format!("column `{column}` is empty: who spoke?"),
            ));
        }
        let speaker = match get("role").filter(|_| columns.contains_key("speaker")) {
            Some(role) if !role.value.trim().is_empty() => {
                let role = options.labels.resolve_named(role.value.trim()).ok_or_else(|| {
                    ParseError::at_line(
                        row.line,
                        format!(
                            "column `{}`: expected agent, customer, system, other or a speaker label, found \
                         `{}`",
                            names[columns["role"]],
                            role.value.trim()
                        ),
                    )
                })?;
                Speaker::declared(role, label)
            }
            _ => options.labels.resolve_speaker(&label),
        };
        let time = |field: &str| -> Result<Option<Millis>, ParseError> {
            let Some(&i) = columns.get(field) else {
                return Ok(None);
            };
            let value = row.fields[i].value.trim();
            if value.is_empty() {
                return Ok(None);
            }
            let millis = fold_name(names[i]).ends_with("_ms");
            cell_time(value, millis)
                .map(Some)
                .map_err(|e| ParseError::at_line(row.line, format!("column `{}`: {e}", names[i])))
        };
        let (start, end) = (time("start")?, time("end")?);
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            return Err(ParseError::at_line(
                row.line,
                format!("the end ({e}) is before the start ({s})"),
            ));
        }
        let (utterances, ended_by) = calls.entry(call_id).or_default();
        if let Some(&i) = columns.get("ended_by") {
            let field = &row.fields[i];
            let value = field.value.trim();
            if !value.is_empty() && !value.eq_ignore_ascii_case("unknown") {
                let Some(role) = options.labels.resolve_named(value) else {
                    return Err(ParseError::at_line(
                        row.line,
                        format!(
                            "column `{}`: expected agent, customer, system, unknown or a speaker label, \
                             found `{value}`",
                            names[i]
                        ),
                    ));
                };
                if let Some(previous) = ended_by
                    && previous.role != role
                {
                    return Err(ParseError::at_line(
                        row.line,
                        format!(
                            "column `{}` says {role}, but line {} says {}",
                            names[i], previous.position.line, previous.role
                        ),
                    ));
                }
                *ended_by = Some(EndedBy {
                    role,
                    position: field.segments.first().map_or(Position::default(), |s| s.position),
                    time: None,
                });
            }
        }
        let text_field = get("text");
        let mut u = Utterance::new(speaker, start, end);
        u.push(
            "",
            text,
            text_field.map(|f| f.segments.clone()).unwrap_or_default(),
        );
        utterances.push(u);
    }
    Ok(calls
        .into_iter()
        .map(|(call_id, (utterances, ended_by))| {
            let mut t = Transcript {
                turns: assemble(utterances),
                ended_by,
                ..Transcript::default()
            };
            if !call_id.is_empty() {
                t.metadata.insert("call_id".into(), call_id);
            }
            t
        })
        .collect())
}

/// A time cell: seconds (`6.5`), a clock (`00:00:06.5`), or milliseconds when `millis`.
fn cell_time(value: &str, millis: bool) -> Result<Millis, String> {
    if value.contains(':') {
        return parse_clock(value).map_err(|e| format!("invalid time: {e}"));
    }
    let n: f64 = value
        .parse()
        .map_err(|_| format!("invalid time `{value}`: expected seconds (6.5) or hh:mm:ss(.mmm)"))?;
    let secs = if millis { n / 1000.0 } else { n };
    Millis::from_secs_f64(secs).ok_or_else(|| format!("invalid time `{value}`: it must not be negative"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Role;

    fn all(text: &str) -> Vec<Transcript> {
        parse(text, b',', &ParseOptions::default()).unwrap()
    }

    fn err(text: &str) -> String {
        parse(text, b',', &ParseOptions::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn rows_group_into_calls_and_merge() {
        let calls = all("call_id,speaker,text,start,end\r\n\
             A,Agent,\"Hello, this is \"\"ACME\"\".\",0:00:02,0:00:05\r\n\
             B,Customer,hi,1,2\r\n\
             A,Customer,My parcel is late.,6.5,9\r\n\
             A,Agent,Sorry,10,11\r\n\
             A,Agent,\"you must\nwait\",11.5,12\r\n");
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].metadata["call_id"], "A");
        let turns: Vec<(Role, &str)> = calls[0]
            .turns
            .iter()
            .map(|t| (t.speaker.role, t.text.as_str()))
            .collect();
        assert_eq!(
            turns,
            [
                (Role::Agent, "Hello, this is \"ACME\"."),
                (Role::Customer, "My parcel is late."),
                (Role::Agent, "Sorry\nyou must\nwait"),
            ]
        );
        assert_eq!(calls[0].turns[1].start, Some(Millis(6_500)));
        let acme = calls[0].turns[0].text.find("ACME").unwrap();
        assert_eq!(
            calls[0].turns[0].position_at(acme),
            Position { line: 2, column: 27 }
        );
        let wait = calls[0].turns[2].text.find("wait").unwrap();
        assert_eq!(
            calls[0].turns[2].position_at(wait),
            Position { line: 7, column: 1 }
        );
        assert_eq!(calls[1].metadata["call_id"], "B");
    }

    #[test]
    fn column_aliases_choices_roles_and_tsv() {
        let mut options = ParseOptions::default();
        options.columns.set("speaker", "Who").unwrap();
        options.columns.set("text", "Said").unwrap();
        let t = parse(
            "Who\tRole\tSaid\tStart_ms\tEnded_By\nJane\tagent\thello\t1500\t\nJohn\tcustomer\tbye\t3000\tcustomer\n",
            b'\t',
            &options,
        )
        .unwrap()
        .remove(0);
        assert_eq!(t.turns[0].speaker.role, Role::Agent);
        assert_eq!(t.turns[0].speaker.label, "Jane");
        assert_eq!(t.turns[0].start, Some(Millis(1_500)));
        assert_eq!(t.ended_by.map(|e| e.role), Some(Role::Customer));
        assert!(
            options
                .columns
                .clone()
                .set("colour", "x")
                .unwrap_err()
                .message()
                .contains("unknown field")
        );
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(
            err("who,said\nAgent,hi\n"),
            "line 1: no `text` column in the header (found `who`, `said`); name it with --csv-column \
             text=NAME"
        );
        assert_eq!(
            err("speaker,text\nAgent,hi,extra\n"),
            "line 2: expected 2 fields as in the header (line 1), found 3"
        );
        assert_eq!(
            err("speaker,text,start\nAgent,hi,00:61\n"),
            "line 2: column `start`: invalid time: `00:61` is not a valid time: minutes and seconds \
             must be below 60"
        );
        assert_eq!(
            err("speaker,text,start\nAgent,hi,soon\n"),
            "line 2: column `start`: invalid time `soon`: expected seconds (6.5) or hh:mm:ss(.mmm)"
        );
        assert_eq!(
            err("speaker,text\nAgent,\"unterminated\n"),
            "line 2: unterminated quoted field: the quote at column 7 is never closed"
        );
        assert_eq!(
            err("speaker,text\nAgent,\"a\"b\n"),
            "line 2: unexpected `b` after the closing quote at column 10: expected the delimiter or the \
             end of the line"
        );
        assert_eq!(
            err("speaker,text\n,hi\n"),
            "line 2: column `speaker` is empty: who spoke?"
        );
        assert_eq!(
            err(""),
            "empty file: expected a header line naming the columns (speaker, text, …)"
        );
        let mut options = ParseOptions::default();
        options.columns.set("text", "Utterance Text").unwrap();
        assert_eq!(
            parse("speaker,text\nA,b\n", b',', &options)
                .unwrap_err()
                .to_string(),
            "line 1: no column `Utterance Text` (chosen with --csv-column text=Utterance Text); the \
             header has `speaker`, `text`"
        );
    }
}
