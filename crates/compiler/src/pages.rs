//! Prerenders every route of the built site (Trunk's post_build hook): the app's own Leptos
//! components rendered natively (`quire::prerender`) into Trunk's `index.html` frame, one
//! file per route, so readers, crawlers and link previews get the whole page in the first
//! response, with or without JavaScript.

use crate::load::CompiledSite;
use crate::shell::{PageParts, Shell, extract_loader, set_base_meta, strip_comments};
use crate::write::write_file;
use anyhow::{Context, Result};
use quire::initial::Initial;
use quire::prerender::render_page;
use quire_core::model::{ListingPage, Site};
use quire_core::sanitize::escape_attr;
use quire_core::seo::script_json;
use quire_core::url::{base_path_from_href, post_path};
use std::fs;
use std::path::{Path, PathBuf};

/// The route a prerendered page is for, and where its file goes.
struct Route {
    path: String,
    file: PathBuf,
    initial: Initial,
}

/// Writes `index.html`, `blog/<slug>/index.html` for every post (hidden ones too: their URLs
/// work, with `noindex`), the listing pages, `search/index.html` and `404.html` into `out`,
/// from the `index.html` Trunk built there. `listings` are the site's listing pages
/// (`listings::listing_pages`). Returns how many pages were written.
pub fn prerender_site(
    site: &CompiledSite,
    listings: Vec<ListingPage>,
    out: &Path,
    public_url: &str,
    has_feeds: bool,
    renderer: Option<&crate::modules::Renderer>,
) -> Result<usize> {
    let index_html = out.join("index.html");
    let html = fs::read_to_string(&index_html)
        .with_context(|| format!("cannot read {} (run after Trunk built it)", index_html.display()))?;
    let html = set_base_meta(&html, public_url)
        .with_context(|| format!("{}: no <meta name=\"quire-base\" content=\"/\">", index_html.display()))?;
    let html = strip_comments(&html);
    let mut shell =
        Shell::parse(&html).with_context(|| format!("{}: not a page frame", index_html.display()))?;
    let base = base_path_from_href(public_url);
    let mut registration = crate::offline::registration_script(&base)?;
    if let Some(renderer) = renderer {
        registration.insert_str(0, &renderer.loader_line());
    }
    let mut loader = None;
    shell.map_head(|head| {
        Ok(match extract_loader(head, &base, &registration) {
            Some((head, name, code)) => {
                loader = Some((name, code));
                head
            }
            None => head.to_string(),
        })
    })?;
    if let Some((name, code)) = loader {
        write_file(&out.join(name), code.as_bytes())?;
    }

    let common = site_head(&site.site, &base, has_feeds)?;
    let routes = routes(site, listings, out);
    let count = routes.len();
    let page = PageContext { shell: &shell, site: &site.site, base: &base, common: &common };
    // Pages are independent: one worker per core, routes dealt out in turn.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(count.max(1));
    let mut shares: Vec<Vec<Route>> = (0..workers).map(|_| Vec::new()).collect();
    for (i, route) in routes.into_iter().enumerate() {
        if let Some(share) = shares.get_mut(i % workers) {
            share.push(route);
        }
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(move || share.into_iter().try_for_each(|r| page.write(r))))
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a prerender worker panicked")))
        })
    })?;
    Ok(count)
}

/// What every page of one build shares.
#[derive(Clone, Copy)]
struct PageContext<'a> {
    shell: &'a Shell,
    site: &'a Site,
    base: &'a str,
    common: &'a str,
}

impl PageContext<'_> {
    fn write(self, route: Route) -> Result<()> {
        // The path the page was rendered for: the app adopts the page only at that URL (a
        // host may answer any URL with index.html). Removed with the route's other tags.
        let here = if matches!(route.initial, Initial::NotFound | Initial::Offline) {
            String::new()
        } else {
            format!("{}{}", self.base, route.path)
        };
        let page = render_page(self.site, self.base, &route.path, route.initial);
        let route_head =
            format!("{}<meta name=\"quire-path\" content=\"{}\">", page.head, escape_attr(&here));
        let html = self.shell.page(&PageParts {
            language: &self.site.language,
            route_head: &route_head,
            site_head: self.common,
            body: &page.body,
        });
        if let Some(dir) = route.file.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        write_file(&route.file, html.as_bytes())
    }
}

fn routes(site: &CompiledSite, listings: Vec<ListingPage>, out: &Path) -> Vec<Route> {
    let mut routes: Vec<Route> = listings
        .into_iter()
        .map(|page| {
            let path = page.listing.path(page.page);
            Route { file: page_file(out, &path), path, initial: Initial::Listing(Box::new(page)) }
        })
        .collect();
    for post in &site.posts {
        let file = site.post_file(post);
        routes.push(Route {
            path: post_path(&post.summary.slug),
            file: page_file(out, &post_path(&post.summary.slug)),
            initial: Initial::Post(Box::new(file)),
        });
    }
    // The search page without a query: where the header's form leads without JavaScript.
    routes.push(Route { path: "/search".into(), file: page_file(out, "/search"), initial: Initial::Search });
    // Hosts answer unknown URLs with it (GitHub Pages, Netlify, Cloudflare Pages, S3 as the
    // error document, nginx by deploy/nginx.conf). Its path matches no route.
    routes.push(Route { path: "/404.html".into(), file: out.join("404.html"), initial: Initial::NotFound });
    // What the service worker answers, offline, for a page it has not saved (offline.rs).
    // Its path matches no route either.
    routes.push(Route {
        path: format!("/{}", crate::offline::OFFLINE_FILE),
        file: out.join(crate::offline::OFFLINE_FILE),
        initial: Initial::Offline,
    });
    routes
}

/// `/` → `index.html`, `/page/2` → `page/2/index.html`: the route's decoded path as folders.
fn page_file(out: &Path, path: &str) -> PathBuf {
    let mut file = out.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        // Segments are slugs (no `/`, `.` or `..`, see `url::post_slug` and `url::kebab_case`).
        file.push(quire_core::url::percent_decode(segment).unwrap_or_else(|| segment.to_string()));
    }
    file.join("index.html")
}

/// Tags every page carries besides its route's own: feed links, the theme colour and the
/// settings the app's header reads (so it needs no fetch).
fn site_head(site: &Site, base: &str, has_feeds: bool) -> Result<String> {
    let mut tags = Vec::new();
    if has_feeds {
        let title = escape_attr(&site.title);
        tags.push(format!(
            "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{title}\" href=\"{base}/rss.xml\" />"
        ));
        tags.push(format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{title}\" href=\"{base}/atom.xml\" />"
        ));
    }
    if let Some(color) = &site.theme_color {
        tags.push(format!("<meta name=\"theme-color\" content=\"{}\" />", escape_attr(color)));
    }
    let json = serde_json::to_value(site).context("cannot serialise the site settings")?;
    tags.push(format!("<script type=\"application/json\" id=\"quire-site\">{}</script>", script_json(&json)));
    Ok(tags.join("\n    "))
}
