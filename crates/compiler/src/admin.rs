//! `/admin/`: a Decap CMS editor whose preview pane is quire's own renderer.
//!
//! Written by `finalize` into `dist/admin/` only when the content is a CMS site (it has a
//! `config.yml`, see `cms.rs`) and `QUIRE_ADMIN` is not `off`; a site without one does not
//! change by a byte. The folder holds:
//!
//! - `index.html`: the editor page, with quire's settings as JSON (`#quire-admin`);
//! - `config.yml`: the site's own CMS configuration, byte for byte (Decap loads it);
//! - `decap-cms.js` with its chunks, WebAssembly and licence file, copied from the npm
//!   package `decap-cms` (package.json pins it; never loaded from a CDN);
//! - `quire_preview.js` + `quire_preview_bg.wasm`: `crates/preview` built for the browser
//!   (cargo, wasm-bindgen, wasm-opt), cached between builds while its code is unchanged;
//! - `quire-admin.js` (`crates/preview/admin/`): registers the preview for the posts
//!   collection with the site's hashed stylesheet, and controls for the site's own widgets.
//!
//! Decap needs what the site's Content-Security-Policy forbids ('unsafe-eval' for its
//! schema validator, inline styles for its CSS-in-JS, connections to its backend's API), so
//! `/admin/*` gets a policy of its own, appended to `dist/_headers` (see [`admin_csp`]).

use crate::cms::ContentLayout;
use crate::load::CompiledSite;
use crate::write::write_file;
use anyhow::{Context, Result, bail};
use quire_core::sanitize::escape_attr;
use quire_core::seo::script_json;
use quire_core::url::base_path_from_href;
use serde_json::json;
use serde_norway::{Mapping, Value};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The folder under the site, and so its URL path (`/admin/`).
pub const ADMIN_DIR: &str = "admin";
/// `QUIRE_ADMIN=off` builds a CMS site without `/admin/`.
pub const SWITCH_VAR: &str = "QUIRE_ADMIN";

const ADMIN_SCRIPT: &str = include_str!("../../preview/admin/quire-admin.js");
/// Where the decap-cms package's bundle is, under the repository.
const DECAP_DIST: &str = "node_modules/decap-cms/dist";
const PREVIEW_CRATE: &str = "quire-preview";
const PREVIEW_NAME: &str = "quire_preview";
/// Marks the rules this step appends to `_headers`, so running it again replaces them.
const HEADERS_MARK: &str = "# quire /admin/";

/// The Content-Security-Policy of `/admin/*`, before the origins of the CMS backend: the
/// site's own policy (README) with what Decap CMS needs and nothing more.
/// - `'unsafe-eval'`: Decap validates its configuration with ajv, which compiles schemas
///   with `new Function`;
/// - `style-src 'unsafe-inline'`: its components are styled by emotion (`<style>` elements);
/// - `img-src blob:`: media picked for upload are shown from blob URLs;
/// - `connect-src`: the backend's API (`{connect}`: [`CmsConfig::connect_sources`]).
const ADMIN_CSP: &str = "default-src 'self'; script-src 'self' 'sha256-r6DAX7DgoY+WUrk3UWBqGS3RlLFAXT34aQEXeMPDgfo=' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data: blob:; connect-src 'self'{connect}; font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Whether `QUIRE_ADMIN` allows `/admin/` (unset: yes, when the content has a CMS config).
pub fn enabled() -> Result<bool> {
    crate::modules::switch(SWITCH_VAR, "use `off` to build without /admin/ (or `on`, the default)")
}

/// What [`write_admin`] did.
#[derive(Debug)]
pub enum AdminOutcome {
    /// The content has no CMS configuration: nothing written.
    NotACmsSite,
    /// The CMS configuration cannot drive an editor (the reason names the file and field):
    /// nothing written, the site itself is built as usual.
    Skipped(String),
    Written(AdminReport),
}

/// What [`write_admin`] wrote.
#[derive(Debug)]
pub struct AdminReport {
    pub files: usize,
    pub bytes: u64,
    pub decap_version: String,
    pub preview_wasm_bytes: u64,
    /// The preview module came from the cache (its code had not changed).
    pub preview_cached: bool,
    pub warnings: Vec<String>,
}

