//! A reader's own copy of the book: `pymastery index PATH` finds every section by its heading
//! in a plain-text/Markdown export or an EPUB, and stores the sections' text in the user's cache
//! folder. Hovers then add a short excerpt "from your copy". The project never ships the text.

use super::{Knowledge, Section};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BookIndex {
    pub source: String,
    /// Section id -> the section's text, heading excluded.
    pub sections: HashMap<String, String>,
}

/// Where the index lives: `$PYMASTERY_CACHE_DIR`, else `$XDG_CACHE_HOME/pymastery`, else
/// `~/.cache/pymastery`.
pub fn cache_file() -> Option<PathBuf> {
    let dir = std::env::var_os("PYMASTERY_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("pymastery")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/pymastery")))?;
    Some(dir.join("book-index.json"))
}

/// Lower-case words of a heading, without markup, quotes or dashes.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if in_tag => {}
            '`' | '*' | '#' | '“' | '”' | '"' | '’' | '\'' => {}
            '–' | '—' => out.push('-'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The heading a section carries in the book.
fn heading(s: &Section) -> String {
    let derived = s.id.contains(".summary")
        || s.id
            .split('.')
            .any(|p| p.starts_with(['m', 'a', 'p']) && p.len() > 1);
    let text = if s.level == 0 {
        format!("Chapter {} – {}", s.id, s.title)
    } else if derived {
        s.title.clone()
    } else {
        format!("{} {}", s.id, s.title)
    };
    normalize(&text)
}

/// Finds the sections in `lines`, in outline order, and cuts the text between headings.
pub fn index_lines(kb: &Knowledge, lines: &[String], source: &str) -> BookIndex {
    // Table-of-contents lines end in a tab and a page number: they are not headings.
    let is_toc = |l: &str| {
        l.rsplit_once('\t')
            .is_some_and(|(_, p)| p.trim().chars().all(|c| c.is_ascii_digit()))
    };
    let norm: Vec<String> = lines
        .iter()
        .map(|l| {
            if is_toc(l) {
                String::new()
            } else {
                normalize(l)
            }
        })
        .collect();
    let mut found: Vec<(usize, &str)> = Vec::new();
    let mut from = 0;
    for s in &kb.sections {
        let want = heading(s);
        if let Some(i) = (from..norm.len()).find(|&i| norm[i] == want) {
            found.push((i, &s.id));
            from = i + 1;
        }
    }
    let mut sections = HashMap::new();
    for (k, &(line, id)) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(lines.len(), |&(l, _)| l);
        let body = lines[line + 1..end].join("\n").trim().to_string();
        sections.insert(id.to_string(), body);
    }
    BookIndex {
        source: source.to_string(),
        sections,
    }
}

fn epub_lines(path: &Path) -> Result<Vec<String>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|_| "not a text file or an EPUB".to_string())?;
    let mut read = |name: &str| -> Result<String, String> {
        let mut f = zip
            .by_name(name)
            .map_err(|_| format!("the EPUB has no {name}"))?;
        let mut s = String::new();
        f.read_to_string(&mut s)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(s)
    };
    let container = read("META-INF/container.xml")?;
    let opf_path = attr_after(&container, "rootfile", "full-path")
        .ok_or("the EPUB names no package document")?;
    let opf = read(&opf_path)?;
    let base = opf_path
        .rsplit_once('/')
        .map_or(String::new(), |(d, _)| format!("{d}/"));
    // manifest id -> href, then the spine's order.
    let mut hrefs = HashMap::new();
    for item in opf.split("<item ").skip(1) {
        if let (Some(id), Some(href)) = (attr(item, "id"), attr(item, "href")) {
            hrefs.insert(id, href);
        }
    }
    let mut lines = Vec::new();
    for itemref in opf.split("<itemref ").skip(1) {
        let Some(href) = attr(itemref, "idref").and_then(|id| hrefs.get(&id).cloned()) else {
            continue;
        };
        let xhtml = read(&format!("{base}{href}"))?;
        lines.extend(html_lines(&xhtml));
    }
    Ok(lines)
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[at..].find('"')?;
    Some(tag[at..at + end].to_string())
}

fn attr_after(xml: &str, element: &str, name: &str) -> Option<String> {
    let at = xml.find(&format!("<{element}"))?;
    attr(&xml[at..], name)
}

/// Text of an XHTML document, one line per block element.
fn html_lines(html: &str) -> Vec<String> {
    let body = html.split_once("<body").map_or(html, |(_, b)| b);
    let mut text = String::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        if matches!(
            name,
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "div" | "br" | "pre" | "tr"
        ) {
            text.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.lines().map(|l| l.trim_end().to_string()).collect()
}

/// Indexes a reader's copy. Errors are one line, for the terminal.
pub fn index_file(kb: &Knowledge, path: &Path) -> Result<BookIndex, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let lines = if bytes.starts_with(b"PK\x03\x04") {
        epub_lines(path).map_err(|e| format!("{}: {e}", path.display()))?
    } else {
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{}: not UTF-8 text and not an EPUB", path.display()))?;
        text.lines().map(str::to_string).collect()
    };
    let index = index_lines(kb, &lines, &path.display().to_string());
    if index.sections.len() < 20 {
        return Err(format!(
            "{}: found {} of {} section headings; this does not look like a copy of Staff-Level Python Mastery",
            path.display(),
            index.sections.len(),
            kb.sections.len()
        ));
    }
    Ok(index)
}

pub fn save(index: &BookIndex, file: &Path) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let json = serde_json::to_string(index).map_err(|e| e.to_string())?;
    std::fs::write(file, json).map_err(|e| format!("{}: {e}", file.display()))
}

pub fn load(file: &Path) -> Option<BookIndex> {
    serde_json::from_slice(&std::fs::read(file).ok()?).ok()
}

/// The first prose paragraph of a section, cut at about `max` characters on a word boundary.
pub fn excerpt(index: &BookIndex, id: &str, max: usize) -> Option<String> {
    let text = index.sections.get(id)?;
    let para = text.split("\n\n").map(str::trim).find(|p| {
        !p.is_empty() && !p.starts_with("```") && !p.starts_with(|c: char| c.is_ascii_digit())
    })?;
    let para = para.split_whitespace().collect::<Vec<_>>().join(" ");
    if para.chars().count() <= max {
        return Some(para);
    }
    let cut: String = para.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    Some(format!("{cut} …"))
}
