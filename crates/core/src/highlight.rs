//! Syntax highlighting of fenced code blocks, in the shared renderer: the prerender runs it
//! natively and the browser runs it on in-app navigation, so both write the same markup.
//!
//! A small hand-written lexer per language family, driven by a table of languages (keywords,
//! types, comment and string delimiters, a few flags): one pass, no backtracking, no regex,
//! so it costs a few kilobytes of wasm and linear time on any input. Each recognised token
//! becomes `<span class="tok-…">`; everything else is copied through. All text is
//! HTML-escaped (`&`, `<`, `>`, as pulldown-cmark escapes code), so the spans are the only
//! markup in the output. The classes (see `style/main.css`):
//!
//! | class      | what                                                                  |
//! | ---------- | --------------------------------------------------------------------- |
//! | `tok-kw`   | keywords, literals such as `true`/`null`, HTML doctypes, CSS at-rules |
//! | `tok-ty`   | built-in types, capitalised names (Rust, JavaScript, Python)          |
//! | `tok-fn`   | a name before `(`, Rust macros, shell commands, CSS functions         |
//! | `tok-str`  | strings and characters, HTML attribute values, YAML block scalars     |
//! | `tok-com`  | comments                                                              |
//! | `tok-num`  | numbers, CSS lengths and colours                                      |
//! | `tok-attr` | HTML attributes, CSS properties, JSON/YAML/TOML keys                  |
//! | `tok-tag`  | HTML/XML tag names, CSS selectors, TOML table headers                 |
//! | `tok-var`  | shell variables, CSS custom properties, HTML entities, YAML anchors   |

/// A language quire highlights.
#[derive(Clone, Copy)]
pub struct Language(&'static Spec);

/// The language a fenced block's info string names, with the name as written: the first
/// word (`rust,ignore` → `rust`, `js title=x` → `js`), matched in any case. `None` for a
/// language quire does not highlight (the block stays plain).
pub fn language(info: &str) -> Option<(&str, Language)> {
    let word = info.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or("");
    let spec = NAMES.iter().find(|(name, _)| name.eq_ignore_ascii_case(word))?.1;
    Some((word, Language(spec)))
}

/// `code` highlighted as the language `info` names, or `None` when quire does not know it.
pub fn highlight(info: &str, code: &str) -> Option<String> {
    language(info).map(|(_, language)| language.highlight(code))
}

impl Language {
    /// `code` as HTML: escaped text and `<span class="tok-…">` tokens.
    pub fn highlight(self, code: &str) -> String {
        let mut out = Out { src: code, html: String::with_capacity(code.len() * 2), done: 0 };
        lex(&mut out, self.0, 0, code.len());
        out.flush(code.len());
        out.html
    }
}

const KW: &str = "kw";
const TY: &str = "ty";
const FN: &str = "fn";
const STR: &str = "str";
const COM: &str = "com";
const NUM: &str = "num";
const ATTR: &str = "attr";
const TAG: &str = "tag";
const VAR: &str = "var";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Code,
    Markup,
    Css,
}

/// One language: `keywords` and `types` are space-separated words.
struct Spec {
    kind: Kind,
    keywords: &'static str,
    types: &'static str,
    line_comments: &'static [&'static str],
    block_comment: Option<(&'static str, &'static str)>,
    /// String delimiters, longest first: each closes with itself.
    quotes: &'static [(&'static str, u8)],
    flags: u16,
}

// Quote flags.
/// A backslash escapes the next character.
const ESC: u8 = 1;
/// The string may span lines (otherwise an unterminated string ends at the line's end).
const MULTI: u8 = 2;

// Language flags.
/// Block comments nest (Rust).
const NESTED: u16 = 1;
/// Capitalised names (`String`, `HashMap`, not `MAX`) are types.
const CAPS: u16 = 1 << 1;
/// Rust: char literals versus lifetimes, `r#"…"#` raw strings, `b"…"`, `name!` macros.
const RUST: u16 = 1 << 2;
/// Letters right before a quote belong to the string (Python `r"…"`, `f'…'`, `b"…"`).
const PREFIX: u16 = 1 << 3;
/// Shell: `$name`, `${…}`, `$1` variables; the first word of a command; `-` inside words.
const SHELL: u16 = 1 << 4;
/// `#` starts a comment only at the start of a word (shell, YAML).
const HASH_WORD: u16 = 1 << 5;
/// Keywords match in any case (SQL, YAML).
const NOCASE: u16 = 1 << 6;
/// YAML: `key:` at a line's start, `- ` items, `|`/`>` block scalars, `&anchor`/`*alias`.
const YAML: u16 = 1 << 7;
/// TOML: `key =` at a line's start, `[table]` headers.
const TOML: u16 = 1 << 8;
/// A string followed by `:` is a key (JSON, YAML).
const KEYS: u16 = 1 << 9;

