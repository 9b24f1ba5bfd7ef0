//! Reads a content folder (`posts/*.md`, `authors/*.md`, `blog-config.json`, or wherever a
//! CMS site's configuration puts them: see `cms.rs`) into the model.
//! Every problem is collected first, so one build reports all broken files at once.

mod files;

pub use files::markdown_files;

use crate::cms::ContentLayout;
use crate::config::BlogConfig;
use anyhow::{Context, Result, bail};
use quire_core::front_matter::{AuthorFrontMatter, FrontMatterError, PostFrontMatter, split};
use quire_core::markdown::{excerpt, first_image, plain_text};
use quire_core::model::{
    Author, Category, FORMAT_VERSION, Index, Post, PostFile, PostSeo, PostSummary, Site,
};
use quire_core::url::{kebab_case, post_slug, slug_from_url};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const EXCERPT_CHARS: usize = 200;
/// From this size on, a body's first image is looked for on a core of its own.
const LONG_BODY_BYTES: usize = 1 << 20;

pub struct CompiledSite {
    pub site: Site,
    pub categories: Vec<Category>,
    pub authors: Vec<Author>,
    /// One post per slug, newest first.
    pub posts: Vec<Post>,
    pub warnings: Vec<String>,
}

impl CompiledSite {
    /// The listing as `content/index.json` holds it and the home page shows it.
    pub fn index(&self) -> Index {
        Index {
            version: FORMAT_VERSION,
            site: self.site.clone(),
            categories: self.categories.clone(),
            authors: self.authors.clone(),
            posts: self.posts.iter().map(|p| p.summary.clone()).collect(),
        }
    }

    /// One post as `content/posts/<key>.json` holds it and its page shows it.
    pub fn post_file(&self, post: &Post) -> PostFile {
        PostFile {
            version: FORMAT_VERSION,
            post: post.clone(),
            nav: crate::neighbours::post_nav(&self.posts, post),
        }
    }
}

/// The compiled site of the content folder `content`, for tests (the steps discover the layout
/// first, see `main.rs`).
#[cfg(test)]
pub fn load(content: &Path) -> Result<CompiledSite> {
    load_layout(&crate::cms::discover(content)?)
}

