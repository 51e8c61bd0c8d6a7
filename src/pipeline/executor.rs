//! The ordered parallel executor: N worker threads take items from a (lazy) iterator in turn and
//! produce each item's output in one or more parts, which are consumed strictly in item order.
//! The calling thread is one of the N: between its own items it consumes what the others sent,
//! so N threads run on N cores (a consumer thread of its own took turns with the workers for a
//! core). The pipeline's only scheduling code: the one place with locks, condition variables and
//! atomics for it.
//!
//! Workers may run ahead of the consumer by a bounded window of items, so output is
//! deterministic, every core stays busy while one item is slow, and memory stays bounded however
//! many items there are. Parts travel in batches (fewer channel messages and wake-ups); a worker
//! sends what it holds before it waits, so the consumer never waits for parts a waiting worker
//! holds. An item given in several parts (a large file read in pieces) sends its later parts
//! only once it is the item being consumed, so they never pile up behind a slow earlier item.
//!
//! The run stops early when `stop` says so (Ctrl-C) or the consumer fails; a worker that panics
//! stops the others, and the panic then reaches the caller.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// How a run spreads its items over threads.
#[derive(Clone, Copy, Debug)]
pub(super) struct Executor {
    /// Worker threads, the calling thread included; 1 runs every item on the calling thread, in
    /// turn.
    pub jobs: usize,
    /// How many items past the next one to consume a worker may start.
    pub window: usize,
    /// Parts a worker collects before sending them to the calling thread.
    pub batch: usize,
}

/// One part of an item's output, as a worker sends it.
struct Part<R> {
    seq: usize,
    value: R,
    last: bool,
}

/// Shared between the calling thread and the workers: how many items have been consumed
/// whole, and whether the run must stop.
struct Gate {
    consumed: Mutex<usize>,
    advanced: Condvar,
    stop: AtomicBool,
}

impl Gate {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Publishes the count of items consumed whole, waking waiting workers; `halt` also tells
    /// them to stop. Set under the lock, so no worker misses it between its check and its wait.
    fn advance(&self, consumed: usize, halt: bool) {
        if let Ok(mut count) = self.consumed.lock() {
            *count = consumed;
            if halt {
                self.stop.store(true, Ordering::Relaxed);
            }
        }
        self.advanced.notify_all();
    }

    /// Stops the run, waking waiting workers.
    fn halt(&self) {
        let guard = self.consumed.lock();
        self.stop.store(true, Ordering::Relaxed);
        drop(guard);
        self.advanced.notify_all();
    }

    /// The count of items consumed whole.
    fn consumed(&self) -> Option<usize> {
        self.consumed.lock().ok().map(|count| *count)
    }

    /// Waits while `blocked` holds for the count of items consumed and the run goes on; false
    /// when the run stopped (or a thread panicked holding the lock).
    fn wait_while(&self, blocked: impl Fn(usize) -> bool) -> bool {
        let Ok(mut count) = self.consumed.lock() else {
            return false;
        };
        while blocked(*count) && !self.stopped() {
            count = match self.advanced.wait(count) {
                Ok(count) => count,
                Err(_) => return false,
            };
        }
        !self.stopped()
    }
}

/// Stops the run when the thread holding it unwinds, so no other thread waits for work the
/// panicking one will never do.
struct HaltOnPanic<'g>(&'g Gate);

impl Drop for HaltOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.halt();
        }
    }
}

/// What the calling thread found when it went to take an item.
enum Taken<T> {
    /// The next item and its place.
    Item(usize, T),
    /// The next item is a window ahead of the one being consumed.
    WindowFull,
    /// There are no more items.
    None,
}

/// The calling thread's side of a run: the parts waiting for their turn, and the consumer.
struct Consumer<'c, R, E, C> {
    /// Parts waiting for their turn, by item; an item's parts arrive in order.
    pending: BTreeMap<usize, VecDeque<Part<R>>>,
    /// The item being consumed.
    next: usize,
    consume: &'c mut C,
    failure: &'c mut Option<E>,
    gate: &'c Gate,
    stop: &'c (dyn Fn() -> bool + Sync),
    receiver: &'c mpsc::Receiver<Vec<Part<R>>>,
}