const RUST_SPEC: Spec = Spec {
    kind: Kind::Code,
    keywords: "as async await break const continue crate dyn else enum extern false fn for if impl in let loop \
               match mod move mut pub ref return self Self static struct super trait true type unsafe use where while yield",
    types: "bool char str u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64",
    line_comments: &["//"],
    block_comment: Some(("/*", "*/")),
    quotes: &[("\"", ESC | MULTI)],
    flags: NESTED | CAPS | RUST,
};

const PYTHON: Spec = Spec {
    kind: Kind::Code,
    keywords: "False None True and as assert async await break case class continue def del elif else except \
               finally for from global if import in is lambda match nonlocal not or pass raise return try while with yield",
    types: "bool bytes dict float int list object set str tuple type",
    line_comments: &["#"],
    block_comment: None,
    quotes: &[("\"\"\"", ESC | MULTI), ("'''", ESC | MULTI), ("\"", ESC), ("'", ESC)],
    flags: CAPS | PREFIX,
};

const JAVASCRIPT: Spec = Spec {
    kind: Kind::Code,
    keywords: "abstract as async await break case catch class const continue debugger declare default delete do \
               else enum export extends false finally for from function if implements import in instanceof interface \
               keyof let namespace new null private protected public readonly return satisfies static super switch \
               this throw true try type typeof undefined var void while with yield",
    types: "any bigint boolean never number object string symbol unknown",
    line_comments: &["//"],
    block_comment: Some(("/*", "*/")),
    quotes: &[("`", ESC | MULTI), ("\"", ESC), ("'", ESC)],
    flags: CAPS,
};

const GO: Spec = Spec {
    kind: Kind::Code,
    keywords: "break case chan const continue default defer else fallthrough false for func go goto if import \
               interface iota map nil package range return select struct switch true type var",
    types: "any bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string \
            uint uint8 uint16 uint32 uint64 uintptr",
    line_comments: &["//"],
    block_comment: Some(("/*", "*/")),
    quotes: &[("`", MULTI), ("\"", ESC), ("'", ESC)],
    flags: 0,
};

const SHELL_SPEC: Spec = Spec {
    kind: Kind::Code,
    keywords: "alias case declare do done elif else esac exit export fi for function if in local readonly \
               return select set shift source then time unset until while",
    types: "",
    line_comments: &["#"],
    block_comment: None,
    quotes: &[("\"", ESC | MULTI), ("'", MULTI)],
    flags: SHELL | HASH_WORD,
};

/// Shell keywords after which a command name follows.
const SHELL_BEFORE_COMMAND: &str = "do elif else if then time until while";

const SQL: Spec = Spec {
    kind: Kind::Code,
    keywords: "add all alter and as asc begin between by cascade case check column commit constraint create \
               cross database default delete desc distinct drop else end exists false foreign from full grant group \
               having if in index inner insert into is join key left like limit not null offset on or order outer \
               primary references returning revoke right rollback schema select set table then transaction true \
               union unique update using values view when where with",
    types: "bigint bigserial blob bool boolean char date decimal double float int integer json jsonb numeric \
            real serial smallint text time timestamp timestamptz uuid varchar",
    line_comments: &["--"],
    block_comment: Some(("/*", "*/")),
    quotes: &[("'", MULTI), ("\"", 0)],
    flags: NOCASE,
};

const JSON: Spec = Spec {
    kind: Kind::Code,
    keywords: "true false null",
    types: "",
    // Not JSON, but JSON with comments is common in examples.
    line_comments: &["//"],
    block_comment: Some(("/*", "*/")),
    quotes: &[("\"", ESC)],
    flags: KEYS,
};

const TOML_SPEC: Spec = Spec {
    kind: Kind::Code,
    keywords: "true false inf nan",
    types: "",
    line_comments: &["#"],
    block_comment: None,
    quotes: &[("\"\"\"", ESC | MULTI), ("'''", MULTI), ("\"", ESC), ("'", 0)],
    flags: TOML,
};

