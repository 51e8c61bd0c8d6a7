//! Call metadata from outside the transcript: sidecar files and metadata tables.
//!
//! Who hung up is rarely in the transcript; contact-centre platforms keep it in the call record.
//! Three sources add metadata to a parsed transcript, most specific first:
//!
//! 1. a sidecar `<name>.meta.json` next to `<name>.<ext>`: one JSON object, flat
//!    (`{"agent": "王芳", "ended_by": "customer"}`) or an Amazon Connect contact record;
//! 2. a folder table `metadata.csv` (or `metadata.tsv`) in the transcript's folder;
//! 3. the table given with `--metadata FILE` (CSV, TSV, or JSON / JSON Lines of objects, such as
//!    exported contact records).
//!
//! Table rows are keyed by call id (column `call_id`, or `ContactId` and its spellings) and match
//! a transcript's `call_id`, or, for a file holding one call without one, the file name without
//! its extension. Values the transcript already has win, then the sidecar's, then the folder
//! table's, then `--metadata`'s; but two sources that disagree on who ended the call are an
//! error, because one of them is about another call. Amazon Connect's `DisconnectReason` is read
//! as who ended the call ([`disconnect_reason`]). A speaker with no known role whose label is the
//! `agent` (or `customer`) metadata value gets that role, so a Teams transcript of "Maria Lopez"
//! and "Tom Becker" needs only `agent: Maria Lopez`. Sidecars and folder tables are never checked
//! as transcripts ([`is_metadata_file`]).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;

use crate::decode::decode;
use crate::paths::display;
use crate::problem::Problem;
use crate::transcript::csv::{fold_name, records};
use crate::transcript::json::{self, Kind, Node};
use crate::transcript::{Channel, EndedBy, Position, Role, SpeakerLabels, Transcript};

/// The suffix of sidecar files.
pub const SIDECAR_SUFFIX: &str = ".meta.json";

/// File names of folder metadata tables.
pub const TABLE_NAMES: &[&str] = &["metadata.csv", "metadata.tsv"];

/// True for sidecars and folder tables, which folder walks do not treat as transcripts.
pub fn is_metadata_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    lower.ends_with(SIDECAR_SUFFIX) || TABLE_NAMES.contains(&lower.as_str())
}

/// The role an Amazon Connect `DisconnectReason` stands for: `Some(None)` when it says nobody in
/// particular (a telecom problem, `OTHER`), `None` when the value is not a disconnect reason.
pub fn disconnect_reason(value: &str) -> Option<Option<Role>> {
    match value.trim().to_ascii_uppercase().as_str() {
        "CUSTOMER_DISCONNECT" => Some(Some(Role::Customer)),
        "AGENT_DISCONNECT" => Some(Some(Role::Agent)),
        "THIRD_PARTY_DISCONNECT" | "BARGED" => Some(Some(Role::Other)),
        "CONTACT_FLOW_DISCONNECT" | "API" | "EXPIRED" => Some(Some(Role::System)),
        "TELECOM_PROBLEM" | "OTHER" | "" => Some(None),
        _ => None,
    }
}

/// The metadata for one call from one source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Where it comes from, for messages (`calls/metadata.csv line 4`).
    pub source: String,
    /// Keys and values in source order; `ended_by` holds a role name or `unknown`.
    pub fields: IndexMap<String, String>,
}

/// Rows of a metadata table, by call id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    rows: HashMap<String, Record>,
}

impl Table {
    /// Reads a table file: CSV/TSV by extension, JSON or JSON Lines of objects otherwise.
    pub fn load(path: &Path, labels: &SpeakerLabels) -> Result<Table, Problem> {
        let shown = display(path);
        let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        let decoded = decode(&bytes).map_err(|e| format!("{shown}: {e}"))?;
        let text = decoded.text.as_ref();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let result = match extension.as_deref() {
            Some("csv") => Table::from_delimited(text, b',', &shown, labels),
            Some("tsv") => Table::from_delimited(text, b'\t', &shown, labels),
            _ => Table::from_json(text, &shown, labels),
        };
        result.map_err(|e| e.prefixed(&format!("{shown}: ")))
    }

