//! The wasm modules the site loads besides Trunk's app, built by `finalize` with the tools
//! Trunk uses (cargo for wasm32, wasm-bindgen `--target web`, wasm-opt):
//!
//! - `crates/render`, the Markdown renderer the browser app fetches the first time it renders
//!   a post itself ([`write_renderer`]): `quire-render-<hash>.js` + `_bg.wasm` at the top of
//!   the site, named in the loader so that the app finds them and the service worker
//!   precaches them;
//! - `crates/preview`, the /admin/ editor's preview (admin.rs).
//!
//! Each is cached beside cargo's output, keyed by the module cargo built, so a build whose
//! module code did not change costs one no-op `cargo build`.

use crate::write::write_file;
use anyhow::{Context, Result, bail};
use std::fs;
use std::hash::Hasher;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The features rustc enables by default for wasm32, as index.html passes them to Trunk's
/// wasm-opt: binaryen must be told, or it rejects the module.
pub(crate) const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

const RENDER_CRATE: &str = "quire-render";
/// How the renderer's files are named in the site: `quire-render-<hash>.js` and
/// `quire-render-<hash>_bg.wasm` (hashed like Trunk's, so the hosts' and the service worker's
/// rules for immutable assets apply).
pub const RENDER_PREFIX: &str = "quire-render-";

/// A wasm module bound for the browser.
pub struct Module {
    pub js: Vec<u8>,
    pub wasm: Vec<u8>,
    /// It came from the cache (its code had not changed).
    pub cached: bool,
    /// wasm-opt was not on PATH (a debug build, `trunk serve`, which does not need it for the
    /// app): the module is as wasm-bindgen wrote it, larger but the same code.
    pub unoptimised: bool,
}

/// The warning for a module built without wasm-opt (`what` names it), if it was.
pub fn unoptimised_warning(unoptimised: bool, what: &str) -> Option<String> {
    unoptimised.then(|| {
        format!(
            "wasm-opt is not on PATH: {what} is not optimised (scripts/setup installs it; \
             `source scripts/env.sh` puts it on PATH)"
        )
    })
}

/// The renderer's files as written into a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renderer {
    /// URLs under the base path: `/quire/quire-render-<hash>.js`.
    pub js: String,
    pub wasm: String,
    pub wasm_bytes: u64,
    pub cached: bool,
    pub unoptimised: bool,
}

impl Renderer {
    /// The loader's first line for it: where the app finds the module (`src/api.rs`). Quoted,
    /// so the service worker's precache list picks both files up from the loader (offline.rs).
    /// `load` asks for the JS glue and the wasm at once, not the wasm once the glue has run.
    pub fn loader_line(&self) -> String {
        format!(
            "// The Markdown renderer (crates/render): the app loads it the first time it renders a post.\n\
             globalThis.quireRenderer = {{ js: \"{}\", wasm: \"{}\", load(again) {{ const wasm = fetch(this.wasm + again); \
             wasm.catch(() => {{}}); return import(this.js + again)\
             .then(async (m) => {{ await m.default({{ module_or_path: wasm }}); return m; }}); }} }};\n",
            self.js, self.wasm
        )
    }
}

/// `QUIRE_RENDERER=off` builds a site whose pages name no renderer: the app then opens a post
/// it has not rendered by loading its prerendered page. For the compiler's own tests, which
/// must not start a nested cargo build; a site built for readers keeps the default (`on`).
pub const RENDERER_SWITCH: &str = "QUIRE_RENDERER";

/// Whether `QUIRE_RENDERER` allows the renderer module (unset: yes).
pub fn renderer_enabled() -> Result<bool> {
    switch(RENDERER_SWITCH, "use `on` (the default) or `off`")
}

/// An on/off environment variable whose default is the build's profile: on in release builds
/// (Trunk's `TRUNK_PROFILE=release`, or the compiler run by hand), off in debug builds
/// (`trunk serve`); `on` or `off` decides instead, anything else is an error.
pub fn release_switch(name: &str) -> Result<bool> {
    let profile = std::env::var("TRUNK_PROFILE").ok();
    let setting = std::env::var(name).ok();
    release_switch_for(name, profile.as_deref(), setting.as_deref())
}

/// [`release_switch`] for Trunk's `profile` and the variable's `setting`.
pub fn release_switch_for(name: &str, profile: Option<&str>, setting: Option<&str>) -> Result<bool> {
    match setting.map(str::trim).filter(|s| !s.is_empty()) {
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(other) => bail!("{name} must be `on` or `off`, not `{other}`"),
        // Trunk says `debug` or `release`; the compiler run by hand is a release build.
        None => Ok(profile != Some("debug")),
    }
}

