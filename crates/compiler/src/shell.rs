//! Finishes the app shell Trunk built (`index.html`): the public URL for the app, the site's
//! own head tags and settings instead of the placeholders, and a `404.html` copy that hosts
//! without rewrite rules (GitHub Pages, S3 error documents) serve for deep links.

use crate::write::write_file;
use anyhow::{Context, Result};
use quire_core::model::{CONTENT_DIR, INDEX_FILE, Index, Site};
use quire_core::seo::home_tags;
use std::fs;
use std::path::Path;

/// Marks head tags that stand in until the app renders the route's own.
const STATIC_MARK: &str = "data-quire-static";

pub fn finalize(out: &Path, public_url: &str) -> Result<()> {
    let index_html = out.join("index.html");
    let mut html = fs::read_to_string(&index_html)
        .with_context(|| format!("cannot read {} (run after Trunk built it)", index_html.display()))?;
    html = set_base_meta(&html, public_url)
        .with_context(|| format!("{}: no <meta name=\"quire-base\" content=\"/\">", index_html.display()))?;
    let index_json = out.join(CONTENT_DIR).join(INDEX_FILE);
    if index_json.is_file() {
        let text = fs::read_to_string(&index_json)
            .with_context(|| format!("cannot read {}", index_json.display()))?;
        let index: Index =
            serde_json::from_str(&text).with_context(|| format!("{}: invalid", index_json.display()))?;
        html = set_site_head(&html, &index.site)
            .with_context(|| format!("{}: no <title> element", index_html.display()))?;
    }
    write_file(&index_html, html.as_bytes())?;
    write_file(&out.join("404.html"), html.as_bytes())
}

/// Sets the `content` of `<meta name="quire-base" content="…">`; `None` if the tag is missing.
fn set_base_meta(html: &str, public_url: &str) -> Option<String> {
    let name_at = html.find("name=\"quire-base\"")?;
    let tag_start = html[..name_at].rfind('<')?;
    let tag_end = name_at + html[name_at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let value_start = tag_start + tag.find("content=\"")? + "content=\"".len();
    let value_end = value_start + html[value_start..tag_end].find('"')?;
    let escaped = quire_core::sanitize::escape_attr(public_url);
    Some(format!("{}{escaped}{}", &html[..value_start], &html[value_end..]))
}

/// Replaces `<title>` and the placeholder tags with the listing's tags for this site, and
/// embeds the site settings as JSON so the app's header shows them before any fetch.
fn set_site_head(html: &str, site: &Site) -> Option<String> {
    let html = remove_static_tags(html);
    let start = html.find("<title>")?;
    let end = start + html[start..].find("</title>")? + "</title>".len();
    let json = serde_json::to_string(site).ok()?.replace("</", "<\\/");
    let head = home_tags(site, "").to_html(STATIC_MARK);
    Some(format!(
        "{}{head}\n    <script type=\"application/json\" id=\"quire-site\">{json}</script>{}",
        &html[..start],
        &html[end..]
    ))
}

/// Removes every `<meta …>` / `<link …>` marked with [`STATIC_MARK`], and the line it stood on.
fn remove_static_tags(html: &str) -> String {
    html.split_inclusive('\n')
        .filter(|line| {
            let t = line.trim_start();
            !((t.starts_with("<meta") || t.starts_with("<link")) && t.contains(STATIC_MARK))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_public_url() {
        let html = "<head><meta charset=\"utf-8\" /><meta name=\"quire-base\" content=\"/\" /></head>";
        assert_eq!(
            set_base_meta(html, "/quire/").as_deref(),
            Some("<head><meta charset=\"utf-8\" /><meta name=\"quire-base\" content=\"/quire/\" /></head>")
        );
        assert_eq!(set_base_meta("<head></head>", "/"), None);
    }

    #[test]
    fn writes_the_sites_head_tags_and_settings() {
        let html = "<head>\n    <title>Blog</title>\n    <meta name=\"description\" content=\"x\" data-quire-static />\n    <link rel=\"icon\" href=\"data:,\" />\n</head>";
        let site = Site {
            title: "News </script>".into(),
            description: "About \"us\"".into(),
            title_template: Some("%s - Org".into()),
            ..Site::default()
        };
        let out = set_site_head(html, &site).expect("has a title");
        assert!(out.contains("<title>News &lt;/script&gt; - Org</title>"), "{out}");
        assert!(
            out.contains("<meta name=\"description\" content=\"About &quot;us&quot;\" data-quire-static />")
        );
        assert_eq!(out.matches("name=\"description\"").count(), 1, "placeholder replaced: {out}");
        assert!(out.contains("<link rel=\"icon\" href=\"data:,\" />"), "unmarked tags stay");
        assert!(
            out.contains(r#"<script type="application/json" id="quire-site">{"title":"News <\/script>""#),
            "{out}"
        );
        assert!(!out.contains("News </script>"));
    }
}