/// The compiled site of a content folder whose layout is known (see `cms::discover`).
pub fn load_layout(layout: &ContentLayout) -> Result<CompiledSite> {
    let config_path = config_path(layout);
    let config = read_config(&config_path)?;
    let mut errors = Vec::new();
    let mut warnings: Vec<String> = layout.warnings.clone();
    warnings.extend(config.problems().into_iter().map(|p| format!("{}: {p}", config_path.display())));

    let mut unknown_keys = files::UnknownKeys::default();
    let mut authors = Vec::new();
    let author_files = match layout.authors.as_deref() {
        Some(dir) => files::markdown_files(dir, &mut warnings)?,
        None => Vec::new(),
    };
    for path in author_files {
        match read_front_matter(&path, &mut warnings).and_then(|read| {
            read.map(|(yaml, _)| AuthorFrontMatter::parse(&yaml).map_err(|e| e.to_string())).transpose()
        }) {
            Ok(Some(a)) => {
                unknown_keys.add(&path, &a.unknown_keys);
                authors.push(Author { slug: kebab_case(&a.name), name: a.name, company: a.company })
            }
            Ok(None) => {}
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    authors.sort_by(|a, b| a.name.cmp(&b.name));
    authors.dedup_by(|a, b| a.name == b.name);

    let site = config.site();
    let categories = config.categories();
    let posts_dir = &layout.posts;
    let mut by_slug: BTreeMap<String, Vec<(PathBuf, Post)>> = BTreeMap::new();
    let post_files = files::markdown_files(posts_dir, &mut warnings)?;
    // Posts are read on every core; their warnings and unknown keys are then taken in file
    // order, as if they had been read one after the other.
    let read = crate::parallel::map(&post_files, |path| {
        let (mut warnings, mut unknown_keys) = (Vec::new(), files::UnknownKeys::default());
        let post = read_post(path, &categories, &authors, &mut warnings, &mut unknown_keys);
        (post, warnings, unknown_keys)
    });
    for (path, (post, post_warnings, post_unknown_keys)) in post_files.into_iter().zip(read) {
        warnings.extend(post_warnings);
        unknown_keys.extend(post_unknown_keys);
        match post {
            Ok(Some(post)) => by_slug.entry(post.summary.slug.clone()).or_default().push((path, post)),
            Ok(None) => {}
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    if !errors.is_empty() {
        bail!("{} file(s) could not be read; nothing was written:\n  {}", errors.len(), errors.join("\n  "));
    }

    warnings.extend(unknown_keys.warnings());
    let posts: Vec<(PathBuf, Post)> =
        by_slug.into_values().filter_map(|claims| pick_winner(claims, &mut warnings)).collect();
    warnings.extend(files::case_collisions(&posts));
    let mut posts: Vec<Post> = posts.into_iter().map(|(_, post)| post).collect();
    posts.sort_by(|a, b| {
        b.summary.date.cmp(&a.summary.date).then_with(|| a.summary.slug.cmp(&b.summary.slug))
    });
    Ok(CompiledSite { site, categories, authors, posts, warnings })
}

/// The site's settings file, `blog-config.json` unless the layout names another.
pub fn config_path(layout: &ContentLayout) -> PathBuf {
    layout.settings.clone().unwrap_or_else(|| layout.root.join("blog-config.json"))
}

/// Several files may claim one URL (a hidden draft beside its published post, a post saved
/// twice): a visible post beats a hidden one, then the newest date, then the first file name.
fn pick_winner(mut claims: Vec<(PathBuf, Post)>, warnings: &mut Vec<String>) -> Option<(PathBuf, Post)> {
    claims.sort_by(|(pa, a), (pb, b)| {
        a.summary
            .hidden
            .cmp(&b.summary.hidden)
            .then_with(|| b.summary.date.cmp(&a.summary.date))
            .then_with(|| pa.cmp(pb))
    });
    let file = |(p, post): &(PathBuf, Post)| {
        format!("{}{}", p.display(), if post.summary.hidden { " (hidden)" } else { "" })
    };
    if let [winner, others @ ..] = claims.as_slice()
        && !others.is_empty()
    {
        warnings.push(format!(
            "{} files claim the URL {}: using {}; also claimed by {}",
            claims.len(),
            quire_core::url::post_path(&winner.1.summary.slug),
            file(winner),
            others.iter().map(file).collect::<Vec<_>>().join(", ")
        ));
    }
    claims.into_iter().next()
}

fn read_config(path: &Path) -> Result<BlogConfig> {
    if !path.exists() {
        return Ok(BlogConfig::default());
    }
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = files::utf8(bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: invalid blog config", path.display()))
}

/// The file's front matter and body, `None` (after a warning) when the file cannot be read;
/// errors are ready to follow the file name.
fn read_front_matter(path: &Path, warnings: &mut Vec<String>) -> Result<Option<(String, String)>, String> {
    let Some(text) = files::read_text(path, warnings)? else { return Ok(None) };
    let (yaml, body) = split(&text).map_err(|e| e.to_string())?;
    Ok(Some((yaml.to_string(), body.to_string())))
}

fn read_post(
    path: &Path,
    categories: &[Category],
    authors: &[Author],
    warnings: &mut Vec<String>,
    unknown_keys: &mut files::UnknownKeys,
) -> Result<Option<Post>, String> {
    let Some((yaml, body)) = read_front_matter(path, warnings)? else { return Ok(None) };
    let fm = match PostFrontMatter::parse(&yaml) {
        Ok(fm) => fm,
        Err(skip @ FrontMatterError::OtherTemplate(_)) => {
            warnings.push(format!("{}: {skip}", path.display()));
            return Ok(None);
        }
        Err(e) => return Err(e.to_string()),
    };
    unknown_keys.add(path, &fm.unknown_keys);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let slug = post_slug(fm.seo.url.as_deref(), &stem).ok_or_else(|| {
        "field `seo.url`: no usable URL: give `seo.url` a last path segment without spaces, or rename the file".to_string()
    })?;
    if let Some(url) = fm.seo.url.as_deref().filter(|url| slug_from_url(url).is_none()) {
        warnings.push(format!(
            "{}: field `seo.url` (`{}`) has no usable last path segment: the post is served at {}, \
             from the file name",
            path.display(),
            url.trim(),
            quire_core::url::post_path(&slug)
        ));
    }
    let categories = fm
        .categories
        .into_iter()
        .map(|c| {
            let known = categories.iter().find(|k| k.id == c.id).map(|k| k.label.clone());
            let label = known
                .or_else(|| (!c.label.is_empty()).then(|| c.label.clone()))
                .unwrap_or_else(|| c.id.clone());
            Category { id: c.id, slug: kebab_case(&label), label }
        })
        .collect();
    let author_company = fm
        .author
        .as_ref()
        .and_then(|name| authors.iter().find(|a| &a.name == name))
        .and_then(|a| a.company.clone());
    // The social card's fallback image costs a parse of the whole body: a long body's is
    // looked for on another core meanwhile (one post of 50 MB leaves the other core idle).
    let seo_image = fm.seo.image;
    let image = || seo_image.or_else(|| first_image(&body));
    let text = || (excerpt(&body, EXCERPT_CHARS), quire_core::markdown::reading_minutes(&body));
    let (image, (excerpt, reading_minutes)) =
        if body.len() >= LONG_BODY_BYTES { crate::parallel::join(image, text) } else { (image(), text()) };
    let summary = PostSummary {
        slug,
        title: fm.title.clone(),
        date: fm.date,
        author_slug: fm.author.as_deref().map(kebab_case).filter(|s| !s.is_empty()),
        author: fm.author,
        categories,
        // Writers put Markdown links in descriptions; listings and meta tags need plain text.
        description: fm.seo.description.map(|d| plain_text(&d)).filter(|d| !d.is_empty()),
        excerpt,
        hidden: fm.hidden,
        reading_minutes: Some(reading_minutes),
    };
    let seo = PostSeo {
        title: fm.seo.title.map(|t| t.trim().to_string()).unwrap_or(fm.title),
        url: fm.seo.url.map(|u| u.trim().to_string()),
        twitter_username: fm.seo.twitter_username.map(|t| t.trim().to_string()),
        image,
    };
    Ok(Some(Post { summary, seo, author_company, body }))
}
