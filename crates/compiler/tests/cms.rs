//! A Netlify / Decap CMS site read in place: posts, authors, settings and images where the
//! CMS configuration (`static/admin/config.yml`…) puts them, as openinfra.dev's repository
//! (OpenStackweb/osf-website) lays them out.

// Helpers of tests unwrap, expect, index and panic like the tests: a failure is meant to stop
// them (clippy.toml allows it in the #[test] functions themselves).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use scraper::{Html, Selector};
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

mod common;
use common::{FRAME, run, stderr};

/// A CMS configuration modelled on osf-website's: leading slashes on some paths, custom
/// widgets (`ncw-id`, `ncw-file-relation`), collections quire does not use (one of them
/// pointing at a folder that does not exist), a file collection holding the blog settings.
const CONFIG: &str = r#"backend:
  name: github
  repo: example/site
  branch: main
  commit_messages:
    create: 'Create {{collection}} “{{slug}}”'

media_folder: static/img
public_folder: /img

collections:
  - name: "authors"
    label: "Authors"
    folder: "/src/pages/author"
    create: true
    identifier_field: authorName
    fields:
      - { label: "Template Key", name: "templateKey", widget: "hidden", default: "tags" }
      - { label: "Name", name: authorName, widget: string }
      - { label: "Company", name: company, widget: string }
  - name: "configurations"
    label: "Configurations"
    files:
      - file: "src/content/navbar.json"
        label: "Navbar"
        name: "navbar"
        fields:
          - { label: "Pages", name: "nav", widget: list, fields: [
            { label: "Title", name: "title", widget: string },
          ] }
      - file: "/src/content/blog-config.json"
        label: "Blog Configuration"
        name: "blogConfig"
        fields:
          - { label: "Title", name: "title", widget: string }
          - { label: "Categories", name: "categories", widget: "list", fields: [
            { label: "Label", name: "text", widget: "string" },
            { label: "ID", name: "id", widget: ncw-id, prefix: category }
          ] }
  - name: "blog"
    label: "Blog"
    folder: "src/pages/blog"
    create: true
    slug: "{{slug}}"
    fields:
      - { label: "Template Key", name: "templateKey", widget: "hidden", default: "blog-post" }
      - { label: "Title", name: "title", widget: "string" }
      - { label: "Author", name: "author", widget: "relation", collection: "authors", searchFields: [ "authorName" ], valueField: "authorName" }
      - { label: "Category", name: "category", widget: ncw-file-relation, collection: configurations, file: blogConfig, target_field: categories, multiple: true }
      - { label: "Body", name: "body", widget: "markdown" }
  - name: "generic-about-pages"
    label: "About Pages"
    folder: "src/pages/about/"
    fields:
      - { label: "Template Key", name: "templateKey", widget: "hidden", default: "generic-page" }
      - { label: "Body", name: body, widget: markdown }
"#;

const SETTINGS: &str = r##"{
  "title": "Open Blog",
  "subTitle": "News from the open site.",
  "categories": [{ "text": "OpenStack", "id": "category-KMY0e6q9N" }],
  "connect": [{ "text": "Mailing Lists", "link": "http://lists.example.org" }],
  "seo": {
    "title": "Blog",
    "titleTemplate": "%s - Open Site",
    "description": "What the open site writes about.",
    "url": "https://open.example/blog/",
    "image": "/img/site-card.png",
    "twitterUsername": "@OpenSite",
    "themeColor": "#f15b3e"
  }
}"##;

const PICTURE: &[u8] = b"\x89PNG\r\n\x1a\n not really, but bytes to compare";

fn post(title: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntemplateKey: blog-post\ntitle: {title}\nauthor: Ada Quill\ndate: 2024-03-01T10:00:00.000Z\n\
         category:\n  - value: category-KMY0e6q9N\n    label: OpenStack\n{extra}---\n{body}\n"
    )
}

/// The images post: every way a post references media, the present and the missing.
fn images_post() -> String {
    post(
        "Images",
        "seo:\n  image: /img/post-card.png\n",
        "![present](/img/present.png \"A picture\")\n\n\
         ![space](/img/with%20space.png) and a [PDF](/img/doc.pdf?download=1#page=2).\n\n\
         <p style=\"text-align: center\"><img src=\"/img/raw.png\" alt=\"raw\"></p>\n\n\
         ![gone](/img/missing.png) ![escape](/img/../secret.txt) ![escape](/img/%2e%2e/secret.txt)\n\n\
         ![elsewhere](https://cdn.example/img/x.png) [a post](/blog/other) [section](#top)\n\n\
         `![code](/img/in-code.png)`\n",
    )
}

