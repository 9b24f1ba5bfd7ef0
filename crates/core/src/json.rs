//! Reads the JSON files quire publishes, for the browser app.
//!
//! The compiler writes them with serde; the app reads them with this small, non-generic
//! reader and one hand-written [`FromJson`] per type instead of serde_json and serde's
//! derived visitors, which cost the wasm about 26 KB brotli against this reader's 13 (README,
//! "Wasm size levers").
//! The rules are serde's for the same types, field for field: a missing field takes the
//! default `#[serde(default)]` gives it (a missing `Option` is `None`), a missing required
//! field, a value of the wrong type or a malformed document is an error naming the field's
//! path (`post.summary.date`), and unknown fields are skipped. Two differences, on input the
//! compiler never writes: a repeated key keeps its last value (serde: an error), and a struct
//! is an object only (serde also takes an array of its fields in order).
//! `crates/compiler/tests/app_json.rs` reads every file of the sample, hostile and corpus builds
//! both ways and compares; `tests/json_reader.rs` compares them on edge cases.

use crate::date::PostDate;
use crate::model::{
    Category, CategoryCount, Listing, ListingPage, Post, PostFile, PostLink, PostNav, PostSeo, PostSummary,
    SearchManifest, SearchTerm, Site,
};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Why a document could not be read: what was expected, the path of the field and the byte
/// offset where reading stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    path: Vec<String>,
    message: String,
    at: usize,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.path.is_empty() {
            let path: Vec<&str> = self.path.iter().rev().map(String::as_str).collect();
            write!(f, "{}: ", path.join("."))?;
        }
        write!(f, "{} at byte {}", self.message, self.at)
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The error, inside field (or array index) `name`.
    fn within(mut self, name: &str) -> Self {
        self.path.push(name.to_string());
        self
    }
}

/// Nesting deeper than this is an error (serde_json's limit too), not a stack overflow.
const MAX_DEPTH: u32 = 128;

/// A position in a JSON document.
///
/// The document is checked as UTF-8 once, as a whole, before it is read: every string is
/// then a slice of `text` between ASCII bytes (quotes and escapes), so no string needs a check
/// of its own. Outside strings, valid JSON is ASCII, so a document a string-by-string check
/// would take is exactly one that is UTF-8 as a whole.
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: u32,
}

/// A type read from JSON as the compiler writes it.
pub trait FromJson: Sized {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, Error>;
}

/// Reads a whole document: one value, then nothing but white space.
pub fn from_slice<T: FromJson>(bytes: &[u8]) -> Result<T, Error> {
    let mut reader = Reader::new(bytes)?;
    let value = T::from_json(&mut reader)?;
    reader.space();
    match reader.peek() {
        None => Ok(value),
        Some(_) => Err(reader.error("trailing characters after the JSON value")),
    }
}

/// The `version` field of a document's top-level object, whatever its other fields hold.
pub fn version_of(bytes: &[u8]) -> Option<u32> {
    let mut reader = Reader::new(bytes).ok()?;
    let mut version = None;
    reader
        .object(&mut |key, r| {
            r.space();
            if key == "version" && matches!(r.peek(), Some(b'0'..=b'9')) {
                version = Some(r.read::<u32>()?);
                Ok(())
            } else {
                r.skip()
            }
        })
        .ok()?;
    version
}

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);

/// A high bit in each byte of `v` that is zero (a byte below 0x20 after `- 0x20`). Exact for
/// "is there one" and for which is the lowest ([`first_flagged`]); a byte above a zero byte may
/// be flagged too (the subtraction's borrow), which neither question sees.
#[inline(always)]
fn has_zero(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGH
}

