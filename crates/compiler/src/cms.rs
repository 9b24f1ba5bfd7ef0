//! Where a content folder keeps its posts, authors, blog settings and images.
//!
//! Two layouts: quire's own flat one (`posts/`, `authors/`, `blog-config.json` side by side,
//! no media folder), and a Netlify / Decap CMS site read in place through the CMS's
//! `config.yml` (as OpenStackweb/osf-website, which publishes openinfra.dev, keeps it):
//!
//! - posts: the folder collection whose `templateKey` field defaults to `blog-post` (or whose
//!   `filter` selects `templateKey: blog-post`), or the collection that the blog settings
//!   name in `postsCollection`;
//! - authors: the folder collection with an `authorName` field;
//! - blog settings: the file-collection entry whose file is `blog-config.json` (else the
//!   entry named `blogConfig`);
//! - media: `media_folder` (where images live) and `public_folder` (the URL they are served
//!   under), the posts collection's own when it sets them from the site root.
//!
//! Paths in the config are relative to the site root, with or without a leading `/`.
//! Whatever the config names and quire uses must exist; everything else in it (other
//! collections, custom widgets, the backend) is ignored.

use anyhow::{Context, Result, bail};
use quire_core::url::url_scheme;
use serde_norway::{Mapping, Value};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Where a site may keep its CMS configuration, relative to the content folder, in the order
/// they are tried (Gatsby's `static/`, Vite/Next/Astro's `public/`, Hugo/Jekyll/Eleventy).
pub const CMS_CONFIG_PATHS: &[&str] =
    &["static/admin/config.yml", "public/admin/config.yml", "admin/config.yml"];

/// The `templateKey` of a blog post.
const BLOG_POST: &str = quire_core::front_matter::BLOG_POST;

/// The key of `blog-config.json` that names the posts collection when several could be.
pub const POSTS_COLLECTION_KEY: &str = "postsCollection";

/// Where everything of one site is, as [`discover`] found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentLayout {
    /// The content folder (the site checkout for a CMS site).
    pub root: PathBuf,
    /// The posts: `*.md` files directly in this folder.
    pub posts: PathBuf,
    /// The author files, when the site has them.
    pub authors: Option<PathBuf>,
    /// `blog-config.json`, when the site has one.
    pub settings: Option<PathBuf>,
    /// Where images live and the URL they are served under: the posts collection's own media
    /// folder first, then the site's. Empty for the flat layout (its images go in `public/`).
    pub media: Vec<Media>,
    /// The CMS configuration the layout was read from (`static/admin/config.yml`…), `None`
    /// for the flat layout.
    pub cms_config: Option<PathBuf>,
    /// The name of the CMS collection holding the posts, `None` for the flat layout.
    pub posts_collection: Option<String>,
    /// Things in the CMS configuration that quire reads but cannot follow fully.
    pub warnings: Vec<String>,
}

/// A media folder and the URL path its files are served under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Media {
    pub folder: PathBuf,
    /// A root-relative URL path without a trailing slash (`/img`), or `/` for the site root.
    pub public_url: String,
}

impl Media {
    /// The path of `url_path` (already percent-decoded, without query or fragment) inside
    /// this media folder, as its segments: `/img/a/b.png` under `/img` → `["a", "b.png"]`.
    /// `None` when the path is not under [`Media::public_url`].
    pub fn segments<'a>(&self, url_path: &'a str) -> Option<Vec<&'a str>> {
        let rest = if self.public_url == "/" {
            url_path.strip_prefix('/')?
        } else {
            url_path.strip_prefix(self.public_url.as_str())?.strip_prefix('/')?
        };
        Some(rest.split('/').filter(|s| !s.is_empty()).collect())
    }
}

