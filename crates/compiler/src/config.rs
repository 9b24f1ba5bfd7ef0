//! `blog-config.json`, as Netlify CMS writes it for openinfra.dev.

use quire_core::markdown::plain_text;
use quire_core::model::{Category, DEFAULT_PAGE_SIZE, Site};
use quire_core::url::kebab_case;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlogConfig {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sub_title: Option<String>,
    #[serde(default)]
    pub categories: Vec<ConfigCategory>,
    #[serde(default)]
    pub seo: ConfigSeo,
    /// `en`, `de-CH`: the pages' language.
    #[serde(default)]
    pub language: Option<String>,
    /// Posts per listing page.
    #[serde(default)]
    pub page_size: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub struct ConfigCategory {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigSeo {
    pub title: Option<String>,
    pub title_template: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub image: Option<String>,
    pub twitter_username: Option<String>,
    pub theme_color: Option<String>,
}

impl BlogConfig {
    pub fn site(&self) -> Site {
        let non_empty =
            |s: &Option<String>| s.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Site {
            title: non_empty(&self.title)
                .or_else(|| non_empty(&self.seo.title))
                .unwrap_or_else(|| "Blog".into()),
            subtitle: non_empty(&self.sub_title).unwrap_or_default(),
            description: non_empty(&self.seo.description)
                .or_else(|| non_empty(&self.sub_title))
                .map(|d| plain_text(&d))
                .unwrap_or_default(),
            url: non_empty(&self.seo.url),
            title_template: non_empty(&self.seo.title_template),
            twitter_username: non_empty(&self.seo.twitter_username),
            language: non_empty(&self.language).unwrap_or_else(|| "en".into()),
            image: non_empty(&self.seo.image),
            theme_color: non_empty(&self.seo.theme_color),
            page_size: self.page_size.filter(|n| *n > 0).unwrap_or(DEFAULT_PAGE_SIZE),
        }
    }

    /// Settings that are set but unusable, as warnings naming the field.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(url) = self.seo.url.as_deref().map(str::trim).filter(|u| !u.is_empty())
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            problems.push(format!("field `seo.url`: `{url}` is not an absolute http(s) URL; it is ignored"));
        }
        if self.page_size == Some(0) {
            problems.push(format!("field `pageSize`: must be at least 1; using {DEFAULT_PAGE_SIZE}"));
        }
        if let Some(color) = self.seo.theme_color.as_deref()
            && !is_css_color(color.trim())
        {
            problems.push(format!("field `seo.themeColor`: `{color}` is not a CSS colour such as #f15b3e"));
        }
        problems
    }

    pub fn categories(&self) -> Vec<Category> {
        self.categories
            .iter()
            .map(|c| Category { id: c.id.clone(), label: c.text.clone(), slug: kebab_case(&c.text) })
            .collect()
    }
}

fn is_css_color(value: &str) -> bool {
    let hex = value
        .strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 4 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit()));
    hex || (!value.is_empty()
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '(' | ')' | ',' | '.' | '%' | ' ')))
}
