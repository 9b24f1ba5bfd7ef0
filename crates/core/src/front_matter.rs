//! Netlify-CMS-style front matter, as openinfra.dev writes it. Splitting the file is kept
//! apart from reading the YAML; every error names the field it is about (the compiler adds
//! the file).

use crate::date::PostDate;
use crate::model::Category;
use serde_norway::{Mapping, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("no front matter: the file must start with a line `---`, then YAML, then another `---`")]
    Missing,
    #[error("unclosed front matter: add a line `---` after the YAML block (opened on line 1)")]
    Unclosed,
    #[error("invalid YAML in the front matter: {0}")]
    Yaml(String),
    #[error("the front matter must be a YAML mapping of `key: value` lines")]
    NotAMapping,
    /// Not a blog post (another Netlify CMS collection): callers skip the file.
    #[error("skipped: templateKey is `{0}`, not `blog-post`")]
    OtherTemplate(String),
    #[error("field `{field}`: {message}")]
    Field { field: &'static str, message: String },
}

fn field_error(field: &'static str, message: impl Into<String>) -> FrontMatterError {
    FrontMatterError::Field { field, message: message.into() }
}

/// Splits a file into its front matter and body. A UTF-8 BOM and CRLF line ends are fine.
pub fn split(text: &str) -> Result<(&str, &str), FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(FrontMatterError::Missing);
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            let body = &text[offset + line.len()..];
            return Ok((&text[yaml_start..offset], body));
        }
        offset += line.len();
    }
    Err(FrontMatterError::Unclosed)
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeoFields {
    pub title: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub twitter_username: Option<String>,
    /// The social card picture: a URL or a site path such as `/img/card.png`.
    pub image: Option<String>,
}

/// A post's front matter, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PostFrontMatter {
    pub template_key: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub date: PostDate,
    /// As written; labels may be empty when the writer gave only a value.
    pub categories: Vec<Category>,
    pub hidden: bool,
    pub seo: SeoFields,
    /// Keys quire does not know: reported as warnings, since rejecting them could break
    /// posts written for another tool.
    pub unknown_keys: Vec<String>,
}

pub const BLOG_POST: &str = "blog-post";
const POST_KEYS: &[&str] = &["templateKey", "title", "author", "date", "category", "hidePost", "seo"];
const SEO_KEYS: &[&str] = &["title", "description", "url", "twitterUsername", "image"];
/// The fields openinfra.dev's CMS gives authors (`templateKey` is `tags` there).
const AUTHOR_KEYS: &[&str] = &["templateKey", "authorName", "company"];

impl PostFrontMatter {
    /// A missing `templateKey` is accepted as a post; another value than `blog-post` is
    /// [`FrontMatterError::OtherTemplate`], whatever else the file holds.
    pub fn parse(yaml: &str) -> Result<Self, FrontMatterError> {
        let map = mapping(yaml)?;
        let template_key = string(&map, "templateKey")?;
        if let Some(key) = template_key.as_deref().filter(|k| k.trim() != BLOG_POST) {
            return Err(FrontMatterError::OtherTemplate(key.to_string()));
        }
        let title = string(&map, "title")?.filter(|t| !t.trim().is_empty());
        let title = title.ok_or_else(|| field_error("title", "missing: every post needs a title"))?;
        let date = match string(&map, "date")? {
            Some(d) => PostDate::parse(&d).map_err(|e| field_error("date", e.to_string()))?,
            None => {
                return Err(field_error("date", "missing: add e.g. `date: 2024-01-31T12:00:00.000Z`"));
            }
        };
        let hidden = match map.get("hidePost") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
            Some(_) => return Err(field_error("hidePost", "must be true or false")),
        };
        let seo = match map.get("seo") {
            None | Some(Value::Null) => Mapping::new(),
            Some(Value::Mapping(m)) => m.clone(),
            Some(_) => {
                return Err(field_error(
                    "seo",
                    "must be a mapping with title, description, url, twitterUsername",
                ));
            }
        };
        let mut unknown_keys = unknown(&map, POST_KEYS, "");
        unknown_keys.extend(unknown(&seo, SEO_KEYS, "seo."));
        Ok(PostFrontMatter {
            template_key,
            title: title.trim().to_string(),
            author: string(&map, "author")?.map(|a| a.trim().to_string()).filter(|a| !a.is_empty()),
            date,
            categories: categories(map.get("category"))?,
            hidden,
            seo: SeoFields {
                title: nested_string(&seo, "title", "seo.title")?,
                description: nested_string(&seo, "description", "seo.description")?,
                url: nested_string(&seo, "url", "seo.url")?,
                twitter_username: nested_string(&seo, "twitterUsername", "seo.twitterUsername")?,
                image: nested_string(&seo, "image", "seo.image")?
                    .map(|i| i.trim().to_string())
                    .filter(|i| !i.is_empty()),
            },
            unknown_keys,
        })
    }
}