/// Writes `out/admin/` for a CMS site (see the module docs) and its rules into
/// `out/_headers`. `public_url` is Trunk's (`/`, `/quire/`). A configuration Decap could not
/// run with is [`AdminOutcome::Skipped`]; a missing tool (wasm-opt, the decap-cms package) is
/// an error.
pub fn write_admin(
    layout: &ContentLayout,
    site: &CompiledSite,
    out: &Path,
    public_url: &str,
) -> Result<AdminOutcome> {
    let Some(config_path) = &layout.cms_config else { return Ok(AdminOutcome::NotACmsSite) };
    let config_text = fs::read(config_path)
        .with_context(|| format!("cannot read the CMS configuration {}", config_path.display()))?;
    let cms = match CmsConfig::parse(&String::from_utf8_lossy(&config_text), config_path) {
        Ok(cms) => cms,
        Err(problem) => return Ok(AdminOutcome::Skipped(format!("{problem:#}"))),
    };
    let Some(collection) = layout.posts_collection.clone() else {
        return Ok(AdminOutcome::Skipped(format!(
            "{}: no posts collection to preview",
            config_path.display()
        )));
    };
    let base = base_path_from_href(public_url);
    let stylesheet = stylesheet_href(&out.join("index.html"))?;
    let workspace = crate::modules::workspace_root();
    let decap = DecapBundle::find(&workspace)?;
    let preview =
        crate::modules::build(&workspace, PREVIEW_CRATE, crate::modules::FOR_SIZE, "the /admin/ preview")?;

    let settings = json!({
        "preview": {
            "publicUrl": public_url,
            "categories": site.categories.iter().map(|c| json!({ "id": c.id, "label": c.label })).collect::<Vec<_>>(),
            "authors": site.authors.iter().map(|a| json!({ "name": a.name, "company": a.company })).collect::<Vec<_>>(),
        },
        "collection": collection,
        "categoryField": "category",
        "stylesheet": stylesheet,
        "widgets": cms.widgets,
    });
    let preview_wasm_bytes = preview.wasm.len() as u64;
    let preview_unoptimised = preview.unoptimised;
    let index = index_html(&site.site.title, &site.site.language, &base, &settings);

    let dir = out.join(ADMIN_DIR);
    let temp = out.join(format!(".{ADMIN_DIR}.tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&temp);
    let written = (|| -> Result<(usize, u64)> {
        fs::create_dir_all(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        let mut files = vec![
            ("index.html".to_string(), index.into_bytes()),
            ("config.yml".to_string(), config_text),
            ("quire-admin.js".to_string(), ADMIN_SCRIPT.as_bytes().to_vec()),
            (format!("{PREVIEW_NAME}.js"), preview.js),
            (format!("{PREVIEW_NAME}_bg.wasm"), preview.wasm),
        ];
        for file in &decap.files {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let bytes = fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            files.push((name, bytes));
        }
        let mut bytes = 0;
        for (name, content) in &files {
            write_file(&temp.join(name), content)?;
            bytes += content.len() as u64;
        }
        Ok((files.len(), bytes))
    })();
    let (files, bytes) = match written.and_then(|w| replace_dir(&temp, &dir).map(|()| w)) {
        Ok(w) => w,
        Err(e) => {
            let _ = fs::remove_dir_all(&temp);
            return Err(e);
        }
    };
    let mut warnings = cms.warnings;
    warnings.extend(crate::modules::unoptimised_warning(preview_unoptimised, "the /admin/ preview module"));
    let headers = out.join("_headers");
    if headers.is_file() {
        append_headers(&headers, &base, &admin_csp(&cms.connect_sources))?;
    } else {
        warnings.push(format!(
            "{} has no _headers file: /admin/ gets no Content-Security-Policy of its own (see README, \
             \"Editing in the browser\")",
            out.display()
        ));
    }
    Ok(AdminOutcome::Written(AdminReport {
        files,
        bytes,
        decap_version: decap.version,
        preview_wasm_bytes,
        preview_cached: preview.cached,
        warnings,
    }))
}

/// The policy of `/admin/*` for a backend that connects to `connect` (origins) besides the
/// site itself.
pub fn admin_csp(connect: &[String]) -> String {
    let extra: String = connect.iter().map(|o| format!(" {o}")).collect();
    ADMIN_CSP.replace("{connect}", &extra)
}

/// What quire needs of the CMS configuration beyond what `cms.rs` reads.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CmsConfig {
    /// Every widget the configuration names (`string` where a field names none), sorted.
    pub widgets: Vec<String>,
    /// Origins the backend's API lives on (`https://api.github.com`); none for a backend on
    /// the site itself (git-gateway) or in the page (test-repo).
    pub connect_sources: Vec<String>,
    pub warnings: Vec<String>,
}

impl CmsConfig {
    pub fn parse(text: &str, path: &Path) -> Result<CmsConfig> {
        let mut yaml: Value =
            serde_norway::from_str(text).with_context(|| format!("{}: invalid YAML", path.display()))?;
        yaml.apply_merge().with_context(|| format!("{}: invalid YAML merge key (`<<`)", path.display()))?;
        let Some(top) = yaml.as_mapping() else {
            bail!(
                "{}: not a CMS configuration (expected keys such as `backend` and `collections`)",
                path.display()
            );
        };
        let mut config = CmsConfig::default();
        let mut widgets = BTreeSet::new();
        for collection in sequence(top.get("collections")) {
            collect_widgets(collection.get("fields"), &mut widgets);
            for file in sequence(collection.get("files")) {
                collect_widgets(file.get("fields"), &mut widgets);
            }
        }
        config.widgets = widgets.into_iter().collect();
        config.connect_sources = backend_origins(top, path, &mut config.warnings)?;
        Ok(config)
    }
}

/// The mappings of a YAML list (anything else is skipped).
fn sequence(value: Option<&Value>) -> impl Iterator<Item = &Mapping> {
    value.and_then(Value::as_sequence).into_iter().flatten().filter_map(Value::as_mapping)
}

/// The widgets of `fields` and of the fields nested in them (`object`, `list` with
/// `field`, `fields` or `types`).
fn collect_widgets(fields: Option<&Value>, widgets: &mut BTreeSet<String>) {
    for field in sequence(fields) {
        let widget = field.get("widget").and_then(Value::as_str).map(str::trim).unwrap_or("string");
        widgets.insert(widget.to_string());
        collect_widgets(field.get("fields"), widgets);
        if let Some(single) = field.get("field").and_then(Value::as_mapping) {
            collect_widgets(Some(&Value::Sequence(vec![Value::Mapping(single.clone())])), widgets);
        }
        for variant in sequence(field.get("types")) {
            collect_widgets(variant.get("fields"), widgets);
        }
    }
}

/// The origins Decap's backend connects to (see `ADMIN_CSP`), from `backend` and its
/// defaults in Decap CMS 3.
fn backend_origins(top: &Mapping, path: &Path, warnings: &mut Vec<String>) -> Result<Vec<String>> {
    let backend = top.get("backend").and_then(Value::as_mapping).with_context(|| {
        format!("{}: field `backend`: missing (e.g. `backend: {{name: git-gateway}}`)", path.display())
    })?;
    let name = backend.get("name").and_then(Value::as_str).map(str::trim).unwrap_or_default();
    let setting = |key: &str| backend.get(key).and_then(Value::as_str).map(str::trim);
    let mut urls: Vec<(&str, String)> = Vec::new();
    let mut url = |key: &'static str, default: Option<&str>| {
        if let Some(value) = setting(key).or(default) {
            urls.push((key, value.to_string()));
        }
    };
    match name {
        "git-gateway" => {
            url("gateway_url", None);
            url("identity_url", None);
        }
        "github" => url("api_root", Some("https://api.github.com")),
        "gitlab" => url("api_root", Some("https://gitlab.com")),
        "bitbucket" => url("api_root", Some("https://api.bitbucket.org")),
        "gitea" => url("api_root", Some("https://try.gitea.io")),
        "azure" => url("api_root", Some("https://dev.azure.com")),
        "proxy" => url("proxy_url", None),
        "test-repo" => {}
        "" => bail!("{}: field `backend.name`: missing (git-gateway, github, gitlab, …)", path.display()),
        other => warnings.push(format!(
            "{}: field `backend.name`: `{other}` is not a backend quire knows; /admin/ may connect only \
             to the site itself (its Content-Security-Policy)",
            path.display()
        )),
    }
    // A token endpoint of its own (PKCE) is fetched, not opened in a window.
    if setting("auth_type").is_some_and(|t| t == "pkce") {
        url("base_url", None);
        url("auth_token_endpoint", None);
    }
    let mut origins = BTreeSet::new();
    for (key, value) in urls {
        match origin(&value) {
            Ok(Some(o)) => {
                origins.insert(o);
            }
            Ok(None) => {}
            Err(problem) => bail!("{}: field `backend.{key}`: `{value}` {problem}", path.display()),
        }
    }
    Ok(origins.into_iter().collect())
}

/// `https://host[:port]` of an absolute http(s) URL; `None` for a path on the site itself
/// (`/.netlify/git`). Anything that could not stand in a policy is an error.
fn origin(url: &str) -> Result<Option<String>, &'static str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return if url.starts_with('/') && !url.starts_with("//") {
            Ok(None)
        } else {
            Err("is neither a path on the site (/…) nor an http(s) URL")
        };
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err("is not an http(s) URL");
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let valid = !host.is_empty()
        && !host.contains('@')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !valid {
        return Err("has no usable host name");
    }
    Ok(Some(format!("{scheme}://{}", host.to_ascii_lowercase())))
}