/// An osf-website-shaped checkout: `config` at `static/admin/config.yml`, the blog settings,
/// one author, the images post and a plain one, and `static/img` with what the post
/// references (but `missing.png`), one unreferenced file and a secret beside the folder.
fn cms_site(config: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("static/admin/config.yml", config.into()),
        ("src/content/blog-config.json", SETTINGS.into()),
        ("src/content/navbar.json", b"{}".to_vec()),
        (
            "src/pages/author/ada-quill.md",
            b"---\ntemplateKey: tags\nauthorName: Ada Quill\ncompany: Quill Works\n---\n".to_vec(),
        ),
        ("src/pages/blog/images.md", images_post().into()),
        ("src/pages/blog/plain.md", post("Plain", "", "No pictures here.").into()),
        ("src/pages/index.md", b"---\ntemplateKey: index-page\n---\n".to_vec()),
        ("static/img/present.png", PICTURE.to_vec()),
        ("static/img/with space.png", PICTURE.to_vec()),
        ("static/img/doc.pdf", b"%PDF-1.4".to_vec()),
        ("static/img/raw.png", PICTURE.to_vec()),
        ("static/img/post-card.png", PICTURE.to_vec()),
        ("static/img/site-card.png", PICTURE.to_vec()),
        ("static/img/in-code.png", PICTURE.to_vec()),
        ("static/img/unused.png", PICTURE.to_vec()),
        ("static/secret.txt", b"not for the web".to_vec()),
    ];
    for (path, bytes) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        fs::write(&path, bytes).expect("write");
    }
    dir
}

/// Both Trunk hooks into a fresh dist; the build step's messages.
fn build(content: &Path, public_url: &str) -> (TempDir, String) {
    let out = tempfile::tempdir().expect("out");
    fs::write(out.path().join("index.html"), FRAME).expect("frame");
    let built = run("build", content, out.path(), public_url);
    assert!(built.status.success(), "build: {}", stderr(&built));
    let finalized = run("finalize", content, out.path(), public_url);
    assert!(finalized.status.success(), "finalize: {}", stderr(&finalized));
    (out, stderr(&built))
}

/// The build step alone, expected to fail: its error.
fn build_error(content: &Path) -> String {
    let out = tempfile::tempdir().expect("out");
    let output = run("build", content, out.path(), "/");
    assert!(!output.status.success(), "the build should fail:\n{}", stderr(&output));
    assert!(!out.path().join("content").exists(), "nothing written on an error");
    stderr(&output)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .expect("valid JSON")
}

fn attrs(doc: &Html, css: &str, name: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    doc.select(&selector).filter_map(|e| e.value().attr(name)).map(str::to_string).collect()
}

