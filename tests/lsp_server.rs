//! `callcheck lsp` over its real standard input and output: one scripted session per test
//! (the server answers in order, so the whole session can be written before reading).
//! The end-to-end test with a real LSP client library is tests/lsp/test_lsp.py (acceptance).

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend(body.as_bytes());
    framed
}

/// Runs the server with `messages` on its input; returns its exit code and what it sent.
fn session(cwd: &Path, messages: &[Value]) -> (i32, Vec<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_callcheck"))
        .args(["lsp", "--stdio"])
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for message in messages {
        stdin.write_all(&frame(message)).unwrap();
    }
    drop(stdin);
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let code = child.wait().unwrap().code().unwrap_or(-1);
    let mut sent = Vec::new();
    let mut rest = out.as_slice();
    while !rest.is_empty() {
        let header_end = rest.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let header = std::str::from_utf8(&rest[..header_end]).unwrap();
        let length: usize = header
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .unwrap()
            .parse()
            .unwrap();
        let body = &rest[header_end + 4..header_end + 4 + length];
        sent.push(serde_json::from_slice(body).unwrap());
        rest = &rest[header_end + 4 + length..];
    }
    (code, sent)
}

/// A `file:` URI as clients send it: percent-encoded UTF-8.
fn uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().unwrap().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("replies")).unwrap();
    fs::write(
        dir.path().join("callcheck.toml"),
        "rulebooks = [\"acme.toml\"]\npaths = [\"replies\"]\ntemplates = [\"replies/**\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("acme.toml"),
        "[rulebook]\nid = \"acme\"\nlanguage = \"zh\"\n\n[[forbidden]]\nid = \"must\"\nphrases = [\"你必须\"]\nreplace = \"请您\"\n",
    )
    .unwrap();
    dir
}

fn initialize(root: &Path) -> Vec<Value> {
    vec![
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"capabilities": {}, "rootUri": uri(root)}}),
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    ]
}

fn open(path: &Path, text: &str) -> Value {
    json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": uri(path), "languageId": "plaintext", "version": 1, "text": text}}})
}

fn shutdown_and_exit() -> Vec<Value> {
    vec![
        json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}),
        json!({"jsonrpc": "2.0", "method": "exit"}),
    ]
}

fn published(sent: &[Value]) -> Vec<&Value> {
    sent.iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| &m["params"])
        .collect()
}

fn response(sent: &[Value], id: u64) -> &Value {
    sent.iter().find(|m| m["id"] == id).unwrap()
}

#[test]
fn diagnostics_hover_and_fix_for_a_template_being_edited() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    let template = root.join("replies/退款.txt");
    // Not saved: the server checks the editor's text, not the file.
    let text = "您好😀，你必须先提供订单号。\n";
    let range = json!({"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 5}});
    let mut messages = initialize(&root);
    messages.extend([
        open(&template, text),
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params":
            {"textDocument": {"uri": uri(&template)}, "position": {"line": 0, "character": 5}}}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction", "params":
            {"textDocument": {"uri": uri(&template)}, "range": range, "context": {"diagnostics": []}}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri(&template), "version": 2},
            "contentChanges": [{"text": "您好😀，请您先提供订单号。\n"}]}}),
    ]);
    messages.extend(shutdown_and_exit());
    let (code, sent) = session(&root, &messages);
    assert_eq!(code, 0, "{sent:#?}");

    let capabilities = &response(&sent, 1)["result"]["capabilities"];
    assert_eq!(capabilities["textDocumentSync"]["change"], 1);
    assert_eq!(capabilities["positionEncoding"], "utf-16");

    let published = published(&sent);
    assert_eq!(published.len(), 2);
    let diagnostics = published[0]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "acme/must");
    // 你必须 follows 您好, an emoji (two UTF-16 units) and a full-width comma.
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 8}})
    );
    assert_eq!(published[1]["version"], 2);
    assert_eq!(published[1]["diagnostics"], json!([]));

    let hover = &response(&sent, 2)["result"]["contents"]["value"];
    assert!(
        hover
            .as_str()
            .unwrap()
            .contains("What a [[forbidden]] rule checks"),
        "{hover}"
    );

    let actions = response(&sent, 3)["result"].as_array().unwrap();
    assert_eq!(actions[0]["title"], "Replace “你必须” with “请您”");
    let edits = &actions[0]["edit"]["changes"][uri(&template)];
    assert_eq!(edits[0]["newText"], "请您");
    assert_eq!(edits[0]["range"], diagnostics[0]["range"]);
    assert_eq!(
        actions[1]["edit"]["changes"][uri(&template)][0]["newText"],
        "# callcheck: disable-next-line acme/must\n"
    );
}

#[test]
fn a_broken_rulebook_is_located_and_nothing_is_reported_clean() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    fs::write(
        root.join("acme.toml"),
        "[rulebook]\nid = \"acme\"\n\n[[forbiden]]\nid = \"x\"\n",
    )
    .unwrap();
    let rulebook_text = fs::read_to_string(root.join("acme.toml")).unwrap();
    let mut messages = initialize(&root);
    messages.extend([
        open(&root.join("acme.toml"), &rulebook_text),
        open(&root.join("replies/a.txt"), "你必须等。\n"),
    ]);
    messages.extend(shutdown_and_exit());
    let (code, sent) = session(&root, &messages);
    assert_eq!(code, 0);
    let shown = sent.iter().find(|m| m["method"] == "window/showMessage").unwrap();
    assert_eq!(shown["params"]["type"], 1);
    let published = published(&sent);
    let problems = published[0]["diagnostics"].as_array().unwrap();
    assert!(!problems.is_empty());
    assert_eq!(problems[0]["range"]["start"]["line"], 3, "{problems:#?}");
    assert!(
        problems[0]["message"].as_str().unwrap().contains("forbidden"),
        "{problems:#?}"
    );
    let template = published[1]["diagnostics"].as_array().unwrap();
    assert_eq!(template.len(), 1);
    assert!(
        template[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("not checked")
    );
}

#[test]
fn exit_without_shutdown_fails_and_requests_before_initialize_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let messages = [
        json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "exit"}),
    ];
    let (code, sent) = session(dir.path(), &messages);
    assert_eq!(code, 2);
    assert_eq!(response(&sent, 7)["error"]["code"], -32002);
}