/// The site's stylesheet as Trunk linked it (`/main-<hash>.css`, prefixed by the public URL).
fn stylesheet_href(index_html: &Path) -> Result<String> {
    let html = fs::read_to_string(index_html)
        .with_context(|| format!("cannot read {} (run after Trunk built it)", index_html.display()))?;
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<link") {
        let tag = &rest[at..at + rest[at..].find('>').unwrap_or(rest.len() - at)];
        if tag.contains(r#"rel="stylesheet""#)
            && let Some(href) = attribute(tag, "href")
        {
            return Ok(href.to_string());
        }
        rest = &rest[at + 5..];
    }
    bail!("{}: no <link rel=\"stylesheet\"> (the site's CSS) for the preview", index_html.display())
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].find('"').map(|end| &tag[start..start + end])
}

fn index_html(site_title: &str, language: &str, base: &str, settings: &serde_json::Value) -> String {
    let title = escape_attr(&format!("Content Manager – {site_title}"));
    let language = escape_attr(language);
    let config = escape_attr(&format!("{base}/{ADMIN_DIR}/config.yml"));
    let script = escape_attr(&format!("{base}/{ADMIN_DIR}/quire-admin.js"));
    let settings = script_json(settings);
    // Absolute paths: the page also works at /admin (no slash) and under a sub-path.
    format!(
        r#"<!DOCTYPE html>
<html lang="{language}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>{title}</title>
    <link rel="icon" href="data:," />
    <link href="{config}" type="text/yaml" rel="cms-config-url" />
    <script type="application/json" id="quire-admin">{settings}</script>
    <script type="module" src="{script}"></script>
  </head>
  <body>
    <noscript>The editor needs JavaScript.</noscript>
  </body>
</html>
"#
    )
}

