//! Position arithmetic over a rope, in the three encodings LSP allows.

use ropey::Rope;

/// The unit of `Position.character`, negotiated at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }

    pub fn as_lsp(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }
}

/// A zero-based line and a column in the units of an [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

/// Number of chars of line `line` without its line break.
fn content_chars(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut n = slice.len_chars();
    if n > 0 && slice.char(n - 1) == '\n' {
        n -= 1;
    }
    if n > 0 && slice.char(n - 1) == '\r' {
        n -= 1;
    }
    n
}

/// Char index of a position: past the end of a line clamps to the line's end, past the last
/// line to the end of the text, inside a multi-unit character to that character's start.
pub fn to_char(rope: &Rope, pos: Pos, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let max = content_chars(rope, line);
    let mut units = 0u32;
    let mut chars = 0usize;
    for c in rope.line(line).chars().take(max) {
        let w = enc.width(c);
        if units + w > pos.col {
            break;
        }
        units += w;
        chars += 1;
    }
    start + chars
}

/// Position of a byte offset. An offset inside a character counts from that character's start.
pub fn from_byte(rope: &Rope, byte: usize, enc: Encoding) -> Pos {
    let byte = byte.min(rope.len_bytes());
    let ch = rope.byte_to_char(byte);
    let line = rope.char_to_line(ch);
    let start = rope.line_to_char(line);
    let col: u32 = match enc {
        Encoding::Utf32 => (ch - start) as u32,
        _ => rope.slice(start..ch).chars().map(|c| enc.width(c)).sum(),
    };
    Pos::new(line as u32, col)
}
