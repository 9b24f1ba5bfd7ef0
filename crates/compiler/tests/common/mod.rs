//! What the compiler's integration tests share: running the compiler as Trunk's hooks do.
//! Each test file uses part of it (`mod common;`).

#![allow(dead_code, clippy::expect_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use tempfile::TempDir;

/// What Trunk writes into dist/index.html for quire (trimmed to what matters).
pub const FRAME: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    \
<meta name=\"quire-base\" content=\"/\" />\n    <title>Blog</title>\n    \
<link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\" />\n\
<script type=\"module\">\nimport init, * as bindings from '/quire-0123456789abcdef.js';\n\
const wasm = await init({ module_or_path: '/quire-0123456789abcdef_bg.wasm' });\n</script></head>\n  <body>\n  </body>\n</html>\n";

/// `quire-compiler <step> --content <content> --out <out>` as Trunk's hook runs it for the
/// public URL `public_url` (`out` its staging folder, `TRUNK_STAGING_DIR`), and with nothing
/// taken from the caller's environment (`QUIRE_CONTENT`). /admin/ (the Decap CMS editor, admin.rs) is off:
/// it has its own tests; these are about the content. So is the renderer module (modules.rs),
/// which a nested cargo build would make: the browser tests load it from real builds.
pub fn run(step: &str, content: &Path, out: &Path, public_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire-compiler"))
        .arg(step)
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(out)
        .env_remove("QUIRE_CONTENT")
        .env("TRUNK_STAGING_DIR", out)
        .env("TRUNK_PUBLIC_URL", public_url)
        .env("QUIRE_ADMIN", "off")
        .env("QUIRE_RENDERER", "off")
        .output()
        .expect("the compiler runs")
}

/// The build step alone (the pre_build hook) into `out`.
pub fn compile(content: &Path, out: &Path) -> Output {
    run("build", content, out, "/")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Both hooks into `out`, which gets Trunk's page frame first; both must succeed.
pub fn build_into(content: &Path, out: &Path, public_url: &str) {
    fs::write(out.join("index.html"), FRAME).expect("frame");
    for step in ["build", "finalize"] {
        let output = run(step, content, out, public_url);
        assert!(output.status.success(), "{step}: {}", stderr(&output));
    }
}

/// Both hooks into a fresh temp dist.
pub fn build_site(content: &Path, public_url: &str) -> TempDir {
    let out = tempfile::tempdir().expect("out");
    build_into(content, out.path(), public_url);
    out
}
