//! A seeded stream of hostile Markdown: tag soup from a grammar of dangerous fragments
//! (script-bearing elements and attributes, obfuscated URL schemes, namespace switches into
//! `svg` and `math`, `noscript`, `template` and raw-text elements, comments and CDATA inside
//! attributes, unclosed quotes and tags, stray closing tags, the classic mutation-XSS
//! payloads) mixed with the Markdown constructs that carry URLs and HTML (links, images,
//! autolinks, reference definitions, footnotes, lists, quotes, tables, code).
//!
//! Deterministic: the same seed gives the same inputs, so a failure names its seed and case.

/// SplitMix64: small, fast, and good enough to pick grammar branches.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Hand-written payloads: the mutation-XSS classics and parser differentials.
pub const PAYLOADS: &[&str] = &[
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<noscript><style></noscript><img src=x onerror=alert(1)>",
    "<template><style></template><img src=x onerror=alert(1)>",
    "<template><a href=\"</template><img src=x onerror=alert(1)>\">",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<svg><p><style><img src=x onerror=alert(1)>",
    "<math><mi><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;\">",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<math><annotation-xml encoding=\"text/html\"><style><img src=x onerror=alert(1)>",
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<svg><animate attributeName=href values=javascript:alert(1) /></svg>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<textarea></textarea><img src=x onerror=alert(1)>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img title=\"</title><img src=x onerror=alert(1)>\">",
    "<xmp><img title=\"</xmp><img src=x onerror=alert(1)>\">",
    "<noembed><img title=\"</noembed><img src=x onerror=alert(1)>\">",
    "<noframes><img title=\"</noframes><img src=x onerror=alert(1)>\">",
    "<iframe><img title=\"</iframe><img src=x onerror=alert(1)>\">",
    "<style><img title=\"</style><img src=x onerror=alert(1)>\">",
    "<script><!--<script></script><img src=x onerror=alert(1)>-->",
    "<plaintext><img src=x onerror=alert(1)>",
    "<listing><img src=x onerror=alert(1)></listing>",
    "<select><template><img src=x onerror=alert(1)></template></select>",
    "<table><tr><td><svg><desc><td><img src=x onerror=alert(1)>",
    "<a title=\"<!--\">x</a><img src=x onerror=alert(1)>-->",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<!---><img src=x onerror=alert(1)>-->",
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    "<a title=\"<![CDATA[\">x</a><img src=x onerror=alert(1)>]]>",
    "<?xml x=\"><img src=x onerror=alert(1)>\"?>",
    "<!DOCTYPE x><img src=x onerror=alert(1)>",
    "<img src=\"x\" title=\"a\"onerror=alert(1)>",
    "<img src=x title='a\"' onerror=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=`x` onerror=`alert(1)`>",
    "<img src=x onerror\n=\nalert(1)>",
    "<img \"\"\"><script>alert(1)</script>\">",
    "<a href=\"x\" title=\"unclosed>text <img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)",
    "<div title=\"x><p onclick=alert(1)>y</p>",
    "<a href=java&#x0A;script:alert(1)>x</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>",
    "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<a href=\"javascript&#58alert(1)\">x</a>",
    "<a href=\"jav&Tab;ascript:alert(1)\">x</a>",
    "<a href=\"jav&NewLine;ascript:alert(1)\">x</a>",
    "<a href=\"&#1;javascript:alert(1)\">x</a>",
    "<a href=\" &#x20;javascript:alert(1)\">x</a>",
    "<a href=\"\u{0}javascript:alert(1)\">x</a>",
    "<a href=\"javascript\u{0}:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<img src=\"data:image/png,x\" srcset=\"javascript:alert(1) 1x\">",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"file:///etc/passwd\">x</a>",
    "<a href=\"blob:https://x/1\">x</a>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>x</button></form>",
    "<input type=image src=x onerror=alert(1)>",
    "<input type=text autofocus onfocus=alert(1)>",
    "<video poster=javascript:alert(1)><source src=x onerror=alert(1)></video>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"text-align:center;behavior:url(x)\">x</p>",
    "<div id=\"main\">x</div>",
    "<a name=\"quire-site\">x</a>",
    "<div class=\"post__body prose\">x</div>",
    "</div></article></main><h1>out</h1>",
    "</div></div></div></div><img src=x onerror=alert(1)>",
    "</body></html><script>alert(1)</script>",
    "<b><div>x</b>y</div>",
    "<a href=\"https://x.org\"><table><a href=\"/y\">z</a></table></a>",
    "<table><div>foster<img src=x></div><td>x</td></table>",
    "<p><table><tr><td>x</p></td></tr></table>",
    "<ul><li><div>x</li></ul></div>",
    "<h1><h2>x</h1></h2>",
    "<a href=\"https://x.org\" target=\"_self\">x</a>",
    "<a href=\"https://x.org\" target=_blank rel=opener>x</a>",
    "<img src=x loading=lazy decoding=async onload=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<SCRIPT>alert(1)</SCRIPT >",
    "<script/x>alert(1)</script>",
    "<script\n>alert(1)</script\n>",
    "<<script>alert(1)//<</script>",
    "<ScRiPt src=//evil.example/x.js></sCrIpT>",
];