/// The files of the decap-cms package the page loads.
struct DecapBundle {
    version: String,
    files: Vec<PathBuf>,
}

impl DecapBundle {
    fn find(workspace: &Path) -> Result<DecapBundle> {
        let dist = workspace.join(DECAP_DIST);
        let main = dist.join("decap-cms.js");
        if !main.is_file() {
            bail!(
                "{} is missing: /admin/ serves Decap CMS from the npm package decap-cms; run scripts/setup \
                 (npm ci), or build with {SWITCH_VAR}=off",
                main.display()
            );
        }
        let package = dist.join("../package.json");
        let version = fs::read_to_string(&package)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|json| json.get("version").and_then(|v| v.as_str()).map(str::to_string))
            .with_context(|| format!("{}: no version", package.display()))?;
        let mut files = Vec::new();
        for entry in fs::read_dir(&dist).with_context(|| format!("cannot list {}", dist.display()))? {
            let path = entry.with_context(|| format!("cannot list {}", dist.display()))?.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // The bundle, the chunks it loads on demand (`<n>.decap-cms.js`), the image
            // codecs' WebAssembly and the licences; not the source maps, nor `cms.js`, the
            // same bundle under its old name with chunks of its own.
            let wanted = name == "decap-cms.js"
                || name == "decap-cms.js.LICENSE.txt"
                || name.ends_with(".decap-cms.js")
                || name.ends_with(".wasm");
            if wanted && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        Ok(DecapBundle { version, files })
    }
}