const YAML_SPEC: Spec = Spec {
    kind: Kind::Code,
    keywords: "true false null yes no",
    types: "",
    line_comments: &["#"],
    block_comment: None,
    quotes: &[("\"", ESC | MULTI), ("'", MULTI)],
    flags: YAML | KEYS | HASH_WORD | NOCASE,
};

const MARKUP: Spec = Spec {
    kind: Kind::Markup,
    keywords: "",
    types: "",
    line_comments: &[],
    block_comment: None,
    quotes: &[],
    flags: 0,
};

const CSS: Spec = Spec { kind: Kind::Css, ..MARKUP };

/// Info-string names, matched in any case.
const NAMES: &[(&str, &Spec)] = &[
    ("rust", &RUST_SPEC),
    ("rs", &RUST_SPEC),
    ("python", &PYTHON),
    ("py", &PYTHON),
    ("python3", &PYTHON),
    ("js", &JAVASCRIPT),
    ("javascript", &JAVASCRIPT),
    ("jsx", &JAVASCRIPT),
    ("mjs", &JAVASCRIPT),
    ("ts", &JAVASCRIPT),
    ("typescript", &JAVASCRIPT),
    ("tsx", &JAVASCRIPT),
    ("go", &GO),
    ("golang", &GO),
    ("sh", &SHELL_SPEC),
    ("bash", &SHELL_SPEC),
    ("shell", &SHELL_SPEC),
    ("console", &SHELL_SPEC),
    ("zsh", &SHELL_SPEC),
    ("yaml", &YAML_SPEC),
    ("yml", &YAML_SPEC),
    ("json", &JSON),
    ("jsonc", &JSON),
    ("toml", &TOML_SPEC),
    ("html", &MARKUP),
    ("xml", &MARKUP),
    ("xhtml", &MARKUP),
    ("svg", &MARKUP),
    ("css", &CSS),
    ("sql", &SQL),
];

/// The output: the source, the HTML so far, and how much of the source it covers. Text
/// between tokens is copied (escaped) when the next token is written.
struct Out<'a> {
    src: &'a str,
    html: String,
    done: usize,
}

impl Out<'_> {
    fn flush(&mut self, to: usize) {
        if to > self.done {
            escape_into(&mut self.html, self.src.get(self.done..to).unwrap_or(""));
            self.done = to;
        }
    }

    /// `src[start..end]` as a token of `class`. Tokens come in order and never overlap.
    fn tok(&mut self, start: usize, end: usize, class: &str) {
        if end <= start || start < self.done {
            return;
        }
        self.flush(start);
        self.html.push_str("<span class=\"tok-");
        self.html.push_str(class);
        self.html.push_str("\">");
        escape_into(&mut self.html, self.src.get(start..end).unwrap_or(""));
        self.html.push_str("</span>");
        self.done = end;
    }
}

fn escape_into(out: &mut String, text: &str) {
    let mut copied = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(text.get(copied..i).unwrap_or(""));
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(text.get(copied..).unwrap_or(""));
}

fn lex(out: &mut Out, spec: &Spec, start: usize, end: usize) {
    match spec.kind {
        Kind::Code => code(out, spec, start, end),
        Kind::Markup => markup(out, start, end),
        Kind::Css => css(out, start, end),
    }
}

// Byte helpers. Tokens start and end at ASCII bytes (or the end), so every cut is at a
// character boundary: non-ASCII bytes only ever occur inside a word, string or comment.

/// The byte at `i`, or 0 past the end.
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn starts(b: &[u8], i: usize, s: &str) -> bool {
    b.get(i..).is_some_and(|rest| rest.starts_with(s.as_bytes()))
}

/// Where `s` next starts in `b[from..end]`.
fn find(b: &[u8], from: usize, end: usize, s: &str) -> Option<usize> {
    let s = s.as_bytes();
    (from..end.saturating_sub(s.len() - 1)).find(|&i| b.get(i..i + s.len()) == Some(s))
}

/// Where `byte` next is in `b[from..end]`, or `end`.
fn find_byte(b: &[u8], from: usize, end: usize, byte: u8) -> usize {
    scan_until(b, from, end, u16::from(byte), |_| true)
}

/// The end of the line at `i` (the `\n`, or `end`).
fn line_end(b: &[u8], i: usize, end: usize) -> usize {
    find_byte(b, i, end, b'\n')
}