/// Element names: allowed, dropped with their content, dropped alone, and parser-special.
const NAMES: &[&str] = &[
    "a",
    "img",
    "p",
    "div",
    "span",
    "b",
    "i",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "caption",
    "col",
    "colgroup",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "pre",
    "code",
    "blockquote",
    "q",
    "details",
    "summary",
    "sup",
    "br",
    "hr",
    "input",
    "script",
    "style",
    "svg",
    "math",
    "template",
    "noscript",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "listing",
    "select",
    "option",
    "object",
    "embed",
    "form",
    "button",
    "base",
    "meta",
    "link",
    "frameset",
    "frame",
    "body",
    "html",
    "head",
    "image",
    "isindex",
    "keygen",
    "mglyph",
    "malignmark",
    "mtext",
    "mi",
    "annotation-xml",
    "foreignobject",
    "desc",
    "video",
    "audio",
    "source",
    "picture",
    "dialog",
    "marquee",
    "applet",
    "a1",
    "x-y",
    "font",
    "nobr",
    "center",
    "time",
];

const ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "cite",
    "action",
    "formaction",
    "poster",
    "background",
    "data",
    "xlink:href",
    "style",
    "id",
    "name",
    "class",
    "title",
    "alt",
    "target",
    "rel",
    "type",
    "value",
    "width",
    "align",
    "loading",
    "decoding",
    "onerror",
    "onload",
    "onclick",
    "ONMOUSEOVER",
    "onfocus",
    "autofocus",
    "srcdoc",
    "is",
    "slot",
    "form",
    "xmlns",
    "lang",
    "dir",
    "open",
    "content",
    "http-equiv",
    "checked",
    "disabled",
    "aria-label",
    "datetime",
    "start",
];

const URLS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjava\nscript:alert(1)",
    "java\u{0}script:alert(1)",
    "\u{1}javascript:alert(1)",
    "javascript\u{A0}:alert(1)",
    "vbscript:x",
    "livescript:x",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "data:image/png;base64,iVBORw0KGgo=",
    " data:image/gif;base64,R0lGOD",
    "DATA:IMAGE/PNG,x",
    "data:imag\u{1}e/gif;base64,R0lGOD",
    "data:image /png,x",
    "https://example.org/a?b=c&d=e#f",
    "http://x",
    "//evil.example/x",
    "/img/a.png",
    "/blog/other",
    "/files/report.pdf",
    "relative/page",
    "#section",
    "?q=1",
    "mailto:a@b.c",
    "tel:+1",
    "file:///etc/passwd",
    "a:b",
    "x-y+z.w:1",
    "1:2",
    "",
    "\"><img src=x onerror=alert(1)>",
    "'onmouseover='alert(1)",
];

