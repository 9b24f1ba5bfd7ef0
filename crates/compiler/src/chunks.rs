//! The app's route chunks (src/chunks.rs) written into the site.
//!
//! The wasm32 linker (`scripts/wasm-ld`) cut the app into its main module, which Trunk then
//! bound and optimised like any app, and chunks it left beside cargo's output with
//! `__wasm_split.js`, which loads them. Here, after Trunk:
//!
//! - each chunk is optimised like the app (`wasm-opt -Oz`, release builds) and named by a hash
//!   of its bytes, `quire-split-<name>-<hash>.wasm` (`listing`, `search`, and `chunk_<n>` for
//!   code that several splits share);
//! - `__wasm_split.js` becomes `quire-split-<hash>.js`, naming those files and the app's glue;
//! - the app's glue, which imports `./__wasm_split.js`, imports that file instead and gets a
//!   new hash in its name (the loader in `index.html` follows), so a host's or a browser's
//!   cached glue never pairs one build's main module with another build's chunks.
//!
//! Every file sits beside the glue at the top of the site: the JavaScript names them
//! relative to itself (`new URL(…, import.meta.url)`), which works under any base path. The
//! service worker precaches them (offline.rs).

use crate::write::write_file;
use anyhow::{Context, Result, bail};
use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file written here starts with it.
pub const PREFIX: &str = "quire-split";
/// How the glue imports the chunks' loader, as wasm-bindgen wrote it. Only these imports are
/// renamed: the same string is also the key of the wasm's imports (its import module's name).
const SPLIT_IMPORT: &str = "from \"./__wasm_split.js\"";
/// The app's binary name: cargo's `quire.wasm`, wasm-split's `./quire.js`.
const APP: &str = "quire";

/// What [`write_chunks`] wrote.
#[derive(Debug, Default)]
pub struct Chunks {
    /// The loader, `quire-split-<hash>.js`.
    pub js: String,
    /// Each chunk: its file name and size in bytes.
    pub wasm: Vec<(String, u64)>,
    /// wasm-opt was not run (a debug build, as Trunk does not run it on the app there).
    pub unoptimised: bool,
}

/// Writes the app's chunks into `out`, where Trunk has just built the app, and renames its glue
/// (see the module's documentation). `None` when the app has no split points.
pub fn write_chunks(workspace: &Path, out: &Path) -> Result<Option<Chunks>> {
    let glues = crate::minify::app_glue(out);
    let glue_path = match glues.as_slice() {
        [] => return Ok(None),
        [one] => one.clone(),
        more => bail!(
            "{}: {} JS glue files of the app (quire-<hash>.js); expected one",
            out.display(),
            more.len()
        ),
    };
    let glue =
        fs::read_to_string(&glue_path).with_context(|| format!("cannot read {}", glue_path.display()))?;
    if !glue.contains(SPLIT_IMPORT) {
        return Ok(None);
    }
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p != "debug");
    let target =
        target_dir(workspace)?.join("wasm32-unknown-unknown").join(if release { "release" } else { "debug" });
    let built = target.join(format!("{APP}.wasm"));
    let split = Split { dir: split_dir(&target.join("wasm-split"), &built)?, built };
    write_split(&split, out, (glue_path, glue), release).map(Some)
}

/// The linker's output for the app cargo reports as `built`: `scripts/wasm-ld` keeps the chunks
/// of each link artifact (`quire-<hash>/`) beside the main module they were cut with
/// (`main.wasm`). Cargo may report an artifact it linked before another build's (one with
/// another profile), so the directory is the one whose main module is `built`, byte for byte;
/// with none, the first found, which `write_split` then rejects with its explanation.
fn split_dir(root: &Path, built: &Path) -> Result<PathBuf> {
    let built_bytes = fs::read(built).with_context(|| format!("cannot read {}", built.display()))?;
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .with_context(|| {
            format!(
                "cannot read {} (is the wasm32 linker scripts/wasm-ld, .cargo/config.toml?)",
                root.display()
            )
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            // `quire/`: the linker's earlier layout, one directory for every link.
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n == APP || n.starts_with(&format!("{APP}-")))
                && p.join("main.wasm").is_file()
        })
        .collect();
    dirs.sort();
    if let Some(found) = dirs.iter().find(|d| fs::read(d.join("main.wasm")).is_ok_and(|b| b == built_bytes)) {
        return Ok(found.clone());
    }
    dirs.into_iter().next().ok_or_else(|| {
        anyhow::anyhow!(
            "{}: no chunks of the app (quire-<hash>/main.wasm): is the wasm32 linker scripts/wasm-ld \
             (.cargo/config.toml)?",
            root.display()
        )
    })
}

