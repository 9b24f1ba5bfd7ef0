//! The images of a CMS site. The files of its media folder that the posts and the blog
//! settings reference are copied into the built site under the folder's public URL
//! (`static/img/a.png` → `dist/img/a.png`, served as `/img/a.png`); the rest of the folder,
//! which on a real site mostly serves its other pages, stays behind. A reference to a file
//! that is not there is a warning naming the post.
//!
//! References: Markdown images and links, raw HTML `src` and `href` (read from the rendered,
//! sanitised HTML, so exactly what a page will request), a post's `seo.image` and the
//! settings' `seo.image`: root-relative URLs under the public URL, possibly percent-encoded.

use crate::cms::{ContentLayout, Media};
use anyhow::{Context, Result};
use quire_core::front_matter::{PostFrontMatter, split};
use quire_core::markdown::render;
use quire_core::model::CONTENT_DIR;
use quire_core::sanitize::decode_entities;
use quire_core::url::{is_app_route, percent_decode};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What [`copy_referenced`] did.
#[derive(Debug, Default)]
pub struct MediaReport {
    pub files: usize,
    pub bytes: u64,
    pub warnings: Vec<String>,
}

/// Copies every media file that the posts of `layout` or the settings image (`site_image`,
/// the settings' `seo.image`) reference into `out`, under its public URL.
pub fn copy_referenced(layout: &ContentLayout, site_image: Option<&str>, out: &Path) -> Result<MediaReport> {
    let mut report = MediaReport::default();
    if layout.media.is_empty() {
        return Ok(report);
    }
    let folders: Vec<Folder> = layout
        .media
        .iter()
        .map(|media| Folder { media, real: fs::canonicalize(&media.folder).ok() })
        .collect();
    // Destination (relative to `out`) → source; each once, whoever references it.
    let mut copies: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut resolve =
        |source: &Path, reference: &str, warnings: &mut Vec<String>| match locate(&folders, reference) {
            Located::NotMedia => {}
            Located::File { source: file, dest } => {
                copies.entry(dest).or_insert(file);
            }
            Located::Problem(problem) => {
                warnings.push(format!("{}: `{reference}` {problem}", source.display()))
            }
        };
    if let (Some(settings), Some(image)) = (&layout.settings, site_image) {
        resolve(settings, image, &mut report.warnings);
    }
    for post in markdown_files(&layout.posts)? {
        // The loader has read every file already and reported what is wrong with it.
        let Ok(text) = fs::read_to_string(&post) else { continue };
        let Ok((yaml, body)) = split(&text) else { continue };
        let Ok(front_matter) = PostFrontMatter::parse(yaml) else { continue };
        let mut references = BTreeSet::new();
        if let Some(image) = front_matter.seo.image.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
            references.insert(image.to_string());
        }
        // Rendering is the costly part: only bodies that may name a media URL pay it.
        if folders.iter().any(|f| body.contains(f.media.public_url.as_str())) {
            references.extend(html_urls(&render(&without_inline_data(body)).html));
        }
        for reference in references {
            resolve(&post, &reference, &mut report.warnings);
        }
    }
    for (dest, source) in copies {
        let target = out.join(&dest);
        if dest.starts_with(CONTENT_DIR) {
            report.warnings.push(format!(
                "{}: not copied to {}: the site's own data lives there",
                source.display(),
                target.display()
            ));
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        // A copy from an earlier build may be read-only (fs::copy keeps the source's mode).
        if target.is_file() {
            fs::remove_file(&target).with_context(|| format!("cannot replace {}", target.display()))?;
        }
        report.bytes += fs::copy(&source, &target)
            .with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))?;
        report.files += 1;
    }
    Ok(report)
}

struct Folder<'a> {
    media: &'a Media,
    /// The folder with symbolic links resolved, to keep references inside it.
    real: Option<PathBuf>,
}

enum Located {
    /// Not a URL under a media folder's public URL (another site, a post, an anchor).
    NotMedia,
    File {
        source: PathBuf,
        dest: PathBuf,
    },
    /// Under a public URL but unusable: the reason, to follow the reference in a warning.
    Problem(String),
}

