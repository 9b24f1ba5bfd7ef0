//! The JSON contract between the content compiler (writes) and the app (reads).
//! Any change here is a change of the published files: bump [`FORMAT_VERSION`].

use crate::date::PostDate;
use serde::{Deserialize, Serialize};

pub const FORMAT_VERSION: u32 = 6;
/// Folder of the generated JSON, relative to the site root.
pub const CONTENT_DIR: &str = "content";
pub const INDEX_FILE: &str = "index.json";
pub const POSTS_DIR: &str = "posts";
/// Folder of the listing pages' JSON (`pages/home/2.json`, `pages/category/<key>/1.json`).
pub const PAGES_DIR: &str = "pages";

/// Blog-wide settings, from `blog-config.json` (or defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    pub title: String,
    #[serde(default)]
    pub subtitle: String,
    /// The site description, used when a post has none of its own.
    #[serde(default)]
    pub description: String,
    /// Absolute URL of the blog, e.g. `https://openinfra.dev/blog/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `%s` is replaced by a page's title, e.g. `%s - Open Infrastructure Foundation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_template: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twitter_username: Option<String>,
    /// The page language, e.g. `en` (the `<html lang>` and the feeds' language).
    #[serde(default = "default_language")]
    pub language: String,
    /// The social card picture of pages without one of their own: a URL or a site path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// `<meta name="theme-color">`, e.g. `#f15b3e`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_color: Option<String>,
    /// Posts per listing page.
    #[serde(default = "default_page_size")]
    pub page_size: u32,
}

pub const DEFAULT_PAGE_SIZE: u32 = 10;

fn default_language() -> String {
    "en".into()
}

fn default_page_size() -> u32 {
    DEFAULT_PAGE_SIZE
}

impl Default for Site {
    fn default() -> Self {
        Site {
            title: String::new(),
            subtitle: String::new(),
            description: String::new(),
            url: None,
            title_template: None,
            twitter_username: None,
            language: default_language(),
            image: None,
            theme_color: None,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub label: String,
    /// The category page's path segment: `/blog/category/<slug>` (kebab case of the label).
    #[serde(default)]
    pub slug: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    /// The author page's path segment: `/blog/author/<slug>`.
    #[serde(default)]
    pub slug: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
}

/// What a listing needs of a post; never its body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostSummary {
    pub slug: String,
    pub title: String,
    pub date: PostDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The author page's path segment: `/blog/author/<slug>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_slug: Option<String>,
    #[serde(default)]
    pub categories: Vec<Category>,
    /// The writer's own `seo.description`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Plain-text opening of the body, for listings and as the last description fallback.
    #[serde(default)]
    pub excerpt: String,
    /// `hidePost: true`: kept out of listings and feeds, but its URL still works.
    #[serde(default)]
    pub hidden: bool,
    /// Minutes to read the body (`markdown::reading_minutes`), shown as "N min read".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading_minutes: Option<u32>,
}

impl PostSummary {
    /// What a listing shows under the title.
    pub fn teaser(&self) -> &str {
        self.description.as_deref().unwrap_or(&self.excerpt)
    }
}

/// The writer's `seo` block, with `title` already falling back to the post title.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostSeo {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twitter_username: Option<String>,
    /// The social card picture: `seo.image`, else the body's first image (as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Post {
    pub summary: PostSummary,
    pub seo: PostSeo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_company: Option<String>,
    /// The Markdown body, rendered by the reader's browser. Not part of the JSON: a post file
    /// carries it after its JSON line, as the writer wrote it ([`write_post_file`]).
    #[serde(skip)]
    pub body: String,
}

/// `content/index.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub version: u32,
    pub site: Site,
    pub categories: Vec<Category>,
    pub authors: Vec<Author>,
    /// Every post, hidden ones included (flagged), newest first.
    pub posts: Vec<PostSummary>,
}

impl Index {
    pub fn visible_posts(&self) -> impl Iterator<Item = &PostSummary> {
        self.posts.iter().filter(|p| !p.hidden)
    }
}

/// `content/posts/<file key>.json`: one post and the links after it, so that a visit costs a
/// single request. Not a JSON document as a whole: everything but the body is JSON, on the
/// file's first line, and the Markdown body follows that line as the writer wrote it
/// ([`write_post_file`], [`post_file_parts`]). So the app hands the renderer the body as it is
/// in the fetched bytes: nothing to unescape, scan or copy first. The file keeps the `.json`
/// name, so that every host serves and compresses it as it does the other data files. The
/// site's settings are not repeated in it: every page of the site carries them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostFile {
    pub version: u32,
    pub post: Post,
    /// Previous, next and related posts, shown after the body.
    #[serde(default)]
    pub nav: PostNav,
}

/// Which posts a listing shows: all of them, one category's or one author's.
///
/// Read through [`ListingFields`]: serde reads an internally tagged enum (`"kind"`) by
/// buffering the object first, a path that cost the wasm about 4 KB brotli on its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "ListingFields")]
pub enum Listing {
    Home,
    Category {
        slug: String,
        label: String,
    },
    Author {
        slug: String,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        company: Option<String>,
    },
}