    /// Reads CSV/TSV text whose header has a call id column.
    pub fn from_delimited(
        text: &str,
        delimiter: u8,
        shown: &str,
        labels: &SpeakerLabels,
    ) -> Result<Table, Problem> {
        let rows = records(text, delimiter).map_err(|e| e.to_string())?;
        let Some((header, rows)) = rows.split_first() else {
            return Ok(Table::default());
        };
        let names: Vec<String> = header.fields.iter().map(|f| f.value.trim().to_string()).collect();
        let Some(key_column) = names.iter().position(|n| canonical_key(n) == "call_id") else {
            return Err(format!(
                "line {}: no call id column (call_id or ContactId) in the header (found {})",
                header.line,
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .into());
        };
        let mut table = Table::default();
        for row in rows {
            if row.fields.len() != names.len() {
                return Err(format!(
                    "line {}: expected {} fields as in the header, found {}",
                    row.line,
                    names.len(),
                    row.fields.len()
                )
                .into());
            }
            let mut record = Record {
                source: format!("{shown} line {}", row.line),
                fields: IndexMap::new(),
            };
            for (name, field) in names.iter().zip(&row.fields) {
                let value = field.value.trim();
                if !value.is_empty() {
                    add_field(&mut record, name, value, labels)
                        .map_err(|e| format!("line {}: column `{name}`: {e}", row.line))?;
                }
            }
            let key = row.fields[key_column].value.trim().to_string();
            table.insert(key, record, row.line)?;
        }
        Ok(table)
    }

    /// Reads a JSON array of objects, one object, or JSON Lines of objects (flat or contact
    /// records), each with a call id.
    pub fn from_json(text: &str, shown: &str, labels: &SpeakerLabels) -> Result<Table, Problem> {
        let mut table = Table::default();
        let mut add = |node: &Node<'_, '_>| -> Result<(), String> {
            let record = record_from_json(node, shown, labels).map_err(|e| e.to_string())?;
            let Some(key) = record.fields.get("call_id").cloned() else {
                return Err(node.error("no call id (`call_id` or `ContactId`)").to_string());
            };
            table.insert(key, record, node.line())
        };
        match json::outline(text).map(|o| o.shape) {
            Some(json::Shape::Lines) => {
                for (index, line) in text.split('\n').enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
                    let value = json::parse_line(line, line_no).map_err(|e| e.to_string())?;
                    add(&Node::root(&value))?;
                }
            }
            _ => {
                let value = json::parse(text).map_err(|e| e.to_string())?;
                let root = Node::root(&value);
                match &value.kind {
                    Kind::Array(_) => {
                        for item in root.items().map_err(|e| e.to_string())? {
                            add(&item)?;
                        }
                    }
                    _ => add(&root)?,
                }
            }
        }
        Ok(table)
    }

    fn insert(&mut self, key: String, record: Record, line: u32) -> Result<(), String> {
        if key.is_empty() {
            return Err(format!("line {line}: the call id is empty"));
        }
        if let Some(previous) = self.rows.get(&key) {
            return Err(format!(
                "line {line}: call id `{key}` is already in {}",
                previous.source
            ));
        }
        self.rows.insert(key, record);
        Ok(())
    }

    /// The row for a call id.
    pub fn get(&self, call_id: &str) -> Option<&Record> {
        self.rows.get(call_id)
    }