/// Where the first `byte` in `bytes` is, eight bytes at a time (the wasm has no `memchr`
/// for bytes, and a byte-by-byte search is several times slower).
pub fn find_byte(bytes: &[u8], byte: u8) -> Option<usize> {
    let mut at = 0;
    for word in bytes.chunks_exact(8) {
        let found =
            has_zero(u64::from_le_bytes(word.try_into().unwrap_or_default()) ^ (ONES * u64::from(byte)));
        if found != 0 {
            return Some(at + first_flagged(found));
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|&b| b == byte).map(|i| at + i)
}

/// Which byte of a word read with `from_le_bytes` (its first byte lowest) is the first one
/// [`has_zero`] flags. The lowest flag is always a true one: a borrow that flags a byte wrongly
/// comes from a flagged byte below it.
#[inline(always)]
fn first_flagged(flags: u64) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

/// How many bytes at the start of `bytes` a string holds as they are (not `"`, `\\` or a
/// control character). Titles and descriptions are most of a file's JSON, so the reader skips
/// them eight at a time: a word with none of those bytes passes in a few operations.
#[inline(always)]
fn plain_run(bytes: &[u8]) -> usize {
    let mut run = 0;
    for word in bytes.chunks_exact(8) {
        let v = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let stops = has_zero(v ^ (ONES * u64::from(b'"')))
            | has_zero(v ^ (ONES * u64::from(b'\\')))
            | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
        if stops != 0 {
            // Straight to the stop, not byte by byte through the word (most strings are a few
            // words long).
            return run + first_flagged(stops);
        }
        run += 8;
    }
    run + bytes
        .get(run..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b >= 0x20 && b != b'"' && b != b'\\')
        .count()
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`, which must be UTF-8.
    fn new(bytes: &'a [u8]) -> Result<Self, Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Reader { text, bytes, at: 0, depth: 0 }),
            Err(e) => {
                Err(Error { path: Vec::new(), message: "invalid UTF-8".to_string(), at: e.valid_up_to() })
            }
        }
    }

    /// The text from `start` to the reader's position: `start` and the position are at ASCII
    /// bytes (or the document's ends), so always at character boundaries.
    #[inline(always)]
    fn text_from(&self, start: usize) -> &'a str {
        self.text.get(start..self.at).unwrap_or_default()
    }

    fn error(&self, message: &str) -> Error {
        Error { path: Vec::new(), message: message.to_string(), at: self.at }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline(always)]
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Skips white space, then `byte` or fails with `expected`.
    #[inline(always)]
    fn eat(&mut self, byte: u8, expected: &str) -> Result<(), Error> {
        self.space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// Skips white space, then the literal `word` if it is there.
    #[inline(always)]
    fn literal(&mut self, word: &[u8]) -> bool {
        self.space();
        let found = self.bytes.get(self.at..self.at + word.len()) == Some(word);
        if found {
            self.at += word.len();
        }
        found
    }

    /// A value of type `T`.
    pub fn read<T: FromJson>(&mut self) -> Result<T, Error> {
        T::from_json(self)
    }

    /// `null` (consumed), else false.
    pub fn null(&mut self) -> bool {
        self.literal(b"null")
    }

    /// An object: `field` is called with each key and the reader at its value, which it must
    /// read or skip. Errors from inside a field name it.
    pub fn object(
        &mut self,
        field: &mut dyn FnMut(&str, &mut Reader<'a>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.eat(b'{', "expected an object")?;
        self.nest()?;
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            self.space();
            let key = self.string_cow()?;
            self.eat(b':', "expected `:` after an object key")?;
            field(&key, self).map_err(|e| e.within(&key))?;
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected `,` or `}` in an object")),
            }
        }
    }

    /// An array: `item` is called with the reader at each element, which it must read or
    /// skip.
    pub fn array(&mut self, item: &mut dyn FnMut(&mut Reader<'a>) -> Result<(), Error>) -> Result<(), Error> {
        self.eat(b'[', "expected an array")?;
        self.nest()?;
        self.space();
        if self.peek() == Some(b']') {
            self.at += 1;
            self.depth -= 1;
            return Ok(());
        }
        let mut index = 0usize;
        loop {
            item(self).map_err(|e| e.within(&index.to_string()))?;
            index += 1;
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected `,` or `]` in an array")),
            }
        }
    }

    fn nest(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(self.error("nested too deeply")) } else { Ok(()) }
    }

    /// Any value, not kept (a field quire does not read).
    pub fn skip(&mut self) -> Result<(), Error> {
        self.space();
        match self.peek() {
            Some(b'{') => self.object(&mut |_, r| r.skip()),
            Some(b'[') => self.array(&mut |r| r.skip()),
            Some(b'"') => self.string_cow().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            _ if self.literal(b"true") || self.literal(b"false") || self.literal(b"null") => Ok(()),
            _ => Err(self.error("expected a JSON value")),
        }
    }

    /// A number as JSON writes it; returns its text.
    fn number(&mut self) -> Result<&'a str, Error> {
        self.space();
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
            r.at > from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        // One `0`, or digits not starting with `0`.
        if self.peek() == Some(b'0') {
            self.at += 1;
            if matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number must not start with 0"));
            }
        } else if !digits(self) {
            return Err(self.error("expected a number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error("expected digits after `.` in a number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("expected digits in a number's exponent"));
            }
        }
        // Only ASCII was consumed.
        Ok(self.text_from(start))
    }

    /// A string, unescaped; borrowed from the document when it holds no escape.
    fn string_cow(&mut self) -> Result<Cow<'a, str>, Error> {
        self.eat(b'"', "expected a string")?;
        let mut owned: Option<String> = None;
        let mut run = self.at;
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            match byte {
                b'"' => {
                    let tail = self.text_from(run);
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut text) => {
                            text.push_str(tail);
                            Cow::Owned(text)
                        }
                    });
                }
                b'\\' => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(self.text_from(run));
                    self.at += 1;
                    let escaped = self.peek().ok_or_else(|| self.error("unterminated string"))?;
                    self.at += 1;
                    text.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape in a string")),
                    });
                    run = self.at;
                }
                0x00..=0x1f => return Err(self.error("control character in a string")),
                _ => self.at += 1 + plain_run(self.bytes.get(self.at + 1..).unwrap_or_default()),
            }
        }
    }

    /// The character of a `\uXXXX` escape (after the `u`), a surrogate pair included.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if !self.literal_here(b"\\u") {
                return Err(self.error("lone leading surrogate in a \\u escape"));
            }
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.error("invalid trailing surrogate in a \\u escape"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    /// The literal `word` right here (no white space before it).
    fn literal_here(&mut self, word: &[u8]) -> bool {
        let found = self.bytes.get(self.at..self.at + word.len()) == Some(word);
        if found {
            self.at += word.len();
        }
        found
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits =
            self.bytes.get(self.at..self.at + 4).ok_or_else(|| self.error("unterminated \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("invalid \\u escape"))?;
        let value = u32::from_str_radix(text, 16).map_err(|_| self.error("invalid \\u escape"))?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error("invalid \\u escape"));
        }
        self.at += 4;
        Ok(value)
    }
}

/// `value`, or the error serde gives for a missing required field.
fn required<T>(value: Option<T>, field: &str, reader: &Reader<'_>) -> Result<T, Error> {
    value.ok_or_else(|| reader.error(&format!("missing field `{field}`")))
}

impl FromJson for String {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.string_cow().map(Cow::into_owned)
    }
}

impl FromJson for u32 {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let text = r.number()?;
        text.parse()
            .map_err(|_| r.error(&format!("expected an integer from 0 to {}, found {text}", u32::MAX)))
    }
}

impl FromJson for bool {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        if r.literal(b"true") {
            Ok(true)
        } else if r.literal(b"false") {
            Ok(false)
        } else {
            Err(r.error("expected `true` or `false`"))
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        if r.null() { Ok(None) } else { T::from_json(r).map(Some) }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut items = Vec::new();
        r.array(&mut |r| {
            items.push(T::from_json(r)?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl FromJson for BTreeMap<String, String> {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut map = BTreeMap::new();
        r.object(&mut |key, r| {
            map.insert(key.to_string(), r.read()?);
            Ok(())
        })?;
        Ok(map)
    }
}

impl FromJson for PostDate {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let text = r.string_cow()?;
        match PostDate::parse_canonical(text.as_bytes()) {
            Some(date) => Ok(date),
            None => PostDate::parse(&text).map_err(|e| r.error(&e.to_string())),
        }
    }
}

impl FromJson for Site {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut site = Site::default();
        let mut title = None;
        r.object(&mut |key, r| {
            match key {
                "title" => title = Some(r.read()?),
                "subtitle" => site.subtitle = r.read()?,
                "description" => site.description = r.read()?,
                "url" => site.url = r.read()?,
                "titleTemplate" => site.title_template = r.read()?,
                "twitterUsername" => site.twitter_username = r.read()?,
                "language" => site.language = r.read()?,
                "image" => site.image = r.read()?,
                "themeColor" => site.theme_color = r.read()?,
                "pageSize" => site.page_size = r.read()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        site.title = required(title, "title", r)?;
        Ok(site)
    }
}

impl FromJson for Category {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut id, mut label, mut slug) = (None, None, String::new());
        r.object(&mut |key, r| {
            match key {
                "id" => id = Some(r.read()?),
                "label" => label = Some(r.read()?),
                "slug" => slug = r.read()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(Category { id: required(id, "id", r)?, label: required(label, "label", r)?, slug })
    }
}

impl FromJson for PostSummary {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut slug, mut title, mut date) = (None, None, None);
        let (mut author, mut author_slug, mut categories, mut description) = (None, None, Vec::new(), None);
        let (mut excerpt, mut hidden, mut reading_minutes) = (String::new(), false, None);
        r.object(&mut |key, r| {
            match key {
                "slug" => slug = Some(r.read()?),
                "title" => title = Some(r.read()?),
                "date" => date = Some(r.read()?),
                "author" => author = r.read()?,
                "authorSlug" => author_slug = r.read()?,
                "categories" => categories = r.read()?,
                "description" => description = r.read()?,
                "excerpt" => excerpt = r.read()?,
                "hidden" => hidden = r.read()?,
                "readingMinutes" => reading_minutes = r.read()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(PostSummary {
            slug: required(slug, "slug", r)?,
            title: required(title, "title", r)?,
            date: required(date, "date", r)?,
            author,
            author_slug,
            categories,
            description,
            excerpt,
            hidden,
            reading_minutes,
        })
    }
}

impl FromJson for PostSeo {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut title, mut url, mut twitter_username, mut image) = (None, None, None, None);
        r.object(&mut |key, r| {
            match key {
                "title" => title = Some(r.read()?),
                "url" => url = r.read()?,
                "twitterUsername" => twitter_username = r.read()?,
                "image" => image = r.read()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(PostSeo { title: required(title, "title", r)?, url, twitter_username, image })
    }
}

impl FromJson for Post {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut summary, mut seo, mut author_company) = (None, None, None);
        r.object(&mut |key, r| {
            match key {
                "summary" => summary = Some(r.read()?),
                "seo" => seo = Some(r.read()?),
                "authorCompany" => author_company = r.read()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(Post {
            summary: required(summary, "summary", r)?,
            seo: required(seo, "seo", r)?,
            author_company,
            // Not part of the JSON: a post file carries it after (`model::post_file_parts`).
            body: String::new(),
        })
    }
}

impl FromJson for PostLink {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut slug, mut title, mut date) = (None, None, None);
        r.object(&mut |key, r| {
            match key {
                "slug" => slug = Some(r.read()?),
                "title" => title = Some(r.read()?),
                "date" => date = Some(r.read()?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(PostLink {
            slug: required(slug, "slug", r)?,
            title: required(title, "title", r)?,
            date: required(date, "date", r)?,
        })
    }
}

impl FromJson for PostNav {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut nav = PostNav::default();
        r.object(&mut |key, r| {
            match key {
                "previous" => nav.previous = r.read()?,
                "next" => nav.next = r.read()?,
                "related" => nav.related = r.read()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(nav)
    }
}

impl FromJson for PostFile {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut version, mut post, mut nav) = (None, None, PostNav::default());
        r.object(&mut |key, r| {
            match key {
                "version" => version = Some(r.read()?),
                "post" => post = Some(r.read()?),
                "nav" => nav = r.read()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(PostFile { version: required(version, "version", r)?, post: required(post, "post", r)?, nav })
    }
}

impl FromJson for Listing {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut kind, mut slug, mut label, mut name, mut company) = (None, None, None, None, None);
        r.object(&mut |key, r| {
            match key {
                "kind" => kind = Some(r.read::<String>()?),
                "slug" => slug = Some(r.read()?),
                "label" => label = Some(r.read()?),
                "name" => name = Some(r.read()?),
                "company" => company = r.read()?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        match required(kind, "kind", r)?.as_str() {
            "home" => Ok(Listing::Home),
            "category" => Ok(Listing::Category {
                slug: required(slug, "slug", r)?,
                label: required(label, "label", r)?,
            }),
            "author" => Ok(Listing::Author {
                slug: required(slug, "slug", r)?,
                name: required(name, "name", r)?,
                company,
            }),
            other => Err(
                r.error(&format!("unknown listing kind `{other}`, expected `home`, `category` or `author`"))
            ),
        }
    }
}

impl FromJson for CategoryCount {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut slug, mut label, mut count) = (None, None, None);
        r.object(&mut |key, r| {
            match key {
                "slug" => slug = Some(r.read()?),
                "label" => label = Some(r.read()?),
                "count" => count = Some(r.read()?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(CategoryCount {
            slug: required(slug, "slug", r)?,
            label: required(label, "label", r)?,
            count: required(count, "count", r)?,
        })
    }
}

impl FromJson for ListingPage {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut version, mut listing, mut page, mut pages, mut total) = (None, None, None, None, None);
        let (mut posts, mut categories) = (None, None);
        r.object(&mut |key, r| {
            match key {
                "version" => version = Some(r.read()?),
                "listing" => listing = Some(r.read()?),
                "page" => page = Some(r.read()?),
                "pages" => pages = Some(r.read()?),
                "total" => total = Some(r.read()?),
                "posts" => posts = Some(r.read()?),
                "categories" => categories = Some(r.read()?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(ListingPage {
            version: required(version, "version", r)?,
            listing: required(listing, "listing", r)?,
            page: required(page, "page", r)?,
            pages: required(pages, "pages", r)?,
            total: required(total, "total", r)?,
            posts: required(posts, "posts", r)?,
            categories: required(categories, "categories", r)?,
        })
    }
}

impl FromJson for SearchManifest {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut version, mut docs, mut docs_per_shard, mut terms) = (None, None, None, None);
        r.object(&mut |key, r| {
            match key {
                "version" => version = Some(r.read()?),
                "docs" => docs = Some(r.read()?),
                "docsPerShard" => docs_per_shard = Some(r.read()?),
                "terms" => terms = Some(r.read()?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(SearchManifest {
            version: required(version, "version", r)?,
            docs: required(docs, "docs", r)?,
            docs_per_shard: required(docs_per_shard, "docsPerShard", r)?,
            terms: required(terms, "terms", r)?,
        })
    }
}

/// `[term, posts, postings shard]`, exactly three elements.
impl FromJson for SearchTerm {
    fn from_json(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mut term, mut posts, mut shard, mut count) = (None, None, None, 0);
        r.array(&mut |r| {
            match count {
                0 => term = Some(r.read()?),
                1 => posts = Some(r.read()?),
                2 => shard = Some(r.read()?),
                _ => return Err(r.error("expected an array of 3 elements")),
            }
            count += 1;
            Ok(())
        })?;
        match (term, posts, shard) {
            (Some(term), Some(posts), Some(shard)) => Ok(SearchTerm(term, posts, shard)),
            _ => Err(r.error("expected an array of 3 elements")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `plain_run` stops where a byte-by-byte scan stops: every byte value at every position of
    /// a word, after plain runs of every length modulo 8, with stops after it too (a borrow in
    /// the word arithmetic must not move the answer).
    #[test]
    fn plain_runs_are_measured_as_byte_by_byte() {
        let bytewise = |b: &[u8]| b.iter().take_while(|&&b| b >= 0x20 && b != b'"' && b != b'\\').count();
        for len in 0..24 {
            for byte in 0..=255u8 {
                for after in [&b"abc"[..], b"\x00\x01\"", b"\\\x1f!", "é\"".as_bytes()] {
                    let mut input: Vec<u8> =
                        b"Ab z~-0\x7f\xc3\xa9".iter().copied().cycle().take(len).collect();
                    input.push(byte);
                    input.extend_from_slice(after);
                    assert_eq!(plain_run(&input), bytewise(&input), "{len} then {byte:#04x} then {after:?}");
                }
            }
        }
    }
}