/// The layout of the content folder `content`: a CMS site when it holds one of
/// [`CMS_CONFIG_PATHS`], else quire's flat layout.
pub fn discover(content: &Path) -> Result<ContentLayout> {
    if !content.is_dir() {
        bail!(
            "content folder {} does not exist (set QUIRE_CONTENT or create it with a posts/ folder)",
            content.display()
        );
    }
    match CMS_CONFIG_PATHS.iter().map(|p| content.join(p)).find(|p| p.is_file()) {
        Some(config) => from_cms_config(content, &config),
        None => flat(content),
    }
}

fn flat(content: &Path) -> Result<ContentLayout> {
    let posts = content.join("posts");
    if !posts.is_dir() {
        bail!(
            "{} has no posts/ folder: put the Markdown posts in {} (or, for a Netlify/Decap CMS site, \
             point QUIRE_CONTENT at the site's checkout, which holds static/admin/config.yml)",
            content.display(),
            posts.display()
        );
    }
    let authors = Some(content.join("authors")).filter(|p| p.is_dir());
    let settings = Some(content.join("blog-config.json")).filter(|p| p.exists());
    Ok(ContentLayout {
        root: content.to_path_buf(),
        posts,
        authors,
        settings,
        media: Vec::new(),
        cms_config: None,
        posts_collection: None,
        warnings: Vec::new(),
    })
}

/// One collection of the CMS configuration.
struct Collection<'a> {
    name: String,
    map: &'a Mapping,
}

impl<'a> Collection<'a> {
    fn str(&self, key: &str) -> Option<&'a str> {
        self.map.get(key).and_then(Value::as_str)
    }

    fn folder(&self) -> Option<&'a str> {
        self.str("folder")
    }

    /// The top-level fields, those that are mappings.
    fn fields(&self) -> impl Iterator<Item = &'a Mapping> {
        self.map
            .get("fields")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(Value::as_mapping)
    }

    fn has_field(&self, name: &str) -> bool {
        self.fields().any(|f| f.get("name").and_then(Value::as_str) == Some(name))
    }

    /// Its entries are blog posts: the `templateKey` field defaults to `blog-post`, or the
    /// collection's `filter` keeps only files with `templateKey: blog-post`.
    fn holds_blog_posts(&self) -> bool {
        let by_default = self.fields().any(|f| {
            f.get("name").and_then(Value::as_str) == Some("templateKey")
                && f.get("default").and_then(Value::as_str).map(str::trim) == Some(BLOG_POST)
        });
        let by_filter = self.map.get("filter").and_then(Value::as_mapping).is_some_and(|f| {
            f.get("field").and_then(Value::as_str) == Some("templateKey")
                && f.get("value").and_then(Value::as_str).map(str::trim) == Some(BLOG_POST)
        });
        by_default || by_filter
    }
}

/// Reading one CMS configuration: its text (for line numbers in messages) and path.
struct Config<'a> {
    path: &'a Path,
    text: String,
    root: &'a Path,
}

impl Config<'_> {
    /// `config.yml:97: ` for the first line holding `key:` and `value`, else `config.yml: `.
    fn at(&self, key: &str, value: &str) -> String {
        match line_of(&self.text, key, value) {
            Some(line) => format!("{}:{line}: ", self.path.display()),
            None => format!("{}: ", self.path.display()),
        }
    }

    /// A path of the config (`/src/pages/blog` or `src/pages/blog`) inside the site root.
    fn site_path(&self, raw: &str, key: &str, what: &str) -> Result<PathBuf> {
        site_path(self.root, raw).with_context(|| {
            format!(
                "{}{what}: `{key}: {raw}` leads outside the site {}; paths in the CMS configuration \
                 are relative to the site root",
                self.at(key, raw),
                self.root.display()
            )
        })
    }

    /// [`Config::site_path`] of a folder that must exist.
    fn existing_folder(&self, raw: &str, key: &str, what: &str) -> Result<PathBuf> {
        let path = self.site_path(raw, key, what)?;
        if !path.is_dir() {
            bail!(
                "{}{what}: `{key}: {raw}` does not exist (no folder {})",
                self.at(key, raw),
                path.display()
            );
        }
        Ok(path)
    }
}