    /// How many rows the table has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The canonical name of a metadata key: call ids, disconnect reasons and `ended_by` under one
/// name each; anything else as written.
fn canonical_key(name: &str) -> String {
    match fold_name(name).replace('_', "").as_str() {
        "callid" | "contactid" | "call" => "call_id".into(),
        "endedby" | "hangupby" => "ended_by".into(),
        "disconnectreason" => "disconnect_reason".into(),
        _ => name.trim().to_string(),
    }
}

/// Adds one key and value, reading `ended_by` and `DisconnectReason`.
fn add_field(record: &mut Record, name: &str, value: &str, labels: &SpeakerLabels) -> Result<(), String> {
    // Errors say what is wrong with the value; callers add where it is.
    let key = canonical_key(name);
    match key.as_str() {
        "ended_by" => {
            let role = ended_by_value(value, labels).ok_or_else(|| {
                format!(
                    "expected agent, customer, system, unknown, a speaker label or a DisconnectReason, \
                     found `{value}`"
                )
            })?;
            record
                .fields
                .insert("ended_by".into(), role.map_or("unknown", Role::as_str).into());
        }
        "disconnect_reason" => {
            let role = disconnect_reason(value).ok_or_else(|| {
                format!(
                    "`{value}` is not a DisconnectReason (CUSTOMER_DISCONNECT, AGENT_DISCONNECT, \
                     THIRD_PARTY_DISCONNECT, TELECOM_PROBLEM, BARGED, CONTACT_FLOW_DISCONNECT, API, EXPIRED, \
                     OTHER)"
                )
            })?;
            record.fields.insert("disconnect_reason".into(), value.into());
            record
                .fields
                .entry("ended_by".into())
                .or_insert_with(|| role.map_or("unknown", Role::as_str).into());
        }
        _ => {
            record.fields.insert(key, value.to_string());
        }
    }
    Ok(())
}

/// `agent`/`customer`/…/`unknown`, a speaker label, or a `DisconnectReason` code.
fn ended_by_value(value: &str, labels: &SpeakerLabels) -> Option<Option<Role>> {
    if value.trim().eq_ignore_ascii_case("unknown") {
        return Some(None);
    }
    labels
        .resolve_named(value)
        .map(Some)
        .or_else(|| disconnect_reason(value))
}

/// A metadata object: an Amazon Connect contact record (it has `ContactId` and, typically,
/// `Agent`, `Queue`, `DisconnectReason`), or a flat object of scalars.
fn record_from_json(
    node: &Node<'_, '_>,
    shown: &str,
    labels: &SpeakerLabels,
) -> Result<Record, crate::transcript::ParseError> {
    let mut record = Record {
        source: format!("{shown} line {}", node.line()),
        fields: IndexMap::new(),
    };
    let is_contact_record = node.has("ContactId")
        && (node.has("DisconnectReason")
            || node.has("AWSContactTraceRecordFormatVersion")
            || node.has("InitiationTimestamp")
            || node.has("Agent"));
    if is_contact_record {
        let text = |n: Option<Node<'_, '_>>| n.map(|n| n.scalar_text()).transpose();
        if let Some(id) = text(node.get("ContactId")?)? {
            record.fields.insert("call_id".into(), id);
        }
        if let Some(agent) = node.get("Agent")?
            && let Some(name) = text(agent.get("Username")?)?
        {
            record.fields.insert("agent".into(), name);
        }
        if let Some(queue) = node.get("Queue")?
            && let Some(name) = text(queue.get("Name")?)?
        {
            record.fields.insert("team".into(), name);
        }
        for (key, name) in [("InitiationTimestamp", "date"), ("Channel", "channel")] {
            if let Some(value) = text(node.get(key)?)? {
                record.fields.insert(name.into(), value);
            }
        }
        if let Some(reason) = node.get("DisconnectReason")? {
            let value = reason.scalar_text()?;
            add_field(&mut record, "DisconnectReason", &value, labels).map_err(|e| reason.error(e))?;
        }
        if let Some(attributes) = node.get("Attributes")? {
            for (key, value) in attributes.members()? {
                let child = Node {
                    value,
                    path: format!("Attributes.{}", key.as_str()),
                };
                if value.kind != Kind::Null {
                    record
                        .fields
                        .entry(key.as_str().to_string())
                        .or_insert(child.scalar_text()?);
                }
            }
        }
        return Ok(record);
    }
    for (key, value) in node.members()? {
        if value.kind == Kind::Null {
            continue;
        }
        let child = Node {
            value,
            path: key.as_str().to_string(),
        };
        let text = child.scalar_text()?;
        add_field(&mut record, key.as_str(), &text, labels).map_err(|e| child.error(e))?;
    }
    Ok(record)
}

/// What is read once per folder.
struct Folder {
    /// Its table: none, or why it could not be read.
    table: Result<Option<Table>, Problem>,
    /// The names of the sidecars in it, so the many calls without one cost no lookup each;
    /// `None` when the folder cannot be listed, and each sidecar is looked for on its own.
    sidecars: Option<HashSet<OsString>>,
}

/// A folder, once read.
type FolderTable = Arc<Folder>;

/// Applies the metadata sources to the transcripts of one file.
pub struct Metadata {
    labels: SpeakerLabels,
    global: Option<Table>,
    folders: Mutex<HashMap<PathBuf, FolderTable>>,
    default_channel: Option<Channel>,
    template_roles: Vec<(String, crate::paths::Globs)>,
}

impl Metadata {
    /// Sources for a run: folder tables are read on first use; `global` is `--metadata`.
    pub fn new(labels: SpeakerLabels, global: Option<Table>) -> Self {
        Metadata {
            labels,
            global,
            folders: Mutex::new(HashMap::new()),
            default_channel: None,
            template_roles: Vec::new(),
        }
    }

