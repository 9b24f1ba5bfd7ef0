//! The discovery files of the built site, at the root of the output folder: `sitemap.xml`
//! (sitemaps.org 0.9), `robots.txt`, `rss.xml` (RSS 2.0) and `atom.xml` (Atom 1.0).
//!
//! Every URL in them is absolute, so they need the blog's address (`seo.url` in
//! `blog-config.json`). Without it only `robots.txt` is written, and stale copies of the other
//! three are removed so a host never serves files that point at an old address.
//!
//! Hidden posts (`hidePost: true`) appear in none of these files.

use crate::write::write_file;
use anyhow::{Context, Result, anyhow};
use atom_syndication::FixedDateTime;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quire_core::date::PostDate;
use quire_core::markdown::{RenderOptions, render_with};
use quire_core::model::{Post, Site};
use quire_core::sanitize::escape_attr;
use quire_core::seo::{absolute, post_tags};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

/// File names, at the root of the output folder.
pub const SITEMAP_FILE: &str = "sitemap.xml";
/// See [`SITEMAP_FILE`].
pub const ROBOTS_FILE: &str = "robots.txt";
/// See [`SITEMAP_FILE`].
pub const RSS_FILE: &str = "rss.xml";
/// See [`SITEMAP_FILE`].
pub const ATOM_FILE: &str = "atom.xml";

/// Posts per feed: the newest 50. A feed tells subscribers what is new, every reader
/// downloads the whole file on each poll, and each item carries its full body; without a cap
/// the file grows with the archive forever (the 124 posts of openinfra.dev already make about
/// 1.2 MB per feed, the newest 50 about 0.95 MB). Fifty is well over a year of posts there;
/// older posts stay reachable through the listing and `sitemap.xml`, which list every post.
pub const FEED_ITEMS: usize = 50;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const GENERATOR: &str = "quire";

/// What the discovery files are made of.
pub struct Discovery<'a> {
    /// The blog settings; `site.url` gives every absolute URL.
    pub site: &'a Site,
    /// Every post, newest first; hidden ones are left out here.
    pub posts: &'a [Post],
    /// Extra listing pages besides "/" to put in the sitemap (route paths like "/page/2");
    /// may be empty today. Joined with the site root like post paths (`/blog/<slug>`).
    pub listing_paths: &'a [String],
}

/// Writes sitemap.xml, robots.txt, rss.xml and atom.xml into `out`; returns warnings (e.g. no
/// site URL, posts left out of the sitemap because their canonical URL is on another host).
pub fn write_discovery(d: &Discovery<'_>, out: &Path) -> Result<Vec<String>> {
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut warnings = Vec::new();
    let Some(urls) = SiteUrls::new(d.site) else {
        write_file(&out.join(ROBOTS_FILE), robots_txt(None).as_bytes())?;
        for name in [SITEMAP_FILE, RSS_FILE, ATOM_FILE] {
            remove_stale(&out.join(name))?;
        }
        warnings.push(missing_url_warning(d.site.url.as_deref()));
        return Ok(warnings);
    };

    let posts: Vec<FeedPost<'_>> = d
        .posts
        .iter()
        .filter(|p| !p.summary.hidden)
        .filter_map(|post| {
            let url = post_tags(d.site, post, "").canonical?;
            Some(FeedPost { post, url: encode_url(&url).into_owned() })
        })
        .collect();
    let newest = posts.iter().map(|p| p.post.summary.date).max();

    let (entries, off_host) = sitemap_entries(&urls, d.listing_paths, &posts, newest);
    if let Some(first) = off_host.first() {
        warnings.push(format!(
            "{SITEMAP_FILE}: {} post(s) left out: their canonical URL (`seo.url`) is not on {}, \
             the blog's address (`seo.url` in blog-config.json), and a sitemap may only list \
             URLs of its own host (first: {first})",
            off_host.len(),
            urls.origin
        ));
    }
    write_file(&out.join(SITEMAP_FILE), &sitemap_xml(&entries)?)?;
    write_file(&out.join(ROBOTS_FILE), robots_txt(Some(&urls.file(SITEMAP_FILE))).as_bytes())?;

    let items = render_items(&posts, &urls.root);
    let rss_path = out.join(RSS_FILE);
    let rss = rss_xml(d.site, &urls, &items, newest)
        .with_context(|| format!("cannot build {}", rss_path.display()))?;
    write_file(&rss_path, &rss)?;
    let atom_path = out.join(ATOM_FILE);
    let atom = atom_xml(d.site, &urls, &items, newest)
        .with_context(|| format!("cannot build {}", atom_path.display()))?;
    write_file(&atom_path, &atom)?;
    Ok(warnings)
}

