//! `quire-compiler render`: a body's HTML exactly as the post page renders it (the /admin/
//! browser test takes its expected HTML from this command).

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use quire_core::markdown::{RenderOptions, render_with};
use std::io::Write;
use std::process::{Command, Output, Stdio};

const BODY: &str = "# Title\n\nA [link](/blog/x) and ![pic](/img/a.png).\n\n<p style=\"text-align: center\" onclick=\"x()\">C</p>\n";

fn run(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire-compiler"))
        .arg("render")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the compiler runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("input written");
    child.wait_with_output().expect("the compiler finishes")
}

fn html(root: &str, markdown: &str) -> String {
    render_with(markdown, RenderOptions { url_root: root, ..RenderOptions::default() }).html
}

#[test]
fn prints_the_renderers_output_and_nothing_else() {
    let out = run(&[], BODY);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), html("", BODY));
}

#[test]
fn follows_the_public_url() {
    let out = run(&["--base", "/quire/"], BODY);
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed, html("/quire", BODY));
    assert!(printed.contains(r#"href="/quire/blog/x""#) && printed.contains(r#"src="/quire/img/a.png""#));
}

#[test]
fn a_post_file_is_read_without_its_front_matter() {
    let post = format!("---\ntitle: A post\ndate: 2024-02-29\n---\n{BODY}");
    let out = run(&["--post"], &post);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), html("", BODY));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("post.md");
    std::fs::write(&file, &post).unwrap();
    let out = run(&["--post", file.to_str().unwrap()], "");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), html("", BODY));
}

#[test]
fn problems_name_the_input() {
    let out = run(&["--post"], "---\ntitle: never closed\n");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("standard input"), "{err}");

    let out = run(&["--colour"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("unknown argument `--colour`"));

    let out = run(&["/no/such/file.md"], "");
    assert!(String::from_utf8(out.stderr).unwrap().contains("cannot read /no/such/file.md"));
}