fn from_cms_config(root: &Path, config_path: &Path) -> Result<ContentLayout> {
    let text = fs::read_to_string(config_path)
        .with_context(|| format!("cannot read the CMS configuration {}", config_path.display()))?;
    let config = Config { path: config_path, text, root };
    let mut yaml: Value = serde_norway::from_str(&config.text)
        .with_context(|| format!("{}: invalid YAML", config_path.display()))?;
    yaml.apply_merge()
        .with_context(|| format!("{}: invalid YAML merge key (`<<`)", config_path.display()))?;
    let Some(top) = yaml.as_mapping() else {
        bail!("{}: not a CMS configuration (expected keys such as `collections`)", config_path.display());
    };
    let collections: Vec<Collection> = top
        .get("collections")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(Value::as_mapping)
        .map(|map| Collection {
            name: map.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
            map,
        })
        .collect();
    let mut warnings = Vec::new();

    let settings = settings_file(&config, &collections)?;
    let named = settings.as_deref().and_then(posts_collection_named);
    let posts_collection = match named {
        Some(name) => {
            let found = collections.iter().find(|c| c.name == name && c.folder().is_some());
            let settings = settings.as_deref().unwrap_or(config_path);
            found.with_context(|| {
                format!(
                    "{}: field `{POSTS_COLLECTION_KEY}`: the CMS configuration {} has no folder collection named `{name}`",
                    settings.display(),
                    config_path.display()
                )
            })?
        }
        None => {
            let candidates: Vec<&Collection> =
                collections.iter().filter(|c| c.folder().is_some() && c.holds_blog_posts()).collect();
            match candidates.as_slice() {
                [one] => *one,
                [] => bail!(
                    "{}: no folder collection holds blog posts (none has a `templateKey` field with \
                     `default: {BLOG_POST}`); name the posts collection in blog-config.json as \
                     `\"{POSTS_COLLECTION_KEY}\": \"<collection name>\"`",
                    config_path.display()
                ),
                several => bail!(
                    "{}: several folder collections hold blog posts ({}); name the one quire publishes in \
                     blog-config.json as `\"{POSTS_COLLECTION_KEY}\": \"<collection name>\"`",
                    config_path.display(),
                    several.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")
                ),
            }
        }
    };
    let what = format!("collection `{}`", posts_collection.name);
    let posts_raw = posts_collection.folder().unwrap_or_default();
    let posts = config.existing_folder(posts_raw, "folder", &what)?;
    if posts_collection.map.contains_key("path") || posts_collection.map.get("nested").is_some() {
        warnings.push(format!(
            "{}{what}: posts in sub-folders (`path`, `nested`) are not read; quire reads the `*.md` files of {}",
            config.at("name", &posts_collection.name),
            posts.display()
        ));
    }
    if let Some(ext) =
        posts_collection.str("extension").filter(|e| !e.trim().trim_start_matches('.').eq("md"))
    {
        warnings.push(format!(
            "{}{what}: `extension: {ext}` files are not read; quire reads the `*.md` files of {}",
            config.at("extension", ext),
            posts.display()
        ));
    }

    let author_collections: Vec<&Collection> = collections
        .iter()
        .filter(|c| c.name != posts_collection.name && c.folder().is_some() && c.has_field("authorName"))
        .collect();
    let authors = match author_collections.first() {
        Some(c) => {
            if author_collections.len() > 1 {
                warnings.push(format!(
                    "{}: several collections have an `authorName` field; authors are read from `{}` only (not {})",
                    config_path.display(),
                    c.name,
                    author_collections
                        .iter()
                        .skip(1)
                        .map(|c| format!("`{}`", c.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let raw = c.folder().unwrap_or_default();
            Some(config.existing_folder(raw, "folder", &format!("collection `{}`", c.name))?)
        }
        None => None,
    };

    let mut media = Vec::new();
    if let Some(own) = collection_media(&config, posts_collection, &mut warnings)? {
        media.push(own);
    }
    if let Some(site) = site_media(&config, top)? {
        media.push(site);
    }

    Ok(ContentLayout {
        root: root.to_path_buf(),
        posts,
        authors,
        settings,
        media,
        cms_config: Some(config_path.to_path_buf()),
        posts_collection: Some(posts_collection.name.clone()),
        warnings,
    })
}

/// The blog settings: the file entry whose file is `blog-config.json`, else the one named
/// `blogConfig` (as osf-website names it). It must exist when the config names it.
fn settings_file(config: &Config, collections: &[Collection]) -> Result<Option<PathBuf>> {
    let entries: Vec<(&Collection, &Mapping)> = collections
        .iter()
        .flat_map(|c| {
            let files = c.map.get("files").and_then(Value::as_sequence).into_iter().flatten();
            files.filter_map(Value::as_mapping).map(move |f| (c, f))
        })
        .filter(|(_, f)| f.get("file").and_then(Value::as_str).is_some())
        .collect();
    let file_of = |f: &Mapping| f.get("file").and_then(Value::as_str).unwrap_or_default().trim().to_string();
    let by_file = entries
        .iter()
        .find(|(_, f)| Path::new(&file_of(f)).file_name().is_some_and(|n| n == "blog-config.json"));
    let by_name =
        || entries.iter().find(|(_, f)| f.get("name").and_then(Value::as_str) == Some("blogConfig"));
    let Some((collection, entry)) = by_file.or_else(by_name) else { return Ok(None) };
    let raw = file_of(entry);
    let entry_name = entry.get("name").and_then(Value::as_str).unwrap_or_default();
    let what = format!("collection `{}`, file `{entry_name}`", collection.name);
    let path = config.site_path(&raw, "file", &what)?;
    if !path.is_file() {
        bail!("{}{what}: `file: {raw}` does not exist (no file {})", config.at("file", &raw), path.display());
    }
    Ok(Some(path))
}

/// `postsCollection` of the blog settings, when set. An unreadable file is left for the
/// loader, which reports it with its field.
fn posts_collection_named(settings: &Path) -> Option<String> {
    let text = fs::read_to_string(settings).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get(POSTS_COLLECTION_KEY)?.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The site-wide `media_folder` and `public_folder`. `public_folder` defaults to
/// `media_folder` with a leading `/` (as in Decap CMS); a `public_folder` on another host
/// (`https://cdn…`) means the images are served from there: nothing to copy.
fn site_media(config: &Config, top: &Mapping) -> Result<Option<Media>> {
    let Some(raw) = top.get("media_folder").and_then(Value::as_str) else { return Ok(None) };
    let public = top.get("public_folder").and_then(Value::as_str);
    media(config, raw, public, "site media")
}

/// A collection's own `media_folder` when it is given from the site root (`/static/blog`);
/// one relative to each entry is not supported (a warning says so).
fn collection_media(
    config: &Config,
    collection: &Collection,
    warnings: &mut Vec<String>,
) -> Result<Option<Media>> {
    let Some(raw) = collection.str("media_folder") else { return Ok(None) };
    if !raw.trim().starts_with('/') {
        warnings.push(format!(
            "{}collection `{}`: `media_folder: {raw}` is relative to each post, which quire does not \
             support: start it with `/` (from the site root) so its images are copied",
            config.at("media_folder", raw),
            collection.name
        ));
        return Ok(None);
    }
    let what = format!("collection `{}`", collection.name);
    media(config, raw, collection.str("public_folder"), &what)
}

fn media(config: &Config, raw: &str, public: Option<&str>, what: &str) -> Result<Option<Media>> {
    let folder = config.existing_folder(raw, "media_folder", what)?;
    let public = match public.map(str::trim) {
        Some(p) if url_scheme(p).is_some() || p.starts_with("//") => return Ok(None),
        Some(p) => p.to_string(),
        None => format!("/{}", raw.trim().trim_start_matches('/')),
    };
    let segments: Vec<&str> = public.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| matches!(*s, "." | "..") || s.contains(['\\', '\0', '?', '#'])) {
        bail!(
            "{}{what}: `public_folder: {public}` is not a URL path such as /img",
            config.at("public_folder", &public)
        );
    }
    let public_url = format!("/{}", segments.join("/"));
    Ok(Some(Media { folder, public_url }))
}

/// `raw` (`/src/pages/blog`, `src/pages/blog/`, `./static/img`) under `root`; `None` when
/// it climbs out with `..`.
fn site_path(root: &Path, raw: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for component in Path::new(raw.trim().trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(path)
}

/// The 1-based number of the first line holding `key:` (as a whole key: `folder` does not
/// match `media_folder`) and `value`.
fn line_of(text: &str, key: &str, value: &str) -> Option<usize> {
    let value = value.trim();
    text.lines().position(|line| has_key(line, key) && has_value(line, value)).map(|i| i + 1)
}

/// `value` stands alone in `line`: `blog` is in `name: "blog"` but not in `name: blogConfig`.
fn has_value(line: &str, value: &str) -> bool {
    let part_of_value = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    !value.is_empty()
        && line.match_indices(value).any(|(at, _)| {
            !line[..at].chars().next_back().is_some_and(part_of_value)
                && !line[at + value.len()..].chars().next().is_some_and(part_of_value)
        })
}

fn has_key(line: &str, key: &str) -> bool {
    line.match_indices(key).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + key.len()..].trim_start_matches(['"', '\'']).trim_start();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') && after.starts_with(':')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_may_start_with_a_slash_but_never_leave_the_site() {
        let root = Path::new("/site");
        assert_eq!(site_path(root, "/src/pages/blog"), Some(PathBuf::from("/site/src/pages/blog")));
        assert_eq!(site_path(root, "src/pages/blog/"), Some(PathBuf::from("/site/src/pages/blog")));
        assert_eq!(site_path(root, " ./static/img "), Some(PathBuf::from("/site/static/img")));
        assert_eq!(site_path(root, "//static/img"), Some(PathBuf::from("/site/static/img")));
        assert_eq!(site_path(root, "../elsewhere"), None);
        assert_eq!(site_path(root, "/static/../../etc"), None);
    }

    #[test]
    fn lines_are_found_by_whole_key() {
        let text = "media_folder: static/img\ncollections:\n  - name: blog\n    folder: \"static/img\"\n";
        assert_eq!(line_of(text, "folder", "static/img"), Some(4));
        assert_eq!(line_of(text, "media_folder", "static/img"), Some(1));
        assert_eq!(line_of(text, "name", "blog"), Some(3));
        assert_eq!(line_of(text, "file", "static/img"), None);
        assert!(has_key("  - { label: X, name: \"file\", file: \"a.json\" }", "file"));
        let real = "        name: \"blogConfig\"\n  - name: \"blog\"\n    folder: \"src/pages/blog\"\n";
        assert_eq!(line_of(real, "name", "blog"), Some(2));
        assert_eq!(line_of(real, "folder", "src/pages"), None);
    }

    #[test]
    fn media_segments_stay_under_the_public_url() {
        let media = Media { folder: PathBuf::from("/s/static/img"), public_url: "/img".into() };
        assert_eq!(media.segments("/img/a/b.png"), Some(vec!["a", "b.png"]));
        assert_eq!(media.segments("/img//b.png"), Some(vec!["b.png"]));
        assert_eq!(media.segments("/imgs/b.png"), None);
        assert_eq!(media.segments("/img"), None);
        let root = Media { folder: PathBuf::from("/s/static"), public_url: "/".into() };
        assert_eq!(root.segments("/x.png"), Some(vec!["x.png"]));
    }
}
