//! Offline reading: the service worker (`sw.js`) and its registration.
//!
//! `finalize` writes `sw.js` at the root of the public URL, from the template `sw.js` beside
//! this file with this build's settings filled in (`BUILD`): the base path, the files to
//! precache (the hashed assets the pages load, `offline.html`, the listing's first page and
//! its JSON) and a version, a hash of all of those and of everything under `content/`. Any
//! change to the site therefore changes the bytes of `sw.js`; browsers compare them on every
//! visit (hosts must serve `sw.js` with `Cache-Control: no-cache`, see `public/_headers` and
//! `deploy/nginx.conf`), so the next online visit installs the new worker, which refreshes what
//! the reader saved and deletes the old build's caches. The template explains the caching.
//!
//! The loader (Trunk's module script, which `shell::extract_loader` moves into a file) starts
//! with [`registration_script`]: it registers the worker once the app has started and the
//! browser is idle, so that neither the worker's start nor its precaching competes with the
//! page's first paint or the app's own downloads, and the wasm carries nothing for it.
//!
//! Debug builds (`trunk serve`, `scripts/serve`) leave offline reading out, so that a dev
//! server on localhost never keeps a worker that outlives it: they write a `sw.js` that
//! removes a worker an earlier release build installed at the same address, and register
//! nothing. `QUIRE_OFFLINE=off` does the same for a release build; `QUIRE_OFFLINE=on` turns
//! offline reading on in a debug build.

use crate::write::write_file;
use anyhow::{Context, Result, bail};
use quire_core::url::{base_path_from_href, percent_decode};
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};

/// The worker's file, at the root of the public URL: its scope is then the whole site.
pub const SW_FILE: &str = "sw.js";
/// The page the worker answers with, offline, for a page the reader has not saved.
pub const OFFLINE_FILE: &str = "offline.html";

const TEMPLATE: &str = include_str!("sw.js");
const TEMPLATE_OFF: &str = include_str!("sw-off.js");
const BUILD_TOKEN: &str = "__QUIRE_BUILD__";
const BASE_TOKEN: &str = "__QUIRE_BASE__";

/// Whether this build ships offline reading: release builds do, debug builds do not;
/// `QUIRE_OFFLINE` (`on` or `off`) decides instead when it is set.
pub fn enabled() -> Result<bool> {
    crate::modules::release_switch("QUIRE_OFFLINE")
}

#[cfg(test)]
fn enabled_for(profile: Option<&str>, setting: Option<&str>) -> Result<bool> {
    crate::modules::release_switch_for("QUIRE_OFFLINE", profile, setting)
}

/// The JavaScript that registers the worker, put at the start of the loader; empty when the
/// build has no offline reading. `base` is the base path (`""`, `/quire`).
pub fn registration_script(base: &str) -> Result<String> {
    if enabled()? { registration(base) } else { Ok(String::new()) }
}

fn registration(base: &str) -> Result<String> {
    let script = serde_json::to_string(&format!("{base}/{SW_FILE}"))?;
    let scope = serde_json::to_string(&format!("{base}/"))?;
    Ok(format!(
        "// Offline reading (sw.js): registered once the app has started (below) and the browser is idle, so\n\
// that neither the worker's start nor its precaching competes with the first paint or the app's start.\n\
if (\"serviceWorker\" in navigator) {{\n  \
const register = () => navigator.serviceWorker.register({script}, {{ scope: {scope} }})\n    \
.catch((error) => console.warn(\"quire: offline reading is not available:\", error));\n  \
addEventListener(\"TrunkApplicationStarted\", () => \"requestIdleCallback\" in window\n    \
? requestIdleCallback(register, {{ timeout: 2000 }}) : setTimeout(register, 100), {{ once: true }});\n}}\n"
    ))
}

/// `BUILD` in the template.
#[derive(Serialize)]
struct Build {
    version: String,
    base: String,
    /// Precached at install: site paths.
    shell: Vec<String>,
    offline: String,
    /// Where the worker answers with the saved posts (`quire::api::SAVED_POSTS_PATH`).
    saved: String,
}