/// Whether [`write_discovery`] writes the feeds (the site has an absolute http(s) address),
/// so that the pages can link them while it writes them.
pub fn writes_feeds(site: &Site) -> bool {
    SiteUrls::new(site).is_some()
}

/// The absolute addresses everything is built from.
struct SiteUrls {
    /// The listing's URL: `site.url` as configured, e.g. `https://openinfra.dev/blog/`.
    home: String,
    /// Put before route paths: `https://openinfra.dev`.
    root: String,
    /// Scheme and host: `https://openinfra.dev`.
    origin: String,
}

impl SiteUrls {
    /// `None` when the site has no absolute http(s) address.
    fn new(site: &Site) -> Option<Self> {
        let url = site.url.as_deref().map(str::trim).filter(|u| is_http(u))?;
        let root = absolute(site, "", "")?;
        let origin = origin(url)?.to_string();
        Some(SiteUrls { home: encode_url(url).into_owned(), root: encode_url(&root).into_owned(), origin })
    }

    /// The URL of a file at the root of the built site.
    fn file(&self, name: &str) -> String {
        format!("{}/{name}", self.root)
    }

    /// The URL of a route path (`/page/2`).
    fn route(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("{}{slash}{}", self.root, encode_url(path))
    }
}

fn missing_url_warning(url: Option<&str>) -> String {
    let files = format!(
        "{SITEMAP_FILE}, {RSS_FILE} and {ATOM_FILE} need the blog's absolute address and were not written"
    );
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => {
            format!("blog-config.json: field `seo.url`: `{url}` is not an absolute http(s) URL: {files}")
        }
        None => format!("blog-config.json: field `seo.url` is not set: {files}"),
    }
}

fn is_http(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `https://Example.org:8080/a?b` → `https://Example.org:8080`; `None` when not http(s).
fn origin(url: &str) -> Option<&str> {
    if !is_http(url) {
        return None;
    }
    let after_scheme = url.find("://")? + 3;
    let end = url[after_scheme..].find(['/', '?', '#']).map_or(url.len(), |i| after_scheme + i);
    (end > after_scheme).then(|| &url[..end])
}

/// Whether two URLs have the same scheme and host (case aside), as the sitemap protocol
/// requires of every URL in a sitemap and the sitemap itself.
fn same_origin(a: &str, b: &str) -> bool {
    matches!((origin(a), origin(b)), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y))
}

/// Percent-encodes what may not appear in a URL as typed by writers (spaces, non-ASCII,
/// `"<>\^`{|}`); existing `%XX` escapes and reserved characters (`&`, `'`, `+`…) are kept.
fn encode_url(url: &str) -> Cow<'_, str> {
    let keep = |b: u8| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b);
    if url.bytes().all(keep) {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len() + 16);
    for b in url.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Cow::Owned(out)
}

fn remove_stale(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove the stale {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// `robots.txt`: everything may be crawled; the sitemap's address when known.
fn robots_txt(sitemap_url: Option<&str>) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = sitemap_url {
        out.push_str(&format!("Sitemap: {url}\n"));
    }
    out
}

/// A visible post with its canonical URL.
struct FeedPost<'a> {
    post: &'a Post,
    url: String,
}

/// One `<url>` of the sitemap.
#[derive(Debug, PartialEq, Eq)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