const WORDS: &[&str] = &[
    "text",
    "a < b",
    "c > d",
    "&",
    "&amp;",
    "&lt;script&gt;",
    "&#60;",
    "&#x3C;img",
    "&quot;",
    "&unknown;",
    "é",
    "日本",
    "🦀",
    "\u{0}",
    "\u{FEFF}",
    "\r",
    "'",
    "\"",
    "`",
    "=",
    "/",
    "-->",
    "]]>",
    "*",
    "_",
    "\\",
    "~~",
    "|",
    "<",
    ">",
    "</",
    "<!",
    "<?",
    "&#0;",
    "&#xD800;",
    "&#1114112;",
];

/// One generated Markdown document.
pub fn markdown(rng: &mut Rng) -> String {
    let pieces = 1 + rng.below(24);
    let mut out = String::new();
    for _ in 0..pieces {
        match rng.below(12) {
            0 | 1 => out.push_str(rng.pick(PAYLOADS)),
            2..=4 => out.push_str(&open_tag(rng)),
            5 => out.push_str(&close_tag(rng)),
            6 | 7 => out.push_str(&markdown_piece(rng)),
            8 => out.push_str(&comment_like(rng)),
            _ => out.push_str(rng.pick(WORDS)),
        }
        out.push_str(rng.pick(&["", "", " ", "\n", "\n\n", "\n    ", "\n> ", "\n- "]));
    }
    out
}

/// `<NaMe attr=value …>`, with the quoting, spacing and obfuscations browsers forgive.
fn open_tag(rng: &mut Rng) -> String {
    let name = rng.pick(NAMES);
    let mut tag = format!("<{}", mangle_case(rng, name));
    for _ in 0..rng.below(4) {
        tag.push_str(rng.pick(&[" ", "\n", "\t", "/", " / ", "  "]));
        let attr = rng.pick(ATTRIBUTES);
        tag.push_str(&mangle_case(rng, attr));
        if rng.one_in(5) {
            continue;
        }
        tag.push_str(rng.pick(&["=", " = ", "=\n"]));
        let value = attribute_value(rng, attr);
        match rng.below(6) {
            0 | 1 => {
                tag.push('"');
                tag.push_str(&value.replace('"', "&quot;"));
                tag.push('"');
            }
            2 => {
                tag.push('\'');
                tag.push_str(&value);
                tag.push('\'');
            }
            3 => tag.push_str(&value.replace([' ', '>'], "")),
            // Unclosed quotes: the rest of the document may become the value.
            4 => {
                tag.push('"');
                tag.push_str(&value);
            }
            _ => {
                tag.push('`');
                tag.push_str(&value);
                tag.push('`');
            }
        }
    }
    if !rng.one_in(8) {
        tag.push_str(rng.pick(&[">", "/>", " >", "\n>", "//>"]));
    }
    tag
}

fn attribute_value(rng: &mut Rng, attr: &str) -> String {
    let base = match attr {
        "href" | "src" | "srcset" | "cite" | "action" | "formaction" | "poster" | "background" | "data"
        | "xlink:href" => rng.pick(URLS).to_string(),
        "style" => rng
            .pick(&[
                "text-align: center",
                "TEXT-ALIGN:right;",
                "color:red;text-align:left",
                "text-align:center;background:url(javascript:alert(1))",
                "text-align: expression(alert(1))",
                "width: 100px",
            ])
            .to_string(),
        "id" | "name" => {
            rng.pick(&["main", "quire-site", "quire", "kr", "intro", "1x", "a b", "section"]).to_string()
        }
        "target" => rng.pick(&["_blank", "_self", "_top", "x"]).to_string(),
        "class" => rng.pick(&["post__body prose", "tok-keyword", "visually-hidden", "x"]).to_string(),
        _ => rng
            .pick(&[
                "x",
                "alert(1)",
                "javascript:alert(1)",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "</p>",
                "<img src=x onerror=alert(1)>",
                "",
            ])
            .to_string(),
    };
    if rng.one_in(3) { obfuscate(rng, &base) } else { base }
}