/// An on/off environment variable that is on unless set to `off` (or `0`, `false`, `no`);
/// any other value is an error that says `usage`.
pub fn switch(name: &str, usage: &str) -> Result<bool> {
    let value = std::env::var(name).unwrap_or_default();
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "on" | "1" | "true" | "yes" => Ok(true),
        "off" | "0" | "false" | "no" => Ok(false),
        other => bail!("{name}=`{other}`: {usage}"),
    }
}

/// Builds `crates/render` and writes it into `out` (the site, under the base path `base`).
/// Files of an earlier build's renderer are removed.
pub fn write_renderer(workspace: &Path, out: &Path, base: &str) -> Result<Renderer> {
    let module = build(workspace, RENDER_CRATE, RENDERER, "the app's Markdown renderer")?;
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(&module.js);
    hasher.write(&module.wasm);
    let stem = format!("{RENDER_PREFIX}{:016x}", hasher.finish());
    if let Ok(entries) = fs::read_dir(out) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(RENDER_PREFIX) && !name.starts_with(&stem) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    let (js, wasm) = (format!("{stem}.js"), format!("{stem}_bg.wasm"));
    write_file(&out.join(&js), &module.js)?;
    write_file(&out.join(&wasm), &module.wasm)?;
    Ok(Renderer {
        js: format!("{base}/{js}"),
        wasm: format!("{base}/{wasm}"),
        wasm_bytes: module.wasm.len() as u64,
        cached: module.cached,
        unoptimised: module.unoptimised,
    })
}

/// The repository (the workspace whose crates the modules are built from).
pub fn workspace_root() -> PathBuf {
    workspace_from(std::env::var_os("TRUNK_SOURCE_DIR"))
}

/// `trunk_source` (Trunk's `TRUNK_SOURCE_DIR`: it names the folder of the index.html it builds,
/// the workspace's root, to its hooks) if it holds a Cargo.toml, else the workspace this binary
/// was built from. Trunk's is the checkout being built even when this binary was built from
/// another one sharing its target folder: cargo does not rebuild it for a new
/// `CARGO_MANIFEST_DIR`, and it then read the other checkout's wasm.
fn workspace_from(trunk_source: Option<std::ffi::OsString>) -> PathBuf {
    match trunk_source {
        Some(dir) if Path::new(&dir).join("Cargo.toml").is_file() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
    }
}

/// How a module is optimised: cargo's profile and wasm-opt's level (with its options).
#[derive(Clone, Copy)]
pub struct Profile {
    pub cargo: &'static str,
    pub wasm_opt: &'static [&'static str],
}

/// For size: the app's `[profile.release]` (opt-level z, LTO) and `-Oz`, as Trunk builds the app.
pub const FOR_SIZE: Profile = Profile { cargo: "release", wasm_opt: &["-Oz"] };
/// The renderer's: `[profile.wasm-render]` (the release profile at opt-level s) and `-O3`. The
/// app loads it when it first renders a post, never on a prerendered first view. At opt-level
/// 3 it rendered 1–4 % faster once optimised, but Chromium took twice the CPU to optimise it,
/// during the reader's first clicks on posts (README, "Wasm size levers").
///
/// wasm-opt inlines a function that has one caller whatever its size; here it made the
/// renderer's three largest functions 28–38 KB of wasm each (the Markdown passes with the HTML
/// writer, pulldown-cmark's block parser, its inline parser). A browser optimises a hot
/// function whole, on background threads, and the time grows faster than the size: capped at
/// 2,000 bytes, Chromium optimised the renderer's hot code in about a quarter less time (its
/// longest single compile a third shorter), and the corpus rendered as fast (README
/// "Prefetching").
pub const RENDERER: Profile =
    Profile { cargo: "wasm-render", wasm_opt: &["-O3", "--one-caller-inline-max-function-size=2000"] };