    /// Gives reply templates whose file matches a role's globs that role (`[template_roles]` in
    /// callcheck.toml; the first matching role wins), unless the template names its own.
    pub fn with_template_roles(mut self, roles: Vec<(String, crate::paths::Globs)>) -> Self {
        self.template_roles = roles;
        self
    }

    /// Gives calls that do not say how they took place this channel (`--channel`, `channel`
    /// in callcheck.toml); a call's own `channel` always wins.
    pub fn with_default_channel(mut self, channel: Option<Channel>) -> Self {
        self.default_channel = channel;
        self
    }

    /// The folder table next to `path`, read once per folder.
    fn folder_table(&self, path: &Path) -> FolderTable {
        let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let cached = self
            .folders
            .lock()
            .ok()
            .and_then(|cache| cache.get(&folder).cloned());
        if let Some(cached) = cached {
            return cached;
        }
        let mut table = Ok(None);
        for name in TABLE_NAMES {
            let candidate = folder.join(name);
            if candidate.is_file() {
                table = Table::load(&candidate, &self.labels).map(Some);
                break;
            }
        }
        let listed = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder.as_path()
        };
        let sidecars = std::fs::read_dir(listed).ok().map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.file_name()))
                .filter(|name| name.to_str().is_some_and(|n| n.ends_with(SIDECAR_SUFFIX)))
                .collect()
        });
        let loaded = Arc::new(Folder { table, sidecars });
        if let Ok(mut cache) = self.folders.lock() {
            cache.insert(folder, Arc::clone(&loaded));
        }
        loaded
    }

    /// Adds sidecar and table metadata to the transcripts read from `path` (`None` for standard
    /// input, which only gets `--metadata`).
    pub fn apply(&self, path: Option<&Path>, transcripts: &mut [Transcript]) -> Result<(), Problem> {
        self.apply_with(path, None, transcripts)
    }

    /// [`Metadata::apply`] with a record given beside the transcript (a table row's metadata
    /// columns when callcheck is embedded), applied first, as a sidecar is.
    pub fn apply_with(
        &self,
        path: Option<&Path>,
        given: Option<&Record>,
        transcripts: &mut [Transcript],
    ) -> Result<(), Problem> {
        let mut sources: Vec<Record> = given.cloned().into_iter().collect();
        let folder = path.map(|p| self.folder_table(p));
        if let Some(path) = path
            && let Some(sidecar) = sidecar_path(path)
        {
            // A sidecar the folder's listing lacks is not there; one it has is checked, as
            // the listing does not follow links.
            let listed = folder
                .as_ref()
                .and_then(|f| f.sidecars.as_ref())
                .is_none_or(|names| sidecar.file_name().is_some_and(|n| names.contains(n)));
            if listed && sidecar.is_file() {
                sources.push(self.load_sidecar(&sidecar)?);
            }
        }
        if let Some(folder) = &folder
            && let Err(e) = &folder.table
        {
            return Err(e.clone());
        }
        let stem = path
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map(|n| n.split('.').next().unwrap_or(n).to_string());
        let single = transcripts.len() == 1;
        for transcript in transcripts.iter_mut() {
            let key = transcript
                .metadata
                .get("call_id")
                .cloned()
                .or_else(|| stem.clone().filter(|_| single));
            let mut rows: Vec<&Record> = sources.iter().collect();
            if let Some(key) = &key {
                if let Some(Folder {
                    table: Ok(Some(table)),
                    ..
                }) = folder.as_deref()
                    && let Some(row) = table.get(key)
                {
                    rows.push(row);
                }
                if let Some(row) = self.global.as_ref().and_then(|t| t.get(key)) {
                    rows.push(row);
                }
            }
            for row in rows {
                merge(transcript, row)?;
            }
            if let Some(channel) = self.default_channel
                && transcript.channel().is_none()
            {
                transcript
                    .metadata
                    .insert("channel".into(), channel.as_str().into());
            }
            name_roles(transcript);
            if transcript.kind == crate::transcript::TranscriptKind::Template
                && !transcript.metadata.keys().any(|k| k.eq_ignore_ascii_case("role"))
                && let Some(path) = path
                && let Some((role, _)) = self.template_roles.iter().find(|(_, g)| g.matches_file(path))
            {
                transcript.metadata.insert("role".into(), role.clone());
            }
        }
        Ok(())
    }

    fn load_sidecar(&self, path: &Path) -> Result<Record, String> {
        let shown = display(path);
        let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        let decoded = decode(&bytes).map_err(|e| format!("{shown}: {e}"))?;
        let value = json::parse(&decoded.text).map_err(|e| format!("{shown}: {e}"))?;
        record_from_json(&Node::root(&value), &shown, &self.labels).map_err(|e| format!("{shown}: {e}"))
    }
}