fn page(out: &Path, file: &str) -> Html {
    let path = out.join(file);
    Html::parse_document(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn a_cms_site_is_read_in_place_with_its_settings_authors_and_referenced_media() {
    let site = cms_site(CONFIG);
    let (out, messages) = build(site.path(), "/");
    let out = out.path();

    let index = read_json(&out.join("content/index.json"));
    let titles: Vec<&str> =
        index["posts"].as_array().expect("posts").iter().filter_map(|p| p["title"].as_str()).collect();
    assert_eq!(titles.len(), 2, "the two blog posts, not the index page: {titles:?}");
    let settings = &index["site"];
    assert_eq!(settings["title"], "Open Blog");
    assert_eq!(settings["subtitle"], "News from the open site.");
    assert_eq!(settings["titleTemplate"], "%s - Open Site");
    assert_eq!(settings["image"], "/img/site-card.png");
    assert_eq!(settings["themeColor"], "#f15b3e");
    assert_eq!(settings["twitterUsername"], "@OpenSite");
    assert_eq!(index["authors"][0]["company"], "Quill Works", "authors from src/pages/author");
    assert_eq!(index["posts"][0]["categories"][0]["label"], "OpenStack");

    // Referenced media, and nothing else, under the public folder.
    let copied = files_under(&out.join("img"));
    assert_eq!(
        copied,
        ["doc.pdf", "post-card.png", "present.png", "raw.png", "site-card.png", "with space.png"],
        "{messages}"
    );
    assert_eq!(fs::read(out.join("img/present.png")).expect("copied"), PICTURE);
    assert!(files_under(out).iter().all(|f| !f.contains("secret")), "never out of the media folder");

    // A missing file is a warning naming the post; so is a reference leaving the folder.
    let post_file = site.path().join("src/pages/blog/images.md");
    let missing = format!("{}: `/img/missing.png` is not in the media folder", post_file.display());
    assert!(messages.contains(&missing), "{missing:?} in:\n{messages}");
    assert_eq!(messages.matches("leaves the media folder").count(), 2, "{messages}");
    assert!(messages.contains("6 referenced media files"), "{messages}");
    // What quire does not use in the config is ignored without a word.
    for quiet in ["about", "ncw", "navbar", "index.md", "cdn.example", "/blog/other"] {
        assert!(!messages.contains(quiet), "{quiet:?} mentioned in:\n{messages}");
    }
    assert_eq!(messages.matches("warning").count(), 3, "{messages}");

    let post = page(out, "blog/images/index.html");
    let images = attrs(&post, ".post__body img", "src");
    assert!(images.contains(&"/img/present.png".to_string()), "{images:?}");
    assert!(images.contains(&"/img/with%20space.png".to_string()), "{images:?}");
    assert_eq!(attrs(&post, "meta[name=theme-color]", "content"), ["#f15b3e"]);
    assert_eq!(
        attrs(&post, "meta[property='og:image']", "content"),
        ["https://open.example/img/post-card.png"]
    );
    let plain = page(out, "blog/plain/index.html");
    assert_eq!(
        attrs(&plain, "meta[property='og:image']", "content"),
        ["https://open.example/img/site-card.png"]
    );
}

#[test]
fn a_sub_path_build_prefixes_media_urls_and_copies_them_alike() {
    let site = cms_site(CONFIG);
    let (out, _) = build(site.path(), "/quire/");
    let post = page(out.path(), "blog/images/index.html");
    let images = attrs(&post, ".post__body img", "src");
    assert!(images.contains(&"/quire/img/present.png".to_string()), "{images:?}");
    assert!(images.contains(&"/quire/img/raw.png".to_string()), "{images:?}");
    let links = attrs(&post, ".post__body a", "href");
    assert!(links.contains(&"/quire/img/doc.pdf?download=1#page=2".to_string()), "{links:?}");
    // dist/ is what is served under /quire/: the files stay at img/.
    assert!(out.path().join("img/present.png").is_file());
}

#[test]
fn paths_without_leading_slashes_other_config_places_and_a_default_public_folder() {
    let config = CONFIG
        .replace("folder: \"/src/pages/author\"", "folder: src/pages/author/")
        .replace("file: \"/src/content/blog-config.json\"", "file: ./src/content/blog-config.json")
        .replace("media_folder: static/img\npublic_folder: /img\n", "media_folder: /static/img\n");
    for place in ["public/admin/config.yml", "admin/config.yml"] {
        let site = cms_site(&config);
        fs::remove_file(site.path().join("static/admin/config.yml")).expect("move config");
        fs::create_dir_all(site.path().join(place).parent().expect("parent")).expect("folder");
        fs::write(site.path().join(place), &config).expect("config");
        let text = post("Static", "", "![s](/static/img/present.png)");
        fs::write(site.path().join("src/pages/blog/static.md"), text).expect("post");
        let (out, messages) = build(site.path(), "/");
        let index = read_json(&out.path().join("content/index.json"));
        assert_eq!(index["site"]["title"], "Open Blog", "{place}");
        assert_eq!(index["authors"][0]["company"], "Quill Works", "{place}");
        // Decap CMS: public_folder defaults to media_folder with a leading slash.
        assert!(out.path().join("static/img/present.png").is_file(), "{place}: {messages}");
        assert!(!out.path().join("img").exists(), "{place}");
    }
}

#[test]
fn a_missing_folder_or_file_the_config_names_is_an_error_naming_collection_and_path() {
    let cases = [
        (
            "src/pages/blog",
            "static/admin/config.yml:42: collection `blog`: `folder: src/pages/blog` does not exist",
        ),
        (
            "src/pages/author",
            "static/admin/config.yml:14: collection `authors`: `folder: /src/pages/author` does not exist",
        ),
        (
            "src/content/blog-config.json",
            "static/admin/config.yml:31: collection `configurations`, file `blogConfig`: `file: /src/content/blog-config.json` does not exist",
        ),
        ("static/img", "static/admin/config.yml:8: site media: `media_folder: static/img` does not exist"),
    ];
    for (remove, expected) in cases {
        let site = cms_site(CONFIG);
        let path = site.path().join(remove);
        if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) }.expect("remove");
        let error = build_error(site.path());
        assert!(error.contains(expected), "without {remove}: {expected:?} in:\n{error}");
        assert!(error.contains(&path.display().to_string()), "the full path of {remove} in:\n{error}");
    }
}