impl<R, E, C: FnMut(R, bool) -> Result<(), E>> Consumer<'_, R, E, C> {
    /// False once the run must end: the consumer failed, or it was stopped.
    fn going(&self) -> bool {
        self.failure.is_none() && !self.gate.stopped()
    }

    /// Consumes one part of the item being consumed; false when the consumer failed.
    fn take(&mut self, value: R, last: bool) -> bool {
        if let Err(e) = (self.consume)(value, last) {
            *self.failure = Some(e);
            self.gate.advance(self.next, true);
            return false;
        }
        if last {
            self.next += 1;
        }
        true
    }

    /// Files the parts of one message and consumes those whose turn it is; false once the
    /// run must end.
    fn file(&mut self, parts: Vec<Part<R>>) -> bool {
        // Items skipped from now on would leave holes: consume nothing more.
        if (self.stop)() {
            self.gate.halt();
            return false;
        }
        for part in parts {
            self.pending.entry(part.seq).or_default().push_back(part);
        }
        self.consume_ready()
    }

    /// Consumes the parts whose turn it is; false once the run must end.
    fn consume_ready(&mut self) -> bool {
        let before = self.next;
        while let Some(part) = self.pending.get_mut(&self.next).and_then(VecDeque::pop_front) {
            let (seq, last) = (part.seq, part.last);
            if !self.take(part.value, last) {
                return false;
            }
            if last {
                self.pending.remove(&seq);
            }
        }
        // Workers wait for this count: one update per message, not per item.
        if self.next != before {
            self.gate.advance(self.next, false);
        }
        self.going()
    }

    /// Consumes what the workers have sent, without waiting; false once the run must end.
    fn drain(&mut self) -> bool {
        while let Ok(parts) = self.receiver.try_recv() {
            if !self.file(parts) {
                return false;
            }
        }
        if (self.stop)() {
            self.gate.halt();
        }
        self.going()
    }

    /// Waits for one message from the workers and consumes what it makes ready; false once the
    /// run must end or every worker has finished.
    fn receive(&mut self) -> bool {
        match self.receiver.recv() {
            Ok(parts) => self.file(parts),
            Err(_) => false,
        }
    }

    /// Works on item `seq` on the calling thread. Its parts are consumed at once when it is
    /// the item being consumed; until then, what the workers send is. False once the run must
    /// end.
    fn work_on<T, S>(
        &mut self,
        seq: usize,
        item: T,
        state: &mut S,
        work: &impl Fn(&mut S, T, &mut dyn FnMut(R) -> bool) -> R,
    ) -> bool {
        let mut parts = 0;
        let last = work(state, item, &mut |value| {
            while self.going() && self.next < seq {
                if !self.receive() {
                    return false;
                }
            }
            parts += 1;
            self.going() && self.take(value, false)
        });
        if !self.going() {
            return false;
        }
        if parts > 0 {
            // Its earlier parts were consumed: this is the item being consumed.
            let taken = self.take(last, true);
            self.gate.advance(self.next, false);
            return taken && self.consume_ready();
        }
        self.pending.entry(seq).or_default().push_back(Part {
            seq,
            value: last,
            last: true,
        });
        self.consume_ready()
    }
}