/// `calls/0001.meta.json` for `calls/0001.vtt` (the name up to its first dot, so
/// `0001.en.vtt` shares it too).
pub fn sidecar_path(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name.split('.').next().filter(|s| !s.is_empty())?;
    Some(path.with_file_name(format!("{stem}{SIDECAR_SUFFIX}")))
}

/// Gives speakers without a known role (`other`) the role whose metadata names them: a Teams
/// transcript labels turns with people's names, and `agent: Maria Lopez` in a sidecar or table
/// says which of them is the agent (`customer:` likewise).
fn name_roles(transcript: &mut Transcript) {
    let fold = |s: &str| s.trim().to_lowercase();
    let named: Vec<(String, Role)> = [("agent", Role::Agent), ("customer", Role::Customer)]
        .into_iter()
        .filter_map(|(key, role)| transcript.metadata.get(key).map(|name| (fold(name), role)))
        .filter(|(name, _)| !name.is_empty())
        .collect();
    if named.is_empty() {
        return;
    }
    for turn in &mut transcript.turns {
        if turn.speaker.role != Role::Other {
            continue;
        }
        let label = fold(&turn.speaker.label);
        if let Some((_, role)) = named.iter().find(|(name, _)| *name == label) {
            turn.speaker.role = *role;
            turn.speaker.source = crate::transcript::RoleSource::Map;
        }
    }
}

