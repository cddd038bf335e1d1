//! The text of one open file: a rope, its version, and conversions between LSP positions
//! (in the negotiated encoding) and byte offsets.
//!
//! Invariant: every conversion clamps. A client's position past the end of a line lands at the
//! end of that line, past the last line at the end of the file, and inside a UTF-16 surrogate
//! pair on the character's start. Nothing here panics on a client's input.

mod line_index;
pub mod position;

pub use line_index::LineIndex;

pub use position::{Encoding, Pos};
use ropey::Rope;

/// One edit of a `didChange` notification: a range (absent for a full replacement) and the
/// new text.
#[derive(Debug, Clone)]
pub struct Change {
    pub range: Option<(Pos, Pos)>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Document {
    rope: Rope,
    pub version: i32,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
        }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Applies the changes of one notification in order, each against the text the one
    /// before it left.
    pub fn apply(&mut self, changes: &[Change], version: i32, enc: Encoding) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some((start, end)) => {
                    let a = position::to_char(&self.rope, start, enc);
                    let b = position::to_char(&self.rope, end, enc);
                    // A reversed range is a client bug; treat it as the range between the two.
                    let (a, b) = if a <= b { (a, b) } else { (b, a) };
                    if a < b {
                        self.rope.remove(a..b);
                    }
                    if !change.text.is_empty() {
                        self.rope.insert(a, &change.text);
                    }
                }
            }
        }
        self.version = version;
    }

    /// Byte offset of a client position, clamped into the text.
    pub fn offset(&self, pos: Pos, enc: Encoding) -> usize {
        self.rope
            .char_to_byte(position::to_char(&self.rope, pos, enc))
    }

    /// Client position of a byte offset (clamped to the text length).
    pub fn position(&self, byte: usize, enc: Encoding) -> Pos {
        position::from_byte(&self.rope, byte, enc)
    }
}

#[cfg(test)]
mod tests;
