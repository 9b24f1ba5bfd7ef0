pub mod byline;
pub mod head;
pub mod layout;
pub mod link;
pub mod status;
