//! Work on every core, results in order: posts are independent (reading, serialising, feed
//! rendering), and the output must not depend on which thread did what.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` of every item, in the items' order, computed by one worker per core. Workers take the
/// next item as they finish one, so a few long posts do not leave a core idle. A panic in `f`
/// is resumed in the caller, as if `f` had run there.
pub fn map<'a, T: Sync, R: Send>(items: &'a [T], f: impl Fn(&'a T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { return done };
            done.push((i, f(item)));
        }
    };
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, result) in parts.into_iter().flatten() {
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(result);
        }
    }
    // Every index below `items.len()` was taken by exactly one worker.
    slots.into_iter().flatten().collect()
}

/// `a()` on another thread while `b()` runs on this one.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        (a.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_items_order() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work, so that workers finish out of order.
        let squares = map(&items, |&i| {
            if i % 7 == 0 {
                std::thread::yield_now();
            }
            i * i
        });
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert_eq!(map(&[] as &[u64], |&i| i), Vec::<u64>::new());
        assert_eq!(map(&[3u64], |&i| i + 1), vec![4]);
    }

    #[test]
    #[should_panic(expected = "item 5")]
    fn a_panic_reaches_the_caller() {
        let items: Vec<u32> = (0..10).collect();
        map(&items, |&i| if i == 5 { panic!("item {i}") } else { i });
    }
}
