//! Property test: random edit sequences sent through the real server leave exactly the text a
//! reference model computes, in UTF-8 and UTF-16, with multi-byte, astral and CRLF text and
//! several changes per notification.

mod common;

use common::{utf16_caps, utf8_caps, Client};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

#[derive(Clone, Copy, Debug)]
enum Enc {
    Utf8,
    Utf16,
}

const PIECES: [&str; 12] = [
    "a",
    "é",
    "漢",
    "😀",
    "\n",
    "\r\n",
    "\r",
    " ",
    "def f():\n",
    "\t",
    "𝔘x",
    "",
];

/// Byte ranges of each line's content (without its break), LSP line rules.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push((start, i));
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    out.push((start, b.len()));
    out
}

fn width(c: char, enc: Enc) -> u32 {
    match enc {
        Enc::Utf8 => c.len_utf8() as u32,
        Enc::Utf16 => c.len_utf16() as u32,
    }
}

/// The model's reading of a position: clamp to the line end and the file end, round down
/// inside a character.
fn offset(text: &str, line: u32, col: u32, enc: Enc) -> usize {
    let ls = lines(text);
    let Some(&(s, e)) = ls.get(line as usize) else {
        return text.len();
    };
    let mut units = 0;
    for (i, c) in text[s..e].char_indices() {
        if units + width(c, enc) > col {
            return s + i;
        }
        units += width(c, enc);
    }
    e
}

fn line_units(text: &str, line: usize, enc: Enc) -> u32 {
    let ls = lines(text);
    ls.get(line)
        .map_or(0, |&(s, e)| text[s..e].chars().map(|c| width(c, enc)).sum())
}

#[derive(Clone, Debug)]
struct Spec {
    a: u32,
    b: u32,
    piece: usize,
    repeat: usize,
}

fn pos(text: &str, seed: u32, enc: Enc) -> (u32, u32) {
    let n = lines(text).len() as u32;
    let line = seed % (n + 1); // sometimes one past the last line
    let max = line_units(text, line as usize, enc);
    (line, (seed / 3) % (max + 3)) // sometimes past the line end, sometimes mid-character
}

fn run(enc: Enc) {
    let caps = match enc {
        Enc::Utf8 => utf8_caps(),
        Enc::Utf16 => utf16_caps(),
    };
    let (client, init) = Client::start(caps);
    let client = std::cell::RefCell::new(client);
    let case = std::cell::Cell::new(0);
    let expected_enc = match enc {
        Enc::Utf8 => "utf-8",
        Enc::Utf16 => "utf-16",
    };
    assert_eq!(init["capabilities"]["positionEncoding"], expected_enc);
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let spec = (any::<u32>(), any::<u32>(), 0..PIECES.len(), 0..3usize).prop_map(
        |(a, b, piece, repeat)| Spec {
            a,
            b,
            piece,
            repeat,
        },
    );
    let notifications = prop::collection::vec(prop::collection::vec(spec, 1..4), 1..12);
    let result = runner.run(&(notifications, 0..PIECES.len()), |(notes, init_piece)| {
        case.set(case.get() + 1);
        let uri = format!("file:///tmp/sync/{expected_enc}/{}.py", case.get());
        let mut client = client.borrow_mut();
        let mut model = PIECES[init_piece].repeat(3);
        client.open(&uri, &model);
        for (v, changes) in notes.iter().enumerate() {
            let mut sent = Vec::new();
            for c in changes {
                let (sl, sc) = pos(&model, c.a, enc);
                let (el, ec) = pos(&model, c.b, enc);
                let text = PIECES[c.piece].repeat(c.repeat);
                let (mut s, mut e) = (offset(&model, sl, sc, enc), offset(&model, el, ec, enc));
                if s > e {
                    std::mem::swap(&mut s, &mut e);
                }
                model.replace_range(s..e, &text);
                sent.push(json!({ "range": { "start": { "line": sl, "character": sc }, "end": { "line": el, "character": ec } }, "text": text }));
            }
            client.change(&uri, v as i64 + 1, json!(sent));
        }
        let got = client.server_text(&uri);
        prop_assert_eq!(got, model);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn random_edits_match_the_model_in_utf8() {
    run(Enc::Utf8);
}

#[test]
fn random_edits_match_the_model_in_utf16() {
    run(Enc::Utf16);
}
