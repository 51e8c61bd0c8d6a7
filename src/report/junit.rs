//! `--format junit`: JUnit XML, read by Jenkins, GitLab (`artifacts: reports: junit`), Azure
//! DevOps and most CI dashboards.
//!
//! Each transcript is a `<testsuite>` and each enabled rule a `<testcase>` in it, so a dashboard
//! shows which rule failed for which transcript. A test case fails (`<failure>`) when the rule
//! has a finding at or above `--fail-on`; findings below it are listed in the case's
//! `<system-out>` and the case passes, matching the exit status. A rule that was not applicable
//! is `<skipped>` with the reason. A file that could not be read is a suite with one `<error>`
//! case. The document is written at the end of the run, because the totals come first.
//!
//! Attribute values keep their line breaks as `&#10;` (a raw newline in an attribute reaches a
//! reader as a space), and class names carry no dots: Jenkins splits a class name at its last
//! dot into package and class, which would turn `calls/a.txt` into class `txt`.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Reporter, RunInfo, message_with_note};
use crate::finding::{FileResult, Finding, Summary};

/// Writes the JUnit report.
pub struct Junit<W: Write> {
    out: W,
    run: RunInfo,
    suites: String,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl<W: Write> Junit<W> {
    /// A reporter writing to `out`, one test case per rule of `run`.
    pub fn new(out: W, run: RunInfo) -> Self {
        Junit {
            out,
            run,
            suites: String::new(),
            tests: 0,
            failures: 0,
            errors: 0,
            skipped: 0,
        }
    }
}

/// Escapes text for XML attributes and content, dropping characters XML 1.0 cannot hold.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for an XML attribute: as [`xml`], with line breaks and tabs as character
/// references, which attribute-value normalisation leaves alone.
fn attr(text: &str) -> String {
    xml(text)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

/// A transcript's path as a class name: dots become `_` so Jenkins does not split it.
fn class_name(path: &str) -> String {
    attr(&path.replace('.', "_"))
}

/// One finding as a line of a failure's body or a case's output.
fn describe(path: &str, f: &Finding) -> String {
    let mut line = format!(
        "{path}:{}:{}: {} {}",
        f.start.line,
        f.start.column,
        f.severity,
        message_with_note(f)
    );
    if let Some(m) = &f.matched {
        line.push_str(&format!(" [matched: {m}]"));
    }
    if let Some(s) = &f.suggestion {
        line.push_str(&format!(" [suggestion: {s}]"));
    }
    line
}

impl<W: Write> Reporter for Junit<W> {
    fn file(&mut self, result: &FileResult) -> io::Result<()> {
        let mut suite = String::new();
        let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
        let path = result.path();
        match result {
            FileResult::Failed(e) => {
                tests += 1;
                errors += 1;
                let _ = writeln!(
                    suite,
                    "    <testcase classname=\"{c}\" name=\"read\" file=\"{p}\">\n      \
                     <error message=\"{a}\" type=\"unreadable\">{m}</error>\n    </testcase>",
                    c = class_name(path),
                    p = attr(path),
                    a = attr(&e.error),
                    m = xml(&e.error)
                );
            }
            FileResult::NotChecked(n) => {
                tests += 1;
                errors += 1;
                let _ = writeln!(
                    suite,
                    "    <testcase classname=\"{c}\" name=\"roles\" file=\"{f}\">\n      \
                     <error message=\"not checked: {a}\" type=\"not-checked\">{m}</error>\n    </testcase>",
                    c = class_name(path),
                    f = attr(&n.file),
                    a = attr(&n.reason),
                    m = xml(&n.reason)
                );
            }
            FileResult::Checked(report) => {
                for rule in &self.run.rules {
                    tests += 1;
                    let found: Vec<&Finding> = report.findings.iter().filter(|f| f.rule == rule.id).collect();
                    let (failing, below): (Vec<&Finding>, Vec<&Finding>) =
                        found.iter().partition(|f| self.run.fails(f.severity));
                    let mut body = String::new();
                    if let Some(first) = failing.first() {
                        failures += 1;
                        let lines: Vec<String> = failing.iter().map(|f| describe(path, f)).collect();
                        let _ = write!(
                            body,
                            "\n      <failure message=\"{}\" type=\"{}\">{}</failure>",
                            attr(&message_with_note(first)),
                            first.severity,
                            xml(&lines.join("\n"))
                        );
                    } else if let Some(na) = report.not_applicable.iter().find(|n| n.rule == rule.id) {
                        skipped += 1;
                        let _ = write!(
                            body,
                            "\n      <skipped message=\"not applicable: {}\"/>",
                            attr(&na.reason)
                        );
                    }
                    if !below.is_empty() {
                        let lines: Vec<String> = below.iter().map(|f| describe(path, f)).collect();
                        let _ = write!(
                            body,
                            "\n      <system-out>{}</system-out>",
                            xml(&lines.join("\n"))
                        );
                    }
                    let _ = write!(
                        suite,
                        "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                        class_name(path),
                        attr(&rule.id),
                        attr(&report.file)
                    );
                    if body.is_empty() {
                        suite.push_str("/>\n");
                    } else {
                        let _ = writeln!(suite, ">{body}\n    </testcase>");
                    }
                }
            }
        }
        let _ = writeln!(
            self.suites,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" \
             skipped=\"{skipped}\">\n{suite}  </testsuite>",
            attr(path)
        );
        self.tests += tests;
        self.failures += failures;
        self.errors += errors;
        self.skipped += skipped;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        write!(
            self.out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"callcheck\" tests=\"{}\" \
             failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{}</testsuites>\n",
            self.tests, self.failures, self.errors, self.skipped, self.suites
        )?;
        self.out.flush()
    }

    fn needs_excerpts(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::{render, run_info};

    fn rendered(fail_on: Option<crate::finding::Severity>) -> String {
        let mut out = Vec::new();
        let mut run = run_info();
        run.fail_on = fail_on;
        render(&mut Junit::new(&mut out, run));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_case_per_transcript_and_rule() {
        let xml = rendered(Some(crate::finding::Severity::Error));
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"callcheck\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\">"), "{xml}");
        assert!(xml.contains("<testcase classname=\"calls/a b_txt\" name=\"acme/you-must\" file=\"calls/a b.txt\">\n      <failure message=\"Do not command: &quot;you must&quot;\" type=\"error\">"), "{xml}");
        // The warning is below --fail-on: the case passes and lists it.
        assert!(xml.contains("name=\"acme/greeting\" file=\"calls/a b.txt\">\n      <system-out>calls/a b.txt:1:8: warning Greet &lt;first&gt; &amp; name the company"), "{xml}");
        assert!(
            xml.contains(
                "<skipped message=\"not applicable: the transcript does not say who ended the call\"/>"
            ),
            "{xml}"
        );
        assert!(
            xml.contains("<error message=\"line 3: invalid timestamp\" type=\"unreadable\">"),
            "{xml}"
        );
    }

    #[test]
    fn fail_on_warning_fails_the_warning_case() {
        let xml = rendered(Some(crate::finding::Severity::Warning));
        assert!(xml.contains("failures=\"2\""), "{xml}");
        assert!(xml.contains("<failure message=\"Greet &lt;first&gt; &amp; name the company (expected one of &quot;hello&quot;)\" type=\"warning\">"), "{xml}");
    }

    #[test]
    fn xml_escapes_and_drops_control_characters() {
        assert_eq!(xml("a<b>&\"'\u{1}c\n"), "a&lt;b&gt;&amp;&quot;&apos;c\n");
        // In attributes, line breaks survive only as character references.
        assert_eq!(attr("a\nb\tc"), "a&#10;b&#9;c");
        assert!(!class_name("calls/v1.2/a.txt").contains('.'));
    }

    #[test]
    fn messages_with_line_breaks_keep_them_in_attributes() {
        let mut out = Vec::new();
        let (mut results, summary) = crate::report::test_support::results();
        if let crate::finding::FileResult::Checked(report) = &mut results[0] {
            for f in &mut report.findings {
                f.message = "first line\nsecond line".into();
            }
        }
        let mut junit = Junit::new(&mut out, run_info());
        for r in &results {
            junit.file(r).unwrap();
        }
        junit.finish(&summary).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains("message=\"first line&#10;second line"), "{xml}");
    }
}
