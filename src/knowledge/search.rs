//! Ranked search over section titles and entries, for "search the book" in editors.

use super::Knowledge;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub first_line: String,
    #[serde(skip)]
    pub score: u32,
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '_' && c != '.')
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Sections matching every word of the query somewhere, best first: a word in the title counts
/// most, then the summary, then the explanation; an exact id wins outright.
pub fn search(kb: &Knowledge, query: &str, limit: usize) -> Vec<Hit> {
    let q = words(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = Vec::new();
    for s in &kb.sections {
        let entry = kb.entry(&s.id);
        let title = words(&s.title);
        let summary = entry.map(|e| words(&e.summary)).unwrap_or_default();
        let body = entry.map(|e| words(&e.explanation)).unwrap_or_default();
        let mut score = 0;
        let mut all = true;
        for w in &q {
            let hit = |ws: &[String]| {
                ws.iter().any(|x| x == w) as u32 * 2
                    + ws.iter().any(|x| x.starts_with(w.as_str())) as u32
            };
            let s_title = hit(&title) * 6;
            let s_sum = hit(&summary) * 2;
            let s_body = hit(&body);
            if s_title + s_sum + s_body == 0 {
                all = false;
                break;
            }
            score += s_title + s_sum + s_body;
        }
        if query.trim() == s.id {
            score += 1000;
            all = true;
        }
        if all && score > 0 {
            hits.push(Hit {
                id: s.id.clone(),
                title: s.title.clone(),
                first_line: entry.map(|e| e.summary.clone()).unwrap_or_default(),
                score,
            });
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.id.len().cmp(&b.id.len()))
    });
    hits.truncate(limit);
    hits
}
