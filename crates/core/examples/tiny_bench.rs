use quire_core::markdown::{options, render};
use std::hint::black_box;
use std::time::Instant;
fn main() {
    for body in ["a", "Hello *world*, it's a [link](https://x.org/).\n\n## Heading\n\nText.\n"] {
        let n = 200_000;
        let mut best_p = f64::MAX;
        let mut best_q = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            for _ in 0..n {
                let mut html = String::new();
                pulldown_cmark::html::push_html(
                    &mut html,
                    pulldown_cmark::Parser::new_ext(black_box(body), options()),
                );
                black_box(html);
            }
            best_p = best_p.min(t.elapsed().as_secs_f64() / n as f64);
            let t = Instant::now();
            for _ in 0..n {
                black_box(render(black_box(body)));
            }
            best_q = best_q.min(t.elapsed().as_secs_f64() / n as f64);
        }
        println!(
            "{:?}: plain {:.2} us, quire {:.2} us",
            &body[..body.len().min(10)],
            best_p * 1e6,
            best_q * 1e6
        );
    }
}