/// Encodes some characters as character references, or slips in whitespace and controls.
fn obfuscate(rng: &mut Rng, value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 2);
    for c in value.chars() {
        match rng.below(10) {
            0 => out.push_str(&format!("&#x{:x};", u32::from(c))),
            1 => out.push_str(&format!("&#{:07}", u32::from(c))),
            2 if c == ':' => out.push_str(rng.pick(&["&colon;", "&#58;", "&#x3a"])),
            3 => {
                out.push_str(rng.pick(&["&Tab;", "&NewLine;", "\t", "\n", "&#9;", "&#x0D;"]));
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn close_tag(rng: &mut Rng) -> String {
    let name = rng.pick(NAMES);
    let mut tag = format!("</{}", mangle_case(rng, name));
    if rng.one_in(4) {
        tag.push_str(rng.pick(&[" x=y", "\n", " onclick=alert(1)", "/"]));
    }
    tag.push('>');
    tag
}

fn comment_like(rng: &mut Rng) -> String {
    rng.pick(&[
        "<!--",
        "-->",
        "<!-->",
        "<!--->",
        "--!>",
        "<!---->",
        "<!-- x -- y -->",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE html>",
        "<?php x ?>",
        "<!x>",
        "</ x>",
        "<!--[if IE]><img src=x onerror=alert(1)><![endif]-->",
    ])
    .to_string()
}

fn markdown_piece(rng: &mut Rng) -> String {
    let url = rng.pick(URLS).replace(['(', ')', ' ', '\n', '\t'], "");
    match rng.below(14) {
        0 => format!("[link]({url})"),
        1 => format!("![image]({url} \"t\\\" onerror=\\\"x\")"),
        2 => format!("<{url}>"),
        3 => format!("[ref]\n\n[ref]: {url}\n"),
        4 => format!(
            "[^{}]\n\n[^{}]: note\n",
            rng.pick(&["1", "main", "quire-site", "a\"b", "<x>"]),
            rng.pick(&["1", "main", "quire-site", "a\"b", "<x>"])
        ),
        5 => format!(
            "\n```{}\n{}\n```\n",
            rng.pick(&[
                "rust",
                "html",
                "js\" onclick=\"x",
                "<script>",
                "",
                "foo\tpost__body",
                "r\x0cvisually-hidden x"
            ]),
            rng.pick(PAYLOADS)
        ),
        6 => format!("`{}`", rng.pick(PAYLOADS)),
        7 => format!(
            "\n| a | {} |\n|---|:-:|\n| {} | b |\n",
            rng.pick(PAYLOADS),
            rng.pick(&["<div>", "</td>", "</table>", "x"])
        ),
        8 => format!("\n- [{}] task\n", rng.pick(&[" ", "x"])),
        9 => format!("\n# {}\n", rng.pick(&["Main", "quire", "x <h1>y</h1>", "<a name=main>"])),
        10 => format!("\n> {}\n", rng.pick(PAYLOADS)),
        11 => format!("[a <b>b</b>]({url})"),
        12 => format!("<mail{}@example.org>", rng.pick(&["", "\"x", "><img src=x onerror=alert(1)>"])),
        _ => format!("\n1. {}\n2. x\n", rng.pick(PAYLOADS)),
    }
}

fn mangle_case(rng: &mut Rng, s: &str) -> String {
    match rng.below(4) {
        0 => s.to_ascii_uppercase(),
        1 => s.chars().map(|c| if rng.one_in(2) { c.to_ascii_uppercase() } else { c }).collect(),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_and_varied() {
        let a: Vec<String> = (0..50)
            .map({
                let mut rng = Rng::new(7);
                move |_| markdown(&mut rng)
            })
            .collect();
        let b: Vec<String> = (0..50)
            .map({
                let mut rng = Rng::new(7);
                move |_| markdown(&mut rng)
            })
            .collect();
        assert_eq!(a, b, "same seed, same stream");
        let distinct: std::collections::HashSet<_> = a.iter().collect();
        assert!(distinct.len() > 45, "the stream repeats itself");
    }
}