/// A [`Listing`] as written: the `kind` and the fields of every kind.
#[derive(Deserialize)]
struct ListingFields {
    kind: String,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    company: Option<String>,
}

impl TryFrom<ListingFields> for Listing {
    type Error = String;

    fn try_from(fields: ListingFields) -> Result<Self, String> {
        let ListingFields { kind, slug, label, name, company } = fields;
        let required = |value: Option<String>, field: &str| {
            value.ok_or_else(|| format!("missing field `{field}` of a listing of kind `{kind}`"))
        };
        match kind.as_str() {
            "home" => Ok(Listing::Home),
            "category" => {
                Ok(Listing::Category { slug: required(slug, "slug")?, label: required(label, "label")? })
            }
            "author" => {
                Ok(Listing::Author { slug: required(slug, "slug")?, name: required(name, "name")?, company })
            }
            _ => Err(format!("unknown listing kind `{kind}`, expected `home`, `category` or `author`")),
        }
    }
}

impl Listing {
    /// The route of page `page` (1-based): `/`, `/page/2`, `/blog/category/zuul`,
    /// `/blog/author/ada-quill/page/3`.
    pub fn path(&self, page: u32) -> String {
        let first = match self {
            Listing::Home => String::new(),
            Listing::Category { slug, .. } => format!("/blog/category/{}", crate::url::path_segment(slug)),
            Listing::Author { slug, .. } => format!("/blog/author/{}", crate::url::path_segment(slug)),
        };
        match (page, first.is_empty()) {
            (0 | 1, true) => "/".to_string(),
            (0 | 1, false) => first,
            (n, _) => format!("{first}/page/{n}"),
        }
    }

    /// The page's JSON file under `content/pages/`: `home/2.json`, `category/zuul/1.json`.
    pub fn file(&self, page: u32) -> String {
        let page = page.max(1);
        match self {
            Listing::Home => format!("home/{page}.json"),
            Listing::Category { slug, .. } => {
                format!("category/{}/{page}.json", crate::url::post_file_key(slug))
            }
            Listing::Author { slug, .. } => format!("author/{}/{page}.json", crate::url::post_file_key(slug)),
        }
    }
}

/// A category with the number of visible posts in it, for the category list every listing
/// page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub slug: String,
    pub label: String,
    pub count: u32,
}

/// `content/pages/<listing>/<n>.json`: one page of a listing, all its page needs, so that the
/// first view of a listing costs the same with 10,000 posts as with 10.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListingPage {
    pub version: u32,
    pub listing: Listing,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    /// Visible posts in the whole listing.
    pub total: u32,
    /// This page's visible posts, newest first.
    pub posts: Vec<PostSummary>,
    pub categories: Vec<CategoryCount>,
}

/// Where a reader goes after a post (computed by the compiler): the visible posts just older
/// (`previous`) and newer (`next`) by date, and up to three visible posts sharing the most
/// categories with it, newest first among equals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostNav {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<PostLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<PostLink>,
    #[serde(default)]
    pub related: Vec<PostLink>,
}

/// A link to another post: all a post page needs to show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLink {
    pub slug: String,
    pub title: String,
    pub date: PostDate,
}

/// Folder of the search index under [`CONTENT_DIR`] (see [`SearchManifest`]).
pub const SEARCH_DIR: &str = "search";
/// The search index's manifest, in [`SEARCH_DIR`].
pub const SEARCH_MANIFEST_FILE: &str = "index.json";

/// `content/search/index.json`: what the app fetches when the reader first searches, to know
/// which other files of the index to fetch. The index is cut into small files so that a search
/// costs about the same with 10,000 posts as with 100:
///
/// - `search/terms/<n>.json`, the dictionary: sorted [`SearchTerm`]s, cut into shards of
///   neighbouring terms; `terms[n]` is shard `n`'s first term.
/// - `search/postings/<n>.json`: the posts containing each term, as an object of term →
///   postings text (`quire_core::search::encode_postings`): neighbouring terms share a file.
/// - `search/docs/<n>.json`: what a result shows of posts `n × docsPerShard` to
///   `(n + 1) × docsPerShard − 1`: their [`PostSummary`]s, cut to the slug, title, date,
///   author and, as `excerpt`, the teaser a listing shows.
///
/// Posts are numbered newest first from 0; hidden posts are not in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchManifest {
    pub version: u32,
    /// How many posts are indexed.
    pub docs: u32,
    pub docs_per_shard: u32,
    /// The first term of each dictionary shard, in order.
    pub terms: Vec<String>,
}

impl SearchManifest {
    /// The dictionary shard that would hold `term`.
    pub fn terms_shard(&self, term: &str) -> usize {
        self.terms.partition_point(|first| first.as_str() <= term).saturating_sub(1)
    }

