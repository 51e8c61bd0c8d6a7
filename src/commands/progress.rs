//! The progress bar of long runs and the `--stats` summary, on standard error.
//!
//! The bar appears only on a terminal, after a second (short runs never flicker), and counts
//! inputs done out of the total, which a background thread counts with a second walk of the same
//! paths. Report lines written to a terminal while the bar is shown go through
//! [`SuspendingWriter`], which lifts the bar for each write so the two never mix.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::discover::{Discovery, Filters};
use crate::pipeline::{Progress, RunStats};
use crate::report::table::plural;

/// Delay before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar over a run's inputs.
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    bytes: AtomicU64,
    /// Inputs in the run, once the background count is done (`u64::MAX` until then).
    total: Arc<AtomicU64>,
}

impl Bar {
    /// A bar for a run over `paths`, counting the total in the background.
    pub fn start(paths: &[PathBuf], filters: &Filters) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        let style = ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar:.cyan/blue}] {human_pos}/{human_len} files · {msg} · eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        // Hidden until the first second is over; `inputs_done` reveals it.
        bar.set_draw_target(ProgressDrawTarget::hidden());
        // The counting thread only publishes the total: drawing happens on the reporting
        // thread, which holds standard error for the whole run.
        let total = Arc::new(AtomicU64::new(u64::MAX));
        let (counted, paths, filters) = (Arc::clone(&total), paths.to_vec(), filters.clone());
        std::thread::spawn(move || {
            let count = Discovery::new(&paths, filters).count() as u64;
            counted.store(count, Ordering::Relaxed);
        });
        Bar {
            bar,
            started: Instant::now(),
            bytes: AtomicU64::new(0),
            total,
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// A writer for report output that lifts the bar around each write.
    pub fn suspending<W: Write>(&self, inner: W) -> SuspendingWriter<W> {
        SuspendingWriter {
            inner,
            bar: self.bar.clone(),
            pending: Vec::new(),
        }
    }
}

impl Progress for Bar {
    fn inputs_done(&self, inputs: u64, bytes: u64) {
        let bytes_done = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let elapsed = self.started.elapsed();
        if elapsed >= DELAY && self.bar.is_hidden() {
            self.bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        }
        let total = self.total.load(Ordering::Relaxed);
        if total != u64::MAX && self.bar.length() != Some(total) {
            self.bar.set_length(total);
        }
        let before = self.bar.position();
        self.bar.inc(inputs);
        // The rate is worked out again every 64 inputs.
        if before == 0 || before / 64 != self.bar.position() / 64 {
            let rate = bytes_done as f64 / elapsed.as_secs_f64().max(0.001) / 1e6;
            self.bar.set_message(format!("{rate:.1} MB/s"));
        }
    }
}

/// Writes through to `inner` with the progress bar lifted, whole lines at a time, so report
/// lines and the bar never overwrite each other on a terminal.
pub struct SuspendingWriter<W: Write> {
    inner: W,
    bar: ProgressBar,
    /// The start of a line not yet complete.
    pending: Vec<u8>,
}

impl<W: Write> SuspendingWriter<W> {
    fn write_out(&mut self, upto: usize) -> io::Result<()> {
        let (inner, bar, pending) = (&mut self.inner, &self.bar, &mut self.pending);
        bar.suspend(|| {
            inner.write_all(&pending[..upto])?;
            inner.flush()
        })?;
        pending.drain(..upto);
        Ok(())
    }
}

impl<W: Write> Write for SuspendingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last_newline) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.write_out(last_newline + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_out(self.pending.len())
    }
}

impl<W: Write> Drop for SuspendingWriter<W> {
    fn drop(&mut self) {
        // Like `BufWriter`: write what is left, ignoring errors there is no one to report to.
        if !self.pending.is_empty() {
            let _ = self.write_out(self.pending.len());
        }
    }
}

/// Bytes for people: `512 bytes`, `3.4 KB`, `105.2 MB`, `1.1 GB`.
fn human_bytes(bytes: f64) -> String {
    match bytes {
        b if b >= 1e9 => format!("{:.1} GB", b / 1e9),
        b if b >= 1e6 => format!("{:.1} MB", b / 1e6),
        b if b >= 1e3 => format!("{:.1} KB", b / 1e3),
        b => format!("{b:.0} bytes"),
    }
}

/// `--stats`: what the run read and where its time went.
pub fn stats_lines(stats: &RunStats, jobs: usize) -> String {
    let wall = stats.wall.as_secs_f64().max(0.000_001);
    let secs = |d: Duration| format!("{:.2} s", d.as_secs_f64());
    format!(
        "stats: {} ({}) in {:.2} s: {}/s, {:.0} inputs/s\n\
         stats: {}, {}, {}\n\
         stats: time per stage, summed over {}: read {}, decode and parse {}, match {}, rules {}; \
         reporting {}\n",
        plural(stats.inputs as usize, "input", "inputs"),
        human_bytes(stats.bytes as f64),
        wall,
        human_bytes(stats.bytes as f64 / wall),
        stats.inputs as f64 / wall,
        plural(stats.transcripts as usize, "transcript", "transcripts"),
        plural(stats.turns as usize, "turn", "turns"),
        plural(
            stats.matches as usize,
            "phrase or pattern match",
            "phrase and pattern matches"
        ),
        plural(jobs, "worker thread", "worker threads"),
        secs(stats.read),
        secs(stats.parse),
        secs(stats.matching),
        secs(stats.rules),
        secs(stats.report),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_name_every_stage() {
        let stats = RunStats {
            inputs: 2,
            bytes: 3_000_000,
            transcripts: 3,
            turns: 40,
            matches: 5,
            read: Duration::from_millis(100),
            parse: Duration::from_millis(200),
            matching: Duration::from_millis(300),
            rules: Duration::from_millis(400),
            report: Duration::from_millis(50),
            wall: Duration::from_secs(1),
        };
        let text = stats_lines(&stats, 2);
        assert!(
            text.starts_with("stats: 2 inputs (3.0 MB) in 1.00 s: 3.0 MB/s, 2 inputs/s\n"),
            "{text}"
        );
        assert!(
            text.contains("3 transcripts, 40 turns, 5 phrase and pattern matches"),
            "{text}"
        );
        assert!(text.contains("summed over 2 worker threads: read 0.10 s, decode and parse 0.20 s, match 0.30 s, rules 0.40 s; reporting 0.05 s"), "{text}");
    }
}
