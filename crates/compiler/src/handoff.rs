//! What `build` leaves for `finalize`: the JSON it wrote (`content/index.json` and one file per
//! post) already holds the whole compiled site, so `finalize` reads it back instead of parsing
//! every post again (the front matter, excerpts, first images: most of a build's time on
//! 10,000 posts). The JSON may be from another run, though (`finalize` alone, after the content
//! changed), so `build` writes a key beside it, [`KEY_FILE`]: a hash of every file the site is
//! compiled from (the CMS configuration, the settings, every author and post file: their paths
//! and bytes), of the content folder's layout, and of the compiler itself. `finalize` reads the
//! JSON back only when the key matches the content as it is now; otherwise, or when anything
//! is missing or unreadable, it loads the content folder in full, as it always did. It removes
//! the key, which is no part of the site (Trunk publishes its staging folder).

use crate::cms::ContentLayout;
use crate::load::{CompiledSite, config_path};
use anyhow::{Context, Result};
use quire_core::model::{CONTENT_DIR, FORMAT_VERSION, INDEX_FILE, Index, POSTS_DIR, read_post_file};
use quire_core::url::post_file_key;
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::io;
use std::path::Path;

/// In the output folder, beside `content/`; never published (see the module docs). Written
/// only into Trunk's staging folder (`TRUNK_STAGING_DIR`), where `finalize` follows: a
/// `build` run on its own leaves none.
pub const KEY_FILE: &str = ".quire-build-key";

/// The key of the content in `layout` as it is now, compiled by this compiler.
pub fn key(layout: &ContentLayout) -> Result<String> {
    let mut hash = DefaultHasher::new();
    // The compiler: another one may write other JSON for the same files. Its version, and
    // the executable's size and time (a rebuilt compiler is another file).
    hash.write(env!("CARGO_PKG_VERSION").as_bytes());
    let exe =
        std::env::current_exe().and_then(fs::metadata).context("cannot read the compiler's own file")?;
    hash.write_u64(exe.len());
    let modified = exe.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    hash.write_u128(modified.map_or(0, |d| d.as_nanos()));
    hash.write(format!("{FORMAT_VERSION}\n{layout:?}").as_bytes());
    let mut ignored = Vec::new();
    let mut files = Vec::new();
    files.extend(layout.cms_config.clone());
    files.push(config_path(layout));
    if let Some(authors) = &layout.authors {
        files.extend(crate::load::markdown_files(authors, &mut ignored)?);
    }
    files.extend(crate::load::markdown_files(&layout.posts, &mut ignored)?);
    // Bytes, not times: a file saved twice in one clock tick, or copied with its time, is
    // still seen. Reading the files costs a small part of parsing them.
    let contents = crate::parallel::map(&files, |path| match fs::read(path) {
        Ok(bytes) => Some(bytes_hash(&bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        // Unreadable: a key that matches nothing.
        Err(_) => Some(u64::MAX),
    });
    for (path, content) in files.iter().zip(contents) {
        hash.write(path.as_os_str().as_encoded_bytes());
        hash.write_u8(0);
        match content {
            Some(content) => hash.write_u64(content),
            None => hash.write_u8(1),
        }
    }
    Ok(format!("{:016x}", hash.finish()))
}

fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut hash = DefaultHasher::new();
    hash.write(bytes);
    hash.finish()
}

/// Before `build` writes the JSON: a key left by an earlier build no longer describes it.
pub fn forget(out: &Path) -> Result<()> {
    match fs::remove_file(out.join(KEY_FILE)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", out.join(KEY_FILE).display()))
        }
        _ => Ok(()),
    }
}

/// After `build` wrote the JSON of the content whose key is `key`: into Trunk's staging
/// folder only, where `finalize` follows and removes it. A `build` run on its own (`--out DIR`)
/// leaves nothing beside the site, and a later `finalize` loads the content.
pub fn record(out: &Path, key: &str) -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR").is_some_and(|staging| out == Path::new(&staging));
    if !staging {
        return Ok(());
    }
    crate::write::write_file(&out.join(KEY_FILE), key.as_bytes())
}

/// For `finalize`: the site `build` wrote into `out`, when its key matches `key` (the content
/// now); `None` when it does not or cannot be read back, and the caller loads the content.
/// The key file is removed either way.
pub fn take(out: &Path, key: &str) -> Result<Option<CompiledSite>> {
    let recorded = fs::read_to_string(out.join(KEY_FILE)).ok();
    forget(out)?;
    if recorded.as_deref() != Some(key) {
        return Ok(None);
    }
    Ok(read_back(&out.join(CONTENT_DIR)))
}

/// The compiled site from the JSON `build` wrote into `content_dir`, `None` if any of it is
/// missing or does not fit together.
fn read_back(content_dir: &Path) -> Option<CompiledSite> {
    let index: Index = serde_json::from_slice(&fs::read(content_dir.join(INDEX_FILE)).ok()?).ok()?;
    if index.version != FORMAT_VERSION {
        return None;
    }
    let posts_dir = content_dir.join(POSTS_DIR);
    let posts = crate::parallel::map(&index.posts, |summary| {
        let path = posts_dir.join(format!("{}.json", post_file_key(&summary.slug)));
        let file = read_post_file(&fs::read(path).ok()?).ok()?;
        (file.version == FORMAT_VERSION && file.post.summary == *summary).then_some(file.post)
    });
    let posts = posts.into_iter().collect::<Option<Vec<_>>>()?;
    Some(CompiledSite {
        site: index.site,
        categories: index.categories,
        authors: index.authors,
        posts,
        // The build printed them.
        warnings: Vec::new(),
    })
}