/// Writes `sw.js` into `out` after the pages were written (it hashes them). Returns warnings
/// (an asset the pages name that is not in `out`).
pub fn write_service_worker(out: &Path, public_url: &str) -> Result<Vec<String>> {
    let base = base_path_from_href(public_url);
    let file = out.join(SW_FILE);
    if !enabled()? {
        let base_js = serde_json::to_string(&base)?;
        return write_file(&file, TEMPLATE_OFF.replacen(BASE_TOKEN, &base_js, 1).as_bytes())
            .map(|()| Vec::new());
    }
    let (build, warnings) = build_settings(out, &base)?;
    write_file(&file, service_worker(&build)?.as_bytes())?;
    Ok(warnings)
}

fn service_worker(build: &Build) -> Result<String> {
    if !TEMPLATE.contains(BUILD_TOKEN) {
        bail!("the service worker template has no {BUILD_TOKEN}");
    }
    Ok(TEMPLATE.replacen(BUILD_TOKEN, &serde_json::to_string(build)?, 1))
}

fn build_settings(out: &Path, base: &str) -> Result<(Build, Vec<String>)> {
    let index = out.join("index.html");
    let html = fs::read_to_string(&index).with_context(|| format!("cannot read {}", index.display()))?;
    let mut warnings = Vec::new();
    // The listing's first page and the offline page, then what every page loads.
    let mut shell: Vec<(String, PathBuf)> =
        vec![(format!("{base}/"), index.clone()), (format!("{base}/{OFFLINE_FILE}"), out.join(OFFLINE_FILE))];
    let first_listing = out.join("content/pages/home/1.json");
    if first_listing.is_file() {
        shell.push((format!("{base}/content/pages/home/1.json"), first_listing));
    }
    let mut assets = head_assets(&html, base);
    // The app's JS glue and wasm have no preload tags (Trunk.toml's `pattern_preload`, so that
    // they never compete with the page's text): the loader names them.
    let loaders: Vec<String> = assets.iter().filter(|url| is_loader(url)).cloned().collect();
    for loader in loaders {
        let code = asset_file(out, base, &loader).and_then(|file| fs::read_to_string(file).ok());
        for url in quoted_assets(code.as_deref().unwrap_or_default(), base) {
            // The loader also registers the worker itself, which is never precached.
            if url != format!("{base}/{SW_FILE}") && !assets.contains(&url) {
                assets.push(url);
            }
        }
    }
    // The app's route chunks (chunks.rs), which its glue loads when a page needs them.
    let mut chunk_files: Vec<String> = fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.starts_with(crate::chunks::PREFIX))
        .collect();
    chunk_files.sort();
    assets.extend(chunk_files.into_iter().map(|name| format!("{base}/{name}")));
    for url in assets {
        match asset_file(out, base, &url) {
            Some(file) if file.is_file() => shell.push((url, file)),
            _ => warnings.push(format!(
                "{}: {url} is not in {}; offline reading will load it from the network",
                index.display(),
                out.display()
            )),
        }
    }

    let mut hash = Fnv::new();
    hash.update(TEMPLATE.as_bytes());
    hash.update(base.as_bytes());
    for (url, file) in &shell {
        hash.update(url.as_bytes());
        hash.update(&[0]);
        hash.update(&fs::read(file).with_context(|| format!("cannot read {}", file.display()))?);
    }
    let content = out.join(quire_core::model::CONTENT_DIR);
    if content.is_dir() {
        hash_tree(&mut hash, &content, &content)?;
    }
    let build = Build {
        version: format!("{:016x}", hash.finish()),
        base: base.to_string(),
        shell: shell.into_iter().map(|(url, _)| url).collect(),
        offline: format!("{base}/{OFFLINE_FILE}"),
        saved: format!("{base}{}", quire::api::SAVED_POSTS_PATH),
    };
    Ok((build, warnings))
}

/// The site's own scripts, stylesheets and wasm that a page's `<head>` loads (`src` and
/// `href` values under the base path, at its top level), in order, once each.
fn head_assets(html: &str, base: &str) -> Vec<String> {
    let head = &html[..html.find("</head>").unwrap_or(html.len())];
    let mut found: Vec<(usize, String)> = Vec::new();
    for attr in [" src=\"", " href=\""] {
        let mut from = 0;
        while let Some(at) = head[from..].find(attr).map(|i| i + from + attr.len()) {
            let Some(len) = head[at..].find('"') else { break };
            let value = &head[at..at + len];
            from = at + len;
            if is_top_level_asset(value, base) && !found.iter().any(|(_, v)| v == value) {
                found.push((at, value.to_string()));
            }
        }
    }
    found.sort();
    found.into_iter().map(|(_, value)| value).collect()
}

