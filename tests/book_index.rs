//! `pymastery index` on a reader's copy: the sample export and an EPUB made here from it (both
//! read from ../shared/book in place; the project ships no book text), errors for files that are
//! not the book, and hovers quoting "from your copy".

mod common;

use common::Client;
use pymastery::knowledge::{self, book};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn sample() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/book/sample.txt");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} is not here", p.display());
        None
    }
}

/// The first paragraph after a heading line of the sample, read directly.
fn first_paragraph_after(text: &str, heading: &str) -> String {
    let mut lines = text.lines().skip_while(|l| l.trim() != heading).skip(1);
    let para: Vec<&str> = lines
        .by_ref()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .collect();
    para.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn finds_every_heading_of_the_sample_and_quotes_1_4_right() {
    let Some(path) = sample() else { return };
    let kb = knowledge::get();
    let idx = book::index_file(kb, &path).expect("the sample indexes");
    assert_eq!(idx.sections.len(), 756);
    let text = std::fs::read_to_string(&path).expect("read sample");
    let expected = first_paragraph_after(&text, "1.4 `__slots__`");
    assert!(expected.len() > 40, "{expected}");
    assert_eq!(
        book::excerpt(&idx, "1.4", 10_000).as_deref(),
        Some(expected.as_str())
    );
    let short = book::excerpt(&idx, "1.4", 60).expect("excerpt");
    assert!(
        short.ends_with(" …") && short.chars().count() <= 62,
        "{short}"
    );
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An EPUB of the sample: one XHTML document per chapter, headings as <h2>, the rest as <p>.
fn make_epub(sample: &str, out: &Path) {
    let file = std::fs::File::create(out).expect("create epub");
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", opts).expect("zip");
    zip.write_all(b"application/epub+zip").expect("zip");
    zip.start_file("META-INF/container.xml", opts).expect("zip");
    zip.write_all(br#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#).expect("zip");
    let kb = knowledge::get();
    let headings: std::collections::HashSet<String> =
        kb.sections.iter().map(|s| s.title.clone()).collect();
    let mut chapters: Vec<String> = vec![String::new()];
    for line in sample.lines() {
        if line.starts_with("Chapter ") && !line.contains('\t') {
            chapters.push(String::new());
        }
        let is_heading =
            headings.iter().any(|t| line.ends_with(t.as_str())) && !line.contains('\t');
        let tag = if is_heading { "h2" } else { "p" };
        let html = format!("<{tag} class=\"x\">{}</{tag}>\n", escape(line));
        if let Some(last) = chapters.last_mut() {
            last.push_str(&html);
        }
    }
    let mut manifest = String::new();
    let mut spine = String::new();
    for (i, body) in chapters.iter().enumerate() {
        zip.start_file(format!("OEBPS/text/ch{i}.xhtml"), opts)
            .expect("zip");
        write!(zip, "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>c</title></head><body>{body}</body></html>").expect("zip");
        manifest.push_str(&format!(
            "<item id=\"c{i}\" href=\"text/ch{i}.xhtml\" media-type=\"application/xhtml+xml\"/>"
        ));
        spine.push_str(&format!("<itemref idref=\"c{i}\"/>"));
    }
    zip.start_file("OEBPS/content.opf", opts).expect("zip");
    write!(zip, "<?xml version=\"1.0\"?><package version=\"3.0\"><manifest>{manifest}</manifest><spine>{spine}</spine></package>").expect("zip");
    zip.finish().expect("zip");
}

#[test]
fn indexes_an_epub() {
    let Some(path) = sample() else { return };
    let text = std::fs::read_to_string(&path).expect("read sample");
    let dir = tempfile::tempdir().expect("tempdir");
    let epub = dir.path().join("book.epub");
    make_epub(&text, &epub);
    let idx = book::index_file(knowledge::get(), &epub).expect("the EPUB indexes");
    assert_eq!(idx.sections.len(), 756);
    let expected = first_paragraph_after(&text, "1.4 `__slots__`");
    assert_eq!(
        book::excerpt(&idx, "1.4", 10_000).as_deref(),
        Some(expected.as_str())
    );
}

#[test]
fn a_file_that_is_not_the_book_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notes = dir.path().join("notes.md");
    std::fs::write(&notes, "# My notes\n\n1.1 Something else\n").expect("write");
    let out = Command::new(common::BIN)
        .args(["index"])
        .arg(&notes)
        .env("PYMASTERY_CACHE_DIR", dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does not look like a copy of Staff-Level Python Mastery"),
        "{err}"
    );
    let bin = dir.path().join("x.bin");
    std::fs::write(&bin, [0xffu8, 0xfe, 0, 1]).expect("write");
    let err = book::index_file(knowledge::get(), &bin).expect_err("binary");
    assert!(err.ends_with("not UTF-8 text and not an EPUB"), "{err}");
    assert!(!dir.path().join("book-index.json").exists());
}

#[test]
fn index_command_writes_the_cache_and_explain_or_hover_quote_it() {
    let Some(path) = sample() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(common::BIN)
        .arg("index")
        .arg(&path)
        .env("PYMASTERY_CACHE_DIR", dir.path())
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("indexed 756 of 756 sections"));
    assert!(dir.path().join("book-index.json").exists());

    // The editor names the copy in book.path: hovers quote it.
    let options = json!({ "book": { "path": path } });
    let (mut c, _) = Client::start_with(json!({}), options, None);
    let uri = "file:///tmp/book-test.py";
    c.open(uri, "class Point:\n    __slots__ = (\"x\", \"y\")\n");
    let text = std::fs::read_to_string(&path).expect("read sample");
    let expected = first_paragraph_after(&text, "1.4 `__slots__`");
    let value = c.hover(uri, 1, 6)["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let quote = value.split("> From your copy: ").nth(1).unwrap_or_default();
    assert!(!quote.is_empty(), "{value}");
    let shown = quote.trim_end_matches(" …");
    assert!(expected.starts_with(shown), "{quote}\n---\n{expected}");
}
