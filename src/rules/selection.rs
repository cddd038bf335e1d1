//! Which rules run: `select`, `extend-select` and `ignore`, with codes, prefixes (`PM01`) and
//! `ALL`. The most specific selector wins; on a tie, `ignore` wins.

use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Selection {
    /// Replaces the default set when given.
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// How specific `selector` is for `code`: None when it does not match.
fn specificity(selector: &str, code: &str) -> Option<usize> {
    let s = selector.trim().to_ascii_uppercase();
    if s == "ALL" {
        return Some(0);
    }
    (!s.is_empty() && code.starts_with(&s)).then_some(s.len())
}

fn best(list: &[String], code: &str) -> Option<usize> {
    list.iter().filter_map(|s| specificity(s, code)).max()
}

impl Selection {
    pub fn enabled(&self, code: &str, default_on: bool) -> bool {
        let chosen = match &self.select {
            Some(sel) => best(sel, code),
            None => default_on.then_some(0),
        };
        let chosen = chosen.max(best(&self.extend_select, code));
        match (chosen, best(&self.ignore, code)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(c), Some(i)) => c > i,
        }
    }

    /// Layers `other` (an editor's or a command line's choice) over `self`.
    pub fn overridden_by(&self, other: &Selection) -> Selection {
        Selection {
            select: other.select.clone().or_else(|| self.select.clone()),
            extend_select: [self.extend_select.clone(), other.extend_select.clone()].concat(),
            ignore: [self.ignore.clone(), other.ignore.clone()].concat(),
        }
    }

    /// Codes or prefixes that match no rule at all, to warn about typos.
    pub fn unknown<'a>(&'a self, codes: &[&str]) -> Vec<&'a str> {
        let all = self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore);
        all.filter(|s| !codes.iter().any(|c| specificity(s, c).is_some()))
            .map(String::as_str)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(select: Option<&[&str]>, ignore: &[&str]) -> Selection {
        Selection {
            select: select.map(|s| s.iter().map(|x| x.to_string()).collect()),
            extend_select: vec![],
            ignore: ignore.iter().map(|x| x.to_string()).collect(),
        }
    }

    #[test]
    fn defaults_prefixes_all_and_specificity() {
        assert!(sel(None, &[]).enabled("PM0105", true));
        assert!(!sel(None, &[]).enabled("PM0199", false));
        assert!(sel(Some(&["ALL"]), &[]).enabled("PM0199", false));
        assert!(!sel(Some(&["PM02"]), &[]).enabled("PM0105", true));
        assert!(!sel(None, &["PM01"]).enabled("PM0105", true));
        assert!(sel(Some(&["PM0105"]), &["PM01"]).enabled("PM0105", true));
        assert!(!sel(Some(&["PM01"]), &["PM0105"]).enabled("PM0105", true));
        assert!(!sel(Some(&["ALL"]), &["ALL"]).enabled("PM0105", true));
    }
}