impl Executor {
    /// Runs `work` on each of `items` and hands its output to `consume` on the calling thread,
    /// in item order: each part `work` gives its sink (which says false once the run stops),
    /// then the part it returns, flagged as the item's last. Each worker keeps one `init()`
    /// state for all its items. Stops before the next item once `stop()` is true; returns the
    /// first error of `consume`, after which nothing more is consumed.
    pub fn run<I, S, R, E>(
        &self,
        items: I,
        stop: &(dyn Fn() -> bool + Sync),
        init: impl Fn() -> S + Sync,
        work: impl Fn(&mut S, I::Item, &mut dyn FnMut(R) -> bool) -> R + Sync,
        mut consume: impl FnMut(R, bool) -> Result<(), E>,
    ) -> Result<(), E>
    where
        I: Iterator + Send,
        I::Item: Send,
        R: Send,
    {
        if self.jobs <= 1 {
            return run_inline(items, stop, init, work, consume);
        }
        let items = Mutex::new((0usize, items));
        let gate = Gate {
            consumed: Mutex::new(0),
            advanced: Condvar::new(),
            stop: AtomicBool::new(false),
        };
        let (sender, receiver) = mpsc::channel::<Vec<Part<R>>>();
        let mut failure = None;
        std::thread::scope(|scope| {
            // The calling thread is one of the workers: it consumes between its own items, so
            // `jobs` threads share `jobs` cores rather than a consumer taking turns with them.
            let workers: Vec<_> = (1..self.jobs)
                .map(|_| {
                    let sender = sender.clone();
                    let (items, gate, init, work) = (&items, &gate, &init, &work);
                    scope.spawn(move || self.worker(items, gate, stop, init, work, &sender))
                })
                .collect();
            drop(sender);
            let _halt = HaltOnPanic(&gate);
            let mut consumer = Consumer {
                pending: BTreeMap::new(),
                next: 0,
                consume: &mut consume,
                failure: &mut failure,
                gate: &gate,
                stop,
                receiver: &receiver,
            };
            let mut state = init();
            while consumer.drain() {
                let taken = {
                    let Ok(mut items) = items.lock() else { break };
                    if items.0 >= consumer.next + self.window {
                        Taken::WindowFull
                    } else if let Some(item) = items.1.next() {
                        items.0 += 1;
                        Taken::Item(items.0 - 1, item)
                    } else {
                        Taken::None
                    }
                };
                match taken {
                    // The window is full: wait for what the workers send.
                    Taken::WindowFull => {
                        if !consumer.receive() {
                            break;
                        }
                    }
                    Taken::Item(seq, item) => {
                        if !consumer.work_on(seq, item, &mut state, &work) {
                            break;
                        }
                    }
                    // Nothing left to start: consume what the workers still send.
                    Taken::None => {
                        while consumer.receive() {}
                        break;
                    }
                }
            }
            // Whatever ended the run, no worker waits for a consumer that is gone.
            gate.halt();
            // A worker's panic reaches the caller as it was raised.
            for worker in workers {
                if let Err(panic) = worker.join() {
                    std::panic::resume_unwind(panic);
                }
            }
        });
        failure.map_or(Ok(()), Err)
    }

    /// A worker: takes items in turn, waits while it is a window ahead of the consumer, works.
    fn worker<I, S, R>(
        &self,
        items: &Mutex<(usize, I)>,
        gate: &Gate,
        stop: &(dyn Fn() -> bool + Sync),
        init: &impl Fn() -> S,
        work: &impl Fn(&mut S, I::Item, &mut dyn FnMut(R) -> bool) -> R,
        sender: &mpsc::Sender<Vec<Part<R>>>,
    ) where
        I: Iterator,
    {
        let _halt = HaltOnPanic(gate);
        let mut state = init();
        let mut batch: Vec<Part<R>> = Vec::with_capacity(self.batch);
        let flush = |batch: &mut Vec<Part<R>>| batch.is_empty() || sender.send(std::mem::take(batch)).is_ok();
        // Waits until item `seq` is the one being consumed, first sending what the batch holds.
        let wait_for_turn =
            |batch: &mut Vec<Part<R>>, seq: usize| flush(batch) && gate.wait_while(|consumed| consumed < seq);
        while !gate.stopped() && !stop() {
            let (seq, item) = {
                let Ok(mut items) = items.lock() else { return };
                let Some(item) = items.1.next() else { break };
                items.0 += 1;
                (items.0 - 1, item)
            };
            let window = self.window;
            if gate.consumed().is_some_and(|consumed| seq >= consumed + window)
                && !(flush(&mut batch) && gate.wait_while(|consumed| seq >= consumed + window))
            {
                return;
            }
            let mut parts = 0;
            let mut alive = true;
            let last = work(&mut state, item, &mut |value| {
                alive = alive && (parts == 0 || wait_for_turn(&mut batch, seq));
                if alive {
                    parts += 1;
                    batch.push(Part {
                        seq,
                        value,
                        last: false,
                    });
                    // The consumer is waiting for an item given in parts: send at once.
                    alive = flush(&mut batch) && !gate.stopped();
                }
                alive
            });
            if !alive || (parts > 0 && !wait_for_turn(&mut batch, seq)) {
                return;
            }
            batch.push(Part {
                seq,
                value: last,
                last: true,
            });
            if ((batch.len() >= self.batch || parts > 0) && !flush(&mut batch)) || gate.stopped() {
                return;
            }
        }
        flush(&mut batch);
    }
}

