//! `# noqa` comments: bare silences every finding on its line, `# noqa: PM0105, PM01` the
//! listed codes or prefixes. Codes of other tools on the same comment are ignored.

/// The codes of a `# noqa` comment on `line`: Some(empty) for a bare noqa.
pub fn parse(line: &str) -> Option<Vec<&str>> {
    let hash = line.find('#')?;
    let mut rest = &line[hash..];
    loop {
        let body = rest[1..].trim_start();
        if body.len() >= 4 && body[..4].eq_ignore_ascii_case("noqa") {
            let after = &body[4..];
            if let Some(list) = after.trim_start().strip_prefix(':') {
                let codes: Vec<&str> = list
                    .split([',', ' ', '\t'])
                    .map(str::trim)
                    .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric()))
                    .collect();
                return Some(codes);
            }
            if after.is_empty() || after.starts_with(char::is_whitespace) || after.starts_with('#')
            {
                return Some(Vec::new());
            }
        }
        let next = rest[1..].find('#')?;
        rest = &rest[1 + next..];
    }
}

/// Whether a `# noqa` on `line` silences `code`.
pub fn silences(line: &str, code: &str) -> bool {
    match parse(line) {
        None => false,
        Some(codes) if codes.is_empty() => true,
        Some(codes) => codes
            .iter()
            .any(|c| code.starts_with(&c.to_ascii_uppercase())),
    }
}

/// Byte ranges (within `line`) of the codes listed in a noqa comment, for hovers on them.
pub fn code_at(line: &str, col: usize) -> Option<&str> {
    parse(line)?;
    let hash = line.find('#')?;
    let start = line[..col.min(line.len())]
        .rfind(|c: char| !c.is_ascii_alphanumeric())
        .map_or(0, |i| i + 1);
    if start < hash {
        return None;
    }
    let end = line[start..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .map_or(line.len(), |i| start + i);
    let word = &line[start..end];
    (word.len() >= 3 && word[..2].eq_ignore_ascii_case("PM")).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_and_listed_codes() {
        assert!(silences("x = 1  # noqa", "PM0105"));
        assert!(silences("x = 1  # NOQA: PM0105", "PM0105"));
        assert!(silences("x = 1  # noqa: E501, PM01", "PM0105"));
        assert!(!silences("x = 1  # noqa: PM0101", "PM0105"));
        assert!(!silences("x = 1  # noqalike", "PM0105"));
        assert!(!silences("x = 1  # type: ignore", "PM0105"));
        assert!(silences("x = 1  # type: ignore  # noqa: PM0105", "PM0105"));
    }

    #[test]
    fn code_under_cursor() {
        let line = "def f(a=[]):  # noqa: PM0105";
        assert_eq!(code_at(line, line.len() - 2), Some("PM0105"));
        assert_eq!(code_at(line, 3), None);
    }
}
