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

/// V8's explicit compile hint (Chromium 136 and later): a script or module that starts with this
/// comment has all its functions compiled as it loads, instead of each one at its first call.
pub const CALLED_ON_LOAD: &str = "//# allFunctionsCalledOnLoad\n";

/// Starts each of `files` with [`CALLED_ON_LOAD`] (once; after minifying, which drops
/// comments). For the app's JS glue and its chunks' loader: they load once the text is on
/// screen, and the glue's functions the reader's first click on a post calls (about 35 that
/// nothing had called before) were otherwise compiled inside that click (README, "Prefetching").
pub fn compile_on_load(files: &[PathBuf]) -> Result<()> {
    for file in files {
        let code = fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        if !code.starts_with(CALLED_ON_LOAD) {
            crate::write::write_file(file, format!("{CALLED_ON_LOAD}{code}").as_bytes())?;
        }
    }
    Ok(())
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
    fn the_glue_is_compiled_as_it_loads() {
        let dir = std::env::temp_dir().join(format!("quire-eager-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("quire-b524278da2a202f0.js");
        fs::write(&file, "export function f(){return 1}").expect("write");
        // A second run (or a hook run twice over one folder) adds nothing.
        for _ in 0..2 {
            compile_on_load(std::slice::from_ref(&file)).expect("marked");
        }
        let code = fs::read_to_string(&file).expect("read");
        assert_eq!(code, "//# allFunctionsCalledOnLoad\nexport function f(){return 1}");
        let missing = compile_on_load(&[dir.join("missing.js")]).expect_err("no such file");
        assert!(format!("{missing:#}").contains("missing.js"), "{missing:#}");
        fs::remove_dir_all(&dir).expect("clean up");
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
