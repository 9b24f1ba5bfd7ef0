//! quire-core: everything that is not browser UI. The content compiler (native) and the app
//! (wasm) share these modules, so both read one model and render with one renderer.

pub mod date;
pub mod entities;
#[cfg(feature = "front-matter")]
pub mod front_matter;
pub mod highlight;
pub mod json;
pub mod markdown;
pub mod model;
pub mod sanitize;
pub mod search;
pub mod seo;
pub mod url;