/// The first `j` from `i` (up to `end`) whose byte fails `keep`.
fn scan(b: &[u8], i: usize, end: usize, keep: fn(u8) -> bool) -> usize {
    scan_until(b, i, end, NO_STOP, keep)
}

/// No byte is this.
const NO_STOP: u16 = 0x100;

/// The first `j` from `i` (up to `end`) whose byte is `stop` or fails `keep`. (One loop for
/// every scan: a few bytes of wasm each.)
fn scan_until(b: &[u8], mut i: usize, end: usize, stop: u16, keep: fn(u8) -> bool) -> usize {
    while i < end && u16::from(at(b, i)) != stop && keep(at(b, i)) {
        i += 1;
    }
    i
}

/// Whether `b[i..j]` is one of the space-separated `words`.
fn has_word(words: &str, b: &[u8], i: usize, j: usize, nocase: bool) -> bool {
    let word = b.get(i..j).unwrap_or(b"");
    !word.is_empty()
        && words
            .as_bytes()
            .split(|&c| c == b' ')
            .any(|k| k == word || (nocase && k.eq_ignore_ascii_case(word)))
}

/// `j`, moved back over the blanks before it (down to `i`).
fn trim_end(b: &[u8], i: usize, mut j: usize) -> usize {
    while j > i && matches!(at(b, j - 1), b' ' | b'\t' | b'\r' | b'\n') {
        j -= 1;
    }
    j
}

/// The end of a string whose text starts at `i`, closed by `quote`.
fn string_end(b: &[u8], mut i: usize, end: usize, (quote, flags): (&str, u8)) -> usize {
    while i < end {
        if flags & ESC != 0 && at(b, i) == b'\\' {
            i += 2;
        } else if starts(b, i, quote) {
            return (i + quote.len()).min(end);
        } else if flags & MULTI == 0 && at(b, i) == b'\n' {
            return i;
        } else {
            i += 1;
        }
    }
    end
}

/// `"` or `'` as a string.
fn quote(c: u8) -> &'static str {
    if c == b'"' { "\"" } else { "'" }
}

/// The end of a block comment opened at `i`.
fn comment_end(b: &[u8], mut i: usize, end: usize, (open, close): (&str, &str), nested: bool) -> usize {
    let mut depth = 0usize;
    while i < end {
        if starts(b, i, open) && (nested || depth == 0) {
            depth += 1;
            i += open.len();
        } else if starts(b, i, close) {
            i += close.len();
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i.min(end);
            }
        } else {
            i += 1;
        }
    }
    end
}

fn number_end(b: &[u8], i: usize, end: usize) -> usize {
    let hex = at(b, i) == b'0' && matches!(at(b, i + 1), b'x' | b'X');
    let mut j = i + 1;
    while j < end {
        let c = at(b, j);
        let more = c.is_ascii_alphanumeric()
            || c == b'_'
            || (c == b'.' && at(b, j + 1).is_ascii_digit())
            || (matches!(c, b'+' | b'-') && !hex && matches!(at(b, j - 1), b'e' | b'E'));
        if !more {
            break;
        }
        j += 1;
    }
    j
}

