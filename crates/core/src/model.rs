//! The JSON contract between the content compiler (writes) and the app (reads).
//! Any change here is a change of the published files: bump [`FORMAT_VERSION`].

use crate::date::PostDate;
use serde::{Deserialize, Serialize};

pub const FORMAT_VERSION: u32 = 2;
/// Folder of the generated JSON, relative to the site root.
pub const CONTENT_DIR: &str = "content";
pub const INDEX_FILE: &str = "index.json";
pub const POSTS_DIR: &str = "posts";

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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
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
    /// The Markdown body, rendered by the reader's browser.
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

/// `content/posts/<file key>.json`: one post plus the site settings its page needs, so a
/// deep link costs a single request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostFile {
    pub version: u32,
    pub site: Site,
    pub post: Post,
}
