//! quire-compiler: turns a content folder into the static JSON the app reads. Trunk runs it
//! as a pre_build hook (`build`) and a post_build hook (`spa-fallback`); see Trunk.toml.

mod config;
mod discovery;
mod listings;
mod load;
mod neighbours;
mod pages;
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
      blog/<slug>/index.html, 404.html) into Trunk's index.html, and writes the
      feeds, sitemap.xml and robots.txt; the public URL is $TRUNK_PUBLIC_URL or /";

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
    let site = load::load(&args.content)?;
    for warning in &site.warnings {
        eprintln!("quire: warning: {warning}");
    }
    write::write_site(&site, &args.out)?;
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
    // The build step printed the content warnings already.
    let site = load::load(&args.content)?;
    // Computed once: the sitemap lists them and the prerender writes them.
    let listings = listings::listing_pages(&site);
    let listing_paths: Vec<String> =
        listings.iter().map(|page| page.listing.path(page.page)).filter(|path| path != "/").collect();
    let discovery =
        discovery::Discovery { site: &site.site, posts: &site.posts, listing_paths: &listing_paths };
    for warning in discovery::write_discovery(&discovery, &args.out)? {
        eprintln!("quire: warning: {warning}");
    }
    let has_feeds = args.out.join(discovery::RSS_FILE).is_file();
    let pages = pages::prerender_site(&site, listings, &args.out, public_url, has_feeds)?;
    eprintln!(
        "quire: prerendered {pages} pages into {} in {} ms",
        args.out.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