/// An author file (`authors/*.md`): `authorName` and optional `company`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorFrontMatter {
    pub name: String,
    pub company: Option<String>,
    /// Keys quire does not know (see [`PostFrontMatter::unknown_keys`]).
    pub unknown_keys: Vec<String>,
}

impl AuthorFrontMatter {
    pub fn parse(yaml: &str) -> Result<Self, FrontMatterError> {
        let map = mapping(yaml)?;
        let name = string(&map, "authorName")?.filter(|n| !n.trim().is_empty());
        let name =
            name.ok_or_else(|| field_error("authorName", "missing: an author file needs `authorName`"))?;
        Ok(AuthorFrontMatter {
            name: name.trim().to_string(),
            company: string(&map, "company")?.filter(|c| !c.trim().is_empty()),
            unknown_keys: unknown(&map, AUTHOR_KEYS, ""),
        })
    }
}

fn mapping(yaml: &str) -> Result<Mapping, FrontMatterError> {
    match serde_norway::from_str::<Value>(yaml) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(FrontMatterError::NotAMapping),
        Err(e) => Err(FrontMatterError::Yaml(e.to_string())),
    }
}

fn unknown(map: &Mapping, known: &[&str], prefix: &str) -> Vec<String> {
    map.keys()
        .filter_map(|k| match k {
            Value::String(s) if known.contains(&s.as_str()) => None,
            Value::String(s) => Some(format!("{prefix}{s}")),
            other => Some(format!("{prefix}{other:?}")),
        })
        .collect()
}

/// A scalar field as text (numbers and booleans too: `title: 2021` is a title). Blank or
/// null is `None`.
fn string(map: &Mapping, key: &'static str) -> Result<Option<String>, FrontMatterError> {
    nested_string(map, key, key)
}

fn nested_string(map: &Mapping, key: &str, field: &'static str) -> Result<Option<String>, FrontMatterError> {
    scalar(map.get(key)).map_err(|kind| field_error(field, format!("must be text, found {kind}")))
}

fn scalar(value: Option<&Value>) -> Result<Option<String>, &'static str> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok((!s.trim().is_empty()).then(|| s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(Value::Sequence(_)) => Err("a list"),
        Some(Value::Mapping(_)) => Err("a mapping"),
        Some(Value::Tagged(_)) => Err("a tagged value"),
    }
}

