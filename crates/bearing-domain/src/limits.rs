//! Size limits on user input, with the defaults the product ships with.

/// Default maximum size of a note's text, in bytes (64 KiB).
pub const DEFAULT_MAX_NOTE_BYTES: usize = 64 * 1024;
/// Maximum length of a title or name, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Maximum length of long-form idea text (problem, proposal), in bytes.
pub const MAX_LONG_TEXT_BYTES: usize = 64 * 1024;
/// Maximum number of tags or labels on one item.
pub const MAX_TAGS: usize = 20;
/// Maximum length of a single tag or label.
pub const MAX_TAG_CHARS: usize = 40;
/// Default page size for lists.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u32 = 200;