/// The home page, the listing pages, then every post on the blog's host; also the canonical
/// URLs left out because they are on another host.
fn sitemap_entries(
    urls: &SiteUrls,
    listing_paths: &[String],
    posts: &[FeedPost<'_>],
    newest: Option<PostDate>,
) -> (Vec<SitemapEntry>, Vec<String>) {
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    let mut off_host = Vec::new();
    let listing_lastmod = newest.map(|d| d.to_string());
    let listings = listing_paths.iter().map(|p| p.trim()).filter(|p| !p.is_empty() && *p != "/");
    for loc in std::iter::once(urls.home.clone()).chain(listings.map(|p| urls.route(p))) {
        if seen.insert(loc.clone()) {
            entries.push(SitemapEntry { loc, lastmod: listing_lastmod.clone() });
        }
    }
    for p in posts {
        if !same_origin(&p.url, &urls.origin) {
            off_host.push(p.url.clone());
        } else if seen.insert(p.url.clone()) {
            entries.push(SitemapEntry { loc: p.url.clone(), lastmod: Some(p.post.summary.date.to_string()) });
        }
    }
    (entries, off_host)
}

fn sitemap_xml(entries: &[SitemapEntry]) -> Result<Vec<u8>> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_urlset(&mut writer, entries).context("cannot build sitemap.xml")?;
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

fn write_urlset(writer: &mut Writer<Vec<u8>>, entries: &[SitemapEntry]) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer.create_element("urlset").with_attribute(("xmlns", SITEMAP_NS)).write_inner_content(|w| {
        for entry in entries {
            w.create_element("url").write_inner_content(|w| {
                w.create_element("loc").write_text_content(BytesText::new(&entry.loc))?;
                if let Some(lastmod) = &entry.lastmod {
                    w.create_element("lastmod").write_text_content(BytesText::new(lastmod))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

/// What both feeds say of a post.
struct FeedItem<'a> {
    post: &'a Post,
    url: &'a str,
    /// The full sanitised body, with absolute URLs.
    html: String,
}

fn render_items<'a>(posts: &'a [FeedPost<'a>], root: &str) -> Vec<FeedItem<'a>> {
    let posts = posts.get(..FEED_ITEMS).unwrap_or(posts);
    crate::parallel::map(posts, |p| FeedItem {
        post: p.post,
        url: &p.url,
        html: render_with(&p.post.body, RenderOptions { url_root: root, without_anchors: true }).html,
    })
}

/// The feed's description: the site's, else its subtitle, else its title.
fn site_description(site: &Site) -> &str {
    [&site.description, &site.subtitle, &site.title]
        .into_iter()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or_default()
}

/// RFC 3339 in UTC; a bare date is taken as midnight UTC.
fn rfc3339(date: &PostDate) -> String {
    let (h, m, s, ms) = date.time.map_or((0, 0, 0, 0), |t| (t.hour, t.minute, t.second, t.millis));
    format!("{:04}-{:02}-{:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z", date.year, date.month, date.day)
}

fn feed_time(date: &PostDate) -> Result<FixedDateTime> {
    let text = rfc3339(date);
    FixedDateTime::parse_from_rfc3339(&text)
        .map_err(|e| anyhow!("date {date} cannot be written as {text}: {e}"))
}

/// `pubDate` as RSS wants it (RFC 822): `Thu, 28 Jan 2021 15:00:00 +0000`.
fn rfc2822(date: &PostDate) -> Result<String> {
    Ok(feed_time(date)?.to_rfc2822())
}

fn rss_xml(
    site: &Site,
    urls: &SiteUrls,
    items: &[FeedItem<'_>],
    newest: Option<PostDate>,
) -> Result<Vec<u8>> {
    use rss::extension::atom::{AtomExtension, Link};
    use rss::extension::dublincore::DublinCoreExtension;

    let newest = newest.as_ref().map(rfc2822).transpose()?;
    let mut channel = rss::Channel {
        title: site.title.clone(),
        link: urls.home.clone(),
        description: site_description(site).to_string(),
        language: Some(site.language.clone()),
        pub_date: newest.clone(),
        last_build_date: newest,
        generator: Some(GENERATOR.into()),
        ..Default::default()
    };
    channel.atom_ext = Some(AtomExtension {
        links: vec![Link {
            href: urls.file(RSS_FILE),
            rel: "self".into(),
            mime_type: Some("application/rss+xml".into()),
            ..Default::default()
        }],
    });
    for item in items {
        let summary = &item.post.summary;
        let mut rss_item = rss::Item {
            title: Some(summary.title.clone()),
            link: Some(item.url.to_string()),
            // RSS readers read descriptions as HTML: the teaser is plain text.
            description: Some(escape_attr(summary.teaser())),
            categories: summary
                .categories
                .iter()
                .map(|c| rss::Category { name: c.label.clone(), domain: None })
                .collect(),
            guid: Some(rss::Guid { value: item.url.to_string(), permalink: true }),
            pub_date: Some(rfc2822(&summary.date)?),
            content: Some(item.html.clone()),
            ..Default::default()
        };
        // `<author>` must be an e-mail address; Dublin Core's creator takes a name.
        if let Some(author) = summary.author.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            rss_item.dublin_core_ext =
                Some(DublinCoreExtension { creators: vec![author.to_string()], ..Default::default() });
        }
        channel.items.push(rss_item);
    }
    let mut bytes = channel.write_to(Vec::new())?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn atom_xml(
    site: &Site,
    urls: &SiteUrls,
    items: &[FeedItem<'_>],
    newest: Option<PostDate>,
) -> Result<Vec<u8>> {
    use atom_syndication::{Category, Content, Entry, Feed, Generator, Link, Person, Text};

    let link = |href: &str, rel: &str, mime_type: &str| Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: Some(mime_type.to_string()),
        ..Default::default()
    };
    let description = site_description(site);
    let entries = items
        .iter()
        .map(|item| {
            let summary = &item.post.summary;
            let date = feed_time(&summary.date)?;
            let author = summary.author.as_deref().map(str::trim).filter(|a| !a.is_empty());
            let teaser = summary.teaser().trim();
            Ok(Entry {
                title: Text::plain(summary.title.clone()),
                id: item.url.to_string(),
                updated: date,
                published: Some(date),
                links: vec![link(item.url, "alternate", "text/html")],
                authors: author
                    .map(|name| Person { name: name.to_string(), ..Default::default() })
                    .into_iter()
                    .collect(),
                categories: summary
                    .categories
                    .iter()
                    .map(|c| Category { term: c.label.clone(), ..Default::default() })
                    .collect(),
                summary: (!teaser.is_empty()).then(|| Text::plain(teaser)),
                content: Some(Content {
                    content_type: Some("html".into()),
                    value: Some(item.html.clone()),
                    ..Default::default()
                }),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<Entry>>>()?;
    let feed = Feed {
        title: Text::plain(site.title.clone()),
        subtitle: (description != site.title.trim()).then(|| Text::plain(description)),
        id: urls.home.clone(),
        // An empty blog has no date to give; the epoch keeps the build reproducible.
        updated: newest.as_ref().map(feed_time).transpose()?.unwrap_or_default(),
        // A feed needs an author unless every entry has one: the blog itself.
        authors: vec![Person { name: site.title.clone(), ..Default::default() }],
        links: vec![
            link(&urls.home, "alternate", "text/html"),
            link(&urls.file(ATOM_FILE), "self", "application/atom+xml"),
        ],
        generator: Some(Generator { value: GENERATOR.into(), ..Default::default() }),
        lang: Some(site.language.clone()),
        entries,
        ..Default::default()
    };
    let mut bytes = feed.write_to(Vec::new())?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{CompiledSite, load};
    use std::path::PathBuf;
    use std::process::Command;
    use tempfile::TempDir;

    // --- small helpers ------------------------------------------------------------------

    fn date(s: &str) -> PostDate {
        PostDate::parse(s).expect("test date")
    }

    fn site(url: Option<&str>) -> Site {
        Site { title: "T".into(), url: url.map(str::to_string), ..Site::default() }
    }

    #[test]
    fn urls_are_encoded_only_where_needed() {
        assert_eq!(encode_url("https://x.org/blog/a&b'c+d"), "https://x.org/blog/a&b'c+d");
        assert!(matches!(encode_url("https://x.org/a%20b"), Cow::Borrowed(_)));
        assert_eq!(encode_url("https://x.org/café au lait"), "https://x.org/caf%C3%A9%20au%20lait");
        assert_eq!(encode_url("https://x.org/a\"<b>|{c}"), "https://x.org/a%22%3Cb%3E%7C%7Bc%7D");
    }

    #[test]
    fn origins_are_scheme_and_host() {
        assert_eq!(origin("https://Example.org:8080/a?b"), Some("https://Example.org:8080"));
        assert_eq!(origin("http://x.org"), Some("http://x.org"));
        assert_eq!(origin("https://x.org?q"), Some("https://x.org"));
        assert_eq!(origin("ftp://x.org/a"), None);
        assert_eq!(origin("https:///a"), None);
        assert_eq!(origin("/blog/a"), None);
        assert!(same_origin("https://X.org/blog/a", "https://x.org"));
        assert!(!same_origin("http://x.org/a", "https://x.org"));
        assert!(!same_origin("https://x.org.evil/a", "https://x.org"));
        assert!(!same_origin("https://openinfra.org/blog/a", "https://openinfra.dev"));
    }

    #[test]
    fn site_urls_come_from_the_site_address() {
        let urls = SiteUrls::new(&site(Some("https://openinfra.dev/blog/"))).expect("usable url");
        assert_eq!(urls.home, "https://openinfra.dev/blog/");
        assert_eq!(urls.root, "https://openinfra.dev");
        assert_eq!(urls.origin, "https://openinfra.dev");
        assert_eq!(urls.file("sitemap.xml"), "https://openinfra.dev/sitemap.xml");
        assert_eq!(urls.route("/page/2"), "https://openinfra.dev/page/2");
        assert_eq!(urls.route("page/2"), "https://openinfra.dev/page/2");
        let sub = SiteUrls::new(&site(Some("https://x.org/sub/"))).expect("usable url");
        assert_eq!(sub.file("rss.xml"), "https://x.org/sub/rss.xml");
        assert!(SiteUrls::new(&site(None)).is_none());
        assert!(SiteUrls::new(&site(Some("openinfra.dev/blog"))).is_none());
    }

    #[test]
    fn the_missing_address_warning_names_the_setting() {
        assert_eq!(
            missing_url_warning(None),
            "blog-config.json: field `seo.url` is not set: sitemap.xml, rss.xml and atom.xml need \
             the blog's absolute address and were not written"
        );
        assert_eq!(missing_url_warning(Some("  ")), missing_url_warning(None));
        let bad = missing_url_warning(Some("openinfra.dev/blog"));
        assert!(bad.contains("`openinfra.dev/blog` is not an absolute http(s) URL"), "{bad}");
        assert!(bad.ends_with("were not written"), "{bad}");
    }

    #[test]
    fn dates_in_feed_formats() {
        assert_eq!(rfc3339(&date("2021-01-28T15:00:00.123Z")), "2021-01-28T15:00:00.123Z");
        assert_eq!(rfc3339(&date("2024-02-29")), "2024-02-29T00:00:00.000Z");
        assert_eq!(
            rfc2822(&date("2021-01-28T15:00:00Z")).ok().as_deref(),
            Some("Thu, 28 Jan 2021 15:00:00 +0000")
        );
        assert_eq!(rfc2822(&date("2024-02-29")).ok().as_deref(), Some("Thu, 29 Feb 2024 00:00:00 +0000"));
        let parsed = feed_time(&date("2020-11-6T13:30:56.289Z")).expect("in range");
        assert_eq!(parsed.to_rfc3339(), "2020-11-06T13:30:56.289+00:00");
    }

    #[test]
    fn robots_txt_names_the_sitemap_when_known() {
        assert_eq!(robots_txt(None), "User-agent: *\nAllow: /\n");
        assert_eq!(
            robots_txt(Some("https://x.org/sitemap.xml")),
            "User-agent: *\nAllow: /\nSitemap: https://x.org/sitemap.xml\n"
        );
    }

    #[test]
    fn sitemap_xml_escapes_urls() {
        let entries = [
            SitemapEntry { loc: "https://x.org/blog/".into(), lastmod: None },
            SitemapEntry { loc: "https://x.org/blog/a&b'c+d<e>".into(), lastmod: Some("2024-01-01".into()) },
        ];
        let xml = String::from_utf8(sitemap_xml(&entries).expect("xml")).expect("utf-8");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\""), "{xml}");
        assert!(xml.contains("<loc>https://x.org/blog/a&amp;b&apos;c+d&lt;e&gt;</loc>"), "{xml}");
        assert!(xml.contains("<lastmod>2024-01-01</lastmod>"), "{xml}");
        assert_eq!(xml.matches("<url>").count(), 2);
        assert_eq!(xml.matches("<lastmod>").count(), 1);
    }

    #[test]
    fn feed_description_falls_back_to_subtitle_then_title() {
        let mut s = site(None);
        assert_eq!(site_description(&s), "T");
        s.subtitle = "Sub".into();
        assert_eq!(site_description(&s), "Sub");
        s.description = "Desc".into();
        assert_eq!(site_description(&s), "Desc");
    }

    // --- whole builds -------------------------------------------------------------------

    /// A content folder with a `blog-config.json` and the given posts.
    fn content(config: &str, posts: &[(&str, String)]) -> TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("posts")).expect("posts dir");
        fs::write(dir.path().join("blog-config.json"), config).expect("config");
        for (name, text) in posts {
            fs::write(dir.path().join("posts").join(name), text).expect("post");
        }
        dir
    }

    fn post(title: &str, date: &str, extra: &str, body: &str) -> String {
        format!("---\ntemplateKey: blog-post\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n")
    }

    fn build(content: &Path, listing_paths: &[String]) -> (CompiledSite, TempDir, Vec<String>) {
        let site = load(content).expect("content loads");
        let out = tempfile::tempdir().expect("out dir");
        let d = Discovery { site: &site.site, posts: &site.posts, listing_paths };
        let warnings = write_discovery(&d, out.path()).expect("discovery files written");
        (site, out, warnings)
    }

    fn read(dir: &TempDir, name: &str) -> String {
        let path = dir.path().join(name);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn parse_feed(dir: &TempDir, name: &str) -> feed_rs::model::Feed {
        let text = read(dir, name);
        feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{name} is not a valid feed: {e}"))
    }

    fn xml_unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }

    /// `(loc, lastmod)` of every `<url>`, unescaped.
    fn sitemap_urls(xml: &str) -> Vec<(String, Option<String>)> {
        let inner = |s: &str, tag: &str| {
            let open = format!("<{tag}>");
            let start = s.find(&open)? + open.len();
            let end = s[start..].find(&format!("</{tag}>"))? + start;
            Some(xml_unescape(&s[start..end]))
        };
        xml.split("<url>")
            .skip(1)
            .map(|u| (inner(u, "loc").expect("every url has a loc"), inner(u, "lastmod")))
            .collect()
    }

    /// Running under CI, where a skipped check must fail instead.
    fn in_ci() -> bool {
        std::env::var("CI").is_ok_and(|v| v == "true")
    }

    /// Validates a sitemap against the sitemaps.org 0.9 schema with xmllint (libxml2-utils).
    fn assert_valid_sitemap(path: &Path) {
        let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/discovery/sitemap.xsd");
        let output = match Command::new("xmllint").arg("--noout").arg("--schema").arg(&xsd).arg(path).output()
        {
            Ok(output) => output,
            Err(e) if e.kind() == io::ErrorKind::NotFound && !in_ci() => {
                eprintln!(
                    "note: xmllint is not installed (apt-get install libxml2-utils): schema check skipped"
                );
                return;
            }
            Err(e) => panic!("cannot run xmllint (install libxml2-utils): {e}"),
        };
        assert!(
            output.status.success(),
            "{} does not match the sitemaps.org schema:\n{}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `src="/…"` and `href="/…"` left in HTML (protocol-relative `//…` aside).
    fn root_relative_refs(html: &str) -> Vec<String> {
        let mut found = Vec::new();
        for attr in ["src=\"/", "href=\"/"] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                if !rest.starts_with('/') {
                    found.push(html[i..].chars().take(60).collect());
                }
            }
        }
        found
    }

    const CONFIG: &str = r#"{
        "title": "Ben & Jerry's <Blog>",
        "subTitle": "Scoops",
        "categories": [{ "id": "cat-news", "text": "News & Notes" }],
        "seo": {
            "url": "https://example.org/blog/",
            "description": "All about [ice cream](https://example.org/ice) & more"
        }
    }"#;

    fn sample() -> TempDir {
        content(
            CONFIG,
            &[
                (
                    "fish.md",
                    post(
                        "\"Fish & Chips 'n' <Peas>\"",
                        "2024-03-01T10:00:00.000Z",
                        "author: Ada Quill\ncategory:\n  - value: cat-news\n    label: News\nseo:\n  url: \"https://example.org/blog/fish&chips'n+peas\"\n  description: \"Read [the docs](https://example.org/docs) & more\"\n",
                        "![A picture](/img/a.png)\n\nSee [the other post](/blog/plain) and [a file](/files/a.pdf).\n\nA literal ]]> in text.",
                    ),
                ),
                ("plain.md", post("Plain", "2023-12-31", "", "Just text.")),
                ("hidden.md", post("Secret draft", "2025-01-01", "hidePost: true\n", "Secret body.")),
                (
                    "moved.md",
                    post(
                        "Moved away",
                        "2022-05-05T08:00:00Z",
                        "author: Bob\nseo:\n  url: https://other.example/blog/moved\n",
                        "Elsewhere.",
                    ),
                ),
            ],
        )
    }

    const FISH: &str = "https://example.org/blog/fish&chips'n+peas";
    const PLAIN: &str = "https://example.org/blog/plain";
    const MOVED: &str = "https://other.example/blog/moved";

    #[test]
    fn discovery_files_of_a_sample_blog() {
        let dir = sample();
        let (_, out, warnings) = build(dir.path(), &["/page/2".into(), "/".into()]);

        assert_eq!(
            read(&out, ROBOTS_FILE),
            "User-agent: *\nAllow: /\nSitemap: https://example.org/sitemap.xml\n"
        );

        let sitemap = read(&out, SITEMAP_FILE);
        let newest = Some("2024-03-01T10:00:00.000Z".to_string());
        assert_eq!(
            sitemap_urls(&sitemap),
            [
                ("https://example.org/blog/".to_string(), newest.clone()),
                ("https://example.org/page/2".to_string(), newest.clone()),
                (FISH.to_string(), newest),
                (PLAIN.to_string(), Some("2023-12-31".to_string())),
            ],
            "{sitemap}"
        );
        assert!(
            sitemap.contains("<loc>https://example.org/blog/fish&amp;chips&apos;n+peas</loc>"),
            "{sitemap}"
        );
        assert_valid_sitemap(&out.path().join(SITEMAP_FILE));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("1 post(s) left out") && warnings[0].contains(MOVED), "{warnings:?}");

        for name in [SITEMAP_FILE, RSS_FILE, ATOM_FILE] {
            let text = read(&out, name);
            assert!(!text.contains("Secret") && !text.contains("hidden"), "{name} shows the hidden post");
        }
    }

    #[test]
    fn discovery_rss_feed_reads_back() {
        let dir = sample();
        let (_, out, _) = build(dir.path(), &[]);
        let raw = read(&out, RSS_FILE);
        assert!(raw.contains("<rss version=\"2.0\""), "{raw}");
        assert!(
            raw.contains("href=\"https://example.org/rss.xml\"") && raw.contains("rel=\"self\""),
            "{raw}"
        );
        assert!(raw.contains("<dc:creator>Ada Quill</dc:creator>"), "{raw}");
        // `isPermaLink` defaults to true, so the rss crate leaves it out.
        assert!(
            raw.contains(&format!("<guid>{}</guid>", FISH.replace('&', "&amp;").replace('\'', "&apos;"))),
            "{raw}"
        );
        assert!(!raw.contains("isPermaLink=\"false\""), "{raw}");
        assert!(raw.contains("<language>en</language>"), "{raw}");

        let feed = parse_feed(&out, RSS_FILE);
        assert_eq!(feed.title.as_ref().map(|t| t.content.as_str()), Some("Ben & Jerry's <Blog>"));
        assert_eq!(feed.description.as_ref().map(|t| t.content.as_str()), Some("All about ice cream & more"));
        assert_eq!(feed.links.first().map(|l| l.href.as_str()), Some("https://example.org/blog/"));
        check_entries(&feed, "rss");
        let fish = &feed.entries[0];
        assert_eq!(
            fish.summary.as_ref().map(|t| xml_unescape(&t.content)).as_deref(),
            Some("Read the docs & more")
        );
    }

    #[test]
    fn discovery_atom_feed_reads_back() {
        let dir = sample();
        let (_, out, _) = build(dir.path(), &[]);
        let feed = parse_feed(&out, ATOM_FILE);
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
        assert_eq!(feed.id, "https://example.org/blog/");
        assert_eq!(feed.title.as_ref().map(|t| t.content.as_str()), Some("Ben & Jerry's <Blog>"));
        assert_eq!(feed.language.as_deref(), Some("en"));
        let link =
            |rel: &str| feed.links.iter().find(|l| l.rel.as_deref() == Some(rel)).map(|l| l.href.as_str());
        assert_eq!(link("self"), Some("https://example.org/atom.xml"));
        assert_eq!(link("alternate"), Some("https://example.org/blog/"));
        assert_eq!(feed.updated.map(|d| d.to_rfc3339()).as_deref(), Some("2024-03-01T10:00:00+00:00"));
        check_entries(&feed, "atom");
        let fish = &feed.entries[0];
        assert_eq!(fish.summary.as_ref().map(|t| t.content.as_str()), Some("Read the docs & more"));
        let content = fish.content.as_ref().expect("content");
        assert_eq!(content.content_type.to_string(), "text/html");
        assert_eq!(fish.updated, fish.published);
    }

    /// What both feeds must say of the sample's posts.
    fn check_entries(feed: &feed_rs::model::Feed, kind: &str) {
        let titles: Vec<_> = feed
            .entries
            .iter()
            .map(|e| e.title.as_ref().map(|t| t.content.clone()).unwrap_or_default())
            .collect();
        assert_eq!(
            titles,
            ["Fish & Chips 'n' <Peas>", "Plain", "Moved away"],
            "{kind}: newest first, none hidden"
        );
        let links: Vec<_> = feed.entries.iter().map(|e| e.links.first().map(|l| l.href.clone())).collect();
        assert_eq!(links, [Some(FISH.into()), Some(PLAIN.into()), Some(MOVED.into())], "{kind}");
        let ids: Vec<_> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, [FISH, PLAIN, MOVED], "{kind}: ids are the canonical URLs");

        let fish = &feed.entries[0];
        let authors: Vec<_> = fish.authors.iter().map(|a| a.name.as_deref().unwrap_or_default()).collect();
        assert_eq!(authors, ["Ada Quill"], "{kind}");
        let categories: Vec<_> = fish.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(categories, ["News & Notes"], "{kind}");
        assert_eq!(
            fish.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-03-01T10:00:00+00:00"),
            "{kind}"
        );
        let plain = &feed.entries[1];
        assert!(plain.authors.iter().all(|a| a.name.as_deref() != Some("Ada Quill")), "{kind}");
        assert_eq!(plain.published.map(|d| d.to_rfc3339()).as_deref(), Some("2023-12-31T00:00:00+00:00"));

        let html = fish.content.as_ref().and_then(|c| c.body.as_deref()).expect("full body");
        for expected in [
            "src=\"https://example.org/img/a.png\"",
            "href=\"https://example.org/blog/plain\"",
            "https://example.org/files/a.pdf",
            "A literal ]]&gt; in text.",
        ] {
            assert!(html.contains(expected), "{kind}: {expected:?} missing in {html}");
        }
        assert_eq!(root_relative_refs(html), Vec::<String>::new(), "{kind}");
    }

    #[test]
    fn discovery_without_a_site_address_writes_robots_only() {
        let dir = content(r#"{ "title": "No address" }"#, &[("a.md", post("A", "2024-01-01", "", "Body."))]);
        let site = load(dir.path()).expect("content loads");
        let out = tempfile::tempdir().expect("out dir");
        for name in [SITEMAP_FILE, RSS_FILE, ATOM_FILE] {
            fs::write(out.path().join(name), "stale").expect("stale file");
        }
        let d = Discovery { site: &site.site, posts: &site.posts, listing_paths: &[] };
        let warnings = write_discovery(&d, out.path()).expect("robots.txt written");
        assert_eq!(
            warnings,
            ["blog-config.json: field `seo.url` is not set: sitemap.xml, rss.xml and atom.xml need the \
              blog's absolute address and were not written"]
        );
        assert_eq!(read(&out, ROBOTS_FILE), "User-agent: *\nAllow: /\n");
        for name in [SITEMAP_FILE, RSS_FILE, ATOM_FILE] {
            assert!(!out.path().join(name).exists(), "stale {name} left behind");
        }
    }

    #[test]
    fn discovery_of_an_empty_blog_is_still_valid() {
        let dir = content(r#"{ "title": "Empty", "seo": { "url": "https://x.org/" } }"#, &[]);
        let (_, out, warnings) = build(dir.path(), &[]);
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(sitemap_urls(&read(&out, SITEMAP_FILE)), [("https://x.org/".to_string(), None)]);
        assert_valid_sitemap(&out.path().join(SITEMAP_FILE));
        assert!(parse_feed(&out, RSS_FILE).entries.is_empty());
        assert!(parse_feed(&out, ATOM_FILE).entries.is_empty());
    }

    // --- the real corpus ----------------------------------------------------------------

    fn corpus() -> Option<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/osf-website");
        if dir.is_dir() {
            return Some(dir);
        }
        assert!(!in_ci(), "the corpus {} is missing", dir.display());
        eprintln!("note: {} is missing: corpus test skipped", dir.display());
        None
    }

    #[test]
    fn discovery_of_the_corpus() {
        let Some(dir) = corpus() else { return };
        let (site, out, warnings) = build(&dir, &[]);
        let canonical = |p: &Post| {
            encode_url(&post_tags(&site.site, p, "").canonical.expect("the corpus has seo.url")).into_owned()
        };
        let visible: Vec<&Post> = site.posts.iter().filter(|p| !p.summary.hidden).collect();
        let hidden: HashSet<String> = site.posts.iter().filter(|p| p.summary.hidden).map(canonical).collect();
        assert!(
            !hidden.is_empty() && visible.len() > FEED_ITEMS,
            "the corpus has hidden posts and many posts"
        );
        let home = site.site.url.clone().expect("the corpus has seo.url");

        let sitemap = sitemap_urls(&read(&out, SITEMAP_FILE));
        let on_host: Vec<String> =
            visible.iter().map(|p| canonical(p)).filter(|u| same_origin(u, &home)).collect();
        let off_host = visible.len() - on_host.len();
        let locs: Vec<String> = sitemap.iter().map(|(loc, _)| loc.clone()).collect();
        assert_eq!(locs[0], home);
        assert_eq!(locs[1..], on_host[..]);
        assert!(sitemap.iter().all(|(loc, lastmod)| loc.starts_with("https://") && lastmod.is_some()));
        assert_valid_sitemap(&out.path().join(SITEMAP_FILE));
        if off_host > 0 {
            assert!(
                warnings.iter().any(|w| w.contains(&format!("{off_host} post(s) left out"))),
                "{warnings:?}"
            );
        }

        let expected: Vec<String> = visible.iter().take(FEED_ITEMS).map(|p| canonical(p)).collect();
        for name in [RSS_FILE, ATOM_FILE] {
            let feed = parse_feed(&out, name);
            let ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
            assert_eq!(ids, expected, "{name}: the newest visible posts, newest first");
            for entry in &feed.entries {
                assert!(
                    entry.links.iter().all(|l| l.href.starts_with("https://")),
                    "{name}: {:?}",
                    entry.links
                );
                let html = entry.content.as_ref().and_then(|c| c.body.as_deref()).unwrap_or_default();
                assert!(!html.trim().is_empty(), "{name}: {} has no body", entry.id);
                assert_eq!(root_relative_refs(html), Vec::<String>::new(), "{name}: {}", entry.id);
            }
            let every_url = feed.entries.iter().flat_map(|e| e.links.iter().map(|l| &l.href).chain([&e.id]));
            let shown: HashSet<&String> = every_url.chain(locs.iter()).collect();
            assert!(hidden.iter().all(|h| !shown.contains(h)), "{name} or the sitemap shows a hidden post");
        }
    }
}