/// Adds one source's fields: existing values win, but who ended the call must agree.
fn merge(transcript: &mut Transcript, record: &Record) -> Result<(), String> {
    for (key, value) in &record.fields {
        if key == "ended_by" {
            let role = match value.as_str() {
                "agent" => Some(Role::Agent),
                "customer" => Some(Role::Customer),
                "system" => Some(Role::System),
                "other" => Some(Role::Other),
                _ => None,
            };
            match (transcript.ended_by, role) {
                (Some(existing), Some(role)) if existing.role != role => {
                    return Err(format!(
                        "{} says the call was ended by the {role}, but the transcript says the {} (line {})",
                        record.source, existing.role, existing.position.line
                    ));
                }
                (None, Some(role)) => {
                    // Point at the end of the call: the last turn is where a hang-up happens.
                    let position = transcript
                        .turns
                        .last()
                        .map_or(Position { line: 1, column: 1 }, |t| t.position());
                    transcript.ended_by = Some(EndedBy {
                        role,
                        position,
                        time: transcript.end_time(),
                    });
                }
                _ => {}
            }
        }
        transcript
            .metadata
            .entry(key.clone())
            .or_insert_with(|| value.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{ParseOptions, plain};

    fn labels() -> SpeakerLabels {
        SpeakerLabels::default()
    }

    #[test]
    fn metadata_files_are_recognised() {
        assert!(is_metadata_file(Path::new("calls/0001.meta.json")));
        assert!(is_metadata_file(Path::new("calls/METADATA.csv")));
        assert!(!is_metadata_file(Path::new("calls/0001.json")));
        assert!(!is_metadata_file(Path::new("calls/calls.csv")));
        assert_eq!(
            sidecar_path(Path::new("calls/0001.en.vtt")),
            Some(PathBuf::from("calls/0001.meta.json"))
        );
    }

    #[test]
    fn disconnect_reasons() {
        assert_eq!(
            disconnect_reason("CUSTOMER_DISCONNECT"),
            Some(Some(Role::Customer))
        );
        assert_eq!(disconnect_reason("agent_disconnect"), Some(Some(Role::Agent)));
        assert_eq!(
            disconnect_reason("CONTACT_FLOW_DISCONNECT"),
            Some(Some(Role::System))
        );
        assert_eq!(disconnect_reason("TELECOM_PROBLEM"), Some(None));
        assert_eq!(disconnect_reason("HUNG_UP"), None);
    }

    #[test]
    fn csv_tables_are_keyed_by_call_id() {
        let table = Table::from_delimited(
            "Contact ID,agent,team,Disconnect Reason,rings\n0001,王芳,快递一组,CUSTOMER_DISCONNECT,2\n0002,李强,,AGENT_DISCONNECT,\n",
            b',',
            "calls/metadata.csv",
            &labels(),
        )
        .unwrap();
        assert_eq!(table.len(), 2);
        let row = table.get("0001").unwrap();
        assert_eq!(row.source, "calls/metadata.csv line 2");
        assert_eq!(row.fields["call_id"], "0001");
        assert_eq!(row.fields["agent"], "王芳");
        assert_eq!(row.fields["ended_by"], "customer");
        assert_eq!(row.fields["disconnect_reason"], "CUSTOMER_DISCONNECT");
        assert!(
            !table.get("0002").unwrap().fields.contains_key("team"),
            "empty cells are absent"
        );
        let e = Table::from_delimited("id,agent\n1,x\n", b',', "t.csv", &labels()).unwrap_err();
        assert_eq!(
            e.message(),
            "line 1: no call id column (call_id or ContactId) in the header (found `id`, `agent`)"
        );
        let e = Table::from_delimited(
            "call_id,ended_by\n1,agent\n1,customer\n",
            b',',
            "t.csv",
            &labels(),
        )
        .unwrap_err();
        assert_eq!(e.message(), "line 3: call id `1` is already in t.csv line 2");
        let e = Table::from_delimited("call_id,ended_by\n1,martian\n", b',', "t.csv", &labels()).unwrap_err();
        assert!(
            e.message()
                .starts_with("line 2: column `ended_by`: expected agent, customer"),
            "{e}"
        );
    }

    #[test]
    fn contact_records_in_json_lines() {
        let text = "{\"ContactId\": \"c-1\", \"Channel\": \"VOICE\", \"DisconnectReason\": \"AGENT_DISCONNECT\", \
                    \"Agent\": {\"Username\": \"jane\"}, \"Queue\": {\"Name\": \"billing\"}, \
                    \"InitiationTimestamp\": \"2026-11-22T09:00:00Z\", \"Attributes\": {\"rings\": \"3\"}, \
                    \"AWSAccountId\": \"1\"}\n\
                    {\"call_id\": \"c-2\", \"ended_by\": \"customer\"}\n";
        let table = Table::from_json(text, "ctr.jsonl", &labels()).unwrap();
        let row = table.get("c-1").unwrap();
        let fields: Vec<(&str, &str)> = row.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            fields,
            [
                ("call_id", "c-1"),
                ("agent", "jane"),
                ("team", "billing"),
                ("date", "2026-11-22T09:00:00Z"),
                ("channel", "VOICE"),
                ("disconnect_reason", "AGENT_DISCONNECT"),
                ("ended_by", "agent"),
                ("rings", "3"),
            ]
        );
        assert_eq!(table.get("c-2").unwrap().fields["ended_by"], "customer");
        let e = Table::from_json("[{\"agent\": \"x\"}]", "t.json", &labels()).unwrap_err();
        assert_eq!(
            e.message(),
            "line 1: `[0]`: no call id (`call_id` or `ContactId`)"
        );
        let e = Table::from_json(
            "{\"ContactId\": \"1\", \"DisconnectReason\": \"NAP\"}",
            "t.json",
            &labels(),
        )
        .unwrap_err();
        assert!(
            e.message()
                .starts_with("line 1: `DisconnectReason`: `NAP` is not a DisconnectReason"),
            "{e}"
        );
    }

    #[test]
    fn merging_fills_gaps_and_rejects_contradictions() {
        let mut t = plain::parse(
            "# agent: 王芳\nAgent: hi\nCustomer: bye\n",
            &ParseOptions::default(),
        )
        .unwrap();
        let record = Record {
            source: "x.meta.json line 1".into(),
            fields: [("agent", "李强"), ("team", "A"), ("ended_by", "customer")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        merge(&mut t, &record).unwrap();
        assert_eq!(t.metadata["agent"], "王芳", "the transcript's own value wins");
        assert_eq!(t.metadata["team"], "A");
        let ended = t.ended_by.unwrap();
        assert_eq!(ended.role, Role::Customer);
        assert_eq!(ended.position, Position { line: 3, column: 11 }, "the last turn");
        let mut t = plain::parse("Agent: hi\n<hangup by=agent>\n", &ParseOptions::default()).unwrap();
        assert_eq!(
            merge(&mut t, &record).unwrap_err(),
            "x.meta.json line 1 says the call was ended by the customer, but the transcript says the \
             agent (line 2)"
        );
    }

    #[test]
    fn metadata_names_the_agent_and_the_customer() {
        let dir = tempfile::tempdir().unwrap();
        let call = dir.path().join("call.txt");
        std::fs::write(dir.path().join("call.meta.json"), "{\"agent\": \"Maria Lopez\"}").unwrap();
        let text = "Maria Lopez: Hello\nTom Becker: Hi\nSupervisor: joining\n";
        let mut t = vec![plain::parse(text, &ParseOptions::default()).unwrap()];
        Metadata::new(labels(), None).apply(Some(&call), &mut t).unwrap();
        let roles: Vec<Role> = t[0].turns.iter().map(|t| t.speaker.role).collect();
        assert_eq!(roles, [Role::Agent, Role::Other, Role::Other]);
        let mut t = vec![
            plain::parse(
                "# customer: tom becker\nTom Becker: Hi\n",
                &ParseOptions::default(),
            )
            .unwrap(),
        ];
        Metadata::new(labels(), None).apply(None, &mut t).unwrap();
        assert_eq!(
            t[0].turns[0].speaker.role,
            Role::Customer,
            "case-insensitive, from the header too"
        );
    }

    #[test]
    fn sidecars_and_folder_tables_apply_by_call_id_or_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let calls = dir.path();
        std::fs::write(calls.join("0001.txt"), "Agent: hi\n").unwrap();
        std::fs::write(
            calls.join("0001.meta.json"),
            "{\"agent\": \"王芳\", \"ended_by\": \"CUSTOMER_DISCONNECT\"}",
        )
        .unwrap();
        std::fs::write(
            calls.join("metadata.csv"),
            "call_id,agent,team\n0001,李强,一组\nX9,赵六,二组\n",
        )
        .unwrap();
        let metadata = Metadata::new(labels(), None);
        let mut by_name = vec![plain::parse("Agent: hi\n", &ParseOptions::default()).unwrap()];
        metadata
            .apply(Some(&calls.join("0001.txt")), &mut by_name)
            .unwrap();
        assert_eq!(
            by_name[0].metadata["agent"], "王芳",
            "the sidecar beats the table"
        );
        assert_eq!(by_name[0].metadata["team"], "一组");
        assert_eq!(by_name[0].ended_by.map(|e| e.role), Some(Role::Customer));
        let mut by_id = vec![plain::parse("# call_id: X9\nAgent: hi\n", &ParseOptions::default()).unwrap()];
        metadata
            .apply(Some(&calls.join("other.txt")), &mut by_id)
            .unwrap();
        assert_eq!(by_id[0].metadata["team"], "二组");
        // A folder is listed once per run: a sidecar written since is seen by the next run.
        std::fs::write(calls.join("0002.meta.json"), "{\"agent\": [1]}").unwrap();
        let mut late = vec![plain::parse("Agent: hi\n", &ParseOptions::default()).unwrap()];
        metadata.apply(Some(&calls.join("0002.txt")), &mut late).unwrap();
        assert!(!late[0].metadata.contains_key("agent"));
        let e = Metadata::new(labels(), None)
            .apply(Some(&calls.join("0002.txt")), &mut by_name)
            .unwrap_err();
        assert!(
            e.message().ends_with(
                "0002.meta.json: line 1: `agent`: expected a string, number or boolean, found an array"
            ),
            "{e}"
        );
    }
}
