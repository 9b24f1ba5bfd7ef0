//! quire-compiler: turns a content folder into the static JSON the app reads. Trunk runs it
//! as a pre_build hook (`build`) and a post_build hook (`spa-fallback`); see Trunk.toml.

mod admin;
mod chunks;
mod cms;
mod config;
mod discovery;
mod handoff;
mod listings;
mod load;
mod media;
mod minify;
mod modules;
mod neighbours;
mod offline;
mod pages;
mod parallel;
mod search;
mod shell;
mod write;

use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage:
  quire-compiler [build] [--content DIR] [--out DIR]
      DIR defaults: content = $QUIRE_CONTENT or ./content; out = $TRUNK_STAGING_DIR or ./dist
  quire-compiler finalize [--content DIR] [--out DIR]
      after Trunk built the app into DIR: prerenders every page (index.html,
      blog/<slug>/index.html, 404.html, offline.html) into Trunk's index.html, and
      writes the feeds, sitemap.xml, robots.txt and the service worker sw.js (offline
      reading: release builds, or QUIRE_OFFLINE=on|off); minifies the app's JS glue
      and the renderer's with terser (release builds, or QUIRE_MINIFY=on|off); the public URL is
      $TRUNK_PUBLIC_URL or /;
      for a CMS site also /admin/ (Decap CMS with quire's preview) unless QUIRE_ADMIN=off
  quire-compiler render [--base URL] [--post] [FILE]
      prints the HTML of a post body as the post page shows it (FILE or standard
      input: Markdown, or with --post a post file with front matter); --base is the
      public URL the site is served under (default /)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("quire: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

struct Args {
    command: String,
    content: PathBuf,
    out: PathBuf,
}

fn parse_args(args: Vec<String>) -> Result<Args> {
    let env_path = |name: &str, default: &str| {
        PathBuf::from(
            std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string()),
        )
    };
    let mut parsed = Args {
        command: "build".into(),
        content: env_path("QUIRE_CONTENT", "content"),
        out: env_path("TRUNK_STAGING_DIR", "dist"),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--content" => parsed.content = args.next().context("--content needs a folder")?.into(),
            "--out" => parsed.out = args.next().context("--out needs a folder")?.into(),
            "build" | "finalize" => parsed.command = arg,
            "-h" | "--help" => bail!("{USAGE}"),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    Ok(parsed)
}

fn run(args: Vec<String>) -> Result<()> {
    if args.first().is_some_and(|a| a == "render") {
        return render(args.get(1..).unwrap_or_default());
    }
    let args = parse_args(args)?;
    match args.command.as_str() {
        "finalize" => {
            let public_url = std::env::var("TRUNK_PUBLIC_URL").ok().filter(|u| !u.is_empty());
            finalize(&args, public_url.as_deref().unwrap_or("/"))
        }
        _ => build(&args),
    }
}

fn build(args: &Args) -> Result<()> {
    let started = Instant::now();
    let layout = cms::discover(&args.content)?;
    // Of the content before it is read: a file saved during the build then changes the key,
    // and `finalize` reads the content again (handoff.rs).
    let key = handoff::key(&layout);
    let site = load::load_layout(&layout)?;
    for warning in &site.warnings {
        eprintln!("quire: warning: {warning}");
    }
    handoff::forget(&args.out)?;
    write::write_site(&site, &args.out)?;
    if let Ok(key) = key {
        handoff::record(&args.out, &key)?;
    }
    // Into Trunk's staging folder, like the JSON: in dist/ after every build and `trunk serve`.
    let media_started = Instant::now();
    let media = media::copy_referenced(&layout, site.site.image.as_deref(), &args.out)?;
    for warning in &media.warnings {
        eprintln!("quire: warning: {warning}");
    }
    if let Some(config) = &layout.cms_config {
        eprintln!(
            "quire: CMS site read through {} (posts: collection `{}`); {} referenced media files ({} KB) copied in {} ms",
            config.display(),
            layout.posts_collection.as_deref().unwrap_or_default(),
            media.files,
            media.bytes / 1024,
            media_started.elapsed().as_millis()
        );
    }
    let hidden = site.posts.iter().filter(|p| p.summary.hidden).count();
    eprintln!(
        "quire: {} posts ({hidden} hidden) from {} → {} in {} ms",
        site.posts.len(),
        args.content.display(),
        args.out.join(quire_core::model::CONTENT_DIR).display(),
        started.elapsed().as_millis()
    );
    Ok(())
}

fn finalize(args: &Args, public_url: &str) -> Result<()> {
    let started = Instant::now();
    // The build step printed the content warnings already. Its JSON holds the site, unless
    // the content changed since (handoff.rs).
    let layout = cms::discover(&args.content)?;
    let built = match handoff::key(&layout) {
        Ok(key) => handoff::take(&args.out, &key)?,
        Err(_) => {
            handoff::forget(&args.out)?;
            None
        }
    };
    let reused = built.is_some();
    let site = match built {
        Some(site) => site,
        None => load::load_layout(&layout)?,
    };
    // Computed once: the sitemap lists them and the prerender writes them.
    let listings = listings::listing_pages(&site);
    let listing_paths: Vec<String> =
        listings.iter().map(|page| page.listing.path(page.page)).filter(|path| path != "/").collect();
    let discovery =
        discovery::Discovery { site: &site.site, posts: &site.posts, listing_paths: &listing_paths };
    let has_feeds = discovery::writes_feeds(&site.site);
    // Before the pages: the app's glue gets its final name in the loader (chunks.rs).
    let chunks = chunks::write_chunks(&modules::workspace_root(), &args.out)?;
    if let Some(chunks) = &chunks {
        let sizes: Vec<String> =
            chunks.wasm.iter().map(|(name, bytes)| format!("{name} {} KB", bytes / 1024)).collect();
        eprintln!(
            "quire: the app's route chunks{}: {}",
            if chunks.unoptimised { " (debug build: not optimised)" } else { "" },
            sizes.join(", ")
        );
    }
    // Before the pages: their loader names its files.
    let renderer = if modules::renderer_enabled()? {
        let base = quire_core::url::base_path_from_href(public_url);
        let renderer = modules::write_renderer(&modules::workspace_root(), &args.out, &base)?;
        if let Some(warning) =
            modules::unoptimised_warning(renderer.unoptimised, "the Markdown renderer module")
        {
            eprintln!("quire: warning: {warning}");
        }
        Some(renderer)
    } else {
        eprintln!(
            "quire: no Markdown renderer module ({}=off): posts open as whole pages",
            modules::RENDERER_SWITCH
        );
        None
    };
    // The app's glue and its chunks' loader: compiled as they load (minify.rs).
    let mut eager = minify::app_glue(&args.out);
    eager.extend(chunks.as_ref().map(|chunks| args.out.join(&chunks.js)));
    // Release builds ship those and the renderer's glue minified (minify.rs).
    if minify::enabled()? {
        let mut files = eager.clone();
        if let Some(name) = renderer.as_ref().and_then(|r| r.js.rsplit('/').next()) {
            files.push(args.out.join(name));
        }
        if let Some(warning) = minify::minify(&modules::workspace_root(), &files)? {
            eprintln!("quire: warning: {warning}");
        }
    }
    // After minifying, which drops comments.
    minify::compile_on_load(&eager)?;
    // The feeds render the newest posts' bodies (all of a 50 MB post's): beside the pages.
    let (discovered, pages) = parallel::join(
        || discovery::write_discovery(&discovery, &args.out),
        || pages::prerender_site(&site, listings, &args.out, public_url, has_feeds, renderer.as_ref()),
    );
    for warning in discovered? {
        eprintln!("quire: warning: {warning}");
    }
    let pages = pages?;
    // After the pages: the service worker's version is a hash of them (see offline.rs).
    for warning in offline::write_service_worker(&args.out, public_url)? {
        eprintln!("quire: warning: {warning}");
    }
    eprintln!(
        "quire: prerendered {pages} pages into {} in {} ms ({}){}",
        args.out.display(),
        started.elapsed().as_millis(),
        if reused { "posts read back from the build's JSON" } else { "posts read from the content folder" },
        renderer
            .map(|r| format!(
                "; Markdown renderer module {} KB ({})",
                r.wasm_bytes / 1024,
                if r.cached { "unchanged" } else { "built" }
            ))
            .unwrap_or_default()
    );
    write_admin(args, &site, public_url)
}

/// `/admin/` for a CMS site (see admin.rs); nothing for any other.
fn write_admin(args: &Args, site: &load::CompiledSite, public_url: &str) -> Result<()> {
    let layout = cms::discover(&args.content)?;
    if layout.cms_config.is_none() {
        return Ok(());
    }
    if !admin::enabled()? {
        eprintln!("quire: /admin/ not written ({}=off)", admin::SWITCH_VAR);
        return Ok(());
    }
    let started = Instant::now();
    let report = match admin::write_admin(&layout, site, &args.out, public_url)? {
        admin::AdminOutcome::Written(report) => report,
        admin::AdminOutcome::NotACmsSite => return Ok(()),
        admin::AdminOutcome::Skipped(reason) => {
            eprintln!("quire: warning: /admin/ not written: {reason}");
            return Ok(());
        }
    };
    for warning in &report.warnings {
        eprintln!("quire: warning: {warning}");
    }
    eprintln!(
        "quire: /admin/: Decap CMS {} with quire's preview ({} KB wasm, {}): {} files, {} KB, in {} ms",
        report.decap_version,
        report.preview_wasm_bytes / 1024,
        if report.preview_cached { "unchanged" } else { "built" },
        report.files,
        report.bytes / 1024,
        started.elapsed().as_millis()
    );
    Ok(())
}

/// `render`: a post body's HTML as the post page shows it, for writers and tests.
fn render(args: &[String]) -> Result<()> {
    use std::io::{Read, Write};
    let mut base = "/".to_string();
    let mut post = false;
    let mut file = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base" => base = args.next().context("--base needs a public URL such as /quire/")?.clone(),
            "--post" => post = true,
            "-h" | "--help" => bail!("{USAGE}"),
            other if other.starts_with("--") => bail!("unknown argument `{other}`\n{USAGE}"),
            other if file.is_none() => file = Some(PathBuf::from(other)),
            other => bail!("one file at a time (`{other}`)\n{USAGE}"),
        }
    }
    let (text, name) = match &file {
        Some(path) => (
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?,
            path.display().to_string(),
        ),
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?;
            (text, "standard input".to_string())
        }
    };
    let body = if post {
        quire_core::front_matter::split(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?.1
    } else {
        &text
    };
    let root = quire_core::url::base_path_from_href(&base);
    let options = quire_core::markdown::RenderOptions { url_root: &root, ..Default::default() };
    let html = quire_core::markdown::render_with(body, options).html;
    std::io::stdout().write_all(html.as_bytes()).context("cannot write standard output")
}