#[test]
fn a_config_leading_out_of_the_site_is_an_error() {
    let site = cms_site(&CONFIG.replace("folder: \"src/pages/blog\"", "folder: \"../elsewhere/blog\""));
    let error = build_error(site.path());
    assert!(
        error.contains("collection `blog`: `folder: ../elsewhere/blog` leads outside the site"),
        "{error}"
    );
}

#[test]
fn the_posts_collection_is_found_by_template_key_or_named_in_the_settings() {
    // Two collections of blog posts: ambiguous until the settings name one.
    let news = "  - name: \"news\"\n    folder: \"src/pages/news\"\n    fields:\n      \
                - { name: templateKey, widget: hidden, default: blog-post }\n      - { name: title, widget: string }\n";
    let site = cms_site(&format!("{CONFIG}{news}"));
    fs::create_dir_all(site.path().join("src/pages/news")).expect("news");
    fs::write(site.path().join("src/pages/news/only-news.md"), post("Only news", "", "News."))
        .expect("news post");
    let error = build_error(site.path());
    assert!(error.contains("several folder collections hold blog posts (`blog`, `news`)"), "{error}");
    assert!(error.contains("\"postsCollection\""), "{error}");

    let settings = site.path().join("src/content/blog-config.json");
    fs::write(&settings, SETTINGS.replacen('{', "{\n  \"postsCollection\": \"news\",", 1)).expect("settings");
    let (out, messages) = build(site.path(), "/");
    let index = read_json(&out.path().join("content/index.json"));
    assert_eq!(index["posts"][0]["title"], "Only news", "{messages}");
    assert_eq!(index["posts"].as_array().map(Vec::len), Some(1));

    fs::write(&settings, SETTINGS.replacen('{', "{\n  \"postsCollection\": \"nothing\",", 1))
        .expect("settings");
    let error = build_error(site.path());
    assert!(error.contains("field `postsCollection`: the CMS configuration"), "{error}");
    assert!(error.contains("has no folder collection named `nothing`"), "{error}");

    // No collection defaults templateKey to blog-post: the error says how to name one.
    let site = cms_site(&CONFIG.replace("default: \"blog-post\"", "default: \"article\""));
    let error = build_error(site.path());
    assert!(error.contains("no folder collection holds blog posts"), "{error}");
}

#[test]
fn a_posts_collection_may_keep_its_own_media_folder() {
    let own = "    media_folder: /static/blog-img\n    public_folder: /blog-img\n";
    let config = CONFIG.replace("    slug: \"{{slug}}\"\n", &format!("    slug: \"{{{{slug}}}}\"\n{own}"));
    let site = cms_site(&config);
    fs::create_dir_all(site.path().join("static/blog-img")).expect("folder");
    fs::write(site.path().join("static/blog-img/own.png"), PICTURE).expect("own");
    let text = post("Own", "", "![own](/blog-img/own.png) ![site](/img/present.png)");
    fs::write(site.path().join("src/pages/blog/own.md"), text).expect("post");
    let (out, messages) = build(site.path(), "/");
    assert!(out.path().join("blog-img/own.png").is_file(), "{messages}");
    assert!(out.path().join("img/present.png").is_file(), "{messages}");

    // Relative to each post: not supported, and said so.
    let site = cms_site(
        &CONFIG.replace("    slug: \"{{slug}}\"\n", "    slug: \"{{slug}}\"\n    media_folder: \"\"\n"),
    );
    let (_, messages) = build(site.path(), "/");
    assert!(messages.contains("collection `blog`: `media_folder: ` is relative to each post"), "{messages}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_media_folder_is_not_followed() {
    let site = cms_site(CONFIG);
    std::os::unix::fs::symlink(
        site.path().join("static/secret.txt"),
        site.path().join("static/img/linked.png"),
    )
    .expect("symlink");
    let text = post("Linked", "", "![linked](/img/linked.png)");
    fs::write(site.path().join("src/pages/blog/linked.md"), text).expect("post");
    let (out, messages) = build(site.path(), "/");
    assert!(!out.path().join("img/linked.png").exists());
    assert!(messages.contains("`/img/linked.png` is a link out of the media folder"), "{messages}");
}
