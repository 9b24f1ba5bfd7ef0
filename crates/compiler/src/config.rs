//! `blog-config.json`, as Netlify CMS writes it for openinfra.dev.

use quire_core::model::{Category, Site};
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
    pub twitter_username: Option<String>,
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
                .unwrap_or_default(),
            url: non_empty(&self.seo.url),
            title_template: non_empty(&self.seo.title_template),
            twitter_username: non_empty(&self.seo.twitter_username),
        }
    }

    pub fn categories(&self) -> Vec<Category> {
        self.categories.iter().map(|c| Category { id: c.id.clone(), label: c.text.clone() }).collect()
    }
}