/// The length of the UTF-8 character whose first byte is `first`.
fn char_width(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The end of a Rust char literal at `i` (`'a'`, `'\n'`, `'é'`), or `None` for a lifetime.
fn char_end(b: &[u8], i: usize, end: usize) -> Option<usize> {
    let first = at(b, i + 1);
    if first == b'\\' {
        let close = scan_until(b, i + 3, end.min(i + 13), u16::from(b'\''), |c| c != b'\n');
        return (at(b, close) == b'\'' && close < end).then_some(close + 1);
    }
    if matches!(first, b'\'' | b'\n' | 0) {
        return None;
    }
    let width = char_width(first);
    let close = i + 1 + width;
    (close < end && at(b, close) == b'\'').then_some(close + 1)
}

/// A string with a prefix (`r"…"`, `b'…'`, Rust's `r#"…"#`) whose prefix is `b[i..j]`.
fn prefixed_string_end(spec: &Spec, b: &[u8], i: usize, j: usize, end: usize) -> Option<usize> {
    let prefix = b.get(i..j)?;
    if spec.flags & RUST != 0 {
        match prefix {
            b"r" | b"br" | b"cr" => {
                let hashes = scan(b, j, end, |c| c == b'#') - j;
                if at(b, j + hashes) != b'"' || hashes > 255 || j + hashes >= end {
                    return None;
                }
                let mut k = j + hashes + 1;
                while k < end {
                    if at(b, k) == b'"'
                        && b.get(k + 1..k + 1 + hashes).is_some_and(|h| h.iter().all(|&c| c == b'#'))
                    {
                        return Some((k + 1 + hashes).min(end));
                    }
                    k += 1;
                }
                return Some(end);
            }
            b"b" | b"c" if at(b, j) == b'"' && j < end => {
                return Some(string_end(b, j + 1, end, ("\"", ESC | MULTI)));
            }
            b"b" if at(b, j) == b'\'' => return char_end(b, j, end),
            _ => return None,
        }
    }
    if !prefix.iter().all(|c| b"rRbBuUfF".contains(c)) {
        return None;
    }
    let &(quote, flags) = spec.quotes.iter().find(|(q, _)| starts(b, j, q))?;
    (j < end).then(|| string_end(b, j + quote.len(), end, (quote, flags)))
}

/// Rust, Python, JavaScript, Go, shell, SQL, JSON, TOML, YAML: one lexer, switched by flags.
fn code(out: &mut Out, spec: &Spec, mut i: usize, end: usize) {
    let src = out.src;
    let b = src.as_bytes();
    let flags = spec.flags;
    let has = |flag: u16| flags & flag != 0;
    let nocase = has(NOCASE);
    // Only blanks so far on this line (keys and headers of YAML and TOML); its indentation.
    let mut line_start = true;
    let mut indent = 0usize;
    // YAML: inside a block scalar whose key is indented this much.
    let mut block: Option<usize> = None;
    // Shell: a command name may come next.
    let mut command = true;
    while i < end {
        let c = at(b, i);
        let prev = if i == 0 { b'\n' } else { at(b, i - 1) };
        if c == b'\n' {
            line_start = true;
            indent = 0;
            command = true;
            i += 1;
            continue;
        }
        if matches!(c, b' ' | b'\t' | b'\r') {
            indent += usize::from(line_start);
            i += 1;
            continue;
        }
        if line_start && (has(YAML) || has(TOML)) {
            let eol = line_end(b, i, end);
            if let Some(key) = block {
                if indent > key {
                    out.tok(i, eol, STR);
                    i = eol;
                    continue;
                }
                block = None;
            }
            if has(YAML) && c == b'-' && matches!(at(b, i + 1), b' ' | b'\n' | 0) {
                indent += 1;
                i += 1;
                continue;
            }
            line_start = false;
            if let Some(k) = key_end(b, i, eol, has(YAML)) {
                out.tok(i, trim_end(b, i, k), ATTR);
                i = k;
                continue;
            }
            if has(TOML) && c == b'[' {
                let close = scan(b, i + 1, eol, |c| word_byte(c) || b".-[\"' ".contains(&c));
                if at(b, close) == b']' && close < eol {
                    let close = close + 1 + usize::from(at(b, close + 1) == b']' && close + 1 < eol);
                    out.tok(i, close, TAG);
                    i = close;
                    continue;
                }
            }
        }
        line_start = false;

        if let Some(marker) = spec.line_comments.iter().find(|m| starts(b, i, m)) {
            let at_word = !has(HASH_WORD) || matches!(prev, b' ' | b'\t' | b'\n' | b'\r' | b';');
            if *marker != "#" || at_word {
                let eol = line_end(b, i, end);
                out.tok(i, eol, COM);
                i = eol;
                continue;
            }
        }
        if let Some(delimiters) = spec.block_comment.filter(|(open, _)| starts(b, i, open)) {
            let e = comment_end(b, i, end, delimiters, has(NESTED));
            out.tok(i, e, COM);
            i = e;
            continue;
        }
        if has(SHELL)
            && let Some(e) = shell_word(spec, out, i, end, &mut command)
        {
            i = e;
            continue;
        }
        if has(YAML) {
            if matches!(c, b'&' | b'*') && matches!(prev, b' ' | b'\t' | b'\n') && word_byte(at(b, i + 1)) {
                let e = scan(b, i + 1, end, |c| word_byte(c) || c == b'-');
                out.tok(i, e, VAR);
                i = e;
                continue;
            }
            // `|` or `>`, a chomping indicator and indentation, then only blanks or a comment:
            // the block scalar's lines follow.
            if matches!(c, b'|' | b'>') {
                let k = scan(b, i + 1, end, |c| c == b'-' || c == b'+' || c.is_ascii_digit());
                let e = scan(b, k, end, |c| c == b' ' || c == b'\t' || c == b'\r');
                if e == end || at(b, e) == b'\n' || (at(b, e) == b'#' && e > k) {
                    block = Some(indent);
                }
            }
        }
        if has(RUST) && c == b'\'' {
            // A char literal; else a lifetime or a label, whose name follows as a word.
            let literal = char_end(b, i, end);
            if let Some(e) = literal {
                out.tok(i, e, STR);
            }
            i = literal.unwrap_or(i + 1);
            continue;
        }
        let quote = spec.quotes.iter().find(|(q, _)| starts(b, i, q));
        if let Some(&(quote, qflags)) = quote.filter(|_| !(has(YAML) && word_byte(prev))) {
            let e = string_end(b, i + quote.len(), end, (quote, qflags));
            let key = has(KEYS) && at(b, scan(b, e, end, |c| c == b' ' || c == b'\t')) == b':';
            out.tok(i, e, if key { ATTR } else { STR });
            i = e;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && at(b, i + 1).is_ascii_digit() && !word_byte(prev)) {
            let e = number_end(b, i, end);
            out.tok(i, e, NUM);
            i = e;
            continue;
        }
        if word_byte(c) {
            let j = scan(b, i, end, word_byte);
            if has(PREFIX | RUST)
                && j - i <= 2
                && let Some(e) = prefixed_string_end(spec, b, i, j, end)
            {
                out.tok(i, e, STR);
                i = e;
                continue;
            }
            let next = if j < end { at(b, j) } else { 0 };
            // A property or method name after `.`, or a Rust lifetime, is never a keyword.
            let plain_name = prev == b'.' || prev == b'\'';
            let mut e = j;
            let class = if !plain_name && has_word(spec.keywords, b, i, j, nocase) {
                Some(KW)
            } else if !plain_name && has_word(spec.types, b, i, j, nocase) {
                Some(TY)
            } else if next == b'(' {
                Some(FN)
            } else if has(RUST) && next == b'!' && at(b, j + 1) != b'=' {
                e = j + 1;
                Some(FN)
            } else if has(CAPS)
                && c.is_ascii_uppercase()
                && b.get(i..j).is_some_and(|w| w.iter().any(u8::is_ascii_lowercase))
            {
                Some(TY)
            } else {
                None
            };
            if let Some(class) = class {
                out.tok(i, e, class);
            }
            i = e;
            continue;
        }
        i += 1;
    }
}

/// A YAML (`key:`) or TOML (`key =`) key at the start of a line (`b[i..eol]`): the end of
/// the key, blanks included.
fn key_end(b: &[u8], i: usize, eol: usize, yaml: bool) -> Option<usize> {
    if yaml {
        if b"\"'[]{}#&*!|>%@`,?:-".contains(&at(b, i)) {
            return None;
        }
        let mut k = i;
        while k < eol {
            match at(b, k) {
                b':' if matches!(at(b, k + 1), b' ' | b'\t' | b'\n' | b'\r' | 0) || k + 1 == eol => {
                    return Some(k);
                }
                b'#' if matches!(at(b, k - 1), b' ' | b'\t') => return None,
                _ => k += 1,
            }
        }
        return None;
    }
    let k = scan(b, i, eol, |c| word_byte(c) || b".-\"' \t".contains(&c));
    (k > i && k < eol && at(b, k) == b'=').then_some(k)
}

/// Shell: a `$` variable, or the command name at `i` (the first word of a command; a
/// keyword; `NAME=value`). `None` when neither is there.
fn shell_word(spec: &Spec, out: &mut Out, i: usize, end: usize, command: &mut bool) -> Option<usize> {
    let b = out.src.as_bytes();
    let c = at(b, i);
    if c == b'$' {
        let next = at(b, i + 1);
        let e = if next == b'{' {
            let k = scan_until(b, i + 2, end, u16::from(b'}'), |c| c != b'\n');
            k + usize::from(at(b, k) == b'}')
        } else if next.is_ascii_alphabetic() || next == b'_' {
            scan(b, i + 1, end, |c| c.is_ascii_alphanumeric() || c == b'_')
        } else if next.is_ascii_digit() || b"@*#?$!-".contains(&next) {
            i + 2
        } else {
            // `$(…)`, or a console prompt: a command follows.
            return None;
        };
        out.tok(i, e.min(end), VAR);
        *command = false;
        return Some(e.min(end));
    }
    if c == b'\\' {
        // An escaped character, or a line continuation: the command goes on.
        return Some((i + 1 + char_width(at(b, i + 1))).min(end));
    }
    // A new command, except in redirections (`2>&1`, `&>`).
    let redirect = c == b'&' && (i > 0 && matches!(at(b, i - 1), b'>' | b'<') || at(b, i + 1) == b'>');
    if b";|&(`{".contains(&c) && !redirect {
        *command = true;
        return None;
    }
    let starts_command = (word_byte(c) && !c.is_ascii_digit()) || b"./~-+%@[".contains(&c);
    if !*command || !starts_command {
        // Words go on over `-` (`apt-get`, `--dry-run`); numbers are left to the lexer.
        if word_byte(c) && !c.is_ascii_digit() {
            let e = scan(b, i, end, |c| word_byte(c) || c == b'-');
            if at(b, e) == b'=' && e < end {
                out.tok(i, e, VAR);
            } else if has_word(spec.keywords, b, i, e, false) {
                out.tok(i, e, KW);
            }
            return Some(e);
        }
        return None;
    }
    let e = scan(b, i, end, |c| !(c.is_ascii_whitespace() || b";|&()<>\"'`$\\".contains(&c)));
    // `NAME=value command`: the value is plain, a command may follow.
    let eq = find_byte(b, i, e, b'=');
    if eq > i && eq < e {
        out.tok(i, eq, VAR);
        return Some(e);
    }
    if has_word(spec.keywords, b, i, e, false) {
        out.tok(i, e, KW);
        *command = has_word(SHELL_BEFORE_COMMAND, b, i, e, false);
    } else {
        out.tok(i, e, FN);
        *command = false;
    }
    Some(e)
}

/// HTML and XML: tags, attributes and their values, comments, doctypes, entities; the
/// contents of `<script>` and `<style>` as JavaScript and CSS.
fn markup(out: &mut Out, mut i: usize, end: usize) {
    let src = out.src;
    let b = src.as_bytes();
    while i < end {
        let c = at(b, i);
        if c == b'<' {
            if starts(b, i, "<!--") {
                let e = find(b, i + 4, end, "-->").map_or(end, |k| k + 3);
                out.tok(i, e, COM);
                i = e;
                continue;
            }
            let next = at(b, i + 1);
            if next == b'!' || next == b'?' {
                let e = (find_byte(b, i, end, b'>') + 1).min(end);
                out.tok(i, e, KW);
                i = e;
                continue;
            }
            let closing = next == b'/';
            let name = i + 1 + usize::from(closing);
            if name < end && at(b, name).is_ascii_alphabetic() {
                let name_end = scan(b, name, end, |c| !(c.is_ascii_whitespace() || c == b'/' || c == b'>'));
                out.tok(name, name_end, TAG);
                i = tag_end(out, name_end, end);
                let embedded = if has_word("script", b, name, name_end, true) {
                    Some((&JAVASCRIPT, "</script"))
                } else if has_word("style", b, name, name_end, true) {
                    Some((&CSS, "</style"))
                } else {
                    None
                };
                if let Some((spec, close)) = embedded.filter(|_| !closing && i >= 2 && at(b, i - 2) != b'/') {
                    let stop = (i..end)
                        .find(|&k| {
                            b.get(k..k + close.len())
                                .is_some_and(|t| t.eq_ignore_ascii_case(close.as_bytes()))
                        })
                        .unwrap_or(end);
                    lex(out, spec, i, stop);
                    i = stop;
                }
                continue;
            }
        }
        if c == b'&' {
            let e = scan(b, i + 1 + usize::from(at(b, i + 1) == b'#'), end.min(i + 33), |c| {
                c.is_ascii_alphanumeric()
            });
            if e > i + 1 && at(b, e) == b';' && e < end {
                out.tok(i, e + 1, VAR);
                i = e + 1;
                continue;
            }
        }
        i += 1;
    }
}

/// The attributes of a tag from `i` to its `>`: names, values; returns the end of the tag.
fn tag_end(out: &mut Out, mut i: usize, end: usize) -> usize {
    let b = out.src.as_bytes();
    while i < end {
        let c = at(b, i);
        if c == b'>' {
            return i + 1;
        }
        if c == b'"' || c == b'\'' {
            let e = (find_byte(b, i + 1, end, c) + 1).min(end);
            out.tok(i, e, STR);
            i = e;
        } else if c == b'=' {
            i = scan(b, i + 1, end, |c| c.is_ascii_whitespace());
            if i < end && !matches!(at(b, i), b'"' | b'\'' | b'>') {
                let e = scan(b, i, end, |c| !(c.is_ascii_whitespace() || c == b'>'));
                out.tok(i, e, STR);
                i = e;
            }
        } else if c.is_ascii_whitespace() || c == b'/' {
            i += 1;
        } else {
            let e = scan(b, i, end, |c| !(c.is_ascii_whitespace() || b"=>/\"'".contains(&c)));
            out.tok(i, e, ATTR);
            i = e;
        }
    }
    end
}

/// CSS: selectors, at-rules, properties, and in values numbers, colours, functions,
/// custom properties and `!important`.
fn css(out: &mut Out, mut i: usize, end: usize) {
    #[derive(PartialEq)]
    enum State {
        Start,
        Selector,
        Property,
        Value,
    }
    let src = out.src;
    let b = src.as_bytes();
    let mut state = State::Start;
    let name = |c: u8| word_byte(c) || c == b'-';
    while i < end {
        let c = at(b, i);
        let prev = if i == 0 { b' ' } else { at(b, i - 1) };
        if starts(b, i, "/*") {
            let e = comment_end(b, i, end, ("/*", "*/"), false);
            out.tok(i, e, COM);
            i = e;
            continue;
        }
        if c == b'"' || c == b'\'' {
            let e = string_end(b, i + 1, end, (quote(c), ESC));
            out.tok(i, e, STR);
            i = e;
            continue;
        }
        if matches!(c, b'{' | b'}' | b';') {
            state = State::Start;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if state == State::Start {
            if c == b'@' {
                let e = scan(b, i + 1, end, name);
                out.tok(i, e, KW);
                i = e;
                state = State::Value;
                continue;
            }
            // A rule's selector when a `{` comes before the statement ends.
            let mut k = i;
            state = State::Property;
            while k < end {
                match at(b, k) {
                    b'{' => state = State::Selector,
                    b'}' | b';' => {}
                    q @ (b'"' | b'\'') => {
                        k = string_end(b, k + 1, end, (quote(q), ESC));
                        continue;
                    }
                    _ if starts(b, k, "/*") => {
                        k = comment_end(b, k, end, ("/*", "*/"), false);
                        continue;
                    }
                    _ => {
                        k += 1;
                        continue;
                    }
                }
                break;
            }
        }
        match state {
            State::Selector => {
                let e =
                    (i..end).find(|&k| matches!(at(b, k), b'{' | b',') || starts(b, k, "/*")).unwrap_or(end);
                out.tok(i, trim_end(b, i, e), TAG);
                i = e.max(i + 1);
            }
            State::Property if name(c) => {
                let e = scan(b, i, end, name);
                out.tok(i, e, if starts(b, i, "--") { VAR } else { ATTR });
                i = e;
            }
            State::Property => {
                if c == b':' {
                    state = State::Value;
                }
                i += 1;
            }
            _ => {
                let number_at = |k: usize| {
                    at(b, k).is_ascii_digit() || (at(b, k) == b'.' && at(b, k + 1).is_ascii_digit())
                };
                let signed = matches!(c, b'-' | b'+') && !name(prev) && number_at(i + 1);
                if c == b'#' && at(b, i + 1).is_ascii_alphanumeric() {
                    let e = scan(b, i + 1, end, |c| c.is_ascii_alphanumeric());
                    out.tok(i, e, NUM);
                    i = e;
                } else if number_at(i) || signed {
                    let e = scan(b, i + 1, end, |c| c.is_ascii_digit() || c == b'.');
                    let e = scan(b, e, end, |c| c.is_ascii_alphabetic() || c == b'%');
                    out.tok(i, e, NUM);
                    i = e;
                } else if c == b'!' && at(b, i + 1).is_ascii_alphabetic() {
                    let e = scan(b, i + 1, end, name);
                    out.tok(i, e, KW);
                    i = e;
                } else if name(c) {
                    let e = scan(b, i, end, name);
                    let class = if starts(b, i, "--") {
                        Some(VAR)
                    } else if at(b, e) == b'(' && e < end {
                        Some(FN)
                    } else {
                        None
                    };
                    if let Some(class) = class {
                        out.tok(i, e, class);
                    }
                    i = e;
                } else {
                    i += 1;
                }
            }
        }
    }
}
