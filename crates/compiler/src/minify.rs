//! The site's JavaScript modules minified in release builds: the app's JS glue (wasm-bindgen's
//! output, which Trunk copies as it is) and the renderer module's. With terser (npm, pinned in
//! package.json; scripts/setup installs it): the app's glue goes from 8.4 to 6.4 KB brotli
//! (60 to 27 KB raw, less for the browser to parse before the app starts).
//!
//! Trunk's own `--minify` cannot do it: its JavaScript minifier fails on wasm-bindgen's glue and
//! leaves it as it is, and its HTML minifier drops the attribute quotes the prerender reads
//! (README, "Wasm size levers").

use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `QUIRE_MINIFY=on|off` decides instead of the build's profile.
pub const SWITCH: &str = "QUIRE_MINIFY";

/// Whether this build minifies: release builds do, debug builds (`trunk serve`) do not.
pub fn enabled() -> Result<bool> {
    crate::modules::release_switch(SWITCH)
}

/// The app's JS glue in `out`: `quire-<hash>.js`, as Trunk names it, its hash unpadded hex (16
/// digits, fewer when it starts with zeros). The loader and the renderer module have longer
/// prefixes.
pub fn app_glue(out: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(out) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.file_name().and_then(|n| n.to_str()).is_some_and(is_app_glue))
        .collect();
    found.sort();
    found
}

fn is_app_glue(name: &str) -> bool {
    name.strip_prefix("quire-")
        .and_then(|rest| rest.strip_suffix(".js"))
        .is_some_and(|hash| (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// terser from the project's npm tools, else from PATH.
fn terser(workspace: &Path) -> PathBuf {
    let local = workspace.join("node_modules/.bin/terser");
    if local.is_file() { local } else { PathBuf::from("terser") }
}

/// Minifies each of `files` in place (an ES module each). Returns a warning when terser is
/// missing (the files are then left as they are); terser failing on a file is an error that
/// names it.
pub fn minify(workspace: &Path, files: &[PathBuf]) -> Result<Option<String>> {
    let terser = terser(workspace);
    for file in files {
        let output = Command::new(&terser)
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(file)
            .arg(file)
            .stdout(Stdio::null())
            .output();
        let output = match output {
            Ok(output) => output,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Some(format!(
                    "terser is not installed: the site's JavaScript is not minified (scripts/setup \
                     installs it into node_modules; {SWITCH}=off builds without it)"
                )));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot run {}", terser.display())),
        };
        if !output.status.success() {
            bail!(
                "terser failed on {} ({}):\n{}",
                file.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_builds_minify_and_the_setting_wins() {
        let enabled_for = |profile, setting| crate::modules::release_switch_for(SWITCH, profile, setting);
        assert!(enabled_for(Some("release"), None).expect("valid"));
        assert!(!enabled_for(Some("debug"), None).expect("valid"));
        assert!(!enabled_for(Some("release"), Some("off")).expect("valid"));
        let err = enabled_for(Some("debug"), Some("yes")).expect_err("invalid");
        assert!(err.to_string().contains("QUIRE_MINIFY"), "{err}");
    }

    #[test]
    fn finds_the_app_glue_only() {
        assert!(is_app_glue("quire-b524278da2a202f0.js"));
        // Trunk writes its hash as unpadded hex: one starting with a zero has 15 digits.
        assert!(is_app_glue("quire-8b5b9ad3914c1e7.js"));
        for name in [
            "quire-loader-3a7de15248657362.js",
            "quire-render-fed20031012cdc94.js",
            "quire-b524278da2a202f0_bg.wasm",
            "quire-b524278da.js",
            "quire-b524278da2a202fg.js",
            "sw.js",
        ] {
            assert!(!is_app_glue(name), "{name}");
        }
    }
}