fn replace_dir(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        fs::remove_dir_all(to).with_context(|| format!("cannot remove the old {}", to.display()))?;
    }
    fs::rename(from, to).with_context(|| format!("cannot move {} into place", to.display()))
}

/// Appends the `/admin/*` rules to `_headers` (replacing the ones an earlier run appended).
/// Last in the file on purpose: Netlify serves the last matching rule's value of a header;
/// Cloudflare Pages joins the values of every matching rule unless a rule detaches the
/// header with `! Name` (Netlify skips that line, which has no colon).
fn append_headers(path: &Path, base: &str, csp: &str) -> Result<()> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let kept = match text.find(HEADERS_MARK) {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut out = kept.trim_end().to_string();
    out.push_str(&format!(
        "\n\n{HEADERS_MARK} (Decap CMS), written by the build because the content has a CMS configuration.\n\
         # The editor needs what the site's policy forbids: it gets its own, detached from /* on\n\
         # Cloudflare Pages (`!`); Netlify ignores that line and uses this later rule's value.\n\
         {base}/{ADMIN_DIR}/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {csp}\n  Cache-Control: no-cache\n"
    ));
    write_file(path, out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OSF_LIKE: &str = r#"
backend:
  name: github
  repo: OpenStackweb/osf-website
media_folder: static/img
collections:
  - name: blog
    folder: src/pages/blog
    fields:
      - { name: templateKey, widget: hidden, default: blog-post }
      - { name: title }
      - { name: category, widget: ncw-file-relation, multiple: true }
      - { name: seo, widget: object, fields: [ { name: url, widget: string } ] }
      - { name: body, widget: markdown }
  - name: configurations
    files:
      - file: src/content/blog-config.json
        name: blogConfig
        fields:
          - { name: categories, widget: list, fields: [ { name: id, widget: ncw-id } ] }
          - { name: links, widget: list, field: { name: url, widget: url-ish } }
          - { name: blocks, widget: list, types: [ { name: quote, fields: [ { name: by, widget: relation } ] } ] }
"#;

    #[test]
    fn every_widget_of_the_configuration_is_found() {
        let config = CmsConfig::parse(OSF_LIKE, Path::new("config.yml")).unwrap();
        assert_eq!(
            config.widgets,
            [
                "hidden",
                "list",
                "markdown",
                "ncw-file-relation",
                "ncw-id",
                "object",
                "relation",
                "string",
                "url-ish"
            ]
        );
        assert_eq!(config.connect_sources, ["https://api.github.com"]);
    }

    #[test]
    fn the_policy_connects_only_to_the_backend() {
        let origins = |backend: &str| {
            CmsConfig::parse(&format!("backend: {backend}\ncollections: []\n"), Path::new("c.yml"))
                .map(|c| c.connect_sources)
        };
        assert_eq!(origins("{name: git-gateway}").unwrap(), Vec::<String>::new());
        assert_eq!(origins("{name: test-repo}").unwrap(), Vec::<String>::new());
        assert_eq!(
            origins(
                "{name: git-gateway, gateway_url: 'https://Gate.example.org/.netlify/git', identity_url: /id}"
            )
            .unwrap(),
            ["https://gate.example.org"]
        );
        assert_eq!(
            origins("{name: github, api_root: 'https://ghe.example.org:8443/api/v3'}").unwrap(),
            ["https://ghe.example.org:8443"]
        );
        assert_eq!(origins("{name: gitlab}").unwrap(), ["https://gitlab.com"]);
        assert_eq!(
            origins("{name: gitlab, auth_type: pkce, base_url: 'https://gitlab.example.org', auth_token_endpoint: oauth/token}")
                .unwrap_err()
                .to_string(),
            "c.yml: field `backend.auth_token_endpoint`: `oauth/token` is neither a path on the site (/…) nor an http(s) URL"
        );
        let injected =
            origins("{name: github, api_root: \"https://x.org; script-src *\"}").unwrap_err().to_string();
        assert!(
            injected.contains("field `backend.api_root`") && injected.contains("no usable host"),
            "{injected}"
        );
        assert!(origins("{repo: x}").unwrap_err().to_string().contains("field `backend.name`: missing"));
        assert!(
            CmsConfig::parse("collections: []\n", Path::new("c.yml"))
                .unwrap_err()
                .to_string()
                .contains("field `backend`")
        );
    }

    #[test]
    fn the_admin_policy_keeps_the_sites_rules_and_adds_only_what_decap_needs() {
        let site = "default-src 'self'; script-src 'self' 'sha256-r6DAX7DgoY+WUrk3UWBqGS3RlLFAXT34aQEXeMPDgfo=' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        let admin = admin_csp(&["https://api.github.com".into()]);
        let directives = |policy: &str| -> Vec<(String, Vec<String>)> {
            policy
                .split(';')
                .map(|d| {
                    let mut words = d.split_whitespace().map(str::to_string);
                    (words.next().unwrap(), words.collect())
                })
                .collect()
        };
        let added: Vec<String> = directives(&admin)
            .into_iter()
            .zip(directives(site))
            .flat_map(|((name, admin), (site_name, site))| {
                assert_eq!(name, site_name);
                assert!(site.iter().all(|s| admin.contains(s)), "{name} keeps the site's sources");
                admin.into_iter().filter(move |s| !site.contains(s)).map(move |s| format!("{name} {s}"))
            })
            .collect();
        assert_eq!(
            added,
            [
                "script-src 'unsafe-eval'",
                "style-src 'unsafe-inline'",
                "img-src blob:",
                "connect-src https://api.github.com"
            ]
        );
    }

    #[test]
    fn nginx_serves_the_policy_for_git_gateway_and_github() {
        let conf = include_str!("../../../deploy/nginx.conf");
        let policy = admin_csp(&["https://api.github.com".into()]);
        let line = format!("add_header Content-Security-Policy \"{policy}\" always;");
        let admin = &conf[conf.find("location ^~ /admin/ {").expect("an /admin/ location")..];
        assert!(
            admin[..admin.find("\n}").unwrap()].contains(&line),
            "deploy/nginx.conf's /admin/ policy is {policy}"
        );
    }

    #[test]
    fn headers_are_appended_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("_headers");
        fs::write(&path, "/*\n  X-Content-Type-Options: nosniff\n").unwrap();
        append_headers(&path, "/quire", "default-src 'self'").unwrap();
        append_headers(&path, "/quire", "default-src 'none'").unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(HEADERS_MARK).count(), 1, "{text}");
        assert!(text.starts_with("/*\n  X-Content-Type-Options: nosniff\n\n# quire /admin/"), "{text}");
        assert!(text.ends_with(
            "/quire/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: default-src 'none'\n  Cache-Control: no-cache\n"
        ));
    }

    #[test]
    fn the_stylesheet_is_the_one_trunk_linked() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index.html");
        fs::write(
            &index,
            r#"<head><link rel="icon" href="data:," /><link rel="stylesheet" href="/quire/main-0123456789abcdef.css" integrity="sha384-x"/></head>"#,
        )
        .unwrap();
        assert_eq!(stylesheet_href(&index).unwrap(), "/quire/main-0123456789abcdef.css");
        fs::write(&index, "<head></head>").unwrap();
        assert!(stylesheet_href(&index).unwrap_err().to_string().contains("no <link rel=\"stylesheet\">"));
    }

    #[test]
    fn the_page_embeds_its_settings_as_data() {
        let html =
            index_html("A <b> & \"blog\"", "en", "/quire", &json!({ "x": "</script><script>alert(1)" }));
        assert!(
            html.contains(r#"<title>Content Manager – A &lt;b&gt; &amp; &quot;blog&quot;</title>"#),
            "{html}"
        );
        assert!(html.contains(r#"{"x":"\u003c/script\u003e\u003cscript\u003ealert(1)"}</script>"#), "{html}");
        assert!(html.contains(r#"<script type="module" src="/quire/admin/quire-admin.js">"#));
        assert!(
            html.contains(r#"<link href="/quire/admin/config.yml" type="text/yaml" rel="cms-config-url" />"#)
        );
    }
}