/// A site script, stylesheet or wasm file at the top level of the base path.
fn is_top_level_asset(value: &str, base: &str) -> bool {
    let top_level = value
        .strip_prefix(base)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.is_empty() && !name.contains(['/', '?', '#', '\\']));
    top_level && [".js", ".css", ".wasm"].iter().any(|ext| value.ends_with(ext))
}

/// `quire-loader-<hash>.js` (`shell::extract_loader` writes it from Trunk's loader).
fn is_loader(url: &str) -> bool {
    url.rsplit('/')
        .next()
        .is_some_and(|name| name.starts_with(crate::shell::LOADER_PREFIX) && name.ends_with(".js"))
}

/// The site assets a script names in quotes (`import('/quire-….js')`,
/// `module_or_path: '/quire-…_bg.wasm'`), in order, once each.
fn quoted_assets(code: &str, base: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = code;
    while let Some(open) = rest.find(['\'', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        let after = &rest[open + 1..];
        let Some(len) = after.find(quote) else { break };
        let value = &after[..len];
        if is_top_level_asset(value, base) {
            if !found.iter().any(|v| v == value) {
                found.push(value.to_string());
            }
            rest = &after[len + 1..];
        } else {
            // Not a string naming an asset (or an apostrophe in a comment): go on from the
            // next character, so that quotes never pair across strings.
            rest = after;
        }
    }
    found
}

fn asset_file(out: &Path, base: &str, url: &str) -> Option<PathBuf> {
    let name = url.strip_prefix(base)?.strip_prefix('/')?;
    Some(out.join(percent_decode(name)?))
}

/// Every file under `dir`, by its path relative to `root` and its bytes, in name order.
fn hash_tree(hash: &mut Fnv, root: &Path, dir: &Path) -> Result<()> {
    let mut entries = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("cannot read {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            hash_tree(hash, root, &path)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            hash.update(relative.to_string_lossy().as_bytes());
            hash.update(&[0]);
            hash.update(&fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?);
        }
    }
    Ok(())
}

