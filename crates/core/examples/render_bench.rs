//! Renders every post body of a content folder and prints the time per post of quire's
//! renderer (sanitising passes included) beside plain pulldown-cmark on the same input, so the
//! ratio is measured in one run on a noisy machine; then the syntax highlighter's speed on the
//! folder's fenced code blocks.
//!
//!     cargo run --release -p quire-core --features front-matter --example render_bench -- [CONTENT]

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use quire_core::front_matter::split;
use quire_core::highlight::highlight;
use quire_core::markdown::{options, render};
use std::time::{Duration, Instant};
use std::{env, fs, hint::black_box, path::PathBuf};

fn main() -> Result<(), String> {
    let content = PathBuf::from(env::args().nth(1).unwrap_or_else(|| "../shared/corpus/osf-website".into()));
    let dir = content.join("posts");
    let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut bodies = Vec::new();
    for entry in entries.flatten() {
        let text =
            fs::read_to_string(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        if let Ok((_, body)) = split(&text) {
            bodies.push(body.to_string());
        }
    }
    if bodies.is_empty() {
        return Err(format!("no posts in {}", dir.display()));
    }
    let bytes: usize = bodies.iter().map(String::len).sum();
    let rounds = 20;
    // `RENDER_BENCH_ONLY=quire|plain`: that renderer alone, for a profiler or
    // `perf stat -e instructions:u` (a count a busy machine does not change).
    if let Ok(only) = env::var("RENDER_BENCH_ONLY") {
        for _ in 0..rounds {
            for body in &bodies {
                if only == "plain" {
                    let mut html = String::new();
                    pulldown_cmark::html::push_html(
                        &mut html,
                        pulldown_cmark::Parser::new_ext(body, options()),
                    );
                    black_box(html);
                } else {
                    black_box(render(body));
                }
            }
        }
        return Ok(());
    }
    let plain = time(rounds, || {
        for body in &bodies {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, options()));
            black_box(html);
        }
    });
    let quire = time(rounds, || {
        for body in &bodies {
            black_box(render(body));
        }
    });
    // `time` returns the best single pass over all bodies.
    let per_post = |d: Duration| d.as_secs_f64() * 1e6 / bodies.len() as f64;
    println!("{} posts, {:.1} KB of Markdown, best of {rounds} passes", bodies.len(), bytes as f64 / 1024.0);
    println!("plain pulldown-cmark  {:8.1} µs/post", per_post(plain));
    println!(
        "quire render          {:8.1} µs/post   ({:.2}× plain)",
        per_post(quire),
        quire.as_secs_f64() / plain.as_secs_f64()
    );
    let blocks = fenced_code(&bodies);
    let code_bytes: usize = blocks.iter().map(|(_, code)| code.len()).sum();
    if code_bytes == 0 {
        println!("highlighter           no fenced code in a language it knows");
    } else {
        let highlighter = time(rounds, || {
            for (info, code) in &blocks {
                black_box(highlight(info, code));
            }
        });
        println!(
            "highlighter           {:8.1} µs per KB of code ({} blocks, {:.1} KB)",
            highlighter.as_secs_f64() * 1e6 / (code_bytes as f64 / 1024.0),
            blocks.len(),
            code_bytes as f64 / 1024.0
        );
    }
    Ok(())
}

/// `(info string, code)` of every fenced block whose language the highlighter knows.
fn fenced_code(bodies: &[String]) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    for body in bodies {
        let mut open: Option<(String, String)> = None;
        for event in Parser::new_ext(body, options()) {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    open = quire_core::highlight::language(&info).map(|_| (info.to_string(), String::new()))
                }
                Event::Text(text) => {
                    if let Some((_, code)) = open.as_mut() {
                        code.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
                _ => {}
            }
        }
    }
    blocks
}

/// Best of `rounds` runs of `f`, after one warm-up.
fn time(rounds: u32, mut f: impl FnMut()) -> Duration {
    f();
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}