/// [`Executor::run`] on the calling thread alone: `--jobs 1` really is single-threaded.
fn run_inline<I, S, R, E>(
    items: I,
    stop: &dyn Fn() -> bool,
    init: impl Fn() -> S,
    work: impl Fn(&mut S, I::Item, &mut dyn FnMut(R) -> bool) -> R,
    mut consume: impl FnMut(R, bool) -> Result<(), E>,
) -> Result<(), E>
where
    I: Iterator,
{
    let mut state = init();
    for item in items {
        if stop() {
            break;
        }
        let mut failure = None;
        let last = work(&mut state, item, &mut |value| {
            if failure.is_none()
                && let Err(e) = consume(value, false)
            {
                failure = Some(e);
            }
            failure.is_none()
        });
        if let Some(e) = failure {
            return Err(e);
        }
        consume(last, true)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    use super::*;

    fn executor(jobs: usize, window: usize) -> Executor {
        Executor {
            jobs,
            window,
            batch: 4,
        }
    }

    /// A delay of up to a millisecond, different for each item but the same on every run.
    fn delay(item: usize) -> Duration {
        Duration::from_micros((item as u64).wrapping_mul(2_654_435_761) % 1000)
    }

    fn never() -> bool {
        false
    }

    #[test]
    fn outputs_come_in_item_order_whatever_each_item_takes() {
        for jobs in [1, 2, 4] {
            let mut seen = Vec::new();
            let done: Result<(), ()> = executor(jobs, 3).run(
                0..200usize,
                &never,
                || (),
                |_, item, _| {
                    std::thread::sleep(delay(item) / 10);
                    item * 2
                },
                |value, last| {
                    assert!(last);
                    seen.push(value);
                    Ok(())
                },
            );
            assert_eq!(done, Ok(()));
            assert_eq!(seen, (0..200).map(|i| i * 2).collect::<Vec<_>>(), "{jobs} jobs");
        }
    }

    #[test]
    fn the_calling_thread_is_one_of_the_workers() {
        for jobs in [1, 2, 3] {
            let workers = Mutex::new(std::collections::HashSet::new());
            let done: Result<(), ()> = executor(jobs, 8).run(
                0..100usize,
                &never,
                || (),
                |_, item, _| {
                    std::thread::sleep(delay(item) / 10);
                    workers.lock().unwrap().insert(std::thread::current().id());
                    item
                },
                |_, _| Ok(()),
            );
            assert_eq!(done, Ok(()));
            let workers = workers.into_inner().unwrap();
            assert!(workers.contains(&std::thread::current().id()), "{jobs} jobs");
            assert!(
                workers.len() <= jobs,
                "{} threads worked for {jobs} jobs",
                workers.len()
            );
        }
    }

    #[test]
    fn an_item_given_in_parts_is_consumed_whole_and_in_order() {
        let mut seen = Vec::new();
        let done: Result<(), ()> = executor(3, 2).run(
            0..40usize,
            &never,
            || (),
            |_, item, sink| {
                // Every fifth item comes in parts, like a large file read line by line.
                if item % 5 == 0 {
                    for piece in 0..3 {
                        std::thread::sleep(delay(item + piece) / 10);
                        assert!(sink((item, piece)));
                    }
                }
                std::thread::sleep(delay(item) / 10);
                (item, 3)
            },
            |value, last| {
                assert_eq!(last, value.1 == 3);
                seen.push(value);
                Ok(())
            },
        );
        assert_eq!(done, Ok(()));
        let expected: Vec<(usize, usize)> = (0..40)
            .flat_map(|item| {
                let first = if item % 5 == 0 { 0 } else { 3 };
                (first..4).map(move |piece| (item, piece))
            })
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn workers_never_run_more_than_a_window_ahead() {
        let (jobs, window) = (3, 5);
        let consumed = AtomicUsize::new(0);
        let ahead = AtomicUsize::new(0);
        let done: Result<(), ()> = executor(jobs, window).run(
            0..300usize,
            &never,
            || (),
            |_, item, _| {
                let behind = consumed.load(Ordering::SeqCst);
                ahead.fetch_max(item - behind.min(item), Ordering::SeqCst);
                std::thread::sleep(delay(item) / 20);
                item
            },
            |item, _| {
                // A slow consumer: workers would run far ahead if nothing held them back.
                std::thread::sleep(Duration::from_micros(50));
                consumed.store(item + 1, Ordering::SeqCst);
                Ok(())
            },
        );
        assert_eq!(done, Ok(()));
        let ahead = ahead.load(Ordering::SeqCst);
        assert!(
            ahead < window,
            "a worker started an item {ahead} past the consumer"
        );
    }

    #[test]
    fn stop_ends_the_run_before_the_remaining_items() {
        for jobs in [1, 2] {
            let consumed = AtomicUsize::new(0);
            let started = AtomicUsize::new(0);
            let stop = || consumed.load(Ordering::SeqCst) >= 10;
            let done: Result<(), ()> = executor(jobs, 4).run(
                0..1_000_000usize,
                &stop,
                || (),
                |_, item, _| {
                    started.fetch_add(1, Ordering::SeqCst);
                    item
                },
                |_, _| {
                    consumed.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                },
            );
            assert_eq!(done, Ok(()));
            // Whatever was started when the stop came: at most a window per worker and a batch.
            assert!(consumed.load(Ordering::SeqCst) < 10 + 4 + 4, "{jobs} jobs");
            assert!(started.load(Ordering::SeqCst) < 100, "{jobs} jobs");
        }
    }

    #[test]
    fn the_first_error_of_the_consumer_ends_the_run() {
        for jobs in [1, 2] {
            let mut seen = Vec::new();
            let started = AtomicUsize::new(0);
            let done = executor(jobs, 4).run(
                0..1_000_000usize,
                &never,
                || (),
                |_, item, sink| {
                    started.fetch_add(1, Ordering::SeqCst);
                    if item == 7 && !sink(item) {
                        return usize::MAX;
                    }
                    item
                },
                |item, _| {
                    if item == 7 {
                        return Err(format!("cannot take {item}"));
                    }
                    seen.push(item);
                    Ok(())
                },
            );
            assert_eq!(done, Err("cannot take 7".to_string()));
            assert_eq!(seen, (0..7).collect::<Vec<_>>(), "{jobs} jobs");
            assert!(started.load(Ordering::SeqCst) < 100, "{jobs} jobs");
        }
    }

    #[test]
    fn each_worker_keeps_its_state() {
        let mut total = 0;
        let done: Result<(), ()> = executor(2, 8).run(
            0..100usize,
            &never,
            Vec::new,
            |seen: &mut Vec<usize>, item, _| {
                // Every item a worker saw before is still in its state.
                assert!(seen.iter().all(|&earlier| earlier < item));
                seen.push(item);
                1
            },
            |one, _| {
                total += one;
                Ok(())
            },
        );
        assert_eq!(done, Ok(()));
        assert_eq!(total, 100);
    }

    #[test]
    fn a_panicking_worker_ends_the_run_with_its_panic() {
        let run = std::panic::catch_unwind(|| {
            let _: Result<(), ()> = executor(2, 2).run(
                0..1_000usize,
                &never,
                || (),
                |_, item, _| {
                    assert!(item != 5, "item 5 is bad");
                    item
                },
                |_, _| Ok(()),
            );
        });
        let panic = run.unwrap_err();
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied());
        assert!(
            message.is_some_and(|m| m.contains("item 5 is bad")),
            "{message:?}"
        );
    }
}