/// Where the file a reference names is, and where it goes in the built site.
fn locate(folders: &[Folder], reference: &str) -> Located {
    let reference = reference.trim();
    let path = reference.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') || path.starts_with("//") {
        return Located::NotMedia;
    }
    let Some(path) = percent_decode(path) else {
        return if folders.iter().any(|f| f.media.segments(path).is_some()) {
            Located::Problem("is not a valid URL (a malformed %-escape)".into())
        } else {
            Located::NotMedia
        };
    };
    let mut looked = Vec::new();
    for folder in folders {
        let media = folder.media;
        let Some(segments) = media.segments(&path) else { continue };
        // Media served from the site root share it with the app's own pages.
        if media.public_url == "/" && is_app_route(&path) {
            return Located::NotMedia;
        }
        if segments.is_empty() {
            return Located::NotMedia;
        }
        if segments.iter().any(|s| matches!(*s, "." | "..") || s.contains(['\\', '\0'])) {
            return Located::Problem(format!(
                "leaves the media folder {}: not copied",
                media.folder.display()
            ));
        }
        let file = segments.iter().fold(media.folder.clone(), |p, s| p.join(s));
        if !file.is_file() {
            looked.push(file);
            continue;
        }
        let inside = match (&folder.real, fs::canonicalize(&file)) {
            (Some(real_folder), Ok(real_file)) => real_file.starts_with(real_folder),
            _ => false,
        };
        if !inside {
            return Located::Problem(format!(
                "is a link out of the media folder {} ({}): not copied",
                media.folder.display(),
                file.display()
            ));
        }
        let public = media.public_url.split('/').filter(|s| !s.is_empty());
        let dest = public.chain(segments.iter().copied()).collect::<PathBuf>();
        return Located::File { source: file, dest };
    }
    match looked.as_slice() {
        [] => Located::NotMedia,
        files => Located::Problem(format!(
            "is not in the media folder: no file {}",
            files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(" or ")
        )),
    }
}

/// The `src` and `href` values of rendered, sanitised HTML (attributes always in double
/// quotes, `<` in text always escaped, so every `<` opens a tag), entities decoded.
fn html_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with(['/', '!']) {
            continue;
        }
        let mut attrs = tag;
        while let Some(eq) = attrs.find("=\"") {
            let name = attrs[..eq].rsplit(' ').next().unwrap_or("");
            let value_and_rest = &attrs[eq + 2..];
            let close = value_and_rest.find('"').unwrap_or(value_and_rest.len());
            if matches!(name, "src" | "href") {
                urls.push(decode_entities(&value_and_rest[..close]));
            }
            attrs = value_and_rest.get(close + 1..).unwrap_or("");
        }
    }
    urls
}

/// Long inline `data:` URLs (a pasted screenshot as base64: one corpus post carries 600 KB)
/// cut to `data:`, which they cannot name media with anyway: the rest renders alike, faster.
fn without_inline_data(body: &str) -> Cow<'_, str> {
    const LONG: usize = 1024;
    let is_data = |b: u8| b.is_ascii_alphanumeric() || b"+/=;,:._-%".contains(&b);
    if !body.contains("data:") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("data:") {
        let start = at + "data:".len();
        let run =
            rest.as_bytes().get(start..).unwrap_or_default().iter().take_while(|b| is_data(**b)).count();
        out.push_str(&rest[..start]);
        if run < LONG {
            out.push_str(&rest[start..start + run]);
        }
        rest = &rest[start + run..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `*.md` files of a folder, sorted by name.
fn markdown_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry.with_context(|| format!("cannot list {}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "md") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_come_from_tags_only() {
        let html = r#"<p>src="/img/text.png" <a href="/img/a.pdf" rel="external">a</a> <img src="/img/b%20c.png" alt="x src=&quot;/img/no.png&quot;"> <a href="/blog/x?a=1&amp;b=2">x</a></p>"#;
        assert_eq!(html_urls(html), ["/img/a.pdf", "/img/b%20c.png", "/blog/x?a=1&b=2"]);
    }

    #[test]
    fn long_inline_data_is_cut_before_rendering() {
        let base64 = "iVBORw0KGgo".repeat(200);
        let md = format!("![a](data:image/png;base64,{base64}) ![b](/img/b.png) data:short/img/c.png");
        let cut = without_inline_data(&md);
        assert_eq!(cut, "![a](data:) ![b](/img/b.png) data:short/img/c.png");
        assert!(matches!(without_inline_data("no inline data"), Cow::Borrowed(_)));
        // An unsafe image URL (`data:` without a picture type) is emptied by the renderer.
        assert_eq!(html_urls(&render(&cut).html), ["", "/img/b.png"]);
    }

    #[test]
    fn rendered_markdown_and_raw_html_references_are_found() {
        let md = "![a](/img/a.png \"t\") [pdf](/img/doc.pdf)\n\n<p><img src=\"/img/raw.png\"></p>\n\n`<img src=\"/img/code.png\">`\n";
        let urls = html_urls(&render(md).html);
        for expected in ["/img/a.png", "/img/doc.pdf", "/img/raw.png"] {
            assert!(urls.iter().any(|u| u == expected), "{expected} in {urls:?}");
        }
        assert!(!urls.iter().any(|u| u.contains("code.png")), "{urls:?}");
    }
}