/// Builds the library crate `package` for wasm32 with `profile`, binds it with wasm-bindgen
/// (`--target web`) and optimises it with wasm-opt. `what` names it in errors.
pub fn build(workspace: &Path, package: &str, profile: Profile, what: &str) -> Result<Module> {
    let lib_name = package.replace('-', "_");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = workspace.join("Cargo.toml");
    let mut child = Command::new(&cargo)
        .args(["build", "--quiet", "--profile", profile.cargo, "--lib", "--target", "wasm32-unknown-unknown"])
        .args(["--package", package, "--message-format=json-render-diagnostics", "--manifest-path"])
        .arg(&manifest)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| tool_error(&cargo, e, what, "install Rust with rustup"))?;
    let mut built = None;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.context("cannot read cargo's output")?;
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
            let field = |path: &str| message.pointer(path).and_then(serde_json::Value::as_str);
            if field("/reason") == Some("compiler-artifact") && field("/target/name") == Some(&lib_name) {
                let files = message
                    .get("filenames")
                    .and_then(|f| f.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f.as_str());
                if let Some(wasm) = files.into_iter().find(|f| f.ends_with(".wasm")) {
                    built = Some(PathBuf::from(wasm));
                }
            }
        }
    }
    let status = child.wait().context("cargo did not finish")?;
    if !status.success() {
        bail!(
            "building {what} ({package} for wasm32-unknown-unknown) failed; see cargo's messages above \
             (the target comes with scripts/setup)"
        );
    }
    let built = built.with_context(|| format!("cargo built {package} but named no .wasm file"))?;
    let module = fs::read(&built).with_context(|| format!("cannot read {}", built.display()))?;

    // A release build has wasm-opt (Trunk runs it on the app); a debug build may not.
    let unoptimised = Command::new("wasm-opt")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err();
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(&module);
    hasher.write(WASM_OPT_FEATURES.join(" ").as_bytes());
    hasher.write(profile.wasm_opt.join(" ").as_bytes());
    hasher.write_u8(u8::from(unoptimised));
    let stamp = format!("{:016x}\n", hasher.finish());
    let cache = built.with_file_name(format!("{lib_name}-web"));
    let (js_path, wasm_path) =
        (cache.join(format!("{lib_name}.js")), cache.join(format!("{lib_name}_bg.wasm")));
    let cached = fs::read_to_string(cache.join("stamp")).is_ok_and(|s| s == stamp)
        && js_path.is_file()
        && wasm_path.is_file();
    if !cached {
        let _ = fs::remove_dir_all(&cache);
        fs::create_dir_all(&cache).with_context(|| format!("cannot create {}", cache.display()))?;
        run(
            Command::new("wasm-bindgen")
                .args(["--target", "web", "--no-typescript", "--out-name", &lib_name, "--out-dir"])
                .arg(&cache)
                .arg(&built),
            "wasm-bindgen",
            what,
            "scripts/setup installs wasm-bindgen-cli, matching Cargo.lock",
        )?;
        if !unoptimised {
            let bound = cache.join(format!("{lib_name}_bg.wasm"));
            let optimised = cache.join("optimised.wasm");
            run(
                Command::new("wasm-opt")
                    .args(profile.wasm_opt)
                    .args(WASM_OPT_FEATURES)
                    .arg(&bound)
                    .arg("-o")
                    .arg(&optimised),
                "wasm-opt",
                what,
                "scripts/setup installs binaryen's; `source scripts/env.sh` puts it on PATH",
            )?;
            fs::rename(&optimised, &wasm_path)
                .with_context(|| format!("cannot write {}", wasm_path.display()))?;
        }
        write_file(&cache.join("stamp"), stamp.as_bytes())?;
    }
    let wasm = fs::read(&wasm_path).with_context(|| format!("cannot read {}", wasm_path.display()))?;
    let js = fs::read(&js_path).with_context(|| format!("cannot read {}", js_path.display()))?;
    Ok(Module { js, wasm, cached, unoptimised })
}

fn run(command: &mut Command, tool: &str, what: &str, hint: &str) -> Result<()> {
    let output = command.stdout(Stdio::null()).output().map_err(|e| tool_error(tool, e, what, hint))?;
    if !output.status.success() {
        bail!(
            "{tool} failed building {what} ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

fn tool_error(tool: &str, error: std::io::Error, what: &str, hint: &str) -> anyhow::Error {
    if error.kind() == std::io::ErrorKind::NotFound {
        anyhow::anyhow!("{tool} not found on PATH: the build needs it for {what} ({hint})")
    } else {
        anyhow::anyhow!("cannot run {tool}: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::workspace_from;
    use std::path::Path;

    #[test]
    fn the_workspace_is_the_one_trunk_builds() {
        let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        assert_eq!(workspace_from(None), own);
        let other = tempfile::tempdir().expect("a temporary folder");
        // Not a workspace (no Cargo.toml): this binary's own.
        assert_eq!(workspace_from(Some(other.path().into())), own);
        std::fs::write(other.path().join("Cargo.toml"), "[workspace]\n").expect("a Cargo.toml");
        assert_eq!(workspace_from(Some(other.path().into())), other.path());
    }
}