/// Where the linker left the chunks, and the module cargo reports as the app.
struct Split {
    dir: PathBuf,
    built: PathBuf,
}

fn write_split(
    split: &Split,
    out: &Path,
    (glue_path, glue): (PathBuf, String),
    release: bool,
) -> Result<Chunks> {
    let dir = &split.dir;
    same_link(&split.built, &dir.join("main.wasm"))?;

    for entry in fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?.flatten() {
        if entry.file_name().to_string_lossy().starts_with(PREFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
    let mut loader = fs::read_to_string(dir.join("__wasm_split.js"))
        .with_context(|| format!("cannot read {}", dir.join("__wasm_split.js").display()))?;
    let mut chunks = Chunks { unoptimised: !release, ..Chunks::default() };
    for (stem, path) in chunk_files(dir)? {
        let bytes = if release { optimise(&path)? } else { fs::read(&path)? };
        let short = stem.strip_prefix("split_").unwrap_or(&stem);
        let name = format!("{PREFIX}-{short}-{:016x}.wasm", hash(&[&bytes]));
        let written = format!("\"./{stem}.wasm\"");
        if !loader.contains(&written) {
            bail!("{}: does not name {stem}.wasm", dir.join("__wasm_split.js").display());
        }
        loader = loader.replace(&written, &format!("\"./{name}\""));
        write_file(&out.join(&name), &bytes)?;
        chunks.wasm.push((name, bytes.len() as u64));
    }

    // Each name depends on both files' other contents (see the module's documentation).
    let glue_name = glue_path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let js = format!("{PREFIX}-{:016x}.js", hash(&[loader.as_bytes(), glue.as_bytes()]));
    let glue = glue.replace(SPLIT_IMPORT, &format!("from \"./{js}\""));
    let new_glue = format!("{APP}-{:016x}.js", hash(&[glue.as_bytes()]));
    let main_import = format!("\"./{APP}.js\"");
    if !loader.contains(&main_import) {
        bail!("{}: does not import {main_import}", dir.join("__wasm_split.js").display());
    }
    let loader = loader.replace(&main_import, &format!("\"./{new_glue}\""));
    write_file(&out.join(&js), loader.as_bytes())?;
    write_file(&out.join(&new_glue), glue.as_bytes())?;
    if new_glue != glue_name {
        fs::remove_file(&glue_path).with_context(|| format!("cannot remove {}", glue_path.display()))?;
    }
    // The loader in index.html, from which every page is made.
    let index = out.join("index.html");
    let html = fs::read_to_string(&index).with_context(|| format!("cannot read {}", index.display()))?;
    if !html.contains(&glue_name) {
        bail!("{}: does not name the app's glue {glue_name}", index.display());
    }
    write_file(&index, html.replace(&glue_name, &new_glue).as_bytes())?;
    chunks.js = js;
    Ok(chunks)
}

/// The chunks beside the main module, by name (`split_listing`, `chunk_3`), in name order.
fn chunk_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?.flatten() {
        let path = entry.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        if path.extension().is_some_and(|e| e == "wasm") && stem != "main" {
            found.push((stem.to_string(), path.clone()));
        }
    }
    found.sort();
    Ok(found)
}

/// The chunks were cut from the module cargo built last (the one Trunk bound), not from an
/// earlier link.
fn same_link(built: &Path, split_from: &Path) -> Result<()> {
    let read = |path: &Path| fs::read(path).with_context(|| format!("cannot read {}", path.display()));
    if read(built)? != read(split_from)? {
        bail!(
            "the app's chunks in {} were cut from another build of the app than {}: link the app \
             again (`touch src/main.rs`, then `trunk build`: cargo reuses an app it linked \
             before without linking it again); is the wasm32 linker scripts/wasm-ld \
             (.cargo/config.toml)?",
            split_from.parent().unwrap_or(split_from).display(),
            built.display()
        );
    }
    Ok(())
}

fn optimise(path: &Path) -> Result<Vec<u8>> {
    let optimised = path.with_extension("opt");
    // Its output is kept for a failure: wasm-opt warns on every chunk that it does not know one
    // part of the splitter's name section, which it drops anyway.
    let output = Command::new("wasm-opt")
        .args(crate::modules::FOR_SIZE.wasm_opt)
        .args(crate::modules::WASM_OPT_FEATURES)
        .arg(path)
        .arg("-o")
        .arg(&optimised)
        .output()
        .map_err(|e| {
            anyhow::anyhow!("cannot run wasm-opt for the app's chunks: {e} (scripts/setup installs it)")
        })?;
    if !output.status.success() {
        bail!(
            "wasm-opt failed on {} ({}):\n{}",
            path.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let bytes = fs::read(&optimised).with_context(|| format!("cannot read {}", optimised.display()))?;
    let _ = fs::remove_file(&optimised);
    Ok(bytes)
}

fn hash(parts: &[&[u8]]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    for part in parts {
        hasher.write(part);
    }
    hasher.finish()
}

/// Cargo's target folder for the workspace (`CARGO_TARGET_DIR`, `build.target-dir` or
/// `target/`), as `cargo metadata` reports it.
fn target_dir(workspace: &Path) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline", "--manifest-path"])
        .arg(workspace.join("Cargo.toml"))
        .output()
        .with_context(|| format!("cannot run {cargo} metadata"))?;
    if !output.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("cargo metadata's output")?;
    metadata
        .get("target_directory")
        .and_then(|t| t.as_str())
        .map(PathBuf::from)
        .context("cargo metadata names no target_directory")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "import * as import1 from \"./__wasm_split.js\"\n\
        import * as import2 from \"./__wasm_split.js\"\n\
        const imports = { \"./__wasm_split.js\": import1 };\n";
    const LOADER: &str = "import { initSync } from \"./quire.js\";\n\
        const a = fetch(new URL(\"./split_listing.wasm\", import.meta.url));\n\
        const b = fetch(new URL(\"./chunk_3.wasm\", import.meta.url));\n";

    /// A site as Trunk leaves it, and a split as scripts/wasm-ld leaves it.
    fn site() -> (tempfile::TempDir, Split, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let (out, dir) = (root.path().join("out"), root.path().join("split"));
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&dir).unwrap();
        fs::write(out.join("index.html"), "<script>import('/quire-0123456789abcdef.js')</script>").unwrap();
        fs::write(out.join("quire-0123456789abcdef.js"), GLUE).unwrap();
        fs::write(out.join("quire-split-old-0000000000000000.wasm"), "stale").unwrap();
        fs::write(dir.join("__wasm_split.js"), LOADER).unwrap();
        fs::write(dir.join("split_listing.wasm"), "listing").unwrap();
        fs::write(dir.join("chunk_3.wasm"), "shared").unwrap();
        fs::write(dir.join("main.wasm"), "main").unwrap();
        let built = root.path().join("quire.wasm");
        fs::write(&built, "main").unwrap();
        let glue = out.join("quire-0123456789abcdef.js");
        (root, Split { dir, built }, glue)
    }

    fn write(root: &tempfile::TempDir, split: &Split, glue: PathBuf) -> Result<Chunks> {
        write_split(split, &root.path().join("out"), (glue, GLUE.to_string()), false)
    }

    #[test]
    fn chunks_are_named_by_content_and_linked_from_the_renamed_glue() {
        let (root, split, glue_path) = site();
        let chunks = write(&root, &split, glue_path).unwrap();
        let out = root.path().join("out");

        let named = |prefix: &str| chunks.wasm.iter().find(|(n, _)| n.starts_with(prefix)).unwrap().0.clone();
        let (listing, shared) = (named("quire-split-listing-"), named("quire-split-chunk_3-"));
        assert_eq!(fs::read_to_string(out.join(&listing)).unwrap(), "listing");
        assert!(
            !out.join("quire-split-old-0000000000000000.wasm").exists(),
            "an earlier build's chunk is removed"
        );
        let glues = crate::minify::app_glue(&out);
        assert_eq!(glues.len(), 1);
        let glue_name = glues[0].file_name().unwrap().to_str().unwrap().to_string();
        assert_ne!(glue_name, "quire-0123456789abcdef.js");

        // The loader names the chunks and the glue as written.
        let loader = fs::read_to_string(out.join(&chunks.js)).unwrap();
        assert!(loader.contains(&format!("\"./{listing}\"")) && loader.contains(&format!("\"./{shared}\"")));
        assert!(loader.contains(&format!("from \"./{glue_name}\"")), "{loader}");
        // The glue imports the loader; the wasm's import module keeps its name.
        let glue = fs::read_to_string(&glues[0]).unwrap();
        assert_eq!(glue.matches(&format!("from \"./{}\"", chunks.js)).count(), 2, "{glue}");
        assert!(glue.contains("{ \"./__wasm_split.js\": import1 }"), "{glue}");
        // The page's loader follows the glue's new name.
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        assert_eq!(index, format!("<script>import('/{glue_name}')</script>"));
    }

    #[test]
    fn another_chunk_renames_the_loader_and_the_glue() {
        let (first_root, split, glue) = site();
        let first = write(&first_root, &split, glue).unwrap();
        let (second_root, split, glue) = site();
        fs::write(split.dir.join("split_listing.wasm"), "listing, changed").unwrap();
        let second = write(&second_root, &split, glue).unwrap();
        assert_ne!(first.js, second.js);
        let glue = |root: &tempfile::TempDir| crate::minify::app_glue(&root.path().join("out"))[0].clone();
        assert_ne!(glue(&first_root).file_name(), glue(&second_root).file_name());
    }

    #[test]
    fn the_chunks_are_those_cut_with_the_module_cargo_reports() {
        let root = tempfile::tempdir().unwrap();
        let splits = root.path().join("wasm-split");
        for (artifact, main) in
            [("quire-aaaa", "linked with one profile"), ("quire-bbbb", "linked with another")]
        {
            fs::create_dir_all(splits.join(artifact)).unwrap();
            fs::write(splits.join(artifact).join("main.wasm"), main).unwrap();
        }
        // Another binary's link, and a directory without a main module, are never taken; the
        // earlier layout's `quire/` is.
        fs::create_dir_all(splits.join("quire")).unwrap();
        fs::write(splits.join("quire").join("main.wasm"), "linked before").unwrap();
        fs::create_dir_all(splits.join("quire-render-cccc")).unwrap();
        fs::create_dir_all(splits.join("quire-dddd")).unwrap();
        let built = root.path().join("quire.wasm");
        for (main, expected) in
            [("linked with another", "quire-bbbb"), ("linked with one profile", "quire-aaaa")]
        {
            fs::write(&built, main).unwrap();
            assert_eq!(split_dir(&splits, &built).unwrap(), splits.join(expected));
        }
        // None matches: one is returned, which `same_link` then rejects with its explanation.
        fs::write(&built, "linked a third time").unwrap();
        let found = split_dir(&splits, &built).unwrap();
        assert_eq!(found, splits.join("quire"));
        let error = same_link(&built, &found.join("main.wasm")).unwrap_err().to_string();
        assert!(error.contains("cut from another build of the app"), "{error}");
        let empty = root.path().join("none");
        fs::create_dir_all(&empty).unwrap();
        assert!(split_dir(&empty, &built).unwrap_err().to_string().contains("no chunks of the app"));
    }

    #[test]
    fn chunks_of_another_link_are_an_error() {
        let (root, split, glue) = site();
        fs::write(&split.built, "main, linked again").unwrap();
        let error = write(&root, &split, glue).unwrap_err();
        assert!(error.to_string().contains("cut from another build of the app"), "{error}");
    }

    #[test]
    fn an_app_without_split_points_has_no_chunks() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("quire-0123456789abcdef.js"), "import * as a from \"./snippets/x.js\"")
            .unwrap();
        assert!(write_chunks(Path::new("."), root.path()).unwrap().is_none());
        assert!(write_chunks(Path::new("."), &root.path().join("none")).unwrap().is_none());
    }
}
