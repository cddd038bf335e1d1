use super::*;

fn edit(doc: &mut Document, sl: u32, sc: u32, el: u32, ec: u32, text: &str, enc: Encoding) {
    let change = Change {
        range: Some((Pos::new(sl, sc), Pos::new(el, ec))),
        text: text.to_string(),
    };
    doc.apply(&[change], doc.version + 1, enc);
}

#[test]
fn utf16_counts_surrogate_pairs() {
    let mut doc = Document::new("a😀b\n", 0);
    // 😀 is two UTF-16 units: 'b' is at column 3.
    edit(&mut doc, 0, 3, 0, 4, "c", Encoding::Utf16);
    assert_eq!(doc.text(), "a😀c\n");
    // A position inside the pair rounds down to the emoji's start.
    edit(&mut doc, 0, 2, 0, 2, "x", Encoding::Utf16);
    assert_eq!(doc.text(), "ax😀c\n");
}

#[test]
fn utf8_and_utf32_columns() {
    let mut doc = Document::new("é漢z", 0);
    edit(&mut doc, 0, 5, 0, 6, "Z", Encoding::Utf8);
    assert_eq!(doc.text(), "é漢Z");
    edit(&mut doc, 0, 1, 0, 2, "-", Encoding::Utf32);
    assert_eq!(doc.text(), "é-Z");
}

#[test]
fn clamps_past_line_and_file_end() {
    let mut doc = Document::new("ab\r\ncd\ref", 0);
    edit(&mut doc, 0, 99, 0, 99, "!", Encoding::Utf16);
    assert_eq!(doc.text(), "ab!\r\ncd\ref");
    edit(&mut doc, 1, 99, 1, 99, "?", Encoding::Utf16);
    assert_eq!(doc.text(), "ab!\r\ncd?\ref");
    edit(&mut doc, 40, 0, 50, 3, "$", Encoding::Utf16);
    assert_eq!(doc.text(), "ab!\r\ncd?\ref$");
}

#[test]
fn reversed_range_is_normalised() {
    let mut doc = Document::new("hello", 0);
    edit(&mut doc, 0, 4, 0, 1, "", Encoding::Utf16);
    assert_eq!(doc.text(), "ho");
}

#[test]
fn position_round_trip() {
    let doc = Document::new("x = '😀'\ny\r\nz", 0);
    let p = doc.position("x = '😀'".len(), Encoding::Utf16);
    assert_eq!(p, Pos::new(0, 8));
    assert_eq!(doc.offset(p, Encoding::Utf16), "x = '😀'".len());
    let z = doc.text().find('z').unwrap_or(0);
    assert_eq!(doc.position(z, Encoding::Utf8), Pos::new(2, 0));
}