/// FNV-1a over several pieces (a change detector, not for security).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn update(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_builds_have_offline_reading_and_the_setting_wins() {
        assert!(enabled_for(Some("release"), None).expect("valid"));
        assert!(enabled_for(None, None).expect("valid"));
        assert!(!enabled_for(Some("debug"), None).expect("valid"));
        assert!(enabled_for(Some("debug"), Some("on")).expect("valid"));
        assert!(!enabled_for(Some("release"), Some("off")).expect("valid"));
        assert!(enabled_for(Some("release"), Some("")).expect("valid"));
        let err = enabled_for(Some("release"), Some("yes")).expect_err("invalid");
        assert!(err.to_string().contains("QUIRE_OFFLINE"), "{err}");
    }

    #[test]
    fn the_head_names_the_assets_to_precache() {
        let head = "<head><link rel=\"canonical\" href=\"https://x.example/\"><link rel=\"icon\" href=\"data:,\" />\
<link rel=\"alternate\" href=\"/sub/rss.xml\"><script src=\"/sub/quire-theme-0123456789abcdef.js\"></script>\
<link rel=\"stylesheet\" href=\"/sub/main-0123456789abcdef.css\"/><script type=\"module\" src=\"/sub/quire-loader-0123456789abcdef.js\"></script>\
<link rel=\"modulepreload\" href=\"/sub/quire-0123456789abcdef.js\"><link rel=\"preload\" href=\"/sub/quire-0123456789abcdef_bg.wasm\">\
<link rel=\"preload\" href=\"/sub/quire-0123456789abcdef.js\"><link href=\"//cdn.example/x.js\"><script src=\"/other/x.js\"></script>\
<script src=\"/sub/img/x.js\"></script></head><body><script src=\"/sub/late.js\"></script></body>";
        assert_eq!(
            head_assets(head, "/sub"),
            [
                "/sub/quire-theme-0123456789abcdef.js",
                "/sub/main-0123456789abcdef.css",
                "/sub/quire-loader-0123456789abcdef.js",
                "/sub/quire-0123456789abcdef.js",
                "/sub/quire-0123456789abcdef_bg.wasm",
            ]
        );
        assert_eq!(head_assets("<head><script src=\"/app-1.js\"></script></head>", ""), ["/app-1.js"]);
    }

    #[test]
    fn the_loader_names_the_app_files_without_preloads() {
        let loader = "if (x) navigator.serviceWorker.register(\"/sub/sw.js\", { scope: \"/sub/\" });\n\
// quire's loader, once the text is on screen\n\
const bindings = await import('/sub/quire-0123456789abcdef.js');\n\
const wasm = await init({ module_or_path: '/sub/quire-0123456789abcdef_bg.wasm' });\n\
fetch(\"/sub/content/x.json\"); import('/sub/quire-0123456789abcdef.js');";
        assert_eq!(
            quoted_assets(loader, "/sub"),
            ["/sub/sw.js", "/sub/quire-0123456789abcdef.js", "/sub/quire-0123456789abcdef_bg.wasm"]
        );
        assert!(is_loader("/sub/quire-loader-0123456789abcdef.js"));
        assert!(!is_loader("/sub/quire-0123456789abcdef.js"));
        assert_eq!(quoted_assets("'unclosed /a.js", ""), Vec::<String>::new());
        // The renderer module the loader names (modules.rs) is precached too.
        let renderer = crate::modules::Renderer {
            js: "/sub/quire-render-0123456789abcdef.js".into(),
            wasm: "/sub/quire-render-0123456789abcdef_bg.wasm".into(),
            wasm_bytes: 0,
            cached: false,
            unoptimised: false,
        };
        assert_eq!(
            quoted_assets(&format!("{}{loader}", renderer.loader_line()), "/sub")[..2],
            ["/sub/quire-render-0123456789abcdef.js", "/sub/quire-render-0123456789abcdef_bg.wasm"]
        );
    }

    #[test]
    fn the_registration_follows_the_base_path() {
        let script = registration("/quire").expect("script");
        assert!(script.contains("register(\"/quire/sw.js\", { scope: \"/quire/\" })"), "{script}");
        assert!(registration("").expect("script").contains("register(\"/sw.js\", { scope: \"/\" })"));
    }

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let out = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            let path = out.path().join(name);
            fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
            fs::write(path, text).expect("write");
        }
        out
    }

    const INDEX: &str = "<html><head><link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\">\
<script type=\"module\" src=\"/quire-loader-0123456789abcdef.js\"></script></head><body>home</body></html>";

    #[test]
    fn the_worker_precaches_the_shell_and_changes_with_the_site() {
        let files = [
            ("index.html", INDEX),
            ("offline.html", "offline"),
            ("main-0123456789abcdef.css", "body{}"),
            ("quire-loader-0123456789abcdef.js", "import init"),
            ("content/pages/home/1.json", "{}"),
            ("content/posts/a.json", "{\"a\":1}"),
        ];
        let out = site(&files);
        let (build, warnings) = build_settings(out.path(), "").expect("settings");
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(
            build.shell,
            [
                "/",
                "/offline.html",
                "/content/pages/home/1.json",
                "/main-0123456789abcdef.css",
                "/quire-loader-0123456789abcdef.js"
            ]
        );
        assert_eq!(build.offline, "/offline.html");
        assert_eq!(build.saved, "/offline/saved.json");
        let worker = service_worker(&build).expect("worker");
        assert!(!worker.contains(BUILD_TOKEN));
        assert!(worker.contains(&format!("\"version\":\"{}\"", build.version)), "{worker}");

        // The same files give the same worker; a post's change (not in the shell) a new one.
        let same = build_settings(site(&files).path(), "").expect("settings").0;
        assert_eq!(same.version, build.version);
        let mut changed = files;
        changed[5] = ("content/posts/a.json", "{\"a\":2}");
        let other = build_settings(site(&changed).path(), "").expect("settings").0;
        assert_ne!(other.version, build.version);
        let mut restyled = files;
        restyled[2] = ("main-0123456789abcdef.css", "body{color:red}");
        assert_ne!(build_settings(site(&restyled).path(), "").expect("settings").0.version, build.version);
    }

    #[test]
    fn a_missing_asset_is_a_warning_and_the_base_prefixes_everything() {
        let index = INDEX.replace("href=\"/", "href=\"/sub/").replace("src=\"/", "src=\"/sub/");
        let out = site(&[("index.html", &index), ("offline.html", "offline")]);
        let (build, warnings) = build_settings(out.path(), "/sub").expect("settings");
        assert_eq!(build.shell, ["/sub/", "/sub/offline.html"]);
        assert_eq!(build.offline, "/sub/offline.html");
        assert_eq!(build.saved, "/sub/offline/saved.json");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("/sub/main-0123456789abcdef.css"), "{warnings:?}");
    }
}