/// `category:` is a list of `{value, label}`; it may be empty or missing, and a bare string
/// entry is taken as both.
fn categories(value: Option<&Value>) -> Result<Vec<Category>, FrontMatterError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Sequence(items)) => items,
        Some(_) => {
            return Err(field_error("category", "must be a list of `- value: …` / `label: …` entries"));
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let bad = || field_error("category", format!("entry {} needs a `value` or a `label`", i + 1));
        let (id, label) = match item {
            Value::Mapping(m) => {
                let get = |k| scalar(m.get(k)).map_err(|_| bad());
                (get("value")?, get("label")?)
            }
            other => {
                let text = scalar(Some(other)).map_err(|_| bad())?;
                (text.clone(), text)
            }
        };
        let (id, label) = match (id, label) {
            (Some(id), label) => (id, label.unwrap_or_default()),
            (None, Some(label)) => (label.clone(), label),
            (None, None) => return Err(bad()),
        };
        out.push(Category {
            id: id.trim().to_string(),
            label: label.trim().to_string(),
            slug: String::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("---\ntitle: a\n---\nbody", "title: a\n", "body" ; "plain")]
    #[test_case("\u{feff}---\r\ntitle: a\r\n---\r\nbody\r\n", "title: a\r\n", "body\r\n" ; "bom and crlf")]
    #[test_case("---\ntitle: a\n---\n", "title: a\n", "" ; "empty body")]
    #[test_case("---\ntitle: a\n---", "title: a\n", "" ; "no newline after close")]
    #[test_case("---\ntitle: a\n---\ntext\n---\nmore", "title: a\n", "text\n---\nmore" ; "rule in body")]
    #[test_case("---   \ntitle: a\n...\nbody", "title: a\n", "body" ; "yaml document end")]
    fn splits(input: &str, yaml: &str, body: &str) {
        assert_eq!(split(input), Ok((yaml, body)));
    }

    #[test_case("title: a\n---\nbody", FrontMatterError::Missing ; "no opening")]
    #[test_case("---\ntitle: a\nbody", FrontMatterError::Unclosed ; "unclosed")]
    #[test_case("", FrontMatterError::Missing ; "empty file")]
    fn split_errors(input: &str, expected: FrontMatterError) {
        assert_eq!(split(input), Err(expected));
    }

    const FULL: &str = r#"templateKey: blog-post
title: >-
  Folded
  title
author: Jonathan Bryce
date: 2020-11-6T13:30:56.289Z
category:
  - value: category-A7fnZYrE1
    label: News & Announcements
  - value: only-value
hidePost: true
seo:
  title: SEO title
  description: A description
    over two lines.
  url: https://openinfra.dev/blog/x+y
  twitterUsername: "@openinfradev "
"#;

    #[test]
    fn parses_everything_openinfra_writes() {
        let fm = PostFrontMatter::parse(FULL).expect("valid");
        assert_eq!(fm.template_key.as_deref(), Some("blog-post"));
        assert_eq!(fm.title, "Folded title");
        assert_eq!(fm.author.as_deref(), Some("Jonathan Bryce"));
        assert_eq!(fm.date.to_string(), "2020-11-06T13:30:56.289Z");
        assert_eq!(
            fm.categories,
            vec![
                Category {
                    id: "category-A7fnZYrE1".into(),
                    label: "News & Announcements".into(),
                    slug: String::new()
                },
                Category { id: "only-value".into(), label: String::new(), slug: String::new() },
            ]
        );
        assert!(fm.hidden);
        assert_eq!(fm.seo.title.as_deref(), Some("SEO title"));
        assert_eq!(fm.seo.description.as_deref(), Some("A description over two lines."));
        assert_eq!(fm.seo.url.as_deref(), Some("https://openinfra.dev/blog/x+y"));
        assert_eq!(fm.seo.twitter_username.as_deref(), Some("@openinfradev "));
        assert!(fm.unknown_keys.is_empty());
    }

    #[test]
    fn minimal_post() {
        let fm = PostFrontMatter::parse("title: Hi\ndate: 2024-02-29\ncategory:\n").expect("valid");
        assert_eq!(fm.template_key, None);
        assert_eq!(fm.author, None);
        assert!(fm.categories.is_empty());
        assert!(!fm.hidden);
        assert_eq!(fm.seo, SeoFields::default());
    }

    #[test]
    fn reports_unknown_keys() {
        let fm = PostFrontMatter::parse("title: Hi\ndate: 2024-02-29\ntags: [a]\nseo:\n  titel: x\n")
            .expect("valid");
        assert_eq!(fm.unknown_keys, vec!["tags".to_string(), "seo.titel".to_string()]);
    }

    #[test_case("date: 2024-01-01", "title" ; "missing title")]
    #[test_case("title: \"  \"\ndate: 2024-01-01", "title" ; "blank title")]
    #[test_case("title: [a, b]\ndate: 2024-01-01", "title" ; "list title")]
    #[test_case("title: a", "date" ; "missing date")]
    #[test_case("title: a\ndate: yesterday", "date" ; "unparseable date")]
    #[test_case("title: a\ndate: 2023-02-29", "date" ; "impossible date")]
    #[test_case("title: a\ndate: 2024-01-01\nhidePost: maybe", "hidePost" ; "bad hide flag")]
    #[test_case("title: a\ndate: 2024-01-01\ncategory: News", "category" ; "category not a list")]
    #[test_case("title: a\ndate: 2024-01-01\nseo: text", "seo" ; "seo not a mapping")]
    #[test_case("title: a\ndate: 2024-01-01\nseo:\n  url: [x]", "seo.url" ; "seo url list")]
    fn field_errors_name_the_field(yaml: &str, field: &str) {
        match PostFrontMatter::parse(yaml) {
            Err(FrontMatterError::Field { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected an error about {field}, got {other:?}"),
        }
    }

    #[test]
    fn other_templates_are_recognised_before_anything_else() {
        let err = PostFrontMatter::parse("templateKey: tags\nauthorName: Someone\n").expect_err("not a post");
        assert_eq!(err, FrontMatterError::OtherTemplate("tags".into()));
    }

    #[test]
    fn invalid_yaml_is_reported() {
        let err = PostFrontMatter::parse("title: \"unclosed\ndate: 2024-01-01").expect_err("invalid");
        assert!(matches!(err, FrontMatterError::Yaml(_)), "{err:?}");
    }

    #[test]
    fn authors() {
        let a = AuthorFrontMatter::parse(
            "templateKey: tags\nauthorName: Allison Price\ncompany: OpenInfra Foundation\nbio: x\n",
        );
        assert_eq!(
            a,
            Ok(AuthorFrontMatter {
                name: "Allison Price".into(),
                company: Some("OpenInfra Foundation".into()),
                unknown_keys: vec!["bio".into()],
            })
        );
        assert!(AuthorFrontMatter::parse("company: X").is_err());
    }
}