    /// The dictionary shards that may hold terms beginning with `prefix`: the one `prefix`
    /// would be in, and those after it whose first term begins with it.
    pub fn prefix_shards(&self, prefix: &str) -> std::ops::Range<usize> {
        let first = self.terms_shard(prefix);
        let mut end = first + 1;
        while self.terms.get(end).is_some_and(|t| t.starts_with(prefix)) {
            end += 1;
        }
        first..end.min(self.terms.len())
    }

    /// The docs shard of post `doc`.
    pub fn docs_shard(&self, doc: u32) -> u32 {
        doc / self.docs_per_shard.max(1)
    }
}

/// The file of dictionary shard `n`, under [`CONTENT_DIR`].
pub fn search_terms_file(n: usize) -> String {
    format!("{SEARCH_DIR}/terms/{n}.json")
}

/// The file of postings shard `n`, under [`CONTENT_DIR`].
pub fn search_postings_file(n: u32) -> String {
    format!("{SEARCH_DIR}/postings/{n}.json")
}

/// The file of docs shard `n`, under [`CONTENT_DIR`].
pub fn search_docs_file(n: u32) -> String {
    format!("{SEARCH_DIR}/docs/{n}.json")
}

/// A dictionary entry, written as `[term, posts, postings shard]`: the number of posts
/// containing the term, and the `search/postings/<n>.json` holding their list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTerm(pub String, pub u32, pub u32);

/// The published files that carry the [`FORMAT_VERSION`] they were written in.
pub trait Versioned {
    fn version(&self) -> u32;
}

impl Versioned for Index {
    fn version(&self) -> u32 {
        self.version
    }
}

impl Versioned for PostFile {
    fn version(&self) -> u32 {
        self.version
    }
}

impl Versioned for ListingPage {
    fn version(&self) -> u32 {
        self.version
    }
}

impl Versioned for SearchManifest {
    fn version(&self) -> u32 {
        self.version
    }
}

/// Why a published file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Written by a compiler of another format version: an app loaded before a new deploy
    /// (newer) or a site not built again after an update of quire (older).
    Version { found: u32 },
    /// Not the JSON quire writes: the parser's message.
    Invalid(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Version { found } if *found > FORMAT_VERSION => write!(
                f,
                "the site was updated with a newer version of quire (data format {found}; this page \
                 reads format {FORMAT_VERSION}): reload the page"
            ),
            DecodeError::Version { found } => write!(
                f,
                "the site's data was written by an older version of quire (data format {found}; this \
                 page reads format {FORMAT_VERSION}): the site needs to be built again"
            ),
            DecodeError::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A post file as [`PostFile`] describes it: its JSON (everything but the body, compact, so
/// on one line), a line feed, then the Markdown body.
pub fn write_post_file(file: &PostFile) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(file)?;
    bytes.push(b'\n');
    bytes.extend_from_slice(file.post.body.as_bytes());
    Ok(bytes)
}

/// A post file's two parts: its JSON line (without the line feed) and its Markdown body. A file
/// without a line feed is all JSON (a file of an older format, which [`decode_post`] then
/// reports by its version).
pub fn post_file_parts(bytes: &[u8]) -> (&[u8], &[u8]) {
    match crate::json::find_byte(bytes, b'\n') {
        Some(end) => (bytes.get(..end).unwrap_or_default(), bytes.get(end + 1..).unwrap_or_default()),
        None => (bytes, &[]),
    }
}

/// A post file as the browser app reads it: the file from its JSON line ([`decode`], its body
/// left empty), and where its Markdown body is in `bytes` (UTF-8 is for the renderer to check).
pub fn decode_post(bytes: &[u8]) -> Result<(PostFile, std::ops::Range<usize>), DecodeError> {
    let (json, body) = post_file_parts(bytes);
    let file = decode::<PostFile>(json)?;
    Ok((file, bytes.len() - body.len()..bytes.len()))
}

/// A post file read whole with serde (the compiler and the tests; the app reads it with
/// [`decode_post`]): its JSON line, and the body after it, which must be UTF-8.
pub fn read_post_file(bytes: &[u8]) -> Result<PostFile, String> {
    let (json, body) = post_file_parts(bytes);
    let mut file: PostFile = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    file.post.body = String::from_utf8(body.to_vec()).map_err(|e| format!("the body is not UTF-8: {e}"))?;
    Ok(file)
}

/// Reads a published file, checking its `version` first: a file of another format version is
/// [`DecodeError::Version`] whether or not its other fields happen to fit, never a misleading
/// complaint about a field. Read with the app's reader ([`crate::json`]), which reads what
/// serde_json reads.
pub fn decode<T: crate::json::FromJson + Versioned>(json: &[u8]) -> Result<T, DecodeError> {
    match crate::json::from_slice::<T>(json) {
        Ok(value) if value.version() == FORMAT_VERSION => Ok(value),
        Ok(value) => Err(DecodeError::Version { found: value.version() }),
        Err(error) => match crate::json::version_of(json) {
            Some(found) if found != FORMAT_VERSION => Err(DecodeError::Version { found }),
            _ => Err(DecodeError::Invalid(error.to_string())),
        },
    }
}
