//! The content compiler at the sizes the performance budget names: one 50 MB post, and 10,000
//! post files. Both steps (`build`: the JSON; `finalize`: every page prerendered, the feeds and
//! the sitemap) run as Trunk runs them. Times are printed, never asserted (machines differ);
//! what is asserted is that everything is built and nothing is lost.
//!
//! A debug build takes minutes here, so both tests are ignored by default:
//! `cargo test --profile hooks -p quire-compiler --test scale -- --ignored --nocapture` (the
//! compiler as Trunk's hooks build it, Cargo.toml `[profile.hooks]`; `--release` builds the
//! app's size-optimised profile instead, which is slower to build and to run). `finalize`
//! reads the site back from the JSON `build` wrote (src/handoff.rs), as in Trunk.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

mod common;
use common::{FRAME, run};

/// Runs `build` then `finalize` like Trunk's hooks; prints and returns nothing but panics
/// with the compiler's output on failure.
fn build(label: &str, content: &Path, out: &Path) {
    fs::write(out.join("index.html"), FRAME).expect("frame");
    for step in ["build", "finalize"] {
        let started = Instant::now();
        let cpu = children_cpu_ms();
        let output = run(step, content, out, "/");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{label} {step}: {stderr}");
        let cpu = children_cpu_ms().zip(cpu).map(|(after, before)| format!(", {} ms of CPU", after - before));
        eprintln!("{label}: {step} took {} ms{}", started.elapsed().as_millis(), cpu.unwrap_or_default());
    }
}

/// CPU time (user and system) of the child processes waited for so far, where Linux tells
/// (`/proc/self/stat`, in clock ticks of 10 ms): the machines these run on are shared, so
/// wall time says little.
fn children_cpu_ms() -> Option<u64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name in parentheses: fields 3…; cutime and cstime are fields 16 and 17.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(ticks * 10)
}

/// A config with a site URL, so that the feeds and the sitemap are written too.
fn content_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("content");
    fs::create_dir_all(dir.path().join("posts")).expect("posts");
    let config = r#"{ "title": "Scale", "categories": [{ "id": "c1", "text": "News" }, { "id": "c2", "text": "Guides" }],
        "seo": { "url": "https://scale.example/", "titleTemplate": "%s – Scale" } }"#;
    fs::write(dir.path().join("blog-config.json"), config).expect("config");
    dir
}

/// One block of varied Markdown, as posts write it: headings, emphasis, links, images, lists,
/// a table, code, raw HTML (with a script to drop) and a footnote.
fn section(n: usize, out: &mut String) {
    let _ = write!(
        out,
        "## Section {n}: what changed\n\n\
         The *release* of **version {n}** brings [better docs](https://example.org/docs/{n}) and \
         `inline code`, plus an image: ![diagram {n}](/img/diagram-{n}.png \"Diagram\").[^n{n}]\n\n\
         - first item with a [relative link](/blog/other-{n})\n- second item\n  - nested item\n\n\
         | Key | Value |\n| --- | :-: |\n| a{n} | b{n} |\n\n\
         ```rust\nfn main() {{ println!(\"{n}\"); }}\n```\n\n\
         <p style=\"text-align: center\">Centred <i>raw</i> HTML <script>alert({n})</script> text.</p>\n\n\
         > A quote with café, naïve, 日本語 and &eacute; entities.\n\n\
         [^n{n}]: Footnote {n}.\n\n"
    );
}

#[test]
#[ignore = "minutes in a debug build; run with --profile hooks (see the module docs)"]
fn a_50_mb_post_builds() {
    let content = content_dir();
    let mut body = String::with_capacity(51 << 20);
    let mut n = 0;
    while body.len() < 50 << 20 {
        section(n, &mut body);
        n += 1;
    }
    body.push_str("The last paragraph.\n");
    let post = format!("---\ntitle: Huge\ndate: 2024-01-01\ncategory:\n  - value: c1\n---\n{body}");
    fs::write(content.path().join("posts/huge.md"), &post).expect("post");
    eprintln!("50 MB post: {} bytes, {n} sections", post.len());
    let out = tempfile::tempdir().expect("out");
    build("50 MB post", content.path(), out.path());

    let file = quire_core::model::read_post_file(
        &fs::read(out.path().join("content/posts/huge.json")).expect("post"),
    )
    .expect("a post file");
    assert_eq!(file.post.body.len(), body.len(), "the whole body");
    let page = fs::read_to_string(out.path().join("blog/huge/index.html")).expect("page");
    assert!(page.contains("The last paragraph."));
    assert!(page.contains(&format!("id=\"section-{}-what-changed\"", n - 1)));
    assert!(!page.contains("alert("), "scripts dropped");
    assert!(out.path().join("rss.xml").is_file() && out.path().join("sitemap.xml").is_file());
}

#[test]
#[ignore = "minutes in a debug build; run with --profile hooks (see the module docs)"]
fn ten_thousand_files_build() {
    const POSTS: usize = 10_000;
    let content = content_dir();
    for i in 0..POSTS {
        let mut body = String::new();
        // Sizes vary as real posts do: from one section to a dozen.
        for s in 0..(1 + i % 12) {
            section(i * 100 + s, &mut body);
        }
        let category = if i % 3 == 0 { "c1" } else { "c2" };
        let post = format!(
            "---\ntemplateKey: blog-post\ntitle: Post {i}\nauthor: Author {}\ndate: 2020-01-01T00:00:00Z\n\
             category:\n  - value: {category}\nhidePost: {}\nseo:\n  description: Post {i} of many.\n  \
             url: https://scale.example/blog/post-{i}\n---\n{body}",
            i % 40,
            i % 50 == 0
        )
        // Dates spread over the years, each post its own.
        .replace(
            "2020-01-01T00:00:00Z",
            &format!("{}-{:02}-{:02}T{:02}:00:00Z", 2000 + i % 25, 1 + i % 12, 1 + i % 28, i % 24),
        );
        fs::write(content.path().join(format!("posts/post-{i}.md")), post).expect("post");
    }
    let out = tempfile::tempdir().expect("out");
    build("10,000 posts", content.path(), out.path());

    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("content/index.json")).expect("index"))
            .expect("JSON");
    assert_eq!(index["posts"].as_array().map(Vec::len), Some(POSTS));
    let pages = fs::read_dir(out.path().join("blog")).expect("pages").count();
    // Every post, plus the category and author listing folders.
    assert!(pages >= POSTS, "{pages} page folders");
    for i in [0, 4_999, POSTS - 1] {
        assert!(out.path().join(format!("blog/post-{i}/index.html")).is_file(), "post {i}");
        assert!(out.path().join(format!("content/posts/post-{i}.json")).is_file(), "post {i}");
    }
}
